package templates

import (
	"context"
	"strconv"
	"time"

	"dealdesk/internal/i18n"
)

// SendView is what an order page shows about sending: how to start it, how
// it went, how to settle an unknown outcome, and every attempt with its
// exact bytes.
type SendView struct {
	OrderID   int64
	CSRFToken string
	// Status is the order's status; the section shows only from approved on.
	Status string
	// Resendable says the product's orders carry a ClientToken, so an
	// unknown outcome is settled by resending (the product's
	// UsesClientToken); otherwise a person records what they found.
	Resendable bool
	// HasDeals says the product's purchases appear as deals with
	// DealNames, which the settle form asks for.
	HasDeals bool
	// ParamsSHA256 goes back with "Send now", so a page showing one version
	// cannot send another.
	ParamsSHA256 string
	// AutoSend says whether the order's policy sends once approved.
	AutoSend bool
	// SendQueued says a send job for the order is queued or running;
	// CanSendNow offers "Send now" (no send waiting, and the viewer is the
	// requester, an approver or an admin).
	SendQueued bool
	CanSendNow bool
	Outcome    SendOutcomeView
	// CanSettle offers the settle forms (approvers and admins, unknown
	// orders and orders awaiting payment); ClientToken is the billing
	// order's, named in the resend.
	CanSettle   bool
	ClientToken string
	// ResendBlocked says why the last resend of a billing order settled
	// nothing for a reason of Dealdesk's own (the first call's key is gone,
	// the account is disabled); empty otherwise.
	ResendBlocked string
	Settle        SettleForm
	// Bill is the latest look at the bill for an unknown order (nil: none yet).
	Bill *BillLookupView
	// FormError is a refusal of a send or settle POST (the order moved on).
	FormError string
	Attempts  []SendAttemptView
	// Sandbox is true when the console sends to its in-process sandbox:
	// each attempt shows what the sandbox received.
	Sandbox bool
}

// Shown reports whether the order has reached sending at all.
func (v SendView) Shown() bool {
	switch v.Status {
	case "approved", "sending", "succeeded", "failed", "unknown", "awaiting_payment":
		return true
	}
	return false
}

func (v SendView) path(action string) string { return OrderPath(v.OrderID) + "/" + action }

// SendOutcomeView is what the last send came to, as stored on the order.
type SendOutcomeView struct {
	// Outcome is tcapi's class of the last call ("succeeded", "rejected",
	// "unknown", "needs_review", …) or "settled_by_hand".
	Outcome  string
	Attempts int
	SentAt   time.Time
	// FinishedAt is when sending ended (zero while it has not).
	FinishedAt     time.Time
	RequestID      string
	ErrorCode      string
	ErrorMessage   string
	DealNames      []string
	BigDealID      string
	InstanceIDs    []string
	BillingOrderID string
	// Response is the whole answer, indented.
	Response string
	// English and Chinese explain ErrorCode from the error catalog; empty
	// for a code the catalog does not know (such as Dealdesk's own).
	English string
	Chinese string
	// SettlementNote is what a person recorded when settling by hand.
	SettlementNote string
}

// SettledByHand reports whether a person recorded the outcome.
func (o SendOutcomeView) SettledByHand() bool { return o.Outcome == "settled_by_hand" }

// PaymentRecorded reports whether an approver recorded that a deal left
// awaiting payment was paid or abandoned.
func (o SendOutcomeView) PaymentRecorded() bool { return o.Outcome == "payment_recorded" }

// SettleForm is the "record what you found" form, as typed.
type SettleForm struct {
	// Result is "succeeded", "failed" or "" (not chosen).
	Result    string
	DealNames string
	Note      string
	Errors    map[string]string
}

// SendAttemptView is one call made for the order.
type SendAttemptView struct {
	Attempt    int
	StartedAt  time.Time
	FinishedAt time.Time
	Replica    string
	// SecretID is the masked SecretId that signed the call; empty when the
	// call never started.
	SecretID   string
	Outcome    string
	RequestID  string
	HTTPStatus int
	ErrorCode  string
	// ErrorMessage is the service's message, or the console's own account
	// (an interrupted call, credentials that would not open).
	ErrorMessage string
	// ApprovedSHA256 is the hash the order carried when the attempt began
	// (the approved one); SentSHA256 is computed from Sent when the page is
	// drawn, so the page checks the promise itself instead of repeating a
	// stored verdict. Empty when no bytes were recorded (see SentUnrecorded).
	ApprovedSHA256 string
	SentSHA256     string
	Sent           string
	Received       string
	// SandboxCall is what the sandbox recorded for this attempt (sandbox
	// mode only); nil when it has no record of it. MatchedBy says how the
	// record was found: "RequestId" or "body and time".
	SandboxCall *SandboxCallView
	MatchedBy   string
}

// SentUnrecorded reports whether bytes may have gone out that the record
// lacks: the call is still out, or its console died before recording it.
// Otherwise an attempt without bytes sent nothing.
func (a SendAttemptView) SentUnrecorded() bool {
	return a.Outcome == "" || a.Outcome == "interrupted"
}

// HashMatches reports whether the bytes sent hash to the approved hash.
func (a SendAttemptView) HashMatches() bool {
	return a.SentSHA256 != "" && a.SentSHA256 == a.ApprovedSHA256
}

// SandboxCallView is one call as the sandbox recorded it. The SecretId is
// masked; the sandbox never records a key or signature.
type SandboxCallView struct {
	Seq       int
	Time      time.Time
	Action    string
	SecretID  string
	Params    string
	Outcome   string
	RequestID string
	Bought    bool
	Orders    []string
}

// outcomeLabel says what an outcome class means for money.
func outcomeLabel(o string) string {
	switch o {
	case "succeeded":
		return "Succeeded"
	case "rejected":
		return "Refused by Tencent Cloud: nothing bought"
	case "throttled":
		return "Throttled: nothing bought; tried again later"
	case "not_sent":
		return "Not sent: nothing left the console"
	case "unknown":
		return "No clear answer: it may have bought"
	case "needs_review":
		return "Answer needs review: it may have bought"
	case "interrupted":
		return "Interrupted: the console stopped mid-call; it may have bought"
	case "settled_by_hand":
		return "Settled by hand"
	case "":
		return "No outcome recorded: the call may still be out, or its process stopped"
	}
	return o
}

// whenExact shows a time to the second, in the reader's zone with its
// abbreviation: attempts can be seconds apart.
func whenExact(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(i18n.From(ctx).Zone()).Format("2006-01-02 15:04:05 MST")
}

func attemptID(n int) string { return "send-attempt-" + strconv.Itoa(n) }

// BillLookupView is what the periodic lookup of an unknown order found on
// the bill (Billing DescribeDealsByCond) and what it proposes.
type BillLookupView struct {
	ID                     int64
	LookedUpAt, CheckedAt  time.Time
	WindowStart, WindowEnd string
	// Proposal is bought, not_bought, ambiguous, waiting, failed or none.
	Proposal  string
	DealNames []string
	Reason    string
	Calls     int
	Deals     []BillDealView
	// CanConfirm offers the one-click confirmation (approvers and admins,
	// a bought or not-bought proposal).
	CanConfirm bool
}

// Headline says the proposal in a few words.
func (v BillLookupView) Headline() string {
	switch v.Proposal {
	case "bought":
		return "The bill shows it was bought"
	case "not_bought":
		return "The bill shows no such purchase"
	case "ambiguous":
		return "The bill is ambiguous: a person must decide"
	case "waiting":
		return "Nothing on the bill yet"
	case "failed":
		return "The bill could not be looked up"
	}
	return "Looked up on the bill"
}

// BillDealView is one deal found in the window.
type BillDealView struct {
	OrderID, BigDealID, ProductCode, SubProductCode, Action, CreateTime string
	Status                                                              string
	Cost                                                                string
	Resources                                                           string
	Matches                                                             bool
	ClaimedBy                                                           string
}
