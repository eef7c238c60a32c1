package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dealdesk/internal/i18n"
)

func TestTextProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    string
		f    field
		want string // a fragment of the message; "" when the value passes
	}{
		{"plain", "Renew the WAF", line(10 * 2), ""},
		{"exactly the bound, counted in characters", strings.Repeat("é", 5), line(5), ""},
		{"one over", strings.Repeat("é", 6), line(5), "at most 5"},
		{"named", strings.Repeat("x", 6), line(5).named("the title"), "Keep the title to 5"},
		{"invalid UTF-8", "a\xffb", line(10), "not text"},
		{"NUL", "a\x00b", lines(10), "NUL"},
		{"newline on one line", "a\nb", line(10), "one line"},
		{"newline and tab where lines are allowed", "a\r\n\tb", lines(10), ""},
		{"other control characters never", "a\x1bb", lines(10), "control characters"},
		{"DEL", "a\x7fb", line(10), "control character"},
		{"C1 control", "a\u0085b", line(10), "control character"},
		{"markup is only text", `<script>x</script>`, line(50), ""},
	} {
		got := textProblem(tc.v, tc.f, i18n.New(i18n.English, nil))
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFieldReaderRefusesWhatDoesNotParse(t *testing.T) {
	t.Parallel()
	r := newFieldReader(url.Values{
		"account": {"first"}, "required": {"21"}, "title": {"a", "b"}, "kind": {"gpu"}, "ids": {"1,x"},
		"zero": {"0"}, "ok": {"7"},
	}, i18n.New(i18n.English, nil))
	if n, _ := r.id("account", "bad account"); n != 0 || r.errs["account"] != "bad account" {
		t.Errorf("account: %d, %q", n, r.errs["account"])
	}
	if _, raw := r.number("required", 1, 20, "bad count"); raw != "21" || r.errs["required"] != "bad count" {
		t.Errorf("required: %q, %q", raw, r.errs["required"])
	}
	if r.text("title", line(10)); !strings.Contains(r.errs["title"], "more than once") {
		t.Errorf("title: %q", r.errs["title"])
	}
	if r.choice("kind", "bad kind", "flexdb", "cos"); r.errs["kind"] != "bad kind" {
		t.Errorf("kind: %q", r.errs["kind"])
	}
	if r.ids("ids", "bad ids"); r.errs["ids"] != "bad ids" {
		t.Errorf("ids: %q", r.errs["ids"])
	}
	if n, _ := r.id("zero", "bad zero"); n != 0 || r.errs["zero"] != "bad zero" {
		t.Errorf("zero: %d, %q", n, r.errs["zero"])
	}
	if n, _ := r.id("ok", "bad"); n != 7 || r.errs["ok"] != "" {
		t.Errorf("ok: %d, %q", n, r.errs["ok"])
	}
	if n, _ := r.id("missing", "bad"); n != 0 || r.errs["missing"] != "" {
		t.Errorf("an absent optional id is no error: %d, %q", n, r.errs["missing"])
	}
}

// The last resort: even on a page whose handler reads nothing, a query or
// form carrying bytes that are not text is refused with 400 and a message.
func TestGuardRefusesBytesThatAreNotText(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Deps{Log: discard()})
	c := newClient(t, srv.URL)
	for _, q := range []string{"next=%00", "next=%FF", "%FF=1", "a=1&b=x%00y"} {
		resp, body := c.get("/login?" + q)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not text") {
			t.Errorf("GET /login?%s: %d\n%s", q, resp.StatusCode, body)
		}
	}
	for _, v := range []string{"a\x00b", "a\xc3b"} {
		resp, body := c.post("/login", url.Values{"username": {v}, "password": {"x"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `the field &#34;username&#34;`) {
			t.Errorf("POST /login with %q: %d\n%s", v, resp.StatusCode, body)
		}
	}
}
