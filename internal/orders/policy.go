package orders

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// WebhookFormat is the body a policy's webhook expects.
type WebhookFormat string

// The webhook formats.
const (
	WebhookGeneric WebhookFormat = "generic" // Dealdesk's own JSON
	WebhookWeCom   WebhookFormat = "wecom"   // WeCom group robot, markdown message
	WebhookSlack   WebhookFormat = "slack"   // Slack incoming webhook
	// Chinese teams' group robots, markdown messages, signed when the
	// policy has a secret.
	WebhookDingTalk WebhookFormat = "dingtalk"
	WebhookFeishu   WebhookFormat = "feishu"
)

// WebhookFormats lists them in the order forms show them.
var WebhookFormats = []WebhookFormat{WebhookGeneric, WebhookWeCom, WebhookSlack, WebhookDingTalk, WebhookFeishu}

// Valid reports whether f is a known format.
func (f WebhookFormat) Valid() bool {
	return slices.Contains(WebhookFormats, f)
}

// Limits on a policy, mirrored by the database's CHECKs.
const (
	MaxRequiredApprovers = 20
	MaxWebhookURLLen     = 2000
)

// Policy says how many distinct approvers an order needs and what happens
// once it has them. ID 0 is the built-in default, which no row stores.
type Policy struct {
	ID      int64
	Product Product
	// AccountID 0: every account of the product without a policy of its own.
	AccountID         int64
	AccountName       string
	RequiredApprovers int
	// AutoSend queues the send in the transaction that approves.
	AutoSend      bool
	WebhookURL    string
	WebhookFormat WebhookFormat
	UpdatedAt     time.Time
	// Rules come before the policy's own RequiredApprovers and AutoSend,
	// which are its last rule, Otherwise (AllRules). RulesVersion names
	// this list: compiled conditions are cached by it.
	Rules        []Rule
	RulesVersion int
	rulesLoaded  bool
}

// DefaultPolicy applies when neither the account nor the product has one:
// one approver other than the requester, and sending starts on approval.
func DefaultPolicy(p Product) Policy {
	return Policy{Product: p, RequiredApprovers: 1, AutoSend: true, WebhookFormat: WebhookGeneric}
}

// Scope says in words what the policy covers.
func (p Policy) Scope() string {
	switch {
	case p.ID == 0:
		return "default for " + p.Product.Label()
	case p.AccountID == 0:
		return p.Product.Label() + ", every account"
	default:
		return p.Product.Label() + ", account " + p.AccountName
	}
}

func policyFrom(p db.ApprovalPolicy) Policy {
	return Policy{
		ID: p.ID, Product: Product(p.Product), AccountID: p.AccountID, AccountName: p.AccountName,
		RequiredApprovers: p.RequiredApprovers, AutoSend: p.AutoSend,
		WebhookURL: p.WebhookURL, WebhookFormat: WebhookFormat(p.WebhookFormat), UpdatedAt: p.UpdatedAt,
		RulesVersion: p.RulesVersion,
	}
}

// resolvePolicy picks the policy that governs an order from candidates: the
// account's own, else the product's, else the default. Every lookup (the
// decision itself, the inbox, the pages) goes through here, so they agree.
func resolvePolicy(candidates []db.ApprovalPolicy, product Product, accountID int64) Policy {
	var productWide *db.ApprovalPolicy
	for i := range candidates {
		c := &candidates[i]
		if c.Product != string(product) {
			continue
		}
		if c.AccountID != 0 && c.AccountID == accountID {
			return policyFrom(*c)
		}
		if c.AccountID == 0 {
			productWide = c
		}
	}
	if productWide != nil {
		return policyFrom(*productWide)
	}
	return DefaultPolicy(product)
}

// policyFor reads the policy that governs an order, on q (the caller's
// transaction when it decides something with it).
func policyFor(ctx context.Context, q db.DBTX, product Product, accountID int64) (Policy, error) {
	candidates, err := db.ApprovalPoliciesFor(ctx, q, string(product), accountID)
	if err != nil {
		return Policy{}, err
	}
	// Rules are read only where a rule is picked (pickRule): pages that
	// show a pinned rule never need them.
	return resolvePolicy(candidates, product, accountID), nil
}

// loadRules reads a stored policy's rules; the default has none.
func loadRules(ctx context.Context, q db.DBTX, p *Policy) error {
	if p.ID == 0 {
		return nil
	}
	rows, err := db.ListApprovalRules(ctx, q, p.ID)
	if err != nil {
		return err
	}
	p.Rules, p.rulesLoaded = nil, true
	for _, r := range rows {
		p.Rules = append(p.Rules, ruleFrom(r))
	}
	return nil
}

// PolicyFor returns the policy that governs orders of product on account.
func (s *Service) PolicyFor(ctx context.Context, product Product, accountID int64) (Policy, error) {
	return policyFor(ctx, s.pool, product, accountID)
}

// Policies lists the stored policies, product-wide ones first.
func (s *Service) Policies(ctx context.Context) ([]Policy, error) {
	rows, err := db.ListApprovalPolicies(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	out := make([]Policy, len(rows))
	for i, r := range rows {
		out[i] = policyFrom(r)
	}
	return out, nil
}

// Policy reads one stored policy.
func (s *Service) Policy(ctx context.Context, id int64) (Policy, error) {
	p, err := db.GetApprovalPolicy(ctx, s.pool, id)
	if errors.Is(err, db.ErrNotFound) {
		return Policy{}, notFound("policy.not_found", err)
	}
	if err != nil {
		return Policy{}, err
	}
	out := policyFrom(p)
	return out, loadRules(ctx, s.pool, &out)
}

// PolicyInput is what an admin sets on a policy.
type PolicyInput struct {
	Product           Product
	AccountID         int64 // 0: every account of the product
	RequiredApprovers int
	AutoSend          bool
	WebhookURL        string
	WebhookFormat     WebhookFormat
}

// SavePolicy creates a policy (id 0) or replaces one, with its audit event.
// Only admins change policies.
func (s *Service) SavePolicy(ctx context.Context, a Actor, id int64, in PolicyInput) (Policy, error) {
	if !a.Has(auth.RoleAdmin) {
		return Policy{}, forbidden("policy.admins_only")
	}
	in.WebhookURL = strings.TrimSpace(in.WebhookURL)
	if in.WebhookFormat == "" {
		in.WebhookFormat = WebhookGeneric
	}
	if err := s.checkPolicy(ctx, in); err != nil {
		return Policy{}, err
	}
	row := db.ApprovalPolicyInput{
		Product: string(in.Product), AccountID: in.AccountID, RequiredApprovers: in.RequiredApprovers,
		AutoSend: in.AutoSend, WebhookURL: in.WebhookURL, WebhookFormat: string(in.WebhookFormat),
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		action, details := db.ActionPolicyCreated, policyDetails(in)
		if id == 0 {
			newID, err := db.InsertApprovalPolicy(ctx, tx, row)
			if err != nil {
				return err
			}
			id = newID
		} else {
			before, err := db.GetApprovalPolicy(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := db.UpdateApprovalPolicy(ctx, tx, id, row); err != nil {
				return err
			}
			action = db.ActionPolicyUpdated
			details["before"] = policyDetails(PolicyInput{
				Product: Product(before.Product), AccountID: before.AccountID, RequiredApprovers: before.RequiredApprovers,
				AutoSend: before.AutoSend, WebhookURL: before.WebhookURL, WebhookFormat: WebhookFormat(before.WebhookFormat),
			})
		}
		return s.auditPolicy(ctx, tx, a, id, action, details)
	})
	switch {
	case errors.Is(err, db.ErrConflict):
		return Policy{}, fault.Fields{"account": fault.M("policy.exists")}
	case errors.Is(err, db.ErrNotFound):
		return Policy{}, notFound("policy.not_found", err)
	case err != nil:
		return Policy{}, err
	}
	return s.Policy(ctx, id)
}

// DeletePolicy removes a policy: its orders fall back to the product's
// policy or the default.
func (s *Service) DeletePolicy(ctx context.Context, a Actor, id int64) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("policy.admins_only")
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetApprovalPolicy(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := db.DeleteApprovalPolicy(ctx, tx, id); err != nil {
			return err
		}
		return s.auditPolicy(ctx, tx, a, id, db.ActionPolicyDeleted, policyDetails(PolicyInput{
			Product: Product(before.Product), AccountID: before.AccountID, RequiredApprovers: before.RequiredApprovers,
			AutoSend: before.AutoSend, WebhookURL: before.WebhookURL, WebhookFormat: WebhookFormat(before.WebhookFormat),
		}))
	})
	if errors.Is(err, db.ErrNotFound) {
		return notFound("policy.not_found", err)
	}
	return err
}

// CheckPolicy validates a policy's input without saving it, so a form
// refused elsewhere can still show every rule it breaks.
func (s *Service) CheckPolicy(ctx context.Context, in PolicyInput) error {
	return s.checkPolicy(ctx, in)
}

func (s *Service) checkPolicy(ctx context.Context, in PolicyInput) error {
	fe := fault.Fields{}
	if !in.Product.Valid() {
		fe.Set("product", "policy.product.missing")
	}
	if in.AccountID != 0 {
		if ok, err := db.OrderAccountUsable(ctx, s.pool, in.AccountID); err != nil {
			return err
		} else if !ok {
			fe.Set("account", "policy.account.unusable")
		}
	}
	if in.RequiredApprovers < 1 || in.RequiredApprovers > MaxRequiredApprovers {
		fe.Set("required_approvers", "policy.required_approvers.range", "max", strconv.Itoa(MaxRequiredApprovers))
	}
	if !in.WebhookFormat.Valid() {
		fe.Set("webhook_format", "policy.webhook_format.missing")
	}
	if in.WebhookURL != "" {
		if msg := checkWebhookURL(in.WebhookURL); msg.Key != "" {
			fe["webhook_url"] = msg
		}
	}
	return fe.OrNil()
}

// checkWebhookURL returns what is wrong with a webhook address, or the
// zero Msg.
func checkWebhookURL(raw string) fault.Msg {
	if len(raw) > MaxWebhookURLLen {
		return fault.M("policy.webhook_url.too_long", "max", strconv.Itoa(MaxWebhookURLLen))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fault.M("policy.webhook_url.not_http")
	}
	if u.User != nil {
		return fault.M("policy.webhook_url.userinfo")
	}
	return fault.Msg{}
}

// policyDetails is a policy for the audit log. The webhook appears only as
// its host: Slack and WeCom put the secret that lets anyone post in the URL.
func policyDetails(in PolicyInput) map[string]any {
	host := ""
	if u, err := url.Parse(in.WebhookURL); err == nil && in.WebhookURL != "" {
		host = u.Host
	}
	return map[string]any{
		"product":            string(in.Product),
		"account_id":         in.AccountID,
		"required_approvers": in.RequiredApprovers,
		"auto_send":          in.AutoSend,
		"webhook_host":       host,
		"webhook_format":     string(in.WebhookFormat),
	}
}

func (s *Service) auditPolicy(ctx context.Context, tx db.DBTX, a Actor, id int64, action string, details map[string]any) error {
	_, err := db.AppendAudit(ctx, tx, db.AuditEvent{
		Actor: strconv.FormatInt(a.UserID, 10), Action: action, Subject: PolicySubject(id),
		RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details,
	})
	return err
}

// PolicySubject names a policy in the audit log.
func PolicySubject(id int64) string { return "approval_policy:" + strconv.FormatInt(id, 10) }
