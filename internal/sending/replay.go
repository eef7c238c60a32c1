package sending

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// maxLogLine bounds one log line read back: an answer holds both bodies,
// and a body is at most tcapi's 8 MiB answer limit.
const maxLogLine = 20 << 20

// textReplay finds the replay attribute in a line of slog's text format,
// which quotes it as strconv.Quote does.
var textReplay = regexp.MustCompile(`(?:^| )replay=("(?:[^"\\]|\\.)*")`)

// ReadAnswers reads back the answers a console wrote to its log, in slog's
// text or JSON format; other lines are skipped. An answer logged twice (when
// it arrived and when it could not be recorded) is returned once.
func ReadAnswers(r io.Reader) ([]Answer, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLogLine)
	seen := map[int64]bool{}
	var out []Answer
	for n := 1; sc.Scan(); n++ {
		raw, ok := replayField(sc.Bytes())
		if !ok {
			continue
		}
		var a Answer
		if err := json.Unmarshal([]byte(raw), &a); err != nil || a.AttemptID == 0 || a.OrderID == 0 {
			return out, fmt.Errorf("sending: line %d: the replay attribute is not an answer", n)
		}
		if !seen[a.AttemptID] {
			seen[a.AttemptID] = true
			out = append(out, a)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("sending: reading the log: %w", err)
	}
	return out, nil
}

func replayField(line []byte) (string, bool) {
	var obj struct {
		Replay *string `json:"replay"`
	}
	if json.Unmarshal(line, &obj) == nil {
		if obj.Replay == nil {
			return "", false
		}
		return *obj.Replay, true
	}
	m := textReplay.FindSubmatch(line)
	if m == nil {
		return "", false
	}
	s, err := strconv.Unquote(string(m[1]))
	return s, err == nil
}

// Replay records an answer read back from the log, exactly as it would have
// been recorded when it arrived, unless its attempt already has an answer on
// record. It returns the order as it now stands and whether anything was
// recorded.
func (s *Sender) Replay(ctx context.Context, ans Answer) (orders.Order, bool, error) {
	var st settled
	done := false
	err := db.InTxRetry(ctx, s.pool, 5, func(tx pgx.Tx) error {
		attempts, err := db.ListSendAttempts(ctx, tx, ans.OrderID)
		if err != nil {
			return err
		}
		var found *db.SendAttempt
		for i := range attempts {
			if attempts[i].ID == ans.AttemptID {
				found = &attempts[i]
			}
		}
		if found == nil {
			return fmt.Errorf("sending: order %d has no attempt %d", ans.OrderID, ans.AttemptID)
		}
		if found.FinishedAt != nil && found.Outcome != "interrupted" && found.Outcome != "not_called" {
			st.order, err = s.orders.Lock(ctx, tx, ans.OrderID)
			return err
		}
		if st, err = s.apply(ctx, tx, ans); err != nil {
			return err
		}
		done = true
		_, err = db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderAnswerReplayed,
			Subject: st.order.Subject(), Details: map[string]any{"attempt": ans.Attempt, "outcome": ans.Outcome, "request_id": ans.RequestID}})
		return err
	})
	if err != nil {
		return orders.Order{}, false, fmt.Errorf("sending: replay the answer to order %d attempt %d: %w", ans.OrderID, ans.Attempt, err)
	}
	return st.order, done, nil
}
