package web

import (
	"net/http"
	"net/url"
	"testing"

	"dealdesk/internal/auth"
)

// tcapi's checks answer the API in English, but a form shows them in the
// reader's language: the same broken forms as in
// TestEveryRuleShowsItsMessageNextToItsField, posted by someone who reads
// Chinese, show Chinese next to the same fields, with the values quoted
// as typed.
func TestAPIFieldMessagesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("mei", auth.RoleRequester)
	if resp, _ := c.post("/language", url.Values{"language": {"zh-CN"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switching to Chinese: %d", resp.StatusCode)
	}
	billing, tcb := billingRawValues(acct), tcbValues(acct)
	for _, r := range []formRule{
		{"Period 0", "billing", form(billing, "Period", "0"), "Period", "应在 1 到 36 之间，而不是 0"},
		{"no ZoneCode", "billing", form(billing, "ZoneCode", ""), "ZoneCode", "必填"},
		{"renew without ResourceId", "tcb", form(tcb, "DealType", "renew"), "ResourceId", "续费或变更时必填"},
		{"Alias with capitals", "tcb", form(tcb, "Alias", "Cloud"), "Alias", `而不是 "Cloud"`},
		{"Alias on a renewal", "tcb", form(tcb, "DealType", "renew", "ResourceId", "env-1", "Alias", "cloud"), "Alias", "仅用于新购 tcb-baas"},
	} {
		resp, body := c.post("/orders/new/"+r.product, r.values)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", r.name, resp.StatusCode)
			continue
		}
		fieldError(t, parseHTML(t, body), r.id, r.want)
	}
	if n := env.orderCount(); n != 0 {
		t.Fatalf("%d orders saved from refused forms", n)
	}
}
