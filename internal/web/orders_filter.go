package web

import (
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
)

// minSearchLen: a title fragment shorter than a trigram cannot use the
// title index, and would read every order.
const minSearchLen = 3

// ordersQuery reads the orders history's filters from the query string.
// me is the visitor's username when they compose orders: a requester who
// has not chosen a requester sees their own orders ("My orders"), as the
// list always did; clearing the field shows everyone's.
func ordersQuery(q url.Values, me string, loc *i18n.Localizer) (history.OrderQuery, filterErrors) {
	errs := filterErrors{}
	oq := history.OrderQuery{Requester: textParam(q, "requester", errs, loc), Approver: textParam(q, "approver", errs, loc)}
	if _, chosen := q["requester"]; !chosen && me != "" {
		oq.Requester = me
	}
	f := &oq.OrderFilter
	if p := orders.Product(q.Get("product")); p != "" && !p.Valid() {
		errs["product"] = loc.T("filter.product")
	} else {
		f.Product = string(p)
	}
	if st := orders.Status(q.Get("status")); st != "" && !st.Valid() {
		errs["status"] = loc.T("filter.status")
	} else {
		f.Status = string(st)
	}
	if a := q.Get("account"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			errs["account"] = loc.T("filter.account")
		}
		f.AccountID = id
	}
	f.Since, f.Until = dateRange(q, errs, loc)
	f.Search = textParam(q, "q", errs, loc)
	if f.Search != "" && utf8.RuneCountInString(f.Search) < minSearchLen {
		errs["q"] = loc.T("filter.search_short", "min", strconv.Itoa(minSearchLen))
	}
	switch s := history.OrderSort(q.Get("sort")); s {
	case "", history.SortNewest:
		f.Sort = history.SortNewest
	case history.SortOldest, history.SortUpdated:
		f.Sort = s
	default:
		errs["sort"] = loc.T("filter.sort")
	}
	f.After.ID = cursorParam(q, "after")
	if us := cursorParam(q, "after_updated"); us > 0 {
		f.After.Updated = time.UnixMicro(us).UTC()
	}
	return oq, errs
}

// nextOrdersQuery is the query string of the page after one ending at c.
func nextOrdersQuery(q url.Values, c history.OrderCursor, sort history.OrderSort) url.Values {
	next := filterQuery(q, "after", "after_updated")
	if _, chosen := q["requester"]; chosen {
		// Keep an explicitly cleared requester cleared.
		next.Set("requester", q.Get("requester"))
	}
	next.Set("after", strconv.FormatInt(c.ID, 10))
	if sort == history.SortUpdated {
		next.Set("after_updated", strconv.FormatInt(c.Updated.UnixMicro(), 10))
	}
	return next
}

// sortURL is the orders list with the same filters in another order, from
// its first page: the column heads' links. Every order it offers is one an
// index reads in keyset pages (id, and updated_at with id: migration 009).
func sortURL(q url.Values, requester string, sort history.OrderSort) string {
	link := filterQuery(q, "after", "after_updated")
	link.Set("requester", requester) // kept even empty: "everyone" is a choice
	link.Set("sort", string(sort))
	return "/orders?" + link.Encode()
}
