package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db/sqlcgen"
)

// InstanceExpiry is one purchased instance or environment and when it
// expires (migration 024).
type InstanceExpiry struct {
	ID              int64
	AccountID       int64
	Product         string
	Target          string
	BoughtByOrderID int64
	LastOrderID     int64
	ExpiresAt       time.Time
	AutoRenew       bool
	// TermStart is when the last order's term began (migration 029); zero
	// for a row recorded before it was kept.
	TermStart time.Time
}

func instanceExpiryFrom(r sqlcgen.InstanceExpiry) InstanceExpiry {
	e := InstanceExpiry{ID: r.ID, AccountID: r.AccountID, Product: r.Product, Target: r.Target,
		BoughtByOrderID: r.BoughtByOrderID, LastOrderID: r.LastOrderID, ExpiresAt: r.ExpiresAt, AutoRenew: r.AutoRenew}
	if r.TermStart != nil {
		e.TermStart = *r.TermStart
	}
	return e
}

// LockInstanceExpiry reads an instance's expiry and holds its row until tx
// ends; ok is false when the console does not know the instance yet.
func LockInstanceExpiry(ctx context.Context, tx DBTX, accountID int64, target string) (e InstanceExpiry, ok bool, err error) {
	r, err := queries.LockInstanceExpiry(ctx, tx, sqlcgen.LockInstanceExpiryParams{AccountID: accountID, Target: target})
	if errors.Is(err, pgx.ErrNoRows) {
		return InstanceExpiry{}, false, nil
	}
	if err != nil {
		return InstanceExpiry{}, false, fmt.Errorf("db: lock instance expiry: %w", Translate(err))
	}
	return instanceExpiryFrom(r), true, nil
}

// SaveInstanceExpiry records an instance's expiry: a new row keeps e's
// product and buying order; an existing one takes e's last order, expiry
// and auto-renewal.
func SaveInstanceExpiry(ctx context.Context, tx DBTX, e InstanceExpiry) (InstanceExpiry, error) {
	p := sqlcgen.UpsertInstanceExpiryParams{
		AccountID: e.AccountID, Product: e.Product, Target: e.Target, BoughtByOrderID: e.BoughtByOrderID,
		LastOrderID: e.LastOrderID, ExpiresAt: e.ExpiresAt, AutoRenew: e.AutoRenew,
	}
	if !e.TermStart.IsZero() {
		p.TermStart = &e.TermStart
	}
	r, err := queries.UpsertInstanceExpiry(ctx, tx, p)
	if err != nil {
		return InstanceExpiry{}, fmt.Errorf("db: save instance expiry: %w", Translate(err))
	}
	return instanceExpiryFrom(r), nil
}

// ListDueRenewals lists up to max instances whose renewal is due at now
// (their account's lead time has begun) and not drafted for this expiry.
func ListDueRenewals(ctx context.Context, q DBTX, now time.Time, max int) ([]InstanceExpiry, error) {
	rows, err := queries.ListDueRenewals(ctx, q, sqlcgen.ListDueRenewalsParams{Now: now, MaxRows: int32Of(max)})
	if err != nil {
		return nil, fmt.Errorf("db: list due renewals: %w", Translate(err))
	}
	out := make([]InstanceExpiry, len(rows))
	for i, r := range rows {
		out[i] = instanceExpiryFrom(r)
	}
	return out, nil
}

// ClaimRenewalDraft records the renewal drafted for an instance's expiry;
// false means one already was (by this replica or another), and the
// caller's transaction must not keep its draft.
func ClaimRenewalDraft(ctx context.Context, tx DBTX, instanceID int64, expiresAt time.Time, orderID int64) (bool, error) {
	n, err := queries.ClaimRenewalDraft(ctx, tx, sqlcgen.ClaimRenewalDraftParams{InstanceID: instanceID, ExpiresAt: expiresAt, OrderID: &orderID})
	if err != nil {
		return false, fmt.Errorf("db: claim renewal draft: %w", Translate(err))
	}
	return n == 1, nil
}

// Expiring is one row of the Renewals page.
type Expiring struct {
	InstanceExpiry
	AccountName    string
	RequesterID    int64
	CostCentre     string
	RenewalOrderID int64 // 0: none drafted for this expiry
}

// ListExpiring lists what expires in [since, until), of one requester's
// purchases when requesterID is not 0.
func ListExpiring(ctx context.Context, q DBTX, since, until time.Time, requesterID int64, max int) ([]Expiring, error) {
	p := sqlcgen.ListExpiringParams{Since: since, Until: until, MaxRows: int32Of(max)}
	if requesterID != 0 {
		p.RequesterID = &requesterID
	}
	rows, err := queries.ListExpiring(ctx, q, p)
	if err != nil {
		return nil, fmt.Errorf("db: list expiring: %w", Translate(err))
	}
	out := make([]Expiring, len(rows))
	for i, r := range rows {
		out[i] = Expiring{
			InstanceExpiry: InstanceExpiry{ID: r.ID, AccountID: r.AccountID, Product: r.Product, Target: r.Target,
				BoughtByOrderID: r.BoughtByOrderID, LastOrderID: r.LastOrderID, ExpiresAt: r.ExpiresAt, AutoRenew: r.AutoRenew},
			AccountName: r.AccountName, RequesterID: r.RequesterID, CostCentre: r.CostCentre,
		}
		if r.RenewalOrderID != nil {
			out[i].RenewalOrderID = *r.RenewalOrderID
		}
	}
	return out, nil
}

// SetAccountRenewalLeadDays sets how many days before expiry an account's
// renewals are drafted.
func SetAccountRenewalLeadDays(ctx context.Context, tx DBTX, accountID int64, days int) error {
	if err := queries.SetAccountRenewalLeadDays(ctx, tx, sqlcgen.SetAccountRenewalLeadDaysParams{ID: accountID, Days: int32Of(days)}); err != nil {
		return fmt.Errorf("db: set renewal lead days: %w", Translate(err))
	}
	return nil
}
