package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// Approval is one person's decision on one version of an order.
type Approval struct {
	ID           int64
	OrderID      int64
	Version      int
	ParamsSHA256 string
	ApproverID   int64
	// ApproverUsername and ApproverName are filled by ListApprovals.
	ApproverUsername string
	ApproverName     string
	Decision         string // "approve" or "reject"
	Comment          string
	DecidedAt        time.Time
	// DuplicatesChecked lists the matching orders the approver confirmed
	// this one does not duplicate (migration 011).
	DuplicatesChecked []int64
	// EstimateFen is the order's estimate the decision was made at
	// (migration 019); nil for "no estimate".
	EstimateFen *int64
	// Stage is the stage of the order's rule the approval counted in, and
	// Rule that rule as pinned (JSON; nil before migration 026).
	Stage int
	Rule  []byte
	// Round is the order's approval round the decision was given in
	// (migration 028): only the current round counts.
	Round int
}

// NewApproval is what InsertApproval stores.
type NewApproval struct {
	OrderID      int64
	Version      int
	ParamsSHA256 string
	ApproverID   int64
	Decision     string
	Comment      string
	// DuplicatesChecked: see Approval.
	DuplicatesChecked []int64
	// Stage and Rule: see Approval (stage 0 stores 1).
	Stage int
	Rule  []byte
}

// OrderVersion is what one version of an order said.
type OrderVersion struct {
	OrderID       int64
	Version       int
	AccountID     int64
	Region        string
	Title         string
	Justification string
	Params        []byte
	ParamsSHA256  string
	CreatedAt     time.Time
	// SubmittedAt is zero for a version never put before approvers.
	SubmittedAt time.Time
}

// WaitingOrder is an order in someone's approvals inbox.
type WaitingOrder struct {
	Order         OrderRow
	RequesterName string
	AccountName   string
	// Approvals counts the distinct approvers of the current version.
	Approvals int
	// PinnedRule is the rule the order was pinned to (JSON), nil if none.
	PinnedRule []byte
}

// OrderNames are the names an order's pages show beside its ids.
type OrderNames struct {
	RequesterName     string
	RequesterUsername string
	AccountName       string
	AccountDisabled   bool
}

func approvalFrom(a sqlcgen.Approval) Approval {
	return Approval{
		ID: a.ID, OrderID: a.OrderID, Version: int(a.Version), ParamsSHA256: a.ParamsSha256,
		ApproverID: a.ApproverID, Decision: a.Decision, Comment: a.Comment, DecidedAt: a.DecidedAt,
		DuplicatesChecked: a.DuplicatesChecked, EstimateFen: a.EstimateFen, Stage: int(a.Stage), Rule: a.Rule, Round: int(a.Round),
	}
}

// InsertApproval records a decision. ErrConflict when the approver already
// decided on this version.
func InsertApproval(ctx context.Context, q DBTX, a NewApproval) (Approval, error) {
	row, err := queries.InsertApproval(ctx, q, sqlcgen.InsertApprovalParams{
		OrderID: a.OrderID, Version: int32Of(a.Version), ParamsSha256: a.ParamsSHA256,
		ApproverID: a.ApproverID, Decision: a.Decision, Comment: a.Comment,
		DuplicatesChecked: emptyIfNil(a.DuplicatesChecked), Stage: int32Of(max(a.Stage, 1)), Rule: a.Rule,
	})
	if err != nil {
		return Approval{}, fmt.Errorf("db: insert approval: %w", Translate(err))
	}
	return approvalFrom(row), nil
}

// CountApprovers counts the distinct people who approved exactly this
// version and hash of an order.
func CountApprovers(ctx context.Context, q DBTX, orderID int64, version int, hash string) (int, error) {
	n, err := queries.CountApprovers(ctx, q, sqlcgen.CountApproversParams{
		OrderID: orderID, Version: int32Of(version), ParamsSha256: hash,
	})
	if err != nil {
		return 0, fmt.Errorf("db: count approvers: %w", Translate(err))
	}
	return int(n), nil
}

// ListApprovals lists every decision on an order, oldest first.
func ListApprovals(ctx context.Context, q DBTX, orderID int64) ([]Approval, error) {
	rows, err := queries.ListApprovals(ctx, q, orderID)
	if err != nil {
		return nil, fmt.Errorf("db: list approvals: %w", Translate(err))
	}
	out := make([]Approval, len(rows))
	for i, r := range rows {
		out[i] = approvalFrom(r.Approval)
		out[i].ApproverUsername, out[i].ApproverName = r.ApproverUsername, r.ApproverName
	}
	return out, nil
}

// ListOrderVersions lists what every version of an order said, oldest first.
func ListOrderVersions(ctx context.Context, q DBTX, orderID int64) ([]OrderVersion, error) {
	rows, err := queries.ListOrderVersions(ctx, q, orderID)
	if err != nil {
		return nil, fmt.Errorf("db: list order versions: %w", Translate(err))
	}
	out := make([]OrderVersion, len(rows))
	for i, r := range rows {
		out[i] = OrderVersion{
			OrderID: r.OrderID, Version: int(r.Version), AccountID: r.AccountID, Region: r.Region,
			Title: r.Title, Justification: r.Justification, Params: r.Params, ParamsSHA256: r.ParamsSha256,
			CreatedAt: r.CreatedAt, SubmittedAt: deref(r.SubmittedAt),
		}
	}
	return out, nil
}

// MarkVersionSubmitted records when a version was first submitted.
func MarkVersionSubmitted(ctx context.Context, q DBTX, orderID int64, version int) error {
	err := queries.MarkVersionSubmitted(ctx, q, sqlcgen.MarkVersionSubmittedParams{OrderID: orderID, Version: int32Of(version)})
	if err != nil {
		return fmt.Errorf("db: mark version submitted: %w", Translate(err))
	}
	return nil
}

// ListWaitingForApprover lists the orders waiting for this approver's
// decision now (the stage waiting is theirs to decide), oldest first.
// isAdmin says whether they hold the admin role, which some rules exclude.
func ListWaitingForApprover(ctx context.Context, q DBTX, approverID int64, isAdmin bool, limit int) ([]WaitingOrder, error) {
	rows, err := queries.ListWaitingForApprover(ctx, q, sqlcgen.ListWaitingForApproverParams{
		ApproverID: approverID, ViewerIsAdmin: isAdmin, MaxRows: int32Of(limit),
	})
	if err != nil {
		return nil, fmt.Errorf("db: list approvals inbox: %w", Translate(err))
	}
	out := make([]WaitingOrder, len(rows))
	for i, r := range rows {
		out[i] = WaitingOrder{Order: r.Order, RequesterName: r.RequesterName,
			AccountName: r.AccountName, Approvals: int(r.Approvals), PinnedRule: r.PinnedRule}
	}
	return out, nil
}

// CountWaitingForApprover counts what ListWaitingForApprover would list.
// It stops at limit.
func CountWaitingForApprover(ctx context.Context, q DBTX, approverID int64, isAdmin bool, limit int) (int, error) {
	n, err := queries.CountWaitingForApprover(ctx, q, sqlcgen.CountWaitingForApproverParams{ApproverID: approverID, ViewerIsAdmin: isAdmin, MaxRows: int32Of(limit)})
	if err != nil {
		return 0, fmt.Errorf("db: count approvals inbox: %w", Translate(err))
	}
	return int(n), nil
}

// GetOrderNames returns the requester's and the account's names.
func GetOrderNames(ctx context.Context, q DBTX, orderID int64) (OrderNames, error) {
	r, err := queries.GetOrderNames(ctx, q, orderID)
	if err != nil {
		return OrderNames{}, fmt.Errorf("db: order %d names: %w", orderID, Translate(err))
	}
	return OrderNames{RequesterName: r.RequesterName, RequesterUsername: r.RequesterUsername, AccountName: r.AccountName,
		AccountDisabled: r.AccountDisabled}, nil
}
