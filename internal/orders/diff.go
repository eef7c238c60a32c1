package orders

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Change is one difference between two versions of an order: a field
// (Title, Account, …) or a parameter path such as
// "Goods[0].GoodsDetail.TimeSpan". Before or After is "" when the path
// exists on one side only.
type Change struct {
	Field  string
	Before string
	After  string
}

// VersionContent is what one version of an order said.
type VersionContent struct {
	Version       int
	AccountID     int64
	Region        string
	Title         string
	Justification string
	Params        []byte
}

// Diff lists what changed from before to after: the order's fields first,
// then every parameter path whose value differs, in path order. Parameters
// are compared leaf by leaf so a change deep in a nested document shows as
// that one value, not as a different blob.
func Diff(before, after VersionContent) []Change {
	var out []Change
	field := func(name, b, a string) {
		if b != a {
			out = append(out, Change{Field: name, Before: b, After: a})
		}
	}
	field("Account", "#"+strconv.FormatInt(before.AccountID, 10), "#"+strconv.FormatInt(after.AccountID, 10))
	field("Region", before.Region, after.Region)
	field("Title", before.Title, after.Title)
	field("Justification", before.Justification, after.Justification)

	b, a := flatten(before.Params), flatten(after.Params)
	paths := make([]string, 0, len(b)+len(a))
	for p := range b {
		paths = append(paths, p)
	}
	for p := range a {
		if _, ok := b[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		if b[p] != a[p] {
			out = append(out, Change{Field: p, Before: b[p], After: a[p]})
		}
	}
	return out
}

// flatten maps every leaf of a JSON document to its JSON text. Empty objects
// and arrays are leaves too, so adding or emptying one shows. Bytes that are
// not JSON become one leaf, "(parameters)", holding them as text.
func flatten(doc []byte) map[string]string {
	out := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if len(doc) > 0 {
			out["(parameters)"] = string(doc)
		}
		return out
	}
	walk(out, "", v)
	if top, ok := out[""]; ok { // the whole document is {} or a scalar
		delete(out, "")
		out["(parameters)"] = top
	}
	return out
}

func walk(out map[string]string, path string, v any) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			out[path] = "{}"
		}
		for k, child := range t {
			p := k
			if path != "" {
				p = path + "." + k
			}
			walk(out, p, child)
		}
	case []any:
		if len(t) == 0 {
			out[path] = "[]"
		}
		for i, child := range t {
			walk(out, path+"["+strconv.Itoa(i)+"]", child)
		}
	case string:
		// A string that holds a JSON object (Billing's Parameter) is
		// compared member by member, so approvers see which count changed
		// rather than two long lines of escaped JSON.
		if inner, ok := jsonObjectText(t); ok && path != "" {
			walk(out, path, inner)
			return
		}
		out[path] = scalarText(t)
	default:
		out[path] = scalarText(t)
	}
}

// jsonObjectText decodes s when it is a non-empty JSON object.
func jsonObjectText(s string) (map[string]any, bool) {
	if !strings.HasPrefix(strings.TrimSpace(s), "{") {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil || len(m) == 0 || dec.More() {
		return nil, false
	}
	return m, true
}

// scalarText is a leaf as JSON text, unescaped as people read it.
func scalarText(t any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(t) // a decoded scalar always encodes
	return string(bytes.TrimRight(buf.Bytes(), "\n"))
}
