package tcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// DecodeParams reads a request body into req as strictly as the service
// does. The body must be one JSON object; member names must match the
// documented parameters exactly (encoding/json alone would accept "goods"
// for "Goods"), and none may appear twice; each value must have the
// documented type. A problem comes back as a *ValidationError whose single
// FieldError carries UnknownParameter or InvalidParameter and the path.
//
// It does not run Validate: ParseRequest does both.
func DecodeParams(body []byte, req Request) error {
	name := req.Target().Action
	fail := func(fe *FieldError) error {
		return &ValidationError{Action: name, Fields: []FieldError{*fe}}
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return fail(new(fieldError("", CodeInvalidParameter, "body_object")))
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD and hide it; the
	// bytes that arrive are what must be text.
	if !utf8.Valid(body) {
		return fail(new(fieldError("", CodeInvalidParameter, "body_utf8")))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if fe := walk(dec, reflect.TypeOf(req), ""); fe != nil {
		return fail(fe)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(new(fieldError("", CodeInvalidParameter, "body_one_object")))
	}
	// walk has proved every name, type and range, so this cannot fail on
	// the body's account; an error here would be a bug in walk.
	if err := json.Unmarshal(body, req); err != nil {
		return fail(new(fieldError("", CodeInvalidParameter, "body_unreadable", "error", err.Error())))
	}
	return nil
}

// ParseRequest decodes a body for action a, sets the region given in
// X-TC-Region on the actions that take one, and validates the result. The
// sandbox uses it so that it applies exactly the client's rules.
func ParseRequest(a Action, body []byte, region string) (Request, error) {
	req := a.NewRequest()
	if err := DecodeParams(body, req); err != nil {
		return nil, err
	}
	if r, ok := req.(interface{ setRegion(string) }); ok {
		r.setRegion(region)
	}
	if err := req.Validate(); err != nil {
		return req, err
	}
	return req, nil
}

func (r *GenerateDealsAndPayNewRequest) setRegion(region string) { r.Region = region }

var syntaxError = new(fieldError("", CodeInvalidParameter, "body_json"))

// walk consumes one JSON value from dec and checks it against type t. It
// stops at the first problem, so a hostile body costs no more than the
// tokens read up to that point.
func walk(dec *json.Decoder, t reflect.Type, path string) *FieldError {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError
	}
	if tok == nil {
		// null leaves the parameter unset, as if it had not been sent.
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	typeErr := func(what string) *FieldError {
		return new(fieldError(path, CodeInvalidParameter, "type_"+what))
	}
	switch t.Kind() {
	case reflect.Struct:
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return typeErr("object")
		}
		fields := jsonFields(t)
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return syntaxError
			}
			key, _ := kt.(string)
			p := key
			if path != "" {
				p = path + "." + key
			}
			ft, ok := fields[key]
			if !ok {
				return new(fieldError(p, CodeUnknownParameter, "unknown_parameter"))
			}
			if seen[key] {
				return new(fieldError(p, CodeInvalidParameter, "repeated"))
			}
			seen[key] = true
			if fe := walk(dec, ft, p); fe != nil {
				return fe
			}
		}
		if _, err := dec.Token(); err != nil {
			return syntaxError
		}
	case reflect.Slice:
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return typeErr("array")
		}
		for i := 0; dec.More(); i++ {
			if fe := walk(dec, t.Elem(), idx(path, i)); fe != nil {
				return fe
			}
		}
		if _, err := dec.Token(); err != nil {
			return syntaxError
		}
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return typeErr("string")
		}
	case reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return typeErr("integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			if strings.ContainsAny(string(n), ".eE") {
				return typeErr("integer")
			}
			return typeErr("integer64")
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return typeErr("bool")
		}
	default:
		// Request structs hold only the kinds above; reaching here means a
		// new field type needs a case.
		return new(fieldError(path, CodeInvalidParameter, "unknown_type"))
	}
	return nil
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps each JSON member name of struct t to its field type.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	fieldCache.Store(t, m)
	return m
}
