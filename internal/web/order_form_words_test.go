package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
)

// The Cloud Firewall form asks on/off flags as switches worded Off and On
// (sending "0" and "1" as before), and folds the fields whose meaning
// Tencent Cloud does not document under "Advanced", still in the form.
func TestCloudFirewallFormInWords(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	resp, body := alice.get("/orders/new/billing")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("billing form: %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	flag := doc.Find(`select#cfw-sv_cloudfirewall_extended_clasps`)
	if flag.Length() != 1 {
		t.Fatal("the log analysis flag is not a select")
	}
	var words []string
	flag.Find("option").Each(func(_ int, o *goquery.Selection) {
		v, _ := o.Attr("value")
		words = append(words, v+"="+o.Text())
	})
	if got := strings.Join(words, ","); got != "=Not sent,0=Off,1=On" {
		t.Errorf("flag choices %q", got)
	}
	if strings.Contains(body, "0 off, 1 on") || strings.Contains(body, "Meaning not documented") {
		t.Error("the form still speaks in codes")
	}
	adv := doc.Find(`[data-testid="cfw-advanced"]`)
	if adv.Find(`#cfw-sv_cloudfirewall_basic_mon`).Length() != 1 || adv.Find(`#cfw-sv_cloudfirewall_extended_ibtesps`).Length() != 0 {
		t.Error("the undocumented fields are not (alone) under Advanced")
	}
	if v, _ := adv.Find(`#cfw-sv_cloudfirewall_basic_mon`).Attr("value"); v != "0" {
		t.Errorf("an undocumented field's default is %q, want 0", v)
	}
}
