package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// renewalWindows are the windows the Renewals page offers, in days.
var renewalWindows = []int{30, 60, 90}

// renewalsShow is the Renewals page: what expires within 30, 60 or 90
// days, by account and cost centre, with the estimate of renewing each.
// Approvers and admins see every purchase; requesters, their own.
func (s *Server) renewalsShow(c echo.Context) error {
	within := 30
	if raw := c.QueryParam("within"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || !slices.Contains(renewalWindows, n) {
			return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "error.renewals_window"}
		}
		within = n
	}
	a := s.ordersActor(c)
	now := time.Now()
	items, err := s.deps.Orders.ExpiringWithin(c.Request().Context(), a, now, within)
	if err != nil {
		return err
	}
	v := templates.RenewalsView{Page: s.page(c, "Renewals"), Within: within, Choices: renewalWindows,
		OwnOnly: !a.Has("approver") && !a.Has("admin"), Groups: renewalGroups(c, items, now)}
	return render(c, http.StatusOK, templates.Renewals(v))
}

// renewalGroups puts the instances under their account and cost centre,
// the groups in order of name, each soonest first.
func renewalGroups(c echo.Context, items []orders.Expiring, now time.Time) []templates.RenewalGroup {
	type key struct{ account, centre string }
	at := map[key]int{}
	var out []templates.RenewalGroup
	for _, it := range items {
		k := key{it.AccountName, it.CostCentre}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, templates.RenewalGroup{Account: it.AccountName, CostCentre: it.CostCentre})
		}
		out[i].Rows = append(out[i].Rows, templates.RenewalRow{
			Target: it.Target, Product: productLabel(c, orders.Product(it.Product)), Expires: it.ExpiresAt,
			DaysLeft: int(it.ExpiresAt.Sub(now).Hours() / 24), AutoRenew: it.AutoRenew,
			Estimate: estimateText(c, it.Estimate), OrderID: it.LastOrderID, RenewalID: it.RenewalOrderID,
		})
	}
	slices.SortStableFunc(out, func(a, b templates.RenewalGroup) int {
		if a.Account != b.Account {
			return strings.Compare(a.Account, b.Account)
		}
		return strings.Compare(a.CostCentre, b.CostCentre)
	})
	return out
}
