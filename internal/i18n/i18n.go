// Package i18n holds the console's words in English and Simplified Chinese
// and the reader's language and time zone. The words are message catalogs,
// files in locales/ embedded into the binary (go-i18n's TOML form: a key and
// its text, or a key with CLDR plural forms), plus the English catalogs the
// domain keeps beside itself (fault's refusals, orders' summary words),
// registered by the caller with AddEnglish so that a domain package adds a
// key without touching a locale file. {name} in a text stands for the
// argument of that name, as in fault's catalog.
//
// A Localizer is one reader's language and time zone; the web puts one in
// every request's context and templates ask it for words with T.
package i18n

import (
	"embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// The languages the console speaks, English first: it is the fallback for
// a key a language lacks and for a reader whose language we do not speak.
var (
	English = language.English
	Chinese = language.MustParse("zh-CN")
	// Supported is every language, in the order the switch offers them.
	Supported = []language.Tag{English, Chinese}
	matcher   = language.NewMatcher(Supported)
)

// LangCode is the stored and shown code of a language: "en" or "zh-CN".
func LangCode(t language.Tag) string {
	if t == Chinese {
		return "zh-CN"
	}
	return "en"
}

// ParseLang returns the language a stored or submitted code names, and
// false for anything the console does not speak.
func ParseLang(code string) (language.Tag, bool) {
	switch code {
	case "en":
		return English, true
	case "zh-CN":
		return Chinese, true
	}
	return English, false
}

// Match picks the language for an Accept-Language header: the best of the
// supported ones, English when nothing matches or the header is unreadable.
func Match(acceptLanguage string) language.Tag {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return Supported[idx]
}

var (
	mu      sync.RWMutex
	bundle  = mustLoad()
	english = map[string]string{} // every key's English: files and AddEnglish
	pages   = map[string]bool{}   // the keys of en.toml (the pages' own words)
	chinese = map[string]string{} // every key zh-CN.toml holds
	plurals = map[string]bool{}   // keys with plural forms
)

// mustLoad reads the embedded files. They are part of the build: a broken
// one fails every test at once, so it panics rather than returns.
func mustLoad() *goi18n.Bundle {
	b, err := load()
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return b
}

func load() (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range []string{"locales/en.toml", "locales/zh-CN.toml"} {
		mf, err := b.LoadMessageFileFS(localeFiles, name)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		into := english
		if strings.HasSuffix(name, "zh-CN.toml") {
			into = chinese
		}
		for _, m := range mf.Messages {
			into[m.ID] = m.Other
			if name == "locales/en.toml" {
				pages[m.ID] = true
			}
			if m.One != "" {
				plurals[m.ID] = true
			}
		}
	}
	return b, nil
}

// AddEnglish registers a domain catalog's English under prefix ("" keeps
// the keys as they are): fault.Catalog, orders' summary words. A key the
// files already hold is an error, so two catalogs never disagree.
func AddEnglish(prefix string, catalog map[string]string) error {
	mu.Lock()
	defer mu.Unlock()
	msgs := make([]*goi18n.Message, 0, len(catalog))
	for _, k := range slices.Sorted(maps.Keys(catalog)) {
		id := prefix + k
		if old, ok := english[id]; ok && old != catalog[k] {
			return fmt.Errorf("i18n: key %q is in two catalogs", id)
		}
		english[id] = catalog[k]
		msgs = append(msgs, &goi18n.Message{ID: id, Other: catalog[k]})
	}
	forgetTexts()
	return bundle.AddMessages(English, msgs...)
}

// Keys returns every key a language holds, for the tests that hold the
// two catalogs to each other and to the code.
func Keys(t language.Tag) []string {
	mu.RLock()
	defer mu.RUnlock()
	if t == Chinese {
		return slices.Sorted(maps.Keys(chinese))
	}
	return slices.Sorted(maps.Keys(english))
}

// PageKeys returns the keys of en.toml, the pages' own words (the domain's
// are registered with AddEnglish), for the test that finds unused keys.
func PageKeys() []string {
	mu.RLock()
	defer mu.RUnlock()
	return slices.Sorted(maps.Keys(pages))
}

// fill replaces each {name} of text that args names with its argument (as
// fault.Fill does: i18n is a leaf and cannot import it). One scan, no
// strings.Replacer built per call: a list page fills hundreds of texts.
func fill(text string, args map[string]string) string {
	if len(args) == 0 || !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open+1:], '}')
		if end < 0 {
			break
		}
		if v, ok := args[text[open+1:open+1+end]]; ok {
			b.WriteString(text[:open])
			b.WriteString(v)
			text = text[open+end+2:]
			continue
		}
		b.WriteString(text[:open+1])
		text = text[open+1:]
	}
	b.WriteString(text)
	return b.String()
}

// Args turns name, value pairs into a map of arguments.
func Args(pairs ...string) map[string]string {
	if len(pairs) == 0 {
		return nil
	}
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}
