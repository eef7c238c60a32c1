package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// ApprovalPolicy is a stored approval policy. AccountID 0 means the policy
// covers every account of its product that has no policy of its own.
type ApprovalPolicy struct {
	ID                int64
	Product           string
	AccountID         int64
	AccountName       string
	RequiredApprovers int
	AutoSend          bool
	WebhookURL        string
	WebhookFormat     string
	// RulesVersion goes up with every change to the policy's rules.
	RulesVersion int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ApprovalPolicyInput is what an admin sets on a policy.
type ApprovalPolicyInput struct {
	Product           string
	AccountID         int64 // 0: every account of the product
	RequiredApprovers int
	AutoSend          bool
	WebhookURL        string
	WebhookFormat     string
}

func approvalPolicyFrom(p sqlcgen.ApprovalPolicy, accountName string) ApprovalPolicy {
	return ApprovalPolicy{
		ID: p.ID, Product: p.Product, AccountID: deref(p.AccountID), AccountName: accountName,
		RequiredApprovers: int(p.RequiredApprovers), AutoSend: p.AutoSend,
		WebhookURL: p.WebhookUrl, WebhookFormat: p.WebhookFormat, RulesVersion: int(p.RulesVersion),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

// ListApprovalPolicies lists every policy, product-wide ones first.
func ListApprovalPolicies(ctx context.Context, q DBTX) ([]ApprovalPolicy, error) {
	rows, err := queries.ListApprovalPolicies(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list approval policies: %w", Translate(err))
	}
	out := make([]ApprovalPolicy, len(rows))
	for i, r := range rows {
		out[i] = approvalPolicyFrom(r.ApprovalPolicy, r.AccountName)
	}
	return out, nil
}

// GetApprovalPolicy reads one policy; ErrNotFound when there is none.
func GetApprovalPolicy(ctx context.Context, q DBTX, id int64) (ApprovalPolicy, error) {
	r, err := queries.GetApprovalPolicy(ctx, q, id)
	if err != nil {
		return ApprovalPolicy{}, fmt.Errorf("db: get approval policy %d: %w", id, Translate(err))
	}
	return approvalPolicyFrom(r.ApprovalPolicy, r.AccountName), nil
}

// ApprovalPoliciesFor returns the account's own policy and its product's,
// those that exist, in no particular order.
func ApprovalPoliciesFor(ctx context.Context, q DBTX, product string, accountID int64) ([]ApprovalPolicy, error) {
	rows, err := queries.ApprovalPoliciesFor(ctx, q, sqlcgen.ApprovalPoliciesForParams{Product: product, AccountID: &accountID})
	if err != nil {
		return nil, fmt.Errorf("db: approval policies for %s/%d: %w", product, accountID, Translate(err))
	}
	out := make([]ApprovalPolicy, len(rows))
	for i, r := range rows {
		out[i] = approvalPolicyFrom(r.ApprovalPolicy, r.AccountName)
	}
	return out, nil
}

// InsertApprovalPolicy stores a policy and returns its id; ErrConflict when
// the product (and account) already has one.
func InsertApprovalPolicy(ctx context.Context, q DBTX, in ApprovalPolicyInput) (int64, error) {
	id, err := queries.InsertApprovalPolicy(ctx, q, sqlcgen.InsertApprovalPolicyParams{
		Product: in.Product, AccountID: optional(in.AccountID), RequiredApprovers: int32Of(in.RequiredApprovers),
		AutoSend: in.AutoSend, WebhookUrl: in.WebhookURL, WebhookFormat: in.WebhookFormat,
	})
	if err != nil {
		return 0, fmt.Errorf("db: insert approval policy: %w", Translate(err))
	}
	return id, nil
}

// UpdateApprovalPolicy replaces a policy's settings; ErrNotFound when it is
// gone, ErrConflict when another policy already covers the new scope.
func UpdateApprovalPolicy(ctx context.Context, q DBTX, id int64, in ApprovalPolicyInput) error {
	n, err := queries.UpdateApprovalPolicy(ctx, q, sqlcgen.UpdateApprovalPolicyParams{
		ID: id, Product: in.Product, AccountID: optional(in.AccountID), RequiredApprovers: int32Of(in.RequiredApprovers),
		AutoSend: in.AutoSend, WebhookUrl: in.WebhookURL, WebhookFormat: in.WebhookFormat,
	})
	if err != nil {
		return fmt.Errorf("db: update approval policy %d: %w", id, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: update approval policy %d: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteApprovalPolicy removes a policy; ErrNotFound when it is gone.
func DeleteApprovalPolicy(ctx context.Context, q DBTX, id int64) error {
	n, err := queries.DeleteApprovalPolicy(ctx, q, id)
	if err != nil {
		return fmt.Errorf("db: delete approval policy %d: %w", id, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: delete approval policy %d: %w", id, ErrNotFound)
	}
	return nil
}
