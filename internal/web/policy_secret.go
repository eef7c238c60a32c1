package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
	"dealdesk/web/templates"
)

// policySecret sets, replaces or removes a policy webhook's signing
// secret. The secret is never shown again: the form says "set" or "not
// set" and takes a new one.
func (s *Server) policySecret(c echo.Context) error {
	p, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	value := r.text("webhook_secret", line(notify.MaxWebhookSecretLen))
	remove := r.flag("remove")
	if r.ok() && !remove && value == "" {
		r.fail("webhook_secret", msg(c, fault.M("webhook_secret.missing")))
	}
	if remove {
		value = ""
	}
	errs := r.errs
	if r.ok() {
		err = s.deps.Notify.SetWebhookSecret(c.Request().Context(), s.ordersActor(c), p.ID, secrets.NewString(value))
		errs = fieldTexts(c, err)
		if errs == nil && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		in := orders.PolicyInput{Product: p.Product, AccountID: p.AccountID, RequiredApprovers: p.RequiredApprovers,
			AutoSend: p.AutoSend, WebhookURL: p.WebhookURL, WebhookFormat: p.WebhookFormat}
		v, verr := s.policyForm(c, p.ID, in, "", p.AccountName, errs)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, templates.PolicyForm(v))
	}
	key := "webhook_secret.saved"
	if remove {
		key = "webhook_secret.removed"
	}
	if err := s.flash(c, "ok", msg(c, fault.M(key))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, policyPath(p.ID))
}
