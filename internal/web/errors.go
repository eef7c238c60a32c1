package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/web/templates"
)

// SafeError is an error whose Safe text may be shown to the user; the wrapped
// cause goes only to the logs. Safe is a catalog key (shown in the reader's
// language) or, for words made elsewhere, the text itself.
type SafeError struct {
	Status int
	Safe   string
	// Args are name, value pairs filling the {name}s of Safe's text.
	Args []string
	Err  error
}

func (e *SafeError) Error() string {
	if e.Err != nil {
		return e.Safe + ": " + e.Err.Error()
	}
	return e.Safe
}

func (e *SafeError) Unwrap() error { return e.Err }

// handleError is the one place errors become responses: it logs the cause
// with the request id and shows a message that is safe to show.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		logger(c).Error("error after response started", "err", err)
		s.serverError(c.Response().Status, err)
		return
	}
	loc := i18n.From(c.Request().Context())
	status, msg := classify(loc, err)
	log := logger(c)
	if status >= 500 {
		s.serverError(status, err)
		log.Error("request failed", "status", status, "err", err)
	} else {
		log.Info("request refused", "status", status, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	v := templates.ErrorView{
		Page:      s.page(c, statusText(loc, status)),
		Status:    status,
		Message:   msg,
		RequestID: requestID(c),
	}
	if rerr := render(c, status, templates.Error(v)); rerr != nil {
		log.Error("render error page", "err", rerr)
	}
}

func (s *Server) serverError(status int, err error) {
	if s.deps.OnServerError != nil {
		s.deps.OnServerError(status, err)
	}
}

// KindStatus is the HTTP status of each kind of domain refusal: the one
// table, for the pages and for any other HTTP face of the domain (a JSON
// API maps the same kinds through StatusOf).
var KindStatus = map[fault.Kind]int{
	fault.Invalid:     http.StatusUnprocessableEntity,
	fault.Refused:     http.StatusForbidden,
	fault.Conflict:    http.StatusConflict,
	fault.Stale:       http.StatusConflict,
	fault.NotFound:    http.StatusNotFound,
	fault.Unavailable: http.StatusServiceUnavailable,
}

// StatusOf is the status of the refusal in err, and false when err holds
// none (an error of our own, never shown).
func StatusOf(err error) (int, bool) {
	st, ok := KindStatus[fault.KindOf(err)]
	return st, ok
}

// refusalText is the words a person sees for the refusal in err: its
// message, or for field errors shown away from their fields, a summary.
func refusalText(loc *i18n.Localizer, err error) string {
	if e, ok := fault.As(err); ok {
		return loc.Keyed(e.Msg.Key, e.Msg.Args)
	}
	if fe, ok := fault.AsFields(err); ok {
		return oneText(loc, fe)
	}
	return ""
}

// oneText summarises field errors for a page that cannot show them by
// field.
func oneText(loc *i18n.Localizer, fe fault.Fields) string {
	if len(fe) == 1 {
		for k, m := range fe {
			return k + ": " + loc.Keyed(m.Key, m.Args)
		}
	}
	return loc.T("error.some_fields_need_attention")
}

// movedOn returns the message of a refusal answered with 409 (the thing
// moved on, or its state forbids the move), which a form shows on the page
// itself rather than on the error page.
func movedOn(c echo.Context, err error) (string, bool) {
	if e, ok := fault.As(err); ok && e.Kind.Conflicting() {
		return msg(c, e.Msg), true
	}
	return "", false
}

// classify picks the status and the words a person sees, in their
// language.
func classify(loc *i18n.Localizer, err error) (int, string) {
	var safe *SafeError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &safe):
		if loc.Has(safe.Safe) {
			return safe.Status, loc.T(safe.Safe, safe.Args...)
		}
		return safe.Status, safe.Safe
	case fault.KindOf(err) != 0:
		st, _ := StatusOf(err)
		return st, refusalText(loc, err)
	case errors.Is(err, db.ErrNotFound):
		return http.StatusNotFound, loc.T("error.not_found")
	case errors.Is(err, db.ErrConflict):
		return http.StatusConflict, loc.T("error.conflict")
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, loc.T("error.no_page")
		case http.StatusMethodNotAllowed:
			return he.Code, loc.T("error.method_not_allowed")
		case http.StatusRequestEntityTooLarge:
			return he.Code, loc.T("error.too_large")
		case http.StatusForbidden:
			return he.Code, loc.T("error.forbidden")
		case http.StatusBadRequest:
			return he.Code, loc.T("error.bad_request")
		}
		if he.Code < 500 {
			return he.Code, statusText(loc, he.Code)
		}
	}
	return http.StatusInternalServerError, loc.T("error.internal")
}

// statusText names an HTTP status in the reader's language (net/http's
// English for a status the catalog does not name).
func statusText(loc *i18n.Localizer, status int) string {
	if k := "status." + strconv.Itoa(status); loc.Has(k) {
		return loc.T(k)
	}
	return http.StatusText(status)
}

// fieldTexts is the field errors in err, in the reader's language, or nil
// when err holds none.
func fieldTexts(c echo.Context, err error) map[string]string {
	fe, ok := fault.AsFields(err)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(fe))
	for k, m := range fe {
		out[k] = msg(c, m)
	}
	return out
}

// inputFields are the input boundary's own field errors (fields.go) as a
// refusal, for handlers that answer them the way they answer the domain's.
func inputFields(errs map[string]string) fault.Fields {
	fe := make(fault.Fields, len(errs))
	for k, text := range errs {
		fe[k] = fault.Text("web.input", text)
	}
	return fe
}
