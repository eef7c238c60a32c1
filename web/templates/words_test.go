package templates

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	parser "github.com/a-h/templ/parser/v2"
	"github.com/a-h/templ/parser/v2/visitor"
)

// TestNoLiteralWordsInTemplates is the extractor: it parses every templ
// file and fails on human-readable text written in it instead of taken
// from the catalog with T: text between tags, the attributes people read
// (placeholder, title, aria-label, alt, label) and Go string literals of
// several words or given as a Label, Hint, Placeholder or Title. Code-like
// tokens pass: numbers, punctuation, identifiers with digits, dots,
// slashes or underscores, CamelCase API names (ClientToken), upper-case
// codes (CSV, UTC), and a language's own name on the language switch.
func TestNoLiteralWordsInTemplates(t *testing.T) {
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templ files: %v", err)
	}
	for _, f := range files {
		for _, lit := range literalWords(t, f) {
			t.Errorf("%s: %q is shown to people but is not in the catalog; use T(ctx, key) and add the key to internal/i18n/locales", f, lit)
		}
	}
}

// TestTheExtractorFindsLiterals keeps the extractor honest: it must flag
// what a person reads and pass what is code.
func TestTheExtractorFindsLiterals(t *testing.T) {
	for s, want := range map[string]bool{
		"Sign out": true, "Order #": true, "← Orders": true, "approvals of version": true,
		"X-TC-Action": false, "ClientToken": false, "CSV": false, "#": false, "·": false, "(": false,
		"sha256": false, "ap-guangzhou": false, "2026-01-31": false, "Dealdesk": false, "English": false,
	} {
		if got := humanText(s); got != want {
			t.Errorf("humanText(%q) = %v, want %v", s, got, want)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "x.templ")
	src := "package templates\n\ntempl X() {\n\t<p title=\"Hover words\">Some words { T(ctx, \"a.b\") }</p>\n\t@Field(FieldView{Label: \"Name\", ID: \"name\"})\n}\n"
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(literalWords(t, p), "|")
	if got != "Hover words|Some words|Name" && got != "Some words|Hover words|Name" {
		t.Errorf("found %q", got)
	}
}

var (
	readAttrs = map[string]bool{"placeholder": true, "title": true, "aria-label": true, "alt": true, "label": true}
	camel     = regexp.MustCompile(`^[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*$`)
	goString  = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	labelled  = regexp.MustCompile(`(Label|Hint|Placeholder|Title|Legend|Caption|Empty|Text|Summary):\s*$`)
	// Names of languages, written in themselves on the switch.
	ownNames = map[string]bool{"English": true, "简体中文": true, "Dealdesk": true}
)

// humanText reports whether s holds a word a person reads.
func humanText(s string) bool {
	s = html.UnescapeString(s)
	if ownNames[strings.TrimSpace(s)] {
		return false
	}
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_./-", r)
	})
	for _, w := range words {
		w = strings.Trim(w, ".-/")
		switch {
		case w == "" || ownNames[w] || strings.ContainsAny(w, "_./-0123456789"),
			camel.MatchString(w), len(w) > 1 && strings.ToUpper(w) == w:
			continue
		}
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			return true
		}
	}
	return false
}

func literalWords(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path) //nolint:gosec // G304: the package's own templates
	if err != nil {
		t.Fatal(err)
	}
	tf, err := parser.ParseString(string(src))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var found []string
	v := visitor.New()
	text := v.Text
	v.Text = func(n *parser.Text) error {
		if humanText(n.Value) {
			found = append(found, strings.Join(strings.Fields(html.UnescapeString(n.Value)), " "))
		}
		return text(n)
	}
	element := v.Element
	v.Element = func(n *parser.Element) error {
		for _, a := range n.Attributes {
			if ca, ok := a.(*parser.ConstantAttribute); ok && readAttrs[ca.Key.String()] && humanText(ca.Value) {
				found = append(found, ca.Value)
			}
		}
		return element(n)
	}
	goExpr := func(e parser.Expression) {
		for _, m := range goString.FindAllStringSubmatchIndex(e.Value, -1) {
			lit, before := e.Value[m[2]:m[3]], e.Value[:m[0]]
			isLabel := labelled.MatchString(before)
			if strings.HasSuffix(before, "Placeholder: ") && !strings.Contains(lit, " ") {
				continue // an example value, such as ap-guangzhou
			}
			if (strings.Contains(strings.TrimSpace(lit), " ") || isLabel) && humanText(lit) {
				found = append(found, lit)
			}
		}
	}
	call, elem, str, attr, code := v.CallTemplateExpression, v.TemplElementExpression, v.StringExpression, v.ExpressionAttribute, v.GoCode
	v.CallTemplateExpression = func(n *parser.CallTemplateExpression) error { goExpr(n.Expression); return call(n) }
	v.TemplElementExpression = func(n *parser.TemplElementExpression) error { goExpr(n.Expression); return elem(n) }
	v.StringExpression = func(n *parser.StringExpression) error { goExpr(n.Expression); return str(n) }
	v.ExpressionAttribute = func(n *parser.ExpressionAttribute) error { goExpr(n.Expression); return attr(n) }
	v.GoCode = func(n *parser.GoCode) error { goExpr(n.Expression); return code(n) }
	if err := tf.Visit(v); err != nil {
		t.Fatal(err)
	}
	return found
}
