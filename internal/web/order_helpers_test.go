package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/orders"
)

// newAccount stores an environment-keyed Tencent Cloud account (no secrets
// needed) and returns its id as the form sends it.
func (e *testEnv) newAccount(name string) string {
	e.t.Helper()
	var id int64
	err := e.pool.QueryRow(context.Background(),
		`INSERT INTO tencentcloud_accounts (name, key_source) VALUES ($1, 'environment') RETURNING id`, name).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	return itoa(id)
}

// orderCount is how many orders are stored.
func (e *testEnv) orderCount() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM orders").Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// order reads a stored order.
func (e *testEnv) order(id int64) orders.Order {
	e.t.Helper()
	o, err := orders.NewService(e.pool).Get(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// setStatus moves an order the only way tests can before later issues
// add the transitions: with SQL.
func (e *testEnv) setStatus(id int64, status orders.Status) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), "UPDATE orders SET status = $2 WHERE id = $1", id, string(status)); err != nil {
		e.t.Fatal(err)
	}
}

// savedOrderID is the id of the order a save redirected to.
func savedOrderID(t *testing.T, resp *http.Response, body string) int64 {
	t.Helper()
	loc := location(resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/orders/") {
		t.Fatalf("save: status %d, location %q\n%s", resp.StatusCode, loc, pageErrors(body))
	}
	var id int64
	for _, r := range strings.TrimPrefix(loc, "/orders/") {
		if r < '0' || r > '9' {
			break
		}
		id = id*10 + int64(r-'0')
	}
	return id
}

func parseHTML(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func byID(doc *goquery.Document, id string) *goquery.Selection {
	return doc.Find(`[id="` + id + `"]`)
}

// pageErrors lists the error messages of a page, for failure output.
func pageErrors(body string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return body
	}
	var out []string
	doc.Find(".field-error, [data-testid=form-error], [data-testid=error-message]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		out = append(out, id+": "+strings.Join(strings.Fields(s.Text()), " "))
	})
	return strings.Join(out, "\n")
}

// fieldError checks that the control with the id carries the error: it
// is marked invalid and described by the error element, which holds want.
func fieldError(t *testing.T, doc *goquery.Document, id, want string) {
	t.Helper()
	ctl := byID(doc, id)
	if ctl.Length() != 1 {
		t.Errorf("no control %q on the page; errors:\n%s", id, docErrors(doc))
		return
	}
	described, _ := ctl.Attr("aria-describedby")
	if !strings.Contains(" "+described+" ", " "+id+"-error ") {
		t.Errorf("%s: aria-describedby=%q does not name %s-error; errors:\n%s", id, described, id, docErrors(doc))
	}
	if inv, _ := ctl.Attr("aria-invalid"); inv != "true" {
		t.Errorf("%s: not aria-invalid", id)
	}
	msg := strings.Join(strings.Fields(byID(doc, id+"-error").Text()), " ")
	if !strings.Contains(msg, want) {
		t.Errorf("%s: error %q, want it to contain %q", id, msg, want)
	}
}

func docErrors(doc *goquery.Document) string {
	h, _ := doc.Html()
	return pageErrors(h)
}

// value is what a control shows: an input's value, a select's selected
// option, a text area's text.
func value(doc *goquery.Document, id string) string {
	s := byID(doc, id)
	switch goquery.NodeName(s) {
	case "select":
		v, _ := s.Find("option[selected]").Attr("value")
		return v
	case "textarea":
		return s.Text()
	}
	v, _ := s.Attr("value")
	return v
}

// form copies base and sets the pairs of keys and values.
func form(base url.Values, pairs ...string) url.Values {
	out := url.Values{}
	for k, v := range base {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		out.Set(pairs[i], pairs[i+1])
	}
	return out
}

// withoutToken drops ClientToken from a JSON object and returns the
// canonical form of the rest.
func withoutToken(t *testing.T, b []byte) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "ClientToken")
	raw, _ := json.Marshal(m)
	canon, err := orders.Canonical(raw)
	if err != nil {
		t.Fatal(err)
	}
	return string(canon)
}

// Realistic forms, one per product, as a person would fill them.
func wafValues(account string) url.Values {
	return url.Values{
		"op": {"save"}, "title": {"WAF premium for shop"}, "justification": {"The shop needs a WAF."}, "account": {account},
		"Region":     {"ap-guangzhou"},
		"g0-edition": {"premium"}, "g0-flavor": {"saas"}, "g0-kind": {"new"}, "g0-applied": {"saas/premium/new"},
		"g0-GoodsNum": {"1"}, "g0-RegionId": {"1"}, "g0-RealRegion": {"1"}, "g0-TimeSpan": {"1"}, "g0-TimeUnit": {"m"},
		"g0-AutoRenewFlag": {"1"}, "g0-InstanceName": {"dealdesk"},
		"g0-GoodsCategoryId": {"102375"}, "g0-Pid": {"1000827"}, "g0-SubProductCode": {"sp_wsm_waf_premium"},
		"g0-MicroVersion": {"saas-waf"}, "g0-l0-type": {"sv_wsm_waf_package_premium"}, "g0-l0-count": {"1"},
	}
}

func billingRawValues(account string) url.Values {
	return url.Values{
		"op": {"save"}, "title": {"Cloud Firewall"}, "justification": {"Perimeter."}, "account": {account},
		"mode": {"raw"}, "ProductCode": {"p_cloudfirewall"}, "SubProductCode": {"sp_cloudfirewall_svv1"},
		"RegionCode": {"ap-guangzhou"}, "ZoneCode": {"ap-guangzhou-1"}, "PayMode": {"PrePay"}, "Parameter": {`{"pid":1002147}`},
	}
}

func tcbValues(account string) url.Values {
	return url.Values{
		"op": {"save"}, "title": {"CloudBase plan"}, "justification": {"The mini program."}, "account": {account},
		"DealType": {"purchase"}, "ProductType": {"tcb-baas"}, "PackageId": {"baas_personal"},
		"CreateAndPay": {"true"}, "TimeSpan": {"1"}, "TimeUnit": {"m"},
	}
}

// formOnPage reads the values a browser would send from the form with the
// data-testid: named inputs (checkboxes when ticked), the selected option
// of each select (else its first), text areas. Buttons are left out.
func formOnPage(t *testing.T, doc *goquery.Document, testid string) url.Values {
	t.Helper()
	f := doc.Find(`form[data-testid="` + testid + `"]`)
	if f.Length() != 1 {
		t.Fatalf("no form %q on the page", testid)
	}
	vals := url.Values{}
	f.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		switch goquery.NodeName(s) {
		case "input":
			typ, _ := s.Attr("type")
			if typ == "checkbox" {
				if _, checked := s.Attr("checked"); !checked {
					return
				}
			}
			v, _ := s.Attr("value")
			vals.Add(name, v)
		case "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v, _ := opt.Attr("value")
			vals.Add(name, v)
		case "textarea":
			vals.Add(name, s.Text())
		}
	})
	return vals
}
