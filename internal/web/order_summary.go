package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderSummary reads the domain's summary of o into the reader's words.
func orderSummary(c echo.Context, o orders.Order) templates.OrderSummaryView {
	return summaryView(c, o.Summary())
}

func summaryView(c echo.Context, s orders.Summary) templates.OrderSummaryView {
	v := templates.OrderSummaryView{Headline: phraseText(c, s.Headline)}
	for _, l := range s.Lines {
		v.Lines = append(v.Lines, templates.SummaryLineView{Label: phraseText(c, l.Label), Value: phraseText(c, l.Value)})
	}
	return v
}

// phraseText is a summary phrase in the reader's language: the summary
// words are in the catalogs under "summary.".
func phraseText(c echo.Context, p orders.Phrase) string {
	return phraseIn(i18n.From(c.Request().Context()), p)
}

func phraseIn(loc *i18n.Localizer, p orders.Phrase) string {
	return p.Render(func(key string, args map[string]string) (string, bool) {
		if !loc.Has("summary." + key) {
			return "", false
		}
		return loc.TArgs("summary."+key, args), true
	})
}

// ExportSummary is the exports' summary column (a history.Summarizer):
// the order's headline in the language of the reader ctx carries (the
// request's localizer; English for the JSON API, which has none). The
// column's name stays the same in every language.
func ExportSummary(ctx context.Context, product, region string, params []byte) string {
	return phraseIn(i18n.From(ctx), orders.SummaryOf(orders.Product(product), region, params).Headline)
}
