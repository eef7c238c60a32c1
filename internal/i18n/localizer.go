package i18n

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Localizer is one reader's language and time zone.
type Localizer struct {
	lang language.Tag
	zone *time.Location
	*words
}

// words is what every reader of one language shares: go-i18n's localizer,
// the number printer and the texts already looked up. Every request gets a
// Localizer and a page asks it for hundreds of texts: building these per
// request, and resolving every text through go-i18n at every call, was a
// large part of a list page's CPU (issue 21).
type words struct {
	loc     *goi18n.Localizer
	printer *message.Printer
	texts   sync.Map // key → its text, for keys a catalog holds
}

// wordsEN and wordsZH are the languages' shared words, made at first use
// and dropped when a catalog is added (AddEnglish, at start).
var wordsEN, wordsZH atomic.Pointer[words]

func wordsFor(lang language.Tag) *words {
	p := &wordsEN
	if lang == Chinese {
		p = &wordsZH
	}
	if w := p.Load(); w != nil {
		return w
	}
	w := &words{loc: goi18n.NewLocalizer(bundle, lang.String(), English.String()), printer: message.NewPrinter(lang)}
	if p.CompareAndSwap(nil, w) {
		return w
	}
	return p.Load()
}

// forgetTexts drops the looked-up texts after a catalog changed.
func forgetTexts() {
	wordsEN.Store(nil)
	wordsZH.Store(nil)
}

// New returns the localizer for a language and a time zone (nil is UTC).
func New(lang language.Tag, zone *time.Location) *Localizer {
	if zone == nil {
		zone = time.UTC
	}
	if lang != Chinese {
		lang = English
	}
	return &Localizer{lang: lang, zone: zone, words: wordsFor(lang)}
}

// Lang is the language's code for <html lang> and the stored setting.
func (l *Localizer) Lang() string { return LangCode(l.lang) }

// Tag is the language.
func (l *Localizer) Tag() language.Tag { return l.lang }

// Zone is the reader's time zone.
func (l *Localizer) Zone() *time.Location { return l.zone }

// ZoneName names the reader's time zone as the pages do: its IANA name.
func (l *Localizer) ZoneName() string { return l.zone.String() }

// identity leaves a text's {name} alone for fill: go-i18n's own templates
// would read a text that happens to hold "{{" as a Go template.
var identity = template.IdentityParser{}

// T is the text of key with its arguments given as name, value pairs. A
// key no catalog holds shows as the key itself, which the catalog tests
// make impossible for keys written in the code.
func (l *Localizer) T(key string, pairs ...string) string {
	return l.TArgs(key, Args(pairs...))
}

// TArgs is T with the arguments as a map (fault.Msg, orders.Phrase).
func (l *Localizer) TArgs(key string, args map[string]string) string {
	if s, ok := l.texts.Load(key); ok {
		return fill(s.(string), args)
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateParser: identity})
	if err != nil {
		return key
	}
	l.texts.Store(key, s)
	return fill(s, args)
}

// Has reports whether any catalog holds key.
func (l *Localizer) Has(key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := english[key]
	return ok
}

// N is the plural text of key for count n (CLDR forms: English has one and
// other, Chinese only other); {count} is n with the language's grouping.
func (l *Localizer) N(key string, n int, pairs ...string) string {
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateParser: identity})
	if err != nil {
		return key
	}
	args := Args(pairs...)
	if args == nil {
		args = map[string]string{}
	}
	args["count"] = l.Int(int64(n))
	return fill(s, args)
}

// Int is a whole number with the language's thousands separators.
func (l *Localizer) Int(n int64) string {
	return l.printer.Sprint(number.Decimal(n))
}

// CNY is an amount in fen as yuan with two decimals and the language's
// grouping: "CN¥1,234.50" in English, "¥1,234.50" in Chinese.
func (l *Localizer) CNY(fen int64) string {
	sign := ""
	if fen < 0 {
		sign = "-"
		fen = -fen
	}
	yuan := l.printer.Sprint(number.Decimal(fen / 100))
	cents := strconv.FormatInt(100+fen%100, 10)[1:]
	symbol := "CN¥"
	if l.lang == Chinese {
		symbol = "¥"
	}
	return sign + symbol + yuan + "." + cents
}

// Time is a moment in the reader's zone, to the minute, with the zone's
// abbreviation (CST, UTC) so a copied line still says which zone it is.
func (l *Localizer) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.zone).Format("2006-01-02 15:04 MST")
}

// Date is the reader's calendar day of a moment.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.zone).Format("2006-01-02")
}

type ctxKey struct{}

// defaultLocalizer is English in UTC, for a context nobody localized (a
// job, a test rendering a component on its own).
var defaultLocalizer = New(English, time.UTC)

// With returns ctx carrying l.
func With(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the context's localizer, English in UTC when there is none.
func From(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok && l != nil {
		return l
	}
	return defaultLocalizer
}

// T is From(ctx).T: the words templates use.
func T(ctx context.Context, key string, pairs ...string) string {
	return From(ctx).T(key, pairs...)
}

// Keyed is the text of a domain message (fault.Msg, orders.Phrase): its
// key's text with its arguments, or, for a key no catalog holds (words
// made elsewhere, such as a code nobody has named), its "text" argument.
func (l *Localizer) Keyed(key string, args map[string]string) string {
	if !l.Has(key) {
		return args["text"]
	}
	return l.TArgs(key, args)
}
