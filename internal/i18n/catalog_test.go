package i18n_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dealdesk/internal/fault"
	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// register adds the domain's English the way web does at start.
func register(t *testing.T) {
	t.Helper()
	if err := i18n.AddEnglish("", fault.Catalog); err != nil {
		t.Fatal(err)
	}
	if err := i18n.AddEnglish("summary.", orders.SummaryCatalog()); err != nil {
		t.Fatal(err)
	}
	if err := i18n.AddEnglish(history.CatalogPrefix, history.Catalog()); err != nil {
		t.Fatal(err)
	}
	if err := i18n.AddEnglish(tcapi.CatalogPrefix, tcapi.Catalog); err != nil {
		t.Fatal(err)
	}
}

// TestEveryKeyInBothLanguages fails when a key has English but no Chinese
// (a page would fall back to English) or Chinese but no English (a key
// nobody says any more, or a typo).
func TestEveryKeyInBothLanguages(t *testing.T) {
	register(t)
	en, zh := i18n.Keys(i18n.English), i18n.Keys(i18n.Chinese)
	for _, k := range en {
		if !slices.Contains(zh, k) {
			t.Errorf("%s has no Chinese in locales/zh-CN.toml", k)
		}
	}
	for _, k := range zh {
		if !slices.Contains(en, k) {
			t.Errorf("%s is in zh-CN.toml but has no English (unused or misspelt)", k)
		}
	}
}

// keyUse finds a catalog key written in code: T(ctx, "k"), N(ctx, "k",
// tr(c, "k"), loc.T("k"), Safe: "k".
var keyUse = regexp.MustCompile(`(?:\bT\(ctx, |\bN\(ctx, |\btr\(c, |\.T\(|\.N\(|Safe: )"([a-z0-9_.]+)"`)

// dynamicPrefixes are keys the code builds from a value (an HTTP status).
var dynamicPrefixes = []string{"status.", "order_status.", "product_label.", "product_description."}

// TestPageKeysAreUsedAndKnown fails when a template or handler names a key
// no catalog holds, or when a key of the page catalog (en.toml) is used by
// no template, handler or command.
func TestPageKeysAreUsedAndKnown(t *testing.T) {
	register(t)
	root := filepath.Join("..", "..")
	used := map[string]bool{}
	var sources []string
	for _, dir := range []string{"web/templates", "internal/web", "cmd/console"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*"))
		for _, f := range files {
			if strings.HasSuffix(f, "_templ.go") || strings.HasSuffix(f, "_test.go") ||
				(!strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, ".templ")) {
				continue
			}
			b, err := os.ReadFile(f) //nolint:gosec // G304: the repository's own sources
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, string(b))
			for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = true
			}
		}
	}
	en := i18n.Keys(i18n.English)
	for k := range used {
		if !slices.Contains(en, k) {
			t.Errorf("%q is used in the code but no catalog holds it", k)
		}
	}
	all := strings.Join(sources, "\n")
	for _, k := range i18n.PageKeys() {
		if used[k] || strings.Contains(all, `"`+k+`"`) {
			continue
		}
		if slices.ContainsFunc(dynamicPrefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		t.Errorf("%s is in locales/en.toml but nothing uses it", k)
	}
}
