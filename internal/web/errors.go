package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/accounts"
	"dealdesk/internal/db"
	"dealdesk/internal/orders"
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

// orderRefusal is a domain refusal from internal/orders: its message is safe
// to show and its kind picks the status.
type orderRefusal interface {
	error
	SafeMessage() string
	ErrorKind() orders.Kind
}

var orderKindStatus = map[orders.Kind]int{
	orders.KindInvalid:   http.StatusUnprocessableEntity,
	orders.KindForbidden: http.StatusForbidden,
	orders.KindConflict:  http.StatusConflict,
	orders.KindNotFound:  http.StatusNotFound,
}

// classify picks the status and the words a person sees.
func classify(err error) (int, string) {
	var safe *SafeError
	var he *echo.HTTPError
	var refusal orderRefusal
	var accountRefusal *accounts.Refusal
	switch {
	case errors.As(err, &safe):
		return safe.Status, safe.Safe
	case errors.As(err, &refusal):
		return orderKindStatus[refusal.ErrorKind()], refusal.SafeMessage()
	case errors.As(err, &accountRefusal) && accountRefusal.Message != "":
		return http.StatusConflict, accountRefusal.Message
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
