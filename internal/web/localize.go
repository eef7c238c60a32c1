package web

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
	"dealdesk/web/static"
)

// langCookie keeps the language a visitor chose before signing in (the
// sign-in page's switch); a signed-in person's choice is on their profile.
const langCookie = "dealdesk_lang"

const ctxLocalizer = "localizer"

// registerDomainWords adds the domain's English catalogs to i18n's, once:
// fault's refusals under their own keys, the summary words under
// "summary.", tcapi's field messages under "tcapi.field.", the audit log's
// sentences under "audit.".
var registerDomainWords = sync.OnceValue(func() error {
	if err := i18n.AddEnglish("", fault.Catalog); err != nil {
		return err
	}
	if err := i18n.AddEnglish("summary.", orders.SummaryCatalog()); err != nil {
		return err
	}
	if err := i18n.AddEnglish(tcapi.CatalogPrefix, tcapi.Catalog); err != nil {
		return err
	}
	return i18n.AddEnglish(history.CatalogPrefix, history.Catalog())
})

func init() {
	if err := registerDomainWords(); err != nil {
		panic(err)
	}
}

// localize puts the reader's localizer in the request's context, where
// templates find it: the language of their profile, else the sign-in
// page's choice, else the browser's Accept-Language; the zone of their
// profile, else CONSOLE_DEFAULT_TIMEZONE. Static files, health checks,
// metrics and the JSON API need none and skip the session load.
func (s *Server) localize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if strings.HasPrefix(p, static.Prefix) || strings.HasPrefix(p, apiPrefix) ||
			p == "/healthz" || p == "/readyz" || p == "/metrics" {
			return next(c)
		}
		s.setLocalizer(c)
		return next(c)
	}
}

// setLocalizer (re)builds the request's localizer from who is signed in.
func (s *Server) setLocalizer(c echo.Context) *i18n.Localizer {
	var lang, zone string
	if u, err := s.currentUser(c); err == nil && u != nil {
		lang, zone = u.Language, u.TimeZone
	}
	tag, ok := i18n.ParseLang(lang)
	if !ok {
		if ck, err := c.Cookie(langCookie); err == nil {
			tag, ok = i18n.ParseLang(ck.Value)
		}
	}
	if !ok {
		tag = i18n.Match(c.Request().Header.Get("Accept-Language"))
	}
	l := i18n.New(tag, s.zone(zone))
	c.Set(ctxLocalizer, l)
	c.SetRequest(c.Request().WithContext(i18n.With(c.Request().Context(), l)))
	return l
}

// zones caches loaded time zones by name: time.LoadLocation reads and
// parses the zone's file at every call.
var zones sync.Map

// zone is the named zone, or the console's default for "" or a name that
// no longer loads.
func (s *Server) zone(name string) *time.Location {
	if name == "" {
		return s.deps.DefaultZone
	}
	if z, ok := zones.Load(name); ok {
		return z.(*time.Location)
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return s.deps.DefaultZone
	}
	zones.Store(name, z)
	return z
}

// tr is the reader's words for key: the words handlers put in titles,
// flashes and error pages come from the catalogs too.
func tr(c echo.Context, key string, pairs ...string) string {
	return i18n.From(c.Request().Context()).T(key, pairs...)
}

// msg is a domain message in the reader's language.
func msg(c echo.Context, m fault.Msg) string {
	return i18n.From(c.Request().Context()).Keyed(m.Key, m.Args)
}

// setLangCookie remembers an anonymous visitor's language for a year.
func (s *Server) setLangCookie(c echo.Context, code string) {
	//nolint:gosec // G124: Secure follows the request's scheme, as the session cookie's does; HttpOnly and SameSite are set
	c.SetCookie(&http.Cookie{
		Name: langCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(c.Request()),
	})
}

// statusLabel is an order's status in the reader's words ("order_status."
// keys; the domain's English for a status the catalog does not name).
func statusLabel(c echo.Context, st orders.Status) string {
	if k := "order_status." + string(st); i18n.From(c.Request().Context()).Has(k) {
		return tr(c, k)
	}
	return st.Label()
}

// productLabel is a product's name in the reader's words, as Tencent
// Cloud's console in that language names it ("product_label." keys).
func productLabel(c echo.Context, p orders.Product) string {
	if k := "product_label." + string(p); i18n.From(c.Request().Context()).Has(k) {
		return tr(c, k)
	}
	return p.Label()
}

// policyScope says in the reader's words what a policy covers (the
// domain's Policy.Scope is the English).
func policyScope(c echo.Context, p orders.Policy) string {
	switch {
	case p.ID == 0:
		return tr(c, "policy.scope_default", "product", productLabel(c, p.Product))
	case p.AccountID == 0:
		return tr(c, "policy.scope_every_account", "product", productLabel(c, p.Product))
	default:
		return tr(c, "policy.scope_account", "product", productLabel(c, p.Product), "account", p.AccountName)
	}
}

// productDescription is what a product buys, in the reader's words.
func productDescription(c echo.Context, p orders.Product) string {
	if k := "product_description." + string(p); i18n.From(c.Request().Context()).Has(k) {
		return tr(c, k)
	}
	return p.Spec().Description
}
