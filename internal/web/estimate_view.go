package web

import (
	"fmt"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// estimateView turns a domain estimate into the pages' view. Amounts are
// written by orders.FormatCNY, the one formatter.
func estimateView(e orders.Estimate) templates.EstimateView {
	v := templates.EstimateView{Total: e.String(), Priced: e.Priced(), Unavailable: e.Unavailable, PriceList: e.PriceList}
	if e.Unavailable {
		v.Total = "not yet priced"
	}
	for _, l := range e.Lines {
		lv := templates.EstimateLineView{
			What: fmt.Sprintf("%s %s × %d", l.Line, itemOrUnnamed(l.Item), l.Quantity), Term: termText(l.Span, l.Unit),
			Monthly: "not in the price list", Amount: "no estimate", Priced: l.Fen != nil,
		}
		if l.MonthlyFen != nil {
			lv.Monthly = orders.FormatCNY(*l.MonthlyFen) + " a month"
		}
		if l.Fen != nil {
			lv.Amount = orders.FormatCNY(*l.Fen)
		}
		v.Lines = append(v.Lines, lv)
	}
	return v
}

func itemOrUnnamed(item string) string {
	if item == "" {
		return "(unrecognised item)"
	}
	return item
}

// termText says a term as a person reads it (the units Tencent Cloud's
// parameters use: d, m, y, p).
func termText(span int64, unit string) string {
	span = max(span, 1)
	plural := func(word string) string {
		if span == 1 {
			return "1 " + word
		}
		return fmt.Sprintf("%d %ss", span, word)
	}
	switch unit {
	case "d":
		return plural("day")
	case "y":
		return plural("year")
	case "p":
		return "once"
	}
	return plural("month")
}

// estimateText is the short form lists use: the total, "no estimate", or
// "—" for an order never priced.
func estimateText(e orders.Estimate) string {
	if e.Unavailable {
		return "—"
	}
	return e.String()
}
