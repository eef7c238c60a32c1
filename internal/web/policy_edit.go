package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyEdit shows a policy's form.
func (s *Server) policyEdit(c echo.Context) error {
	p, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	in := orders.PolicyInput{Product: p.Product, AccountID: p.AccountID, RequiredApprovers: p.RequiredApprovers,
		AutoSend: p.AutoSend, WebhookURL: p.WebhookURL, WebhookFormat: p.WebhookFormat}
	v, err := s.policyForm(c, p.ID, in, strconv.Itoa(p.RequiredApprovers), p.AccountName, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.PolicyForm(v))
}
