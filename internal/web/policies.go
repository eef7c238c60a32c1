package web

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

var webhookFormatLabels = map[orders.WebhookFormat]string{
	orders.WebhookGeneric: "Generic JSON",
	orders.WebhookWeCom:   "WeCom group robot (markdown)",
	orders.WebhookSlack:   "Slack incoming webhook",
}

// pathPolicy loads the policy the :id in the path names; a malformed id is
// the same 404 as a missing policy.
func (s *Server) pathPolicy(c echo.Context) (orders.Policy, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return orders.Policy{}, echo.ErrNotFound
	}
	return s.deps.Orders.Policy(c.Request().Context(), id)
}

// policyInput reads the policy form. Unparseable numbers become 0, which
// the service refuses with a message on the field.
func policyInput(c echo.Context) orders.PolicyInput {
	account, _ := strconv.ParseInt(c.FormValue("account"), 10, 64)
	required, _ := strconv.Atoi(c.FormValue("required_approvers"))
	return orders.PolicyInput{
		Product: orders.Product(c.FormValue("product")), AccountID: account, RequiredApprovers: required,
		AutoSend: c.FormValue("auto_send") == "on", WebhookURL: c.FormValue("webhook_url"),
		WebhookFormat: orders.WebhookFormat(c.FormValue("webhook_format")),
	}
}

// policyForm builds the form's view: the values as typed (required is kept
// as text so "abc" comes back as typed) and the choices.
func (s *Server) policyForm(c echo.Context, id int64, in orders.PolicyInput, required, accountName string, errs map[string]string) (templates.PolicyFormView, error) {
	title := "New approval policy"
	if id != 0 {
		title = "Approval policy"
	}
	v := templates.PolicyFormView{
		Page: s.page(c, title), ID: id, Product: string(in.Product), Required: required,
		AutoSend: in.AutoSend, WebhookURL: in.WebhookURL, WebhookFormat: string(in.WebhookFormat), Errors: errs,
	}
	if in.AccountID != 0 {
		v.AccountID = strconv.FormatInt(in.AccountID, 10)
	}
	for _, p := range orders.Products {
		v.Products = append(v.Products, templates.PolicyOption{Value: string(p), Label: p.Label()})
	}
	accounts, err := s.deps.Orders.Accounts(c.Request().Context())
	if err != nil {
		return v, err
	}
	v.Accounts = []templates.PolicyOption{{Value: "", Label: "Every account of the product"}}
	listed := false
	for _, a := range accounts {
		listed = listed || a.ID == in.AccountID
		v.Accounts = append(v.Accounts, templates.PolicyOption{Value: strconv.FormatInt(a.ID, 10), Label: a.Name})
	}
	// A policy's account may have been disabled since: keep it selectable
	// so saving the form does not silently move the policy.
	if in.AccountID != 0 && !listed && accountName != "" {
		v.Accounts = append(v.Accounts, templates.PolicyOption{Value: v.AccountID, Label: accountName + " (disabled)"})
	}
	for _, f := range orders.WebhookFormats {
		v.Formats = append(v.Formats, templates.PolicyOption{Value: string(f), Label: webhookFormatLabels[f]})
	}
	return v, nil
}

func policyRow(p orders.Policy) templates.PolicyRow {
	r := templates.PolicyRow{ID: p.ID, Product: p.Product.Label(), Account: p.AccountName,
		Required: p.RequiredApprovers, AutoSend: p.AutoSend}
	if u, err := url.Parse(p.WebhookURL); err == nil && p.WebhookURL != "" {
		r.Webhook = fmt.Sprintf("%s to %s", webhookFormatLabels[p.WebhookFormat], u.Host)
	}
	return r
}

func policyPath(id int64) string { return fmt.Sprintf("/admin/policies/%d", id) }
