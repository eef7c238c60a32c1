package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

// postCSV uploads a price list file as the import form does.
func (c *client) postCSV(csv, note string) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf())
	_ = w.WriteField("note", note)
	fw, _ := w.CreateFormFile("csv_file", "prices.csv")
	_, _ = fw.Write([]byte(csv))
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/admin/prices", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestAdminImportsAndExportsThePriceList(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	ctx := context.Background()
	svc := orders.NewService(env.pool)

	seeded, err := svc.CurrentPriceList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, exported := admin.get("/admin/prices/export.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(exported, "line,item,monthly_cny,effective_from\n") ||
		!strings.Contains(exported, "tcb,baas_personal,19.90,2000-01-01") ||
		!strings.Contains(exported, "billing,p_cloudfirewall.sv_cloudfirewall_basic_ueps,8000.00,2000-01-01") ||
		!strings.Contains(exported, "billing,p_yunjing.sv_yunjing_vas_la,1.00,2000-01-01") {
		t.Fatalf("export: %d\n%s", resp.StatusCode, exported)
	}
	// The page says what one unit of each row is: an edition, a unit of
	// a Parameter member, an instance.
	_, page := admin.get("/admin/prices")
	for _, want := range []string{
		`data-testid="price-billing-p_cloudfirewall.sv_cloudfirewall_basic_ueps"`, "edition, per instance",
		`data-testid="price-billing-p_cloudfirewall.sv_cloudfirewall_extended_ibtesps"`, "unit, per instance",
		`data-testid="prices-billing-members"`,
	} {
		if !strings.Contains(page, want) {
			t.Fatalf("the price list page lacks %q:\n%s", want, page)
		}
	}

	// Bad rows: each named, nothing imported.
	bad := exported + "cdn,x,1,2026-01-01\nwaf,premium,12.345,2026-01-01\n"
	resp, body := admin.postCSV(bad, "typo")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="prices-row-errors"`) ||
		!strings.Contains(body, "monthly_cny must be an amount") || !strings.Contains(body, "Nothing was imported") {
		t.Fatalf("bad import: %d\n%s", resp.StatusCode, body)
	}
	if l, _ := svc.CurrentPriceList(ctx); l.Version != seeded.Version {
		t.Fatalf("a refused import made version %d", l.Version)
	}

	// A draft priced at the old list, then the list changes under it.
	requester, _ := env.user("req", auth.RoleRequester)
	o := env.pendingOrder(requester)
	good := strings.Replace(exported, "tcb,baas_personal,19.90,", "tcb,baas_personal,24.90,", 1)
	resp, _ = admin.postCSV(good, "CloudBase personal up")
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/admin/prices" {
		t.Fatalf("import: %d to %s", resp.StatusCode, location(resp))
	}
	_, body = admin.get("/admin/prices")
	if !strings.Contains(body, "Saved price list version "+itoa(seeded.Version+1)+": 1 open orders re-priced") || !strings.Contains(body, "24.90 CNY") {
		t.Fatalf("after import:\n%s", body)
	}
	est, _ := svc.EstimateFor(ctx, o.ID)
	if est.String() != "24.90 CNY" || est.PriceList != seeded.Version+1 {
		t.Fatalf("order estimate after import: %s v%d", est, est.PriceList)
	}
	var audited int
	if err := env.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'price_list.changed' AND details->>'note' = 'CloudBase personal up'`).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audited %d %v", audited, err)
	}
}

func TestApprovalShowsTheEstimateAndRefusesAnOldAmount(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	requester, _ := env.user("req", auth.RoleRequester)
	o := env.pendingOrder(requester)
	approver, _ := env.loggedIn("appr", auth.RoleApprover)

	_, body := approver.get("/orders/" + itoa(o.ID) + "/approval")
	doc := parseHTML(t, body)
	if got := doc.Find(`[data-testid="estimate-total"]`).Text(); got != "19.90 CNY" {
		t.Fatalf("estimate shown %q", got)
	}
	if v, _ := doc.Find(`[data-testid="decision-form"] input[name="estimate"]`).Attr("value"); v != "19.90 CNY" {
		t.Fatalf("the form carries %q", v)
	}
	_, body = approver.get("/approvals")
	if got := parseHTML(t, body).Find(`[data-testid="inbox-estimate"]`).Text(); got != "19.90 CNY" {
		t.Fatalf("inbox estimate %q", got)
	}

	// The price changes after the page was opened: the old amount is refused.
	svc := orders.NewService(env.pool)
	list, _ := svc.CurrentPriceList(ctx)
	entries := append([]orders.PriceEntry(nil), list.Entries...)
	for i := range entries {
		if entries[i].Item == "baas_personal" {
			entries[i].MonthlyFen = 2990
		}
	}
	admin, _ := env.user("root", auth.RoleAdmin)
	if _, err := svc.SetPriceList(ctx, orders.Actor{UserID: admin.ID, Roles: []string{"admin"}}, "", entries); err != nil {
		t.Fatal(err)
	}
	form := decisionForm(o, "")
	form.Set("estimate", "19.90 CNY")
	resp, body := approver.post("/orders/"+itoa(o.ID)+"/approve", form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "you saw an estimate of 19.90 CNY, it is now 29.90 CNY") {
		t.Fatalf("approving the old amount: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	form.Set("estimate", "29.90 CNY")
	if resp, body = approver.post("/orders/"+itoa(o.ID)+"/approve", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approving the new amount: %d\n%s", resp.StatusCode, pageErrors(body))
	}
}
