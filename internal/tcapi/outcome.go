package tcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Outcome is what one call means for money. doc.go explains each class and
// why it is drawn where it is. The values are stable strings, fit to store.
type Outcome string

// Outcome classes.
const (
	// Succeeded: the service answered success.
	Succeeded Outcome = "succeeded"
	// Rejected: the service answered an error; nothing was bought.
	Rejected Outcome = "rejected"
	// Throttled: the service answered RequestLimitExceeded; nothing was
	// bought and the call may be sent again later.
	Throttled Outcome = "throttled"
	// NotSent: no connection was ever opened (or the request never left
	// this process); nothing can have been bought and it may be sent again.
	NotSent Outcome = "not_sent"
	// Unknown: the request may have reached the service but no readable
	// answer came back; it may have bought.
	Unknown Outcome = "unknown"
	// NeedsReview: the service answered, but the answer does not prove
	// success (WAF Status 0 with deal names); a person must look.
	NeedsReview Outcome = "needs_review"
)

// SafeToResend reports whether sending the same call again cannot buy
// twice. Only a definite "nothing happened" qualifies; a resent Rejected
// call would only be refused again, so it is not offered for resending.
func (o Outcome) SafeToResend() bool {
	return o == Throttled || o == NotSent
}

// MayHaveBought reports whether money may have moved.
func (o Outcome) MayHaveBought() bool {
	return o == Succeeded || o == Unknown || o == NeedsReview
}

// APIError is an error the service answered. Send returns it wrapped for
// Rejected, Throttled and (for InternalError) Unknown outcomes.
type APIError struct {
	Code      string
	Message   string
	RequestID string
}

// Error reads "tcapi: CODE: message (RequestId ID)".
func (e *APIError) Error() string {
	code := e.Code
	if code == "" {
		// A refusal told by a status field rather than an Error (WAF Status 0).
		code = "refused"
	}
	return fmt.Sprintf("tcapi: %s: %s (RequestId %s)", code, e.Message, e.RequestID)
}

// Explain describes the code in the given language from the catalog.
func (e *APIError) Explain(language string) string {
	info, _ := LookupError(e.Code)
	if d := info.Describe(language); d != "" {
		return d
	}
	return e.Message
}

// ErrNeedsReview is wrapped by Send's error for the NeedsReview outcome.
var ErrNeedsReview = errors.New("tcapi: the answer does not prove success; a person must review it")

// ErrUnknownOutcome is wrapped by Send's error for the Unknown outcome.
var ErrUnknownOutcome = errors.New("tcapi: the call may have been carried out; its outcome is unknown")

// classifyCode maps an answered error code to an outcome.
//
// InternalError is the one answered error not trusted to mean "nothing
// happened": a purchase backend that failed inside may have created or paid
// the order before failing, so it is Unknown, settled like a lost answer.
func classifyCode(code string) Outcome {
	switch {
	case code == "RequestLimitExceeded" || strings.HasPrefix(code, "RequestLimitExceeded."):
		return Throttled
	case code == "InternalError" || strings.HasPrefix(code, "InternalError."):
		return Unknown
	}
	return Rejected
}

// envelope is the shape of every answer: {"Response": {...}}.
type envelope struct {
	Response json.RawMessage `json:"Response"`
}

type answerHead struct {
	RequestId string `json:"RequestId"`
	Error     *struct {
		Code    string `json:"Code"`
		Message string `json:"Message"`
	} `json:"Error"`
}

// judge reads an HTTP 200 answer body. It fills res and returns the error
// Send returns. a may be the zero Action (a raw call to an action this
// package does not model), in which case any answer without Error succeeds.
func judge(a Action, body []byte, res *Result) error {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || len(env.Response) == 0 || !bytes.HasPrefix(bytes.TrimSpace(env.Response), []byte("{")) {
		res.Outcome = Unknown
		return fmt.Errorf("%w: the answer is not a Tencent Cloud response", ErrUnknownOutcome)
	}
	var head answerHead
	if err := json.Unmarshal(env.Response, &head); err != nil {
		res.Outcome = Unknown
		return fmt.Errorf("%w: the answer could not be read: %w", ErrUnknownOutcome, err)
	}
	res.RequestID = head.RequestId
	if head.RequestId == "" || (head.Error != nil && head.Error.Code == "") {
		// The service puts a RequestId in every answer and a Code in every
		// Error: without them the answer did not come from it, and says
		// nothing about what it did.
		res.Outcome = Unknown
		return fmt.Errorf("%w: the answer has no RequestId or no error code", ErrUnknownOutcome)
	}
	if head.Error != nil {
		res.ErrorCode, res.ErrorMessage = head.Error.Code, head.Error.Message
		res.Outcome = classifyCode(head.Error.Code)
		apiErr := &APIError{Code: head.Error.Code, Message: head.Error.Message, RequestID: head.RequestId}
		if res.Outcome == Unknown {
			return fmt.Errorf("%w: %w", ErrUnknownOutcome, apiErr)
		}
		return apiErr
	}
	if a.newResponse == nil {
		res.Outcome = Succeeded
		return nil
	}
	resp := a.newResponse()
	if err := json.Unmarshal(env.Response, resp); err != nil {
		// A success-shaped answer we cannot read may hide an order.
		res.Outcome = Unknown
		return fmt.Errorf("%w: the answer could not be read: %w", ErrUnknownOutcome, err)
	}
	res.Response = resp
	res.Outcome = Succeeded
	if a.judge != nil {
		var why string
		res.Outcome, why = a.judge(resp)
		switch res.Outcome {
		case NeedsReview:
			return fmt.Errorf("%w: %s (RequestId %s)", ErrNeedsReview, why, head.RequestId)
		case Rejected:
			res.ErrorMessage = why
			return &APIError{Message: why, RequestID: head.RequestId}
		}
	}
	return nil
}

// refusalsOfAPurchase are the CreateInstance and RenewInstance errors (the
// SDK lists the same ones for both) that come from buying
// itself: pricing, quantity, the allowlist, paying. The service reaches that
// step only for a ClientToken it has no order for (a token it has seen is
// answered with its order, which is what makes resending safe), so such a
// refusal to a resend proves that the token bought nothing. Every other
// error (signature, credentials, permissions, parameters, the action or
// version, throttling, InternalError) is decided before or beside the token
// and says nothing about an earlier call. This is the one reading of the
// idempotency the documents support; it is kept to these codes on purpose.
var refusalsOfAPurchase = map[string]bool{
	"FailedOperation.BalanceInsufficient":      true,
	"FailedOperation.GetPriceParamError":       true,
	"FailedOperation.NumLimitError":            true,
	"FailedOperation.dealCreateWhitelistError": true,
}

// ProvesTokenUnused reports whether an error answered to a CreateInstance or
// RenewInstance resent with its ClientToken proves that the token never bought anything.
func ProvesTokenUnused(code string) bool { return refusalsOfAPurchase[code] }
