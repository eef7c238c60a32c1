package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/web/templates"
)

// SafeError is an error whose Safe text may be shown to the user; the wrapped
// cause goes only to the logs.
type SafeError struct {
	Status int
	Safe   string
	Err    error
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
	status, msg := classify(err)
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
		Page:      s.page(c, http.StatusText(status)),
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
func refusalText(err error) string {
	if e, ok := fault.As(err); ok {
		return e.Msg.String()
	}
	if fe, ok := fault.AsFields(err); ok {
		return oneText(fe)
	}
	return ""
}

// oneText summarises field errors for a page that cannot show them by
// field.
func oneText(fe fault.Fields) string {
	if len(fe) == 1 {
		for k, m := range fe {
			return k + ": " + m.String()
		}
	}
	return "Some fields need attention; see the messages next to them."
}

// movedOn returns the message of a refusal answered with 409 (the thing
// moved on, or its state forbids the move), which a form shows on the page
// itself rather than on the error page.
func movedOn(err error) (string, bool) {
	if e, ok := fault.As(err); ok && e.Kind.Conflicting() {
		return e.Msg.String(), true
	}
	return "", false
}

// classify picks the status and the words a person sees.
func classify(err error) (int, string) {
	var safe *SafeError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &safe):
		return safe.Status, safe.Safe
	case fault.KindOf(err) != 0:
		st, _ := StatusOf(err)
		return st, refusalText(err)
	case errors.Is(err, db.ErrNotFound):
		return http.StatusNotFound, "We could not find what you asked for."
	case errors.Is(err, db.ErrConflict):
		return http.StatusConflict, "That conflicts with something that already exists."
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "There is no page at this address."
		case http.StatusMethodNotAllowed:
			return he.Code, "This page does not accept that kind of request."
		case http.StatusRequestEntityTooLarge:
			return he.Code, "What you sent is larger than the console accepts."
		case http.StatusForbidden:
			return he.Code, "You do not have permission to do that."
		case http.StatusBadRequest:
			return he.Code, "The request could not be understood."
		}
		if he.Code < 500 {
			return he.Code, http.StatusText(he.Code)
		}
	}
	return http.StatusInternalServerError, "Something went wrong on our side. Nothing was changed by this request; try again, and quote the reference below if it keeps happening."
}

// fieldTexts is the field errors in err, in English, or nil when err holds
// none.
func fieldTexts(err error) map[string]string {
	if fe, ok := fault.AsFields(err); ok {
		return fe.Texts()
	}
	return nil
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
