package main

import (
	"bytes"
	"context"
	b64 "encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// An answer a dying console could only write to its log is recorded by
// `console sending replay`, once: a second replay of the same log changes
// nothing.
func TestSendingReplayCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t)
	pool := dbtest.Open(t, url)
	svc := orders.NewService(pool)
	o := orderstest.Move(t, pool, svc, orders.Actor{}, orderstest.Approved(t, pool, svc, orders.ProductWAF), orders.StatusSending)
	attemptID, _, err := db.BeginSendAttempt(ctx, pool, o.ID, "dead")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkAttemptCalling(ctx, pool, attemptID, "AKIDreplaytest"); err != nil {
		t.Fatal(err)
	}
	received := `{"Response":{"Data":{"DealNames":["2026113000000001"],"BigDealId":"2026113000000002"},"Status":1,"ReturnMessage":"success","RequestId":"req-replayed"}}`
	replay := fmt.Sprintf(`{"order_id":%d,"attempt_id":%d,"attempt":1,"outcome":"succeeded","request_id":"req-replayed","http_status":200,"received":%q,"deal_names":["2026113000000001"],"big_deal_id":"2026113000000002"}`,
		o.ID, attemptID, b64Text(received))
	// As slog's text handler writes it, between other lines.
	logText := "time=2026-11-29T10:00:00Z level=INFO msg=serving addr=127.0.0.1:8080\n" +
		fmt.Sprintf("time=2026-11-29T10:00:01Z level=ERROR msg=\"send: answer not recorded; record it with `console sending replay LOGFILE`\" order=%d replay=%q\n", o.ID, replay)
	file := filepath.Join(t.TempDir(), "console.log")
	if err := os.WriteFile(file, []byte(logText), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := testEnv(url, nil)
	var out bytes.Buffer
	if err := run(ctx, []string{"sending", "replay", file}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("replay: %v (%s)", err, out.String())
	}
	if !strings.Contains(out.String(), "1 answers read, 1 recorded") {
		t.Fatalf("output %q", out.String())
	}
	got, err := svc.Get(ctx, o.ID)
	if err != nil || got.Status != orders.StatusSucceeded || got.Sent.RequestID != "req-replayed" || len(got.Sent.DealNames) != 1 {
		t.Fatalf("after the replay: %s %+v %v", got.Status, got.Sent, err)
	}
	out.Reset()
	if err := run(ctx, []string{"sending", "replay", file}, getenv, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "already on record") {
		t.Fatalf("second replay: %v %q", err, out.String())
	}
}

func b64Text(s string) string { return b64.StdEncoding.EncodeToString([]byte(s)) }
