package tcsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeStrict reads a body into req the way the service reads parameters:
// one JSON object, member names exactly as documented (case matters, so
// "goods" is not "Goods"), none twice, each of the documented type. null
// leaves a parameter unset. The first problem is the answer: UnknownParameter
// for a name the action does not have, InvalidParameter for a shape or type.
func decodeStrict(body []byte, req any) *apiError {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return fail(codeInvalidParameter, "the request body must be a JSON object")
	}
	if !utf8.Valid(body) {
		return fail(codeInvalidParameter, "the request body must be UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if e := check(dec, reflect.TypeOf(req), ""); e != nil {
		return e
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(codeInvalidParameter, "the request body must hold one JSON object and nothing after it")
	}
	if err := json.Unmarshal(body, req); err != nil {
		return fail(codeInvalidParameter, "the request body could not be read")
	}
	return nil
}

var badJSON = fail(codeInvalidParameter, "the request body is not valid JSON")

// check consumes one JSON value and holds it to type t, stopping at the
// first problem.
func check(dec *json.Decoder, t reflect.Type, path string) *apiError {
	tok, err := dec.Token()
	if err != nil {
		return badJSON
	}
	if tok == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	wrongType := func(what string) *apiError { return fail(codeInvalidParameter, "%s: must be %s", path, what) }
	switch t.Kind() {
	case reflect.Struct:
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return wrongType("an object")
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return badJSON
			}
			key, _ := kt.(string)
			p := key
			if path != "" {
				p = path + "." + key
			}
			ft, ok := memberType(t, key)
			if !ok {
				return fail(codeUnknownParameter, "%s: is not a parameter of this action", p)
			}
			if seen[key] {
				return fail(codeInvalidParameter, "%s: is given more than once", p)
			}
			seen[key] = true
			if e := check(dec, ft, p); e != nil {
				return e
			}
		}
		if _, err := dec.Token(); err != nil {
			return badJSON
		}
	case reflect.Slice:
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return wrongType("an array")
		}
		for i := 0; dec.More(); i++ {
			if e := check(dec, t.Elem(), path+"["+strconv.Itoa(i)+"]"); e != nil {
				return e
			}
		}
		if _, err := dec.Token(); err != nil {
			return badJSON
		}
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return wrongType("a string")
		}
	case reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return wrongType("an integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			return wrongType("an integer of at most 64 bits")
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return wrongType("true or false")
		}
	default:
		return fail(codeInvalidParameter, "%s: has a type the sandbox does not know", path)
	}
	return nil
}

// memberType finds the field of struct t whose JSON name is exactly name.
func memberType(t reflect.Type, name string) (reflect.Type, bool) {
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if tag == name {
			return f.Type, true
		}
	}
	return nil, false
}
