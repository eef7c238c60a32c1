package web

import (
	"net/http"
	"testing"

	"dealdesk/internal/auth"
)

// A WAF label that is not the product row's (issue 13: ["abc"] used to
// pass) is refused by the preview and by saving, next to its input, and
// nothing is stored.
func TestWAFLabelOfAnotherProductIsRefused(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	for _, op := range []string{"preview", "save"} {
		for _, label := range []string{"abc", "sv_wsm_waf_package_ultimate"} {
			resp, body := c.post("/orders/new/waf", form(wafValues(acct), "op", op, "g0-l0-type", label))
			doc := parseHTML(t, body)
			// A preview shows the refused body (200, marked); a save is 422.
			want := http.StatusUnprocessableEntity
			if op == "preview" {
				want = http.StatusOK
				if testID(doc, "preview-refused") == "" {
					t.Errorf("the preview of label %q is not marked refused", label)
				}
			}
			if resp.StatusCode != want {
				t.Fatalf("%s with label %q: %d", op, label, resp.StatusCode)
			}
			fieldError(t, doc, "g0-l0-type", "is not a billing label of sp_wsm_waf_premium")
		}
	}
	if n := env.orderCount(); n != 0 {
		t.Fatalf("%d orders stored", n)
	}
	resp, body := c.post("/orders/new/waf", wafValues(acct))
	savedOrderID(t, resp, body)
}
