package orders

import (
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
	// Sent is what the last send came to (zero before the first).
	Sent db.SendOutcome
}

func orderFrom(o db.Order) Order {
	return Order{
		ID: o.ID, Product: Product(o.Product), AccountID: o.AccountID, Region: o.Region,
		Title: o.Title, Justification: o.Justification, Params: o.Params, ParamsSHA256: o.ParamsSHA256,
		PurchaseFingerprint: o.PurchaseFingerprint, PurchaseTargets: o.PurchaseTargets,
		Version: o.Version, Status: Status(o.Status), RequesterID: o.RequesterID,
		ClientToken: o.ClientToken, ClonedFromID: o.ClonedFromID, RenewalOfID: o.RenewalOfID,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, StatusChangedAt: o.StatusChangedAt,
		Sent: o.SendOutcome,
	}
}

func ordersFrom(rows []db.Order) []Order {
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
	for _, r := range a.Roles {
		if r == string(role) {
			return true
		}
	}
	return false
}
