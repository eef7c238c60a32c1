package web

import (
	"encoding/json"
	"time"

	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// SandboxCall is what the sandbox recorded of one call it received: the
// part of its record the order page shows. web declares it, and serve
// converts the sandbox's own record to it, so production pages never
// import the sandbox.
type SandboxCall struct {
	Seq      int
	Time     time.Time
	Action   string
	SecretID string
	// Params is the body as received.
	Params json.RawMessage
	// Outcome is "Success", the error code answered, "ConnectionDropped",
	// "CustomBody" or "HTTP <status>".
	Outcome   string
	RequestID string
	// Bought is true when the call charged the balance.
	Bought bool
	// Orders names the orders (or WAF deals) the call created or returned
	// again.
	Orders []string
}

// sandboxMatch is the sandbox's record of one attempt and how it was found.
type sandboxMatch struct {
	call SandboxCall
	by   string
}

// matchSlack allows for the sandbox's clock (the console's) and the
// database's (which stamps attempts) being a little apart.
const matchSlack = 5 * time.Second

// unfinishedWindow bounds how late a call may arrive for an attempt whose
// end is not recorded (its call is still out): well past any call deadline.
const unfinishedWindow = 2 * time.Minute

// matchSandboxCalls finds, for each attempt, the call the sandbox recorded
// for it. An attempt that got an answer carries the RequestId the sandbox
// gave it: that match is certain. One that got none (a dropped connection,
// a timeout, a console that died mid-call and never recorded what it sent)
// is exactly the case where seeing the other side matters most, so it is
// matched to a call whose body hashes to the attempt's approved hash,
// received between the attempt's start and its end; the page says the match
// was made that way. Each call is matched to at most one attempt.
func matchSandboxCalls(attempts []orders.SendAttempt, calls []SandboxCall) []*sandboxMatch {
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
	// Hashed only when a call falls in some attempt's time: the sandbox may
	// hold many thousands of calls.
	hashes := make(map[int]string)
	hashOf := func(j int) string {
		h, ok := hashes[j]
		if !ok {
			if canon, err := orders.Canonical(calls[j].Params); err == nil {
				h = orders.Hash(canon)
			}
			hashes[j] = h
		}
		return h
	}
	for i, a := range attempts {
		// An attempt that was answered is linked by its RequestId or not
		// at all: a same-body call (a clone's) must not stand in for it.
		if out[i] != nil || a.RequestID != "" {
			continue
		}
		from, until := a.StartedAt.Add(-matchSlack), a.StartedAt.Add(unfinishedWindow)
		if a.FinishedAt != nil {
			until = a.FinishedAt.Add(matchSlack)
		}
		for j, c := range calls {
			if used[j] || c.Time.Before(from) || c.Time.After(until) || hashOf(j) != a.ParamsSHA256 {
				continue
			}
			out[i], used[j] = &sandboxMatch{call: c, by: "body hash and time"}, true
			break
		}
	}
	return out
}

// sandboxCallView shows a recorded call; the SecretId is masked like
// everywhere else in the console.
func sandboxCallView(c SandboxCall) *templates.SandboxCallView {
	return &templates.SandboxCallView{
		Seq: c.Seq, Time: c.Time, Action: c.Action, SecretID: tcapi.MaskSecretID(c.SecretID),
		Params: string(c.Params), Outcome: c.Outcome, RequestID: c.RequestID, Bought: c.Bought, Orders: c.Orders,
	}
}
