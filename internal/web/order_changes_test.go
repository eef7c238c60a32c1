package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// Opening a saved order's edit form and saving it unchanged must store the
// very same bytes: the form reads every parameter back, the presets and
// Parameter builders recognise what they made, and nothing is added.
func TestEditFormRoundTripsEveryProduct(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	cfw := url.Values{"op": {"save"}, "title": {"CFW"}, "justification": {"j"}, "account": {acct}, "mode": {"cfw"},
		"RegionCode": {"ap-guangzhou"}, "ZoneCode": {"ap-guangzhou-6"}, "PayMode": {"PrePay"}, "Period": {"1"}, "PeriodUnit": {"m"},
		"RenewFlag": {"NOTIFY_AND_MANUAL_RENEW"}, "ProjectId": {"0"}, "cfw-edition": {"sv_cloudfirewall_basic_aeps"}, "cfw-goodsNum": {"1"}}
	for _, f := range cfwFields {
		cfw.Set(templates.CFWFieldID(f.Key), "0")
	}
	cfw.Set(templates.CFWFieldID("sv_cloudfirewall_extended_clasps"), "1")
	tags := form(tcbValues(acct), "Alias", "shop", "ResourceTypes", "cos", "tag0-Key", "team", "tag0-Value", "sec", "EnableExcess", "false", "Extension", `{"a": 1}`)
	two := form(wafValues(acct), "g1-GoodsNum", "2", "g1-edition", "qps", "g1-flavor", "clb", "g1-kind", "modify", "g1-applied", "clb/qps/modify",
		"g1-GoodsCategoryId", "101212", "g1-Pid", "1001160", "g1-SubProductCode", "sp_wsm_waf_qpsep_clb", "g1-InstanceId", "waf_clb_1",
		"g1-CurDeadline", "2026-02-28 17:38:59", "g1-l0-type", "sv_wsm_waf_qps_ep_clb", "g1-l0-count", "3")
	for _, tc := range []struct {
		name, product string
		values        url.Values
		mode          string // the billing builder the edit form must open in
	}{
		{"waf", "waf", two, ""},
		{"billing cfw", "billing", cfw, "cfw"},
		{"billing raw", "billing", billingRawValues(acct), "raw"},
		{"tcb", "tcb", tags, ""},
	} {
		resp, body := c.post("/orders/new/"+tc.product, tc.values)
		id := savedOrderID(t, resp, body)
		before := env.order(id)
		_, body = c.get(templates.OrderPath(id) + "/edit")
		doc := parseHTML(t, body)
		vals := formOnPage(t, doc, "order-form")
		if tc.mode != "" && vals.Get("mode") != tc.mode {
			t.Errorf("%s: edit form opens in mode %q", tc.name, vals.Get("mode"))
		}
		if tc.product == "waf" && (vals.Get("g0-edition") != "premium" || vals.Get("g1-kind") != "modify" || vals.Get("g1-applied") != "clb/qps/modify") {
			t.Errorf("%s: presets not recognised: %v", tc.name, vals)
		}
		vals.Set("op", "save")
		resp, body = c.post(templates.OrderPath(id)+"/edit", vals)
		savedOrderID(t, resp, body)
		after := env.order(id)
		if after.Version != 2 || string(after.Params) != string(before.Params) || after.ClientToken != before.ClientToken {
			t.Errorf("%s: unchanged edit stored version %d\n%s\nwas\n%s", tc.name, after.Version, after.Params, before.Params)
		}
	}
}

func TestEditOnlyByTheRequesterAtTheCurrentVersion(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleRequester)
	resp, body := alice.post("/orders/new/tcb", tcbValues(acct))
	id := savedOrderID(t, resp, body)
	edit := templates.OrderPath(id) + "/edit"

	// Someone else may neither open nor save the edit form.
	if resp, _ := bob.get(edit); resp.StatusCode != http.StatusForbidden {
		t.Errorf("bob opens alice's edit form: %d", resp.StatusCode)
	}
	if resp, _ := bob.post(edit, form(tcbValues(acct), "version", "1")); resp.StatusCode != http.StatusForbidden {
		t.Errorf("bob saves alice's order: %d", resp.StatusCode)
	}

	// The form carries the version; a refused save keeps every input and
	// the version the edit started from.
	_, body = alice.get(edit)
	doc := parseHTML(t, body)
	vals := formOnPage(t, doc, "order-form")
	if vals.Get("version") != "1" || vals.Get("PackageId") != "baas_personal" || vals.Get("title") != "CloudBase plan" {
		t.Fatalf("edit form: %v", vals)
	}
	resp, body = alice.post(edit, form(vals, "op", "save", "TimeSpan", "3", "TimeUnit", "y", "title", "Three years"))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid edit: %d", resp.StatusCode)
	}
	doc = parseHTML(t, body)
	fieldError(t, doc, "TimeUnit", "must be m (months)")
	if value(doc, "TimeSpan") != "3" || value(doc, "title") != "Three years" || formOnPage(t, doc, "order-form").Get("version") != "1" {
		t.Error("the refused edit lost input or its version")
	}
	if env.order(id).Version != 1 {
		t.Fatal("a refused edit was saved")
	}

	// A good save bumps the version.
	resp, body = alice.post(edit, form(vals, "op", "save", "TimeSpan", "3"))
	savedOrderID(t, resp, body)
	if o := env.order(id); o.Version != 2 || !strings.Contains(string(o.Params), `"TimeSpan":3`) {
		t.Fatalf("saved %+v", o)
	}
	// The same form saved again is stale: 409 with words, nothing changed.
	resp, body = alice.post(edit, form(vals, "op", "save", "TimeSpan", "6"))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "changed while you were looking at it") {
		t.Fatalf("stale edit: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if o := env.order(id); o.Version != 2 || strings.Contains(string(o.Params), `"TimeSpan":6`) {
		t.Fatal("a stale edit changed the order")
	}

	// A pending order may be edited, with a warning; a succeeded one not.
	env.setStatus(id, orders.StatusPendingApproval)
	if _, body := alice.get(edit); !strings.Contains(body, `data-testid="voids-approvals"`) {
		t.Error("no warning that saving voids approvals")
	}
	env.setStatus(id, orders.StatusSucceeded)
	if resp, _ := alice.get(edit); resp.StatusCode != http.StatusConflict {
		t.Errorf("edit form of a succeeded order: %d", resp.StatusCode)
	}
	if resp, _ := alice.post(edit, form(vals, "version", "2")); resp.StatusCode != http.StatusConflict {
		t.Errorf("saving a succeeded order: %d", resp.StatusCode)
	}
}

func TestDeleteOnlyOwnDraftsAndCloneAny(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	bob, bobUser := env.loggedIn("bob", auth.RoleRequester)
	approver, _ := env.loggedIn("ann", auth.RoleApprover)
	resp, body := alice.post("/orders/new/billing", billingRawValues(acct))
	id := savedOrderID(t, resp, body)
	path := templates.OrderPath(id)

	if resp, _ := bob.post(path+"/delete", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("bob deletes alice's draft: %d", resp.StatusCode)
	}
	if resp, _ := approver.post(path+"/delete", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an approver deletes: %d", resp.StatusCode)
	}

	// Anyone who composes may clone any order into a draft of their own,
	// which opens for editing; a billing clone has its own token.
	resp, _ = bob.post(path+"/clone", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(location(resp), "/edit") {
		t.Fatalf("clone: %d %s", resp.StatusCode, location(resp))
	}
	cloneID := savedOrderID(t, &http.Response{StatusCode: http.StatusSeeOther, Header: http.Header{"Location": {strings.TrimSuffix(location(resp), "/edit")}}}, "")
	clone, orig := env.order(cloneID), env.order(id)
	if clone.RequesterID != bobUser.ID || clone.ClonedFromID != id || clone.ClientToken == orig.ClientToken || withoutToken(t, clone.Params) != withoutToken(t, orig.Params) {
		t.Fatalf("clone %+v of %+v", clone, orig)
	}
	if resp, body := bob.get(location(resp)); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Cloned order #"+itoa(id)) {
		t.Errorf("the clone's edit page: %d", resp.StatusCode)
	}
	if resp, _ := approver.post(path+"/clone", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an approver clones: %d", resp.StatusCode)
	}

	// Only drafts are deleted.
	env.setStatus(id, orders.StatusPendingApproval)
	if resp, _ := alice.post(path+"/delete", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("deleting a pending order: %d", resp.StatusCode)
	}
	env.setStatus(id, orders.StatusDraft)
	resp, _ = alice.post(path+"/delete", nil)
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/orders" {
		t.Fatalf("delete: %d %s", resp.StatusCode, location(resp))
	}
	if _, body := alice.get("/orders"); !strings.Contains(body, "Deleted draft #"+itoa(id)) || strings.Contains(body, "order-row-"+itoa(id)) {
		t.Error("the list still shows the deleted draft, or no flash")
	}
	if resp, _ := alice.get(path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted order's page: %d", resp.StatusCode)
	}
}

func TestRenewAsksForWhatTheConsoleDoesNotKnow(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	approver, _ := env.loggedIn("ann", auth.RoleApprover)
	resp, body := alice.post("/orders/new/waf", wafValues(acct))
	id := savedOrderID(t, resp, body)
	path := templates.OrderPath(id)

	// Not before it succeeded.
	if _, body := alice.get(path); strings.Contains(body, "renew-form") {
		t.Error("a draft offers renewal")
	}
	if resp, _ := alice.post(path+"/renew", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("renewing a draft: %d", resp.StatusCode)
	}
	env.setStatus(id, orders.StatusSucceeded)

	// The instance a purchase created is not recorded: the renew form asks
	// for it, marked required, and refuses without it.
	_, body = alice.get(path)
	doc := parseHTML(t, body)
	if req, ok := byID(doc, "renew-g0-InstanceId").Attr("required"); !ok || req != "" && req != "required" {
		t.Fatalf("the renew form does not ask for the instance:\n%s", pageErrors(body))
	}
	resp, body = alice.post(path+"/renew", url.Values{"renew-g0-InstanceId": {""}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("renew without the instance: %d", resp.StatusCode)
	}
	fieldError(t, parseHTML(t, body), "renew-g0-InstanceId", "InstanceId: is required to renew")
	if n := env.orderCount(); n != 1 {
		t.Fatalf("%d orders after a refused renewal", n)
	}
	if resp, _ := approver.post(path+"/renew", url.Values{"renew-g0-InstanceId": {"waf_1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an approver renews: %d", resp.StatusCode)
	}

	// With it, the renewal is a draft that opens for editing with the
	// renewal preset recognised.
	resp, _ = alice.post(path+"/renew", url.Values{"renew-g0-InstanceId": {"waf_1"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(location(resp), "/edit") {
		t.Fatalf("renew: %d %s", resp.StatusCode, location(resp))
	}
	_, body = alice.get(location(resp))
	vals := formOnPage(t, parseHTML(t, body), "order-form")
	if vals.Get("g0-kind") != "renew" || vals.Get("g0-GoodsCategoryId") != "102376" || vals.Get("g0-InstanceId") != "waf_1" {
		t.Fatalf("renewal draft's form: %v", vals)
	}
	if !strings.Contains(body, "Drafted the renewal of order #"+itoa(id)) {
		t.Error("no flash about the renewal")
	}

	// A TCB change of plan names its environment: no question asked.
	resp, body = alice.post("/orders/new/tcb", form(tcbValues(acct), "DealType", "modify", "ResourceId", "cloud-1", "ModifyPackageId", "baas_team",
		"TimeSpan", "", "TimeUnit", ""))
	tcbID := savedOrderID(t, resp, body)
	env.setStatus(tcbID, orders.StatusSucceeded)
	if _, body := alice.get(templates.OrderPath(tcbID)); !strings.Contains(body, "renew-form") || strings.Contains(body, "renew-ResourceId") {
		t.Error("the TCB renew form asks for what it knows")
	}
	resp, _ = alice.post(templates.OrderPath(tcbID)+"/renew", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("renew TCB: %d", resp.StatusCode)
	}
	var renewal orders.Order
	for _, o := range mustList(t, env, alice) {
		if o.RenewalOfID == tcbID {
			renewal = o
		}
	}
	if !strings.Contains(string(renewal.Params), `"DealType":"renew"`) || !strings.Contains(string(renewal.Params), `"PackageId":"baas_team"`) {
		t.Fatalf("TCB renewal %s", renewal.Params)
	}
}

// mustList reads the orders the list page shows and loads them.
func mustList(t *testing.T, env *testEnv, c *client) []orders.Order {
	t.Helper()
	_, body := c.get("/orders")
	var out []orders.Order
	parseHTML(t, body).Find(`tr[data-testid^="order-row-"]`).Each(func(_ int, s *goquery.Selection) {
		tid, _ := s.Attr("data-testid")
		var id int64
		for _, r := range strings.TrimPrefix(tid, "order-row-") {
			id = id*10 + int64(r-'0')
		}
		out = append(out, env.order(id))
	})
	return out
}
