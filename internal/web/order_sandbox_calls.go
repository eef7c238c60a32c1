package web

import (
	"bytes"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/web/templates"
)

// sandboxMatch is the sandbox's record of one attempt and how it was found.
type sandboxMatch struct {
	call tcsim.Call
	by   string
}

// matchSlack allows for the sandbox's clock (the console's) and the
// database's (which stamps attempts) being a little apart.
const matchSlack = 5 * time.Second

// unfinishedWindow bounds how late a call may arrive for an attempt whose
// end was never recorded (its process died mid-call): well past any call
// deadline, short of claiming a resend made minutes later.
const unfinishedWindow = 2 * time.Minute

// matchSandboxCalls finds, for each attempt, the call the sandbox recorded
// for it. An attempt that got an answer carries the RequestId the sandbox
// gave it: that match is certain. One that got no answer (a dropped
// connection, a timeout) is exactly the case where seeing the other side
// matters most, so it is matched to a call with byte-for-byte the body it
// sent, received between its start and its finish; the page says the match
// was made that way. Each call is matched to at most one attempt.
func matchSandboxCalls(attempts []db.SendAttempt, calls []tcsim.Call) []*sandboxMatch {
	out := make([]*sandboxMatch, len(attempts))
	used := make([]bool, len(calls))
	byRequestID := make(map[string]int, len(calls))
	for j, c := range calls {
		byRequestID[c.RequestID] = j
	}
	for i, a := range attempts {
		if j, ok := byRequestID[a.RequestID]; ok && a.RequestID != "" {
			out[i], used[j] = &sandboxMatch{call: calls[j], by: "RequestId"}, true
		}
	}
	for i, a := range attempts {
		if out[i] != nil || len(a.Sent) == 0 {
			continue
		}
		from, until := a.StartedAt.Add(-matchSlack), a.StartedAt.Add(unfinishedWindow)
		if a.FinishedAt != nil {
			until = a.FinishedAt.Add(matchSlack)
		}
		for j, c := range calls {
			if used[j] || c.Time.Before(from) || c.Time.After(until) || !bytes.Equal(c.Params, a.Sent) {
				continue
			}
			out[i], used[j] = &sandboxMatch{call: c, by: "body and time"}, true
			break
		}
	}
	return out
}

// sandboxCallView shows a recorded call; the SecretId is masked like
// everywhere else in the console.
func sandboxCallView(c tcsim.Call) *templates.SandboxCallView {
	return &templates.SandboxCallView{
		Seq: c.Seq, Time: c.Time, Action: c.Action, SecretID: tcapi.MaskSecretID(c.SecretID),
		Params: string(c.Params), Outcome: c.Outcome, RequestID: c.RequestID, Bought: c.Bought, Orders: c.Orders,
	}
}
