package web

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyKeeper is what the approval policy pages need: the policies, a
// check that saves nothing, saving and deleting, and the accounts a
// policy may name. *orders.Service is one.
type policyKeeper interface {
	Policies(ctx context.Context) ([]orders.Policy, error)
	Policy(ctx context.Context, id int64) (orders.Policy, error)
	CheckPolicy(ctx context.Context, in orders.PolicyInput) error
	SavePolicy(ctx context.Context, a orders.Actor, id int64, in orders.PolicyInput) (orders.Policy, error)
	DeletePolicy(ctx context.Context, a orders.Actor, id int64) error
	Accounts(ctx context.Context) ([]orders.AccountChoice, error)
}

// webhookFormatKeys are the catalog keys of the webhook formats' names.
var webhookFormatKeys = map[orders.WebhookFormat]string{
	orders.WebhookGeneric: "webhook_format.generic",
	orders.WebhookWeCom:   "webhook_format.wecom",
	orders.WebhookSlack:   "webhook_format.slack",
	// Signed with the policy's secret when it has one.
	orders.WebhookDingTalk: "webhook_format.dingtalk",
	orders.WebhookFeishu:   "webhook_format.feishu",
}

// webhookFormatLabel names a webhook format in the reader's language; a
// format no catalog names (none today) shows as its stored code.
func webhookFormatLabel(c echo.Context, f orders.WebhookFormat) string {
	if k, ok := webhookFormatKeys[f]; ok {
		return tr(c, k)
	}
	return string(f)
}

// pathPolicy loads the policy the :id in the path names; a malformed id is
// the same 404 as a missing policy.
func (s *Server) pathPolicy(c echo.Context) (orders.Policy, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return orders.Policy{}, echo.ErrNotFound
	}
	return s.policies.Policy(c.Request().Context(), id)
}

// policyInput reads the policy form through the input boundary. An account
// id that does not parse is an error on the field, never "every account":
// only the empty choice means that. required is kept as typed so "abc"
// comes back as typed.
func policyInput(c echo.Context) (in orders.PolicyInput, required string, errs map[string]string, err error) {
	r, err := readForm(c)
	if err != nil {
		return in, "", nil, err
	}
	in.Product = orders.Product(r.text("product", line(maxShortText)))
	in.AccountID, _ = r.id("account", "field.choose_account_or_every")
	in.RequiredApprovers, required = r.number("required_approvers", 1, orders.MaxRequiredApprovers,
		tr(c, "policy_words.required_range", "max", strconv.Itoa(orders.MaxRequiredApprovers)))
	in.AutoSend = r.flag("auto_send")
	in.WebhookURL = r.text("webhook_url", line(orders.MaxWebhookURLLen))
	in.WebhookFormat = orders.WebhookFormat(r.text("webhook_format", line(maxShortText)))
	return in, required, r.errs, nil
}

// savePolicy saves the form's policy unless the boundary refused it, and
// returns the field errors to show, if any.
func (s *Server) savePolicy(c echo.Context, id int64) (orders.Policy, orders.PolicyInput, string, map[string]string, error) {
	in, required, errs, err := policyInput(c)
	if err != nil {
		return orders.Policy{}, in, required, nil, err
	}
	if len(errs) > 0 {
		// The service's rules still speak for the fields the boundary
		// let through (nothing is saved), so every mistake shows at once.
		err := s.policies.CheckPolicy(c.Request().Context(), in)
		fe := fieldTexts(c, err)
		if err != nil && fe == nil {
			return orders.Policy{}, in, required, nil, err
		}
		if fe == nil {
			fe = map[string]string{}
		}
		maps.Copy(fe, errs)
		return orders.Policy{}, in, required, fe, nil
	}
	p, err := s.policies.SavePolicy(c.Request().Context(), s.ordersActor(c), id, in)
	if fe := fieldTexts(c, err); fe != nil {
		return p, in, required, fe, nil
	}
	return p, in, required, nil, err
}

// policyForm builds the form's view: the values as typed (required is kept
// as text so "abc" comes back as typed) and the choices.
func (s *Server) policyForm(c echo.Context, id int64, in orders.PolicyInput, required, accountName string, errs map[string]string) (templates.PolicyFormView, error) {
	title := tr(c, "policy_words.title_new")
	if id != 0 {
		title = tr(c, "policy_words.title_edit")
	}
	v := templates.PolicyFormView{
		Page: s.page(c, title), ID: id, Product: string(in.Product), Required: required,
		AutoSend: in.AutoSend, WebhookURL: in.WebhookURL, WebhookFormat: string(in.WebhookFormat), Errors: errs,
	}
	if in.AccountID != 0 {
		v.AccountID = strconv.FormatInt(in.AccountID, 10)
	}
	for _, p := range orders.Products {
		v.Products = append(v.Products, templates.PolicyOption{Value: string(p), Label: productLabel(c, p)})
	}
	accounts, err := s.policies.Accounts(c.Request().Context())
	if err != nil {
		return v, err
	}
	v.Accounts = []templates.PolicyOption{{Value: "", Label: tr(c, "policy_words.every_account")}}
	listed := false
	for _, a := range accounts {
		listed = listed || a.ID == in.AccountID
		v.Accounts = append(v.Accounts, templates.PolicyOption{Value: strconv.FormatInt(a.ID, 10), Label: a.Name})
	}
	// A policy's account may have been disabled since: keep it selectable
	// so saving the form does not silently move the policy.
	if in.AccountID != 0 && !listed && accountName != "" {
		v.Accounts = append(v.Accounts, templates.PolicyOption{Value: v.AccountID, Label: tr(c, "policy_words.account_disabled", "name", accountName)})
	}
	if id != 0 && s.deps.Notify != nil {
		if v.SecretSet, err = s.deps.Notify.HasWebhookSecret(c.Request().Context(), id); err != nil {
			return v, err
		}
	}
	for _, f := range orders.WebhookFormats {
		v.Formats = append(v.Formats, templates.PolicyOption{Value: string(f), Label: webhookFormatLabel(c, f)})
	}
	return v, nil
}

func policyRow(c echo.Context, p orders.Policy) templates.PolicyRow {
	r := templates.PolicyRow{ID: p.ID, Product: productLabel(c, p.Product), Account: p.AccountName,
		Required: p.RequiredApprovers, AutoSend: p.AutoSend}
	if u, err := url.Parse(p.WebhookURL); err == nil && p.WebhookURL != "" {
		r.Webhook = tr(c, "policy_words.webhook_to", "format", webhookFormatLabel(c, p.WebhookFormat), "host", u.Host)
	}
	return r
}

func policyPath(id int64) string { return fmt.Sprintf("/admin/policies/%d", id) }
