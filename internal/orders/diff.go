package orders

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
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
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(t) // a decoded scalar always encodes
		out[path] = string(bytes.TrimRight(buf.Bytes(), "\n"))
	}
}
