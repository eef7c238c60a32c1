package web

import (
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderSummary reads the domain's summary of o into the page's English.
func orderSummary(o orders.Order) templates.OrderSummaryView {
	return summaryView(o.Summary())
}

func summaryView(s orders.Summary) templates.OrderSummaryView {
	v := templates.OrderSummaryView{Headline: s.Headline.String()}
	for _, l := range s.Lines {
		v.Lines = append(v.Lines, templates.SummaryLineView{Label: l.Label.String(), Value: l.Value.String()})
	}
	return v
}
