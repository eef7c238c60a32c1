package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auth"
)

// An order created at 23:30 UTC belongs to the next day in Shanghai
// (07:30 there) and to that same day in UTC: the day filters of the
// list and of the export follow the reader's zone, stored times stay UTC.
func TestDayFiltersFollowTheReadersZone(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	_, alice := env.loggedIn("alice", auth.RoleRequester)
	utcReader, _ := env.loggedIn("ute", auth.RoleAuditor)
	shReader, _ := env.loggedIn("shen", auth.RoleAuditor)
	if _, err := env.pool.Exec(ctx, `UPDATE users SET time_zone = $2 WHERE username = $1`, "ute", "UTC"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.pool.Exec(ctx, `UPDATE users SET time_zone = $2 WHERE username = $1`, "shen", "Asia/Shanghai"); err != nil {
		t.Fatal(err)
	}
	o := env.pendingOrder(alice)
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	if _, err := env.pool.Exec(ctx, `UPDATE orders SET created_at = $2, updated_at = $2 WHERE id = $1`, o.ID, at); err != nil {
		t.Fatal(err)
	}
	day := func(d string) string { return "/orders?from=" + d + "&to=" + d }
	for _, c := range []struct {
		who  string
		cl   *client
		path string
		want bool
	}{
		{"UTC reader, 1 March", utcReader, day("2026-03-01"), true},
		{"UTC reader, 2 March", utcReader, day("2026-03-02"), false},
		{"Shanghai reader, 1 March", shReader, day("2026-03-01"), false},
		{"Shanghai reader, 2 March", shReader, day("2026-03-02"), true},
	} {
		ids, _ := listed(t, c.cl, c.path)
		if got := slices.Contains(ids, o.ID); got != c.want {
			t.Errorf("%s: order listed = %v, want %v", c.who, got, c.want)
		}
		// The export reads the same days, and says in which zone.
		resp, body := c.cl.get(strings.Replace(c.path, "/orders?", "/orders/export.csv?", 1))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s export: %d", c.who, resp.StatusCode)
		}
		if got := strings.Contains(body, "\n"+itoa(o.ID)+","); got != c.want {
			t.Errorf("%s: order in export = %v, want %v", c.who, got, c.want)
		}
	}
	// The page names the zone and shows the time in it.
	doc := shReader.page("/orders/" + itoa(o.ID))
	if got := testID(doc, "time-zone"); !strings.Contains(got, "Asia/Shanghai") {
		t.Errorf("zone named on the page: %q", got)
	}
	if body := doc.Text(); !strings.Contains(body, "2026-03-02 07:30 CST") {
		t.Errorf("Shanghai reader does not see the creation at 07:30 CST")
	}
	if body := utcReader.page("/orders/" + itoa(o.ID)).Text(); !strings.Contains(body, "2026-03-01 23:30 UTC") {
		t.Errorf("UTC reader does not see the creation at 23:30 UTC")
	}
	resp, _ := shReader.get("/orders/export.jsonl?from=2026-03-02&to=2026-03-02")
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "day_zone_Asia_Shanghai") {
		t.Errorf("export file name does not name the zone of its days: %q", cd)
	}
}

// The language follows the browser until the person chooses; the switch
// in the navigation stores the choice (with its audit event) and <html
// lang> follows it. The exact request body stays the same in both.
func TestLanguageFollowsTheBrowserThenThePersonsChoice(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()

	anon := env.client()
	req, _ := http.NewRequest(http.MethodGet, anon.base+"/login", nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	_, body := anon.do(req)
	doc := parseHTML(t, body)
	if lang, _ := doc.Find("html").Attr("lang"); lang != "zh-CN" {
		t.Errorf("login for a Chinese browser: lang %q", lang)
	}
	if !strings.Contains(doc.Find("h1").Text(), "登录") {
		t.Errorf("login heading for a Chinese browser: %q", doc.Find("h1").Text())
	}

	requester, alice := env.loggedIn("alice", auth.RoleRequester)
	o := env.pendingOrder(alice)
	en := requester.page("/orders/" + itoa(o.ID))
	if lang, _ := en.Find("html").Attr("lang"); lang != "en" {
		t.Fatalf("default lang %q", lang)
	}
	enBody := testID(en, "order-params")

	resp, _ := requester.post("/language", url.Values{"language": {"zh-CN"}, "next": {"/orders/" + itoa(o.ID)}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/orders/"+itoa(o.ID) {
		t.Fatalf("switch: %d to %q", resp.StatusCode, location(resp))
	}
	zh := requester.page("/orders/" + itoa(o.ID))
	if lang, _ := zh.Find("html").Attr("lang"); lang != "zh-CN" {
		t.Errorf("after the switch: lang %q", lang)
	}
	if !strings.Contains(zh.Find("nav").Text(), "订单") {
		t.Errorf("navigation not in Chinese: %q", zh.Find("nav").Text())
	}
	if got := testID(zh, "order-params"); got != enBody || got == "" {
		t.Errorf("the exact request body changed with the language:\n%s\n%s", enBody, got)
	}
	var stored string
	var events int
	if err := env.pool.QueryRow(ctx, `SELECT coalesce(language, '') FROM users WHERE id = $1`, alice.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if err := env.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'user.preferences_changed'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if stored != "zh-CN" || events != 1 {
		t.Errorf("stored language %q with %d audit events, want zh-CN and 1", stored, events)
	}

	// A language the console does not speak changes nothing.
	resp, _ = requester.post("/language", url.Values{"language": {"fr"}, "next": {"/"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown language: %d, want 422", resp.StatusCode)
	}
	// An address elsewhere is not followed.
	resp, _ = requester.post("/language", url.Values{"language": {"en"}, "next": {"//evil.example/"}})
	if location(resp) != "/" {
		t.Errorf("switch followed %q", location(resp))
	}
}

func TestProfileSetsTheTimeZoneAndRefusesUnknownOnes(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c, u := env.loggedIn("zoe", auth.RoleAuditor)
	zone := func() string {
		var z string
		if err := env.pool.QueryRow(ctx, `SELECT coalesce(time_zone, '') FROM users WHERE id = $1`, u.ID).Scan(&z); err != nil {
			t.Fatal(err)
		}
		return z
	}
	resp, body := c.post("/account/profile", url.Values{"language": {""}, "time_zone": {"Mars/Olympus_Mons"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose a time zone from the list.") {
		t.Errorf("unknown zone: %d", resp.StatusCode)
	}
	if zone() != "" {
		t.Errorf("an unknown zone was stored: %q", zone())
	}
	resp, _ = c.post("/account/profile", url.Values{"language": {"en"}, "time_zone": {"Europe/Berlin"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	if zone() != "Europe/Berlin" {
		t.Errorf("stored zone %q", zone())
	}
	if got := testID(c.page("/"), "time-zone"); !strings.Contains(got, "Europe/Berlin") {
		t.Errorf("the page names %q", got)
	}
}
