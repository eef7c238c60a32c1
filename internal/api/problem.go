package api

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Problem is an RFC 9457 problem detail, the body of every error answer.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Kind is the vocabulary's word for the refusal (not_found, conflict,
	// stale, invalid, refused, unauthorized, rate_limited, unavailable,
	// internal): what a script branches on.
	Kind string `json:"kind"`
	// Errors name each field that needs attention, by its path in the
	// request ("params.Goods[0].GoodsDetail.TimeUnit").
	Errors    []FieldProblem `json:"errors,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
}

// FieldProblem is one field's problem.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// The kinds, each with its status. One table: when the domain's error
// vocabulary lands, problemFor maps its kinds onto these rows.
var kinds = map[string]int{
	"invalid":      http.StatusUnprocessableEntity,
	"stale":        http.StatusConflict,
	"bad_request":  http.StatusBadRequest,
	"unauthorized": http.StatusUnauthorized,
	"refused":      http.StatusForbidden,
	"not_found":    http.StatusNotFound,
	"conflict":     http.StatusConflict,
	"rate_limited": http.StatusTooManyRequests,
	"unavailable":  http.StatusServiceUnavailable,
	"internal":     http.StatusInternalServerError,
}

func newProblem(kind, detail string, fields map[string]string) Problem {
	status := kinds[kind]
	p := Problem{Type: "urn:dealdesk:problem:" + kind, Title: http.StatusText(status), Status: status, Kind: kind, Detail: detail}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p.Errors = append(p.Errors, FieldProblem{Field: k, Detail: fields[k]})
	}
	return p
}

// inputError is a request the API could not read: bad JSON, a path id that
// is no id, a query value out of range. Its text is safe to show.
type inputError struct {
	kind   string // "bad_request" or "invalid"
	detail string
	fields map[string]string
}

func (e *inputError) Error() string { return "api: " + e.detail }

func badRequest(detail string) error { return &inputError{kind: "bad_request", detail: detail} }

func invalid(fields map[string]string) error {
	return &inputError{kind: "invalid", detail: "Some fields need attention; see errors.", fields: fields}
}

// refusal is the API's own refusal (a missing scope, a bad token, the rate
// limit), with a safe text.
type refusal struct {
	kind       string
	detail     string
	retryAfter int // seconds, for rate_limited
}

func (e *refusal) Error() string { return "api: refused: " + e.detail }

// faultKinds names each kind of the domain's refusals (internal/fault) in
// the API's vocabulary; a stale read is a conflict with its own kind.
var faultKinds = map[fault.Kind]string{
	fault.Invalid: "invalid", fault.Refused: "refused", fault.Conflict: "conflict",
	fault.Stale: "stale", fault.NotFound: "not_found", fault.Unavailable: "unavailable",
}

// problemFor is the one place an error becomes an answer: the domain's
// refusals (fault) keep their safe text and get their status from their
// kind; anything else is an internal error whose text is never shown.
func problemFor(err error) Problem {
	var (
		in  *inputError
		ref *refusal
		he  *echo.HTTPError
	)
	switch {
	case errors.As(err, &in):
		return newProblem(in.kind, in.detail, in.fields)
	case errors.As(err, &ref):
		return newProblem(ref.kind, ref.detail, nil)
	case errors.Is(err, auth.ErrTokenInvalid):
		return newProblem("unauthorized", "The bearer token is unknown, expired or revoked.", nil)
	}
	if fe, ok := fault.AsFields(err); ok {
		return newProblem("invalid", "Some fields need attention; see errors.", apiFields(fe))
	}
	if fe, ok := fault.As(err); ok {
		if kind, known := faultKinds[fe.Kind]; known {
			return newProblem(kind, fe.Msg.String(), nil)
		}
	}
	switch {
	case errors.Is(err, db.ErrNotFound):
		return newProblem("not_found", "There is no such resource.", nil)
	case errors.Is(err, db.ErrConflict):
		return newProblem("conflict", "That conflicts with what is stored; reload and try again.", nil)
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return newProblem("not_found", "There is no such resource.", nil)
		case http.StatusMethodNotAllowed:
			p := newProblem("bad_request", "That method is not allowed here.", nil)
			p.Status, p.Title = http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed)
			return p
		case http.StatusRequestEntityTooLarge:
			p := newProblem("bad_request", "The request body is too large.", nil)
			p.Status, p.Title = he.Code, http.StatusText(he.Code)
			return p
		}
	}
	return newProblem("internal", "Something went wrong on our side; quote the request id if you report it.", nil)
}

// apiFields renames the domain's field names to the request body's: the
// order's own fields by their JSON names, Tencent Cloud parameters under
// "params.", filters and token fields as they are.
func apiFields(fe fault.Fields) map[string]string {
	out := make(map[string]string, len(fe))
	for k, m := range fe {
		switch k {
		case "title", "justification", "product", "params", "comment", "note", "not_duplicate", "reason",
			"requester", "approver", "actor", "name", "days", "scopes", "roles":
		case "account":
			k = "account_id"
		case "Region":
			k = "region"
		default:
			k = "params." + k
		}
		out[k] = m.String()
	}
	return out
}

// handleError writes err as problem+json and logs it: refusals at info,
// anything else (a 5xx) at error with its cause.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		logger(c).Error("api: error after the answer started", "err", err)
		return
	}
	p := problemFor(err)
	p.RequestID = requestID(c)
	var ref *refusal
	if errors.As(err, &ref) && ref.retryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(ref.retryAfter))
	}
	if p.Status >= 500 {
		logger(c).Error("api: request failed", "status", p.Status, "err", err)
		if s.deps.OnServerError != nil {
			s.deps.OnServerError(p.Status, err)
		}
	} else {
		logger(c).Info("api: request refused", "status", p.Status, "kind", p.Kind, "err", err)
	}
	if strings.EqualFold(c.Request().Method, http.MethodHead) {
		_ = c.NoContent(p.Status)
		return
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	_ = jsonEncoder(c.Response()).Encode(p)
}
