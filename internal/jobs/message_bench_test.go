package jobs

import (
	"testing"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
)

// BenchmarkChineseEmailText measures one e-mail's words in Chinese: a
// message builds its localizer once (newMessage), not once per phrase.
func BenchmarkChineseEmailText(b *testing.B) {
	if err := i18n.AddEnglish("", fault.Catalog); err != nil {
		b.Fatal(err)
	}
	n := orders.Notice{Event: orders.NoticeSucceeded, OrderID: 7, Version: 2, ParamsSHA256: "ab", Product: orders.ProductWAF,
		Title: "WAF for shop", AccountName: "main", RequesterName: "Alice", ActorName: "Bob", DealNames: []string{"2025"}}
	for b.Loop() {
		m := newMessage(n, "https://dealdesk.example.com/orders/7", "zh-CN")
		if title(m) == "" || markdown(m) == "" {
			b.Fatal("no words")
		}
	}
}
