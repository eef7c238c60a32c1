package orders

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// SendEnqueuer starts the send of an approved order. It is called inside the
// transaction that approves the order, so the send is queued if and only if
// the approval commits: a rolled-back approval leaves no job behind, and a
// committed one cannot lose its job. The sending issue implements it with
// River's InsertTx.
type SendEnqueuer interface {
	EnqueueSend(ctx context.Context, tx pgx.Tx, o Order) error
}

// Notifier queues a notification inside the transaction of the change it
// reports: to the policy's webhook (Notice.Webhook) and to the people it
// concerns. Delivery happens later, in a job per channel with its own
// retries, so a slow or broken channel never holds up a decision.
type Notifier interface {
	EnqueueNotice(ctx context.Context, tx pgx.Tx, n Notice) error
}

// PeopleNotifier is a Notifier that also tells people directly (e-mail):
// then a notice is worth building even under a policy without a webhook.
type PeopleNotifier interface {
	NotifiesPeople() bool
}

// listens reports whether a notice under p would reach anyone through n.
func listens(n Notifier, p Policy) bool {
	if n == nil {
		return false
	}
	if p.WebhookURL != "" {
		return true
	}
	pn, ok := n.(PeopleNotifier)
	return ok && pn.NotifiesPeople()
}

// Hooks connect the workflow to the job queue. Either may be nil: then
// approved orders wait for a person to send them, and nobody is notified.
type Hooks struct {
	Send   SendEnqueuer
	Notify Notifier
}

// WithHooks returns a copy of the service that calls h. The copy shares the
// pool; the original is unchanged, so a service is never rewired while in use.
func (s *Service) WithHooks(h Hooks) *Service {
	c := *s
	c.hooks = h
	return &c
}

// NoticeEvent is what a notification reports.
type NoticeEvent string

// The events a policy's webhook hears about.
const (
	NoticeNeedsApproval NoticeEvent = "needs_approval"
	NoticeApproved      NoticeEvent = "approved"
	NoticeRejected      NoticeEvent = "rejected"
	// The outcomes of a send, however reached (the call's answer, a late
	// answer, a resend): OutcomeNotice builds them.
	NoticeSucceeded       NoticeEvent = "succeeded"
	NoticeFailed          NoticeEvent = "failed"
	NoticeUnknown         NoticeEvent = "unknown"
	NoticeAwaitingPayment NoticeEvent = "awaiting_payment"
	// NoticeProposal: the bill proposes how to settle an unknown order.
	NoticeProposal NoticeEvent = "reconciliation_proposed"
	// NoticeRenewalDue: a purchase expires soon and its renewal is drafted.
	NoticeRenewalDue NoticeEvent = "renewal_due"
	// NoticeApprovalExpiring: an approved order's approval expires soon
	// (Expires); NoticeApprovalExpired: it did, and the order waits for
	// approval again. Both go to the requester and the approvers.
	NoticeApprovalExpiring NoticeEvent = "approval_expiring"
	NoticeApprovalExpired  NoticeEvent = "approval_expired"
	// NoticeDeliveryShortOfFunds: at its delivery time the account's
	// balance (Balance) was less than the order's estimate (Needed) plus
	// what is approved and waiting (Committed); nothing was sent, the order
	// stays approved. To the requester and the approvers.
	NoticeDeliveryShortOfFunds NoticeEvent = "delivery_short_of_funds"
)

// Notice is one notification: the facts as they were when the change
// committed. It holds no URL: the job reads the policy's webhook when it
// delivers, so a URL carrying a token is not copied into the job queue, and
// an admin who fixes a broken URL fixes the retries too.
type Notice struct {
	Event    NoticeEvent
	PolicyID int64
	// Webhook says the policy has a webhook to tell (when the notice was
	// made; the job reads the policy's address when it delivers).
	Webhook bool `json:",omitempty"`
	OrderID int64
	// RequesterID and ActorID say whom an e-mail concerns (the requester)
	// and who need not hear of their own decision (the actor; 0: Dealdesk).
	RequesterID  int64 `json:",omitempty"`
	ActorID      int64 `json:",omitempty"`
	Version      int
	ParamsSHA256 string
	Product      Product
	Title        string
	// Summary is the order in a buyer's words (Order.Summary's headline).
	Summary       string
	AccountName   string
	RequesterName string
	// ActorName is who submitted, or who made the deciding decision.
	ActorName string
	// Comment is the deciding approver's comment (a rejection's reason).
	Comment   string
	Approvals int
	Required  int
	// DealNames and InstanceIDs are what a send bought, for its outcome's
	// notice.
	DealNames   []string `json:",omitempty"`
	InstanceIDs []string `json:",omitempty"`
	// Explanation is the catalog's explanation of a failed or unknown
	// outcome (the recorded message), with its error code.
	Explanation string `json:",omitempty"`
	ErrorCode   string `json:",omitempty"`
	// Proposal is a bill lookup's proposal (bought, not_bought).
	Proposal string `json:",omitempty"`
	// Expires is when the instance a renewal_due notice renews expires,
	// or when an approval expires (UTC, to the minute).
	Expires string `json:",omitempty"`
	// ApproverIDs are the people whose approvals an approval_expiring or
	// approval_expired notice is about: they hear of it by e-mail.
	ApproverIDs []int64 `json:",omitempty"`
	// Balance, Needed and Committed are a delivery_short_of_funds
	// notice's amounts (formatted CNY).
	Balance   string `json:",omitempty"`
	Needed    string `json:",omitempty"`
	Committed string `json:",omitempty"`
}
