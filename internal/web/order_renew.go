package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderRenew drafts the renewal of a succeeded order and opens it for
// editing. Identifiers the console does not record come from the renew
// form; a missing one re-renders the order page with the error next to its
// field (422) and stores nothing.
func (s *Server) orderRenew(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	rd, err := readForm(c)
	if err != nil {
		return err
	}
	// The identifiers are one line each, as long as any id or code
	// (maxShortText); the domain checks their shape.
	var in orders.RenewInput
	asks, _ := orders.RenewalAsks(o)
	for _, a := range asks {
		in.Answer(a, rd.text(renewFieldID(a), line(maxShortText)))
	}
	var r orders.Order
	var fe map[string]string
	invalid := !rd.ok()
	if !invalid {
		r, err = s.reworker.Renew(c.Request().Context(), s.ordersActor(c), o.ID, in)
		fe = fieldTexts(c, err)
		invalid = fe != nil
		if err != nil && !invalid {
			return err
		}
	}
	if invalid {
		v, err := s.showView(c, o)
		if err != nil {
			return err
		}
		// Each refusal goes next to the field asking for its identifier;
		// any other (a disabled account, say) is listed above the form.
		fields := map[string]int{}
		for i, f := range v.RenewFields {
			fields[f.ID] = i
			v.RenewFields[i].Value = rd.vals.Get(f.ID)
		}
		for _, id := range slices.Sorted(maps.Keys(rd.errs)) {
			if i, ok := fields[id]; ok {
				v.RenewFields[i].Error = rd.errs[id]
			} else {
				v.Errors = append(v.Errors, rd.errs[id])
			}
		}
		ids := map[string]string{}
		for _, a := range asks {
			ids[a.Path] = renewFieldID(a)
		}
		for _, path := range sortedKeys(fe) {
			if i, ok := fields[ids[path]]; ok {
				v.RenewFields[i].Error = paramMessage(path, fe[path])
			} else {
				v.Errors = append(v.Errors, paramMessage(path, fe[path]))
			}
		}
		return render(c, http.StatusUnprocessableEntity, templates.OrderShow(v))
	}
	if err := s.flash(c, "ok", tr(c, "flash.renewal_drafted", "id", strconv.FormatInt(o.ID, 10))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.OrderPath(r.ID)+"/edit")
}
