package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderReworker is what the pages that change a draft or start a new
// order from an old one need (edit, clone, delete, renew). *orders.Service
// is one; the handlers' tests use a fake.
type orderReworker interface {
	Update(ctx context.Context, a orders.Actor, id int64, version int, d orders.Draft) (orders.Order, error)
	Clone(ctx context.Context, a orders.Actor, id int64) (orders.Order, error)
	Delete(ctx context.Context, a orders.Actor, id int64) error
	Renew(ctx context.Context, a orders.Actor, id int64, in orders.RenewInput) (orders.Order, error)
}

// orderEdit shows a saved order in its form. Only the person who composed
// it may edit it, and only while it is editable.
func (s *Server) orderEdit(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	if err := s.mayEdit(c, o); err != nil {
		return err
	}
	f, err := orderFormFrom(o)
	if err != nil {
		return err
	}
	v, err := s.editView(c, o)
	if err != nil {
		return err
	}
	if s.deps.Orders != nil {
		cc, err := s.deps.Orders.CostCentreOf(c.Request().Context(), o.ID)
		if err != nil {
			return err
		}
		if cc.ID != 0 {
			f.costCentre, f.costCentreID = strconv.FormatInt(cc.ID, 10), cc.ID
		}
	}
	f.fill(c, &v)
	return render(c, http.StatusOK, templates.OrderForm(v))
}

// mayEdit refuses before showing a form whose save would be refused anyway.
// The service decides again on saving: this only spares a wasted edit.
func (s *Server) mayEdit(c echo.Context, o orders.Order) error {
	if o.RequesterID != s.user(c).ID {
		return &SafeError{Status: http.StatusForbidden, Safe: "error.only_the_person_who_composed"}
	}
	if !o.Status.Editable() {
		return &SafeError{Status: http.StatusConflict, Safe: tr(c, "error.not_editable", "status", statusLabel(c, o.Status))}
	}
	return nil
}

// editView is the edit page's view model without the form's fields.
func (s *Server) editView(c echo.Context, o orders.Order) (templates.OrderFormView, error) {
	accts, err := s.accountOptions(c.Request().Context())
	if err != nil {
		return templates.OrderFormView{}, err
	}
	centres, err := s.costCentreOptions(c.Request().Context())
	if err != nil {
		return templates.OrderFormView{}, err
	}
	return templates.OrderFormView{
		Page: s.page(c, tr(c, "title.edit_order")), Action: templates.OrderPath(o.ID) + "/edit", Accounts: accts, CostCentres: centres,
		OrderID: o.ID, Version: o.Version, StatusLabel: strings.ToLower(statusLabel(c, o.Status)),
		VoidsApprovals: o.Status != orders.StatusDraft,
	}, nil
}
