package orders_test

import (
	"strings"
	"testing"
	"time"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// An order to be delivered on a date says so in its summary: the headline
// (what approvers' lists, webhooks and e-mails read) and a line of its
// own; an order without a date reads as before. Worded in another
// language, the product part inside the headline is worded too.
func TestSummarySaysTheDeliveryDate(t *testing.T) {
	t.Parallel()
	params := []byte(`{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`)
	o := orders.Order{Product: orders.ProductTCB, Params: params}
	plain := o.Summary()
	if strings.Contains(lines(plain), "bought on or after") {
		t.Fatalf("an order without a date: %s", lines(plain))
	}
	o.DeliverAt = time.Date(2026, 12, 31, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s := o.Summary()
	want := plain.Text() + ", to be bought on or after 2026-12-31 08:00 UTC"
	if s.Text() != want {
		t.Fatalf("headline %q, want %q", s.Text(), want)
	}
	if !strings.Contains(lines(s), "\nDelivery: on or after 2026-12-31 08:00 UTC\n") {
		t.Fatalf("no delivery line:\n%s", lines(s))
	}
	// A reader in another language: every key rendered from its words.
	other := map[string]string{"headline.delivery": "{headline}，于 {at} 或之后购买"}
	got := s.Headline.Render(func(key string, args map[string]string) (string, bool) {
		if t, ok := other[key]; ok {
			return fault.Fill(t, args), true
		}
		return "", false
	})
	if got != plain.Text()+"，于 2026-12-31 08:00 UTC 或之后购买" {
		t.Fatalf("rendered %q", got)
	}
}
