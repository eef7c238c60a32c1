package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/i18n"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
)

// readerIn is a request context whose reader reads lang, as the web's
// middleware would leave it.
func readerIn(t *testing.T, lang string) echo.Context {
	t.Helper()
	if err := registerDomainWords(); err != nil {
		t.Fatal(err)
	}
	tag, ok := i18n.ParseLang(lang)
	if !ok {
		t.Fatalf("language %q", lang)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(i18n.With(req.Context(), i18n.New(tag, time.UTC)))
	return echo.New().NewContext(req, httptest.NewRecorder())
}

// The estimate box, the delivery log and the bill's deal statuses are
// worded in the reader's language; the estimate an approval posts back
// stays the domain's own text, whatever the language shown.
func TestHandlerWordsFollowTheReader(t *testing.T) {
	t.Parallel()
	monthly := int64(328000)
	e := orders.Estimate{PriceList: 3, Lines: []orders.EstimateLine{
		{Line: "waf", Item: "", Quantity: 1, Span: 12, Unit: "m"},
		{Line: "waf", Item: "sparta-waf", Quantity: 2, Span: 1, Unit: "m", MonthlyFen: &monthly, Fen: &monthly},
	}}
	d := notify.Delivery{Event: "failed", Status: "failed", Channel: "email", UserName: "Alice"}
	for _, c := range []struct {
		lang                                       string
		total, term, monthly, item, aMonth, status string
		channel, deal                              string
	}{
		{"en", "no estimate", "12 months", "not in the price list", "(unrecognised item)", "3,280.00 CNY a month", "failed",
			"E-mail to Alice", "2 paid"},
		{"zh-CN", "无估价", "12 个月", "不在价目表中", "（无法识别的项目）", "每月 3,280.00 CNY", "失败",
			"发给 Alice 的邮件", "2 已支付"},
	} {
		ctx := readerIn(t, c.lang)
		v := estimateView(ctx, e)
		if v.Total != c.total || v.Seen != "no estimate" || estimateText(ctx, e) != c.total {
			t.Errorf("%s: total %q (list %q), seen %q", c.lang, v.Total, estimateText(ctx, e), v.Seen)
		}
		if len(v.Lines) != 2 {
			t.Fatalf("%s: %d lines", c.lang, len(v.Lines))
		}
		l0, l1 := v.Lines[0], v.Lines[1]
		if l0.Term != c.term || l0.Monthly != c.monthly || l0.Amount != c.total || !strings.Contains(l0.What, c.item) {
			t.Errorf("%s: unpriced line %+v", c.lang, l0)
		}
		if l1.Monthly != c.aMonth || l1.Amount != "3,280.00 CNY" || l1.What != "waf sparta-waf × 2" {
			t.Errorf("%s: priced line %+v", c.lang, l1)
		}
		row := deliveryRow(ctx, d)
		if row.Status != c.status || row.Channel != c.channel {
			t.Errorf("%s: delivery status %q, channel %q", c.lang, row.Status, row.Channel)
		}
		if got := dealStatus(ctx, 2); got != c.deal {
			t.Errorf("%s: deal status %q", c.lang, got)
		}
	}
}

// A flash is written in the language of the person who caused it.
func TestFlashesAreInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("ada", auth.RoleAdmin)
	if resp, _ := admin.post("/language", url.Values{"language": {"zh-CN"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch: %d", resp.StatusCode)
	}
	resp, _ := admin.post("/admin/groups", url.Values{"name": {"ops"}, "description": {""}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add group: %d", resp.StatusCode)
	}
	if got := testID(admin.page(location(resp)), "flash"); got != "已添加用户组：ops。" {
		t.Errorf("flash after adding a group: %q", got)
	}
}
