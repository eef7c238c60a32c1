package orders

import (
	"slices"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
)

// Order is one purchase.
type Order struct {
	ID        int64
	Product   Product
	AccountID int64
	// Region is the X-TC-Region common parameter (WAF only).
	Region        string
	Title         string
	Justification string
	// Params are the canonical JSON body: the bytes approvers approve by
	// ParamsSHA256 and the sender sends.
	Params       []byte
	ParamsSHA256 string
	// PurchaseFingerprint and PurchaseTargets are its PurchaseKey, stored.
	PurchaseFingerprint string
	PurchaseTargets     []string
	// Version goes up with every edit; approvals name the version they saw.
	Version     int
	Status      Status
	RequesterID int64
	// ClientToken is CreateInstance's idempotency token (billing only).
	ClientToken     string
	ClonedFromID    int64
	RenewalOfID     int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	StatusChangedAt time.Time
	// ApprovalRound goes up each time the order's approvals expire and it
	// returns for approval: only approvals of the current round count.
	ApprovalRound int
	// ApprovalExpiredAt is when the approvals of ApprovalExpiredVersion
	// expired (zero if they never did): the page says why the order waits
	// for approval again.
	ApprovalExpiredAt      time.Time
	ApprovalExpiredVersion int
	// DeliverAt is when the order is to be bought, on or after (zero: as
	// soon as it is sent; delivery.go).
	DeliverAt time.Time
	// Sent is what the last send came to (zero before the first).
	Sent SendOutcome
}

// ApprovalExpired reports whether the order waits for approval again
// because the approvals of its current version expired, and when.
func (o Order) ApprovalExpired() (time.Time, bool) {
	ok := o.Status == StatusPendingApproval && !o.ApprovalExpiredAt.IsZero() && o.ApprovalExpiredVersion == o.Version
	return o.ApprovalExpiredAt, ok
}

// SendOutcome is what the last send of an order came to. It is declared
// once, at the storage boundary, where the sender writes it
// (db.RecordOrderOutcome); the domain names it for its callers.
type SendOutcome = db.SendOutcome

// SendAttempt is one call made for an order, with the bytes as evidence:
// a record read as it is stored, named here for the pages.
type SendAttempt = db.SendAttempt

// AccountChoice is an account as the order form lists it.
type AccountChoice = db.OrderAccount

// orderFrom is the one mapping from the stored row to the domain's Order.
func orderFrom(o db.OrderRow) Order {
	return Order{
		ID: o.ID, Product: Product(o.Product), AccountID: o.AccountID, Region: o.Region,
		Title: o.Title, Justification: o.Justification, Params: o.Params, ParamsSHA256: o.ParamsSha256,
		PurchaseFingerprint: o.PurchaseFingerprint, PurchaseTargets: o.PurchaseTargets,
		Version: int(o.Version), Status: Status(o.Status), RequesterID: o.RequesterID,
		ClientToken: deref(o.ClientToken), ClonedFromID: deref(o.ClonedFromID), RenewalOfID: deref(o.RenewalOfID),
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, StatusChangedAt: o.StatusChangedAt,
		ApprovalRound: int(o.ApprovalRound), ApprovalExpiredAt: deref(o.ApprovalExpiredAt),
		ApprovalExpiredVersion: int(deref(o.ApprovalExpiredVersion)), DeliverAt: deref(o.DeliverAt),
		Sent: SendOutcome{
			SendAttempts: int(o.SendAttempts), SentAt: o.SentAt, FinishedAt: o.FinishedAt,
			Outcome: o.Outcome, RequestID: o.RequestID, ErrorCode: o.ErrorCode, ErrorMessage: o.ErrorMessage,
			Response: o.Response, DealNames: o.DealNames, BigDealID: o.BigDealID, InstanceIDs: o.InstanceIds,
			BillingOrderID: o.BillingOrderID, SettlementNote: o.SettlementNote,
		},
	}
}

// deref reads a nullable column; NULL is the zero value.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ordersFrom(rows []db.OrderRow) []Order {
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = orderFrom(r)
	}
	return out
}

// PurchaseKey is what the duplicate guard compares the order by.
func (o Order) PurchaseKey() PurchaseKey {
	return PurchaseKey{Fingerprint: o.PurchaseFingerprint, Targets: o.PurchaseTargets}
}

// Subject names the order in the audit log.
func (o Order) Subject() string { return subject(o.ID) }

// Draft is what a person composes: everything an order holds that they choose.
type Draft struct {
	Product       Product
	AccountID     int64
	Region        string
	Title         string
	Justification string
	// Params is the request body as composed, in any JSON formatting; the
	// service stores its canonical form. For billing, any ClientToken in it
	// is replaced by the order's own.
	Params []byte
	// CostCentreID is the cost centre the order is charged to (0: none),
	// chosen from the list admins keep; budgets per cost centre count it.
	// It is kept beside the order, not in its parameters.
	CostCentreID int64
}

// Actor is who asks: a signed-in user (or the system, UserID 0) and where the
// request came from, for the audit log.
type Actor struct {
	UserID     int64
	Roles      []string
	RemoteAddr string
	RequestID  string
	// Via names the channel when it is not a page, such as the API token
	// the request came with; the audit log records it beside the actor.
	Via string
}

// Has reports whether the actor holds a role.
func (a Actor) Has(role auth.Role) bool {
	return slices.Contains(a.Roles, string(role))
}
