package jobs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"testing"

	"github.com/riverqueue/river"
)

// TestFailureCodesNeverCarryTheErrorsText: what the delivery log keeps of
// a failure is its kind and number, whatever the error says (a URL with
// its token, an SMTP server's words).
func TestFailureCodesNeverCarryTheErrorsText(t *testing.T) {
	t.Parallel()
	secretish := errors.New("https://hooks.example/?access_token=canary-token")
	for _, c := range []struct {
		err  error
		want string
	}{
		{failed("http_status", 503, secretish), "http_status:503"},
		{river.JobCancel(failed("policy_gone", 0, secretish)), "policy_gone"},
		{fmt.Errorf("jobs: SMTP: %w", &textproto.Error{Code: 550, Msg: "5.1.1 no such user canary-token"}), "smtp_refused:550"},
		{failed("smtp_signin", smtpCode(&textproto.Error{Code: 535, Msg: "bad canary-token"}), secretish), "smtp_signin:535"},
		{fmt.Errorf("jobs: SMTP: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused canary-token")}), "unreachable"},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), "timeout"},
		{secretish, "other"},
	} {
		if got := failureCode(c.err); got != c.want {
			t.Errorf("failureCode(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
