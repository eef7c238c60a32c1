package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderShower is what the order page reads besides the order: where its
// approval stands for the viewer. *orders.Service is one.
type orderShower interface {
	ApprovalStateOf(ctx context.Context, a orders.Actor, o orders.Order) (orders.ApprovalState, error)
}

// orderShow shows one order to anyone signed in: approvers and auditors
// read orders too, and any requester may clone one.
func (s *Server) orderShow(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	v, err := s.showView(c, o)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.OrderShow(v))
}

// showView is the order page's view model: the order, its exact request,
// its approval, its sending, and the actions the viewer may take.
func (s *Server) showView(c echo.Context, o orders.Order) (templates.OrderShowView, error) {
	ctx := c.Request().Context()
	u := s.user(c)
	a, err := o.Product.Action()
	if err != nil {
		return templates.OrderShowView{}, err
	}
	v := templates.OrderShowView{
		Page: s.page(c, tr(c, "title.order", "id", strconv.FormatInt(o.ID, 10))), ID: o.ID, Title: o.Title, Justification: o.Justification,
		ProductLabel: productLabel(c, o.Product), Status: string(o.Status), StatusLabel: statusLabel(c, o.Status), Version: o.Version,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, ClonedFromID: o.ClonedFromID, RenewalOfID: o.RenewalOfID,
		Body: string(o.Params), SHA256: o.ParamsSHA256, Summary: orderSummary(c, o),
		Action: a.Name, APIVersion: a.Version, Region: o.Region, Host: a.Host,
		CanEdit:   o.RequesterID == u.ID && o.Status.Editable(),
		CanDelete: o.RequesterID == u.ID && o.Status == orders.StatusDraft,
		CanClone:  u.Has(auth.RoleRequester),
		CanRenew:  u.Has(auth.RoleRequester) && o.Status == orders.StatusSucceeded,
	}
	// The approval state carries the names too: one read for both.
	st, err := s.shower.ApprovalStateOf(ctx, s.ordersActor(c), o)
	if err != nil {
		return v, err
	}
	v.Account = st.AccountName
	if st.AccountDisabled {
		v.Account += " (disabled)"
	}
	v.Requester = st.RequesterName + " (" + st.RequesterUsername + ")"
	panel := approvalPanel(c, st, v.CSRFToken, approvalForm{})
	if panel.Budget, err = s.budgetView(ctx, o, st.Estimate); err != nil {
		return v, err
	}
	if v.Send, err = s.sendView(c, st, v.CSRFToken); err != nil {
		return v, err
	}
	if (v.Send.SendQueued && time.Until(o.DeliverAt) < deliveryRefreshAhead) || o.Status == orders.StatusSending {
		// Queued or out: the page reloads itself until the outcome is
		// recorded (a meta refresh: no script needed). A delivery on a
		// date further ahead waits without reloading.
		v.Refresh = refreshWhileRunning
	}
	if orders.MayScheduleDelivery(s.ordersActor(c), o) {
		panel.Delivery = deliveryForm(c, o, v.Send.SendQueued)
	}
	v.Approval = &panel
	if o.Status == orders.StatusSucceeded {
		if v.Bill, err = s.billView(ctx, o.ID, st.Estimate); err != nil {
			return v, err
		}
	}
	if v.CanRenew {
		asks, err := orders.RenewalAsks(o)
		switch {
		case fault.KindOf(err) != 0:
			v.RenewError = refusalText(i18n.From(c.Request().Context()), err)
		case err != nil:
			return v, err
		}
		for _, a := range asks {
			v.RenewFields = append(v.RenewFields, renewControl(c, a))
		}
	}
	return v, nil
}

// renewControl is the input that asks for one identifier of a renewal.
func renewControl(c echo.Context, a orders.RenewalAsk) templates.FormControl {
	label, hint := renewWords(c, a)
	f := templates.FormControl{ID: renewFieldID(a), Label: label, Hint: hint, Required: true, Mono: true}
	if len(a.Choices) > 0 {
		f.Options = []templates.Option{{Value: "", Label: tr(c, "renew_words.choose_instance")}}
		for _, id := range a.Choices {
			f.Options = append(f.Options, templates.Option{Value: id, Label: id})
		}
	}
	return f
}

// renewFieldID is the control id of a renewal's identifier:
// "renew-ResourceId", "renew-g0-InstanceId".
func renewFieldID(a orders.RenewalAsk) string {
	if a.Line >= 0 {
		return "renew-" + templates.WAFRowID(a.Line, a.Param)
	}
	return "renew-" + a.Param
}

// deliveryRefreshAhead: an order page whose delivery is due within this
// reloads itself like one whose send is queued now.
const deliveryRefreshAhead = 2 * time.Minute

// deliveryForm is the order page's delivery date form, for a viewer who
// may change it, or nil when the order is past being sent. While a send is
// queued only its cancellation is offered, and only when it waits for a
// date.
func deliveryForm(c echo.Context, o orders.Order, queued bool) *templates.DeliveryForm {
	if !o.Status.Editable() {
		return nil
	}
	if queued {
		if o.Status == orders.StatusApproved && o.DeliverAt.After(time.Now()) {
			return &templates.DeliveryForm{Scheduled: true}
		}
		return nil
	}
	f := &templates.DeliveryForm{}
	if !o.DeliverAt.IsZero() {
		f.Value = o.DeliverAt.In(i18n.From(c.Request().Context()).Zone()).Format(deliveryLayout)
	}
	return f
}

// renewWords are the label and hint of what a renewal asks, in the
// reader's language. The domain's Label and Hint are its English; a path
// no words describe shows as the parameter path itself.
func renewWords(c echo.Context, a orders.RenewalAsk) (label, hint string) {
	label, hint = a.Label, a.Hint
	switch {
	case a.Line >= 0 && a.Param == "InstanceId":
		label, hint = tr(c, "renew_words.line_instance", "n", strconv.Itoa(a.Line+1)), tr(c, "renew_words.line_instance_hint")
	case a.Line < 0 && a.Param == "ResourceId":
		label, hint = tr(c, "renew_words.resource"), tr(c, "renew_words.resource_hint")
	case a.Line < 0 && a.Param == "InstanceId":
		label, hint = tr(c, "renew_words.instance"), tr(c, "renew_words.instance_hint")
	}
	if len(a.Choices) > 0 {
		hint = i18n.From(c.Request().Context()).N("renew_words.several_instances", len(a.Choices))
	}
	return label, hint
}
