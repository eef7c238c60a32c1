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

// Notifier queues a webhook notification inside the transaction of the
// change it reports. Delivery happens later, in a job with its own retries,
// so a slow or broken webhook never holds up a decision.
type Notifier interface {
	EnqueueNotice(ctx context.Context, tx pgx.Tx, n Notice) error
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
)

// Notice is one notification: the facts as they were when the change
// committed. It holds no URL: the job reads the policy's webhook when it
// delivers, so a URL carrying a token is not copied into the job queue, and
// an admin who fixes a broken URL fixes the retries too.
type Notice struct {
	Event        NoticeEvent
	PolicyID     int64
	OrderID      int64
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
}
