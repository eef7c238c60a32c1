package accounts

import (
	"context"
	"fmt"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// Checker makes the harmless signed call that proves credentials work;
// *tcapi.Client is one.
type Checker interface {
	CheckCredentials(ctx context.Context, creds tcapi.Credentials) (*tcapi.DescribeAccountBalanceResponse, tcapi.Result, error)
}

// CheckResult is what a credentials check found, in words fit to show.
type CheckResult struct {
	Account Account
	// OK is true when the service accepted the signature and answered.
	OK bool
	// Outcome is tcapi's class of the call; empty when nothing was tried.
	Outcome tcapi.Outcome
	// Balance is the available balance in cents, and Uin the account's
	// owner, when the service said.
	Balance *int64
	Uin     *int64
	// RequestID is the service's RequestId, when an answer carried one.
	RequestID string
	// ErrorCode and ErrorMessage are the error the service answered.
	ErrorCode    string
	ErrorMessage string
	// Explanation and ExplanationChinese explain ErrorCode from tcapi's catalog.
	Explanation        string
	ExplanationChinese string
	// Problem says why no answer judged the keys: the account cannot be
	// used, nothing could be sent, or no readable answer came.
	Problem fault.Msg
}

// Check makes the harmless signed call (billing DescribeAccountBalance)
// with an account's credentials through client and reports the answer. It
// changes nothing, here or at Tencent Cloud. The error is for the console's
// own failures (the database, an unknown account); everything about the
// keys, including an account that cannot be used, is in the result.
func (s *Service) Check(ctx context.Context, client Checker, id int64) (CheckResult, error) {
	row, err := db.GetTencentCloudAccount(ctx, s.pool, id)
	if err != nil {
		return CheckResult{}, fmt.Errorf("accounts: check: %w", err)
	}
	out := CheckResult{Account: s.accountFrom(row)}
	creds, err := s.credentials(row)
	if refusal, ok := fault.As(err); ok {
		out.Problem = refusal.Msg
		return out, nil
	}
	if err != nil {
		return CheckResult{}, err
	}
	resp, res, err := client.CheckCredentials(ctx, creds)
	out.Outcome, out.RequestID = res.Outcome, res.RequestID
	out.ErrorCode, out.ErrorMessage = res.ErrorCode, res.ErrorMessage
	if out.ErrorCode != "" {
		info, _ := tcapi.LookupError(out.ErrorCode)
		out.Explanation, out.ExplanationChinese = info.English, info.Chinese
	}
	switch {
	case err == nil:
		out.OK = true
		if resp != nil {
			out.Balance, out.Uin = resp.Balance, resp.Uin
		}
	case out.ErrorCode != "":
		// The answer speaks for itself.
	case res.Outcome == tcapi.NotSent:
		out.Problem = fault.M("account.check.no_connection")
	default:
		out.Problem = fault.M("account.check.no_answer")
	}
	return out, nil
}
