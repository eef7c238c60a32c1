package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// estimateView turns a domain estimate into the pages' view, its words in
// the reader's language. Amounts are written by orders.FormatCNY, the one
// formatter; Seen keeps the domain's own text, which an approval posts back
// and the domain compares (orders.ApproveOptions.Estimate).
func estimateView(c echo.Context, e orders.Estimate) templates.EstimateView {
	l := i18n.From(c.Request().Context())
	v := templates.EstimateView{Total: estimateTotal(l, e), Seen: e.String(), Priced: e.Priced(),
		Unavailable: e.Unavailable, PriceList: e.PriceList}
	if e.Unavailable {
		v.Total = l.T("estimate_words.not_yet_priced")
	}
	for _, line := range e.Lines {
		lv := templates.EstimateLineView{
			What: line.Line + " " + itemOrUnnamed(l, line.Item) + " × " + l.Int(line.Quantity), Term: termText(l, line.Span, line.Unit),
			Monthly: l.T("estimate_words.not_in_price_list"), Amount: l.T("estimate_words.no_estimate"), Priced: line.Fen != nil,
		}
		if line.MonthlyFen != nil {
			lv.Monthly = l.T("estimate_words.a_month", "amount", orders.FormatCNY(*line.MonthlyFen))
		}
		if line.Fen != nil {
			lv.Amount = orders.FormatCNY(*line.Fen)
		}
		v.Lines = append(v.Lines, lv)
	}
	return v
}

// itemOrUnnamed is a line's item code (Tencent Cloud's own, kept as is)
// or the reader's word for a line whose item was not recognised.
func itemOrUnnamed(l *i18n.Localizer, item string) string {
	if item == "" {
		return l.T("estimate_words.unrecognised_item")
	}
	return item
}

// estimateTotal is Estimate.String in the reader's words.
func estimateTotal(l *i18n.Localizer, e orders.Estimate) string {
	if e.Total == nil {
		return l.T("estimate_words.no_estimate")
	}
	return orders.FormatCNY(*e.Total)
}

// termText says a term as a person reads it (the units Tencent Cloud's
// parameters use: d, m, y, p).
func termText(l *i18n.Localizer, span int64, unit string) string {
	n := int(max(span, 1))
	switch unit {
	case "d":
		return l.N("estimate_words.days", n)
	case "y":
		return l.N("estimate_words.years", n)
	case "p":
		return l.T("estimate_words.once")
	}
	return l.N("estimate_words.months", n)
}

// estimateText is the short form lists use: the total, "no estimate", or
// "—" for an order never priced.
func estimateText(c echo.Context, e orders.Estimate) string {
	if e.Unavailable {
		return "—"
	}
	return estimateTotal(i18n.From(c.Request().Context()), e)
}
