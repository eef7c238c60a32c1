package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db/sqlcgen"
)

// ErrStale means a conditional update matched nothing: the row is no longer
// in the state (status, version) the caller saw. Someone else won.
var ErrStale = errors.New("db: the row changed since it was read")

// OrderRow is an order as sqlc reads it. The domain's model is
// orders.Order, and orders.orderFrom is the one mapping between them: db
// hands the row over as it came, so there is no second hand-written copy
// of the order here.
type OrderRow = sqlcgen.Order

// SendOutcome is what the last send of an order came to.
type SendOutcome struct {
	SendAttempts   int
	SentAt         *time.Time
	FinishedAt     *time.Time
	Outcome        string
	RequestID      string
	ErrorCode      string
	ErrorMessage   string
	Response       []byte // the whole answer, JSON
	DealNames      []string
	BigDealID      string
	InstanceIDs    []string
	BillingOrderID string
	SettlementNote string
}

// NewOrder is what InsertOrder needs.
type NewOrder struct {
	Product       string
	AccountID     int64
	Region        string
	Title         string
	Justification string
	Params        []byte
	ParamsSHA256  string
	PurchaseKey
	RequesterID  int64
	ClientToken  string // billing only
	ClonedFromID int64  // 0: none
	RenewalOfID  int64  // 0: none
}

// OrderContent is the part of an order an edit replaces.
type OrderContent struct {
	AccountID     int64
	Region        string
	Title         string
	Justification string
	Params        []byte
	ParamsSHA256  string
	PurchaseKey
}

// PurchaseKey is what the duplicate guard compares orders by.
type PurchaseKey struct {
	Fingerprint string
	Targets     []string
}

// OrderAccount is an account as the order form lists it.
type OrderAccount struct {
	ID      int64
	Name    string
	Sandbox bool
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optional turns a zero value into SQL NULL.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// InsertOrder stores a new draft.
func InsertOrder(ctx context.Context, q DBTX, o NewOrder) (OrderRow, error) {
	row, err := queries.InsertOrder(ctx, q, sqlcgen.InsertOrderParams{
		Product: o.Product, AccountID: o.AccountID, Region: o.Region, Title: o.Title,
		Justification: o.Justification, Params: o.Params, ParamsSha256: o.ParamsSHA256,
		PurchaseFingerprint: o.Fingerprint, PurchaseTargets: emptyIfNil(o.Targets),
		RequesterID: o.RequesterID, ClientToken: optional(o.ClientToken),
		ClonedFromID: optional(o.ClonedFromID), RenewalOfID: optional(o.RenewalOfID),
	})
	if err != nil {
		return OrderRow{}, fmt.Errorf("db: insert order: %w", Translate(err))
	}
	return row, nil
}

// GetOrder reads one order; ErrNotFound when there is none.
func GetOrder(ctx context.Context, q DBTX, id int64) (OrderRow, error) {
	row, err := queries.GetOrder(ctx, q, id)
	if err != nil {
		return OrderRow{}, fmt.Errorf("db: get order %d: %w", id, Translate(err))
	}
	return row, nil
}

// UpdateOrderContent replaces an order's content if it is still at version
// and in one of the editable statuses, returning it to draft with version+1.
// ErrStale when it is not.
func UpdateOrderContent(ctx context.Context, q DBTX, id int64, version int, editable []string, c OrderContent) (OrderRow, error) {
	row, err := queries.UpdateOrderContent(ctx, q, sqlcgen.UpdateOrderContentParams{
		ID: id, Version: int32Of(version), Editable: editable,
		AccountID: c.AccountID, Region: c.Region, Title: c.Title, Justification: c.Justification,
		Params: c.Params, ParamsSha256: c.ParamsSHA256,
		PurchaseFingerprint: c.Fingerprint, PurchaseTargets: emptyIfNil(c.Targets),
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return OrderRow{}, fmt.Errorf("db: update order %d: %w", id, ErrStale)
	}
	if err != nil {
		return OrderRow{}, fmt.Errorf("db: update order %d: %w", id, Translate(err))
	}
	return row, nil
}

// TransitionOrder moves an order from one status to another, only if it is
// in from. ErrStale when it is not (someone else moved it first).
func TransitionOrder(ctx context.Context, q DBTX, id int64, from, to string) (OrderRow, error) {
	row, err := queries.TransitionOrder(ctx, q, sqlcgen.TransitionOrderParams{ID: id, FromStatus: from, ToStatus: to})
	if errors.Is(err, pgx.ErrNoRows) {
		return OrderRow{}, fmt.Errorf("db: order %d %s → %s: %w", id, from, to, ErrStale)
	}
	if err != nil {
		return OrderRow{}, fmt.Errorf("db: order %d %s → %s: %w", id, from, to, Translate(err))
	}
	return row, nil
}

// DeleteDraftOrder removes an order that is still a draft. ErrStale when it
// is not a draft (any more).
func DeleteDraftOrder(ctx context.Context, q DBTX, id int64) error {
	n, err := queries.DeleteDraftOrder(ctx, q, id)
	if err != nil {
		return fmt.Errorf("db: delete order %d: %w", id, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: delete order %d: %w", id, ErrStale)
	}
	return nil
}

// ListOrdersForRequester lists one person's orders, newest first; status ""
// means any.
func ListOrdersForRequester(ctx context.Context, q DBTX, requesterID int64, status string, limit int) ([]OrderRow, error) {
	rows, err := queries.ListOrdersForRequester(ctx, q, sqlcgen.ListOrdersForRequesterParams{
		RequesterID: requesterID, Status: optional(status), MaxRows: int32Of(limit),
	})
	if err != nil {
		return nil, fmt.Errorf("db: list orders: %w", Translate(err))
	}
	return rows, nil
}

// ListOrdersByStatus lists the orders in one status, newest first.
func ListOrdersByStatus(ctx context.Context, q DBTX, status string, limit int) ([]OrderRow, error) {
	rows, err := queries.ListOrdersByStatus(ctx, q, sqlcgen.ListOrdersByStatusParams{Status: status, MaxRows: int32Of(limit)})
	if err != nil {
		return nil, fmt.Errorf("db: list orders: %w", Translate(err))
	}
	return rows, nil
}

// ListOrderAccounts lists the enabled accounts an order can use.
func ListOrderAccounts(ctx context.Context, q DBTX) ([]OrderAccount, error) {
	rows, err := queries.ListOrderAccounts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list accounts: %w", Translate(err))
	}
	out := make([]OrderAccount, len(rows))
	for i, r := range rows {
		out[i] = OrderAccount{ID: r.ID, Name: r.Name, Sandbox: r.Sandbox}
	}
	return out, nil
}

// OrderAccountUsable reports whether an account exists and is enabled.
func OrderAccountUsable(ctx context.Context, q DBTX, id int64) (bool, error) {
	ok, err := queries.OrderAccountUsable(ctx, q, id)
	if err != nil {
		return false, fmt.Errorf("db: check account: %w", Translate(err))
	}
	return ok, nil
}

// UnlinkClones clears cloned_from_id on the clones of an order, so the
// order (a draft) can be deleted.
func UnlinkClones(ctx context.Context, q DBTX, id int64) error {
	if err := queries.UnlinkClones(ctx, q, &id); err != nil {
		return fmt.Errorf("db: unlink clones of order %d: %w", id, Translate(err))
	}
	return nil
}

// emptyIfNil gives SQL an empty array, never NULL, for a nil slice.
func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// PurchaseMatch is an order that may already buy what another buys.
type PurchaseMatch struct {
	ID              int64
	Title           string
	Status          string
	StatusChangedAt time.Time
	FinishedAt      *time.Time
	// SamePurchase: the same fingerprint; SameTarget: a shared target.
	SamePurchase bool
	SameTarget   bool
}

// ListPurchaseMatches lists the other orders (not excludeID) of the same
// account and product with the same fingerprint or a shared target that are
// sending, unknown, approved, or succeeded less than window ago by the
// database's clock, oldest first.
func ListPurchaseMatches(ctx context.Context, q DBTX, excludeID, accountID int64, product string, k PurchaseKey, window time.Duration) ([]PurchaseMatch, error) {
	rows, err := queries.ListPurchaseMatches(ctx, q, sqlcgen.ListPurchaseMatchesParams{
		Fingerprint: k.Fingerprint, Targets: emptyIfNil(k.Targets), ExcludeID: excludeID,
		AccountID: accountID, Product: product, WindowSeconds: window.Seconds(),
	})
	if err != nil {
		return nil, fmt.Errorf("db: list purchase matches: %w", Translate(err))
	}
	out := make([]PurchaseMatch, len(rows))
	for i, r := range rows {
		out[i] = PurchaseMatch{ID: r.ID, Title: r.Title, Status: r.Status, StatusChangedAt: r.StatusChangedAt,
			FinishedAt: r.FinishedAt, SamePurchase: r.SamePurchase, SameTarget: r.SameTarget}
	}
	return out, nil
}

// SetOrderDelivery sets (or, with a nil at, clears) when an order is to be
// bought. ErrNotFound when the order is past being sent.
func SetOrderDelivery(ctx context.Context, q DBTX, orderID int64, at *time.Time) (OrderRow, error) {
	row, err := queries.SetOrderDelivery(ctx, q, sqlcgen.SetOrderDeliveryParams{ID: orderID, DeliverAt: at})
	if err != nil {
		return OrderRow{}, fmt.Errorf("db: set the delivery of order %d: %w", orderID, Translate(err))
	}
	return row, nil
}
