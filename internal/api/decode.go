package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// maxBody bounds a request body (web's body limit is the outer bound).
const maxBody = 1 << 20

// readBody reads the request's JSON body (which must be one JSON object)
// and returns its bytes.
func readBody(c echo.Context) ([]byte, error) {
	if ct := c.Request().Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != echo.MIMEApplicationJSON {
			return nil, badRequest("Send the body as application/json.")
		}
	}
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBody+1))
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	if len(b) > maxBody {
		return nil, badRequest("The request body is too large.")
	}
	return b, nil
}

// decode reads the body into v strictly: one JSON object, no unknown
// fields, each field of the right type. An empty body is an empty object
// for the moves that need nothing (withdraw).
func decode(c echo.Context, v any) ([]byte, error) {
	b, err := readBody(c)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("{}")
	}
	if !utf8.Valid(b) {
		return nil, badRequest("The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, invalid(map[string]string{te.Field: "Expected " + jsonType(te.Type.Kind().String()) + "."})
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, invalid(map[string]string{strings.Trim(f, `"`): "No such field."})
		}
		return nil, badRequest("The request body is not a JSON object of the expected shape.")
	}
	if dec.More() {
		return nil, badRequest("The request body holds more than one JSON value.")
	}
	return b, nil
}

func jsonType(kind string) string {
	switch kind {
	case "int", "int32", "int64", "uint", "uint64":
		return "an integer"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return "a " + kind
}

// pathID reads :id; anything but a positive integer is the same 404 as a
// missing order.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// query reads query parameters, collecting what is wrong by name.
type query struct {
	v    url.Values
	errs map[string]string
}

func newQuery(c echo.Context, allowed ...string) *query {
	q := &query{v: c.QueryParams(), errs: map[string]string{}}
	for k := range q.v {
		known := false
		for _, a := range allowed {
			known = known || a == k
		}
		if !known {
			q.errs[k] = "No such parameter."
		}
	}
	return q
}

func (q *query) text(name string, maxLen int) string {
	s := q.v.Get(name)
	switch {
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		q.errs[name] = "Use plain text on one line."
		return ""
	case utf8.RuneCountInString(s) > maxLen:
		q.errs[name] = fmt.Sprintf("Keep it to %d characters.", maxLen)
		return ""
	}
	return strings.TrimSpace(s)
}

func (q *query) id(name string) int64 {
	s := q.v.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		q.errs[name] = "Expected a positive integer."
		return 0
	}
	return n
}

// date reads YYYY-MM-DD or an RFC 3339 time.
func (q *query) date(name string) time.Time {
	s := q.v.Get(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC()
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.errs[name] = "Expected a date (2026-11-30) or an RFC 3339 time."
	}
	return t.UTC()
}

func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return invalid(q.errs)
}
