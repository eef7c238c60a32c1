package fault

import (
	"maps"
	"slices"
	"strings"
)

// Msg is a message key with its arguments. Its English is Catalog[Key]
// with each {name} replaced by Args[name]. A key the catalog does not hold
// is one whose words are made elsewhere (tcapi's validator, say, keyed by
// its rule's code): its English is Args["text"].
type Msg struct {
	Key  string
	Args map[string]string
}

// M returns the message key with its arguments, given as name, value
// pairs: M("order.not_editable", "status", "approved").
func M(key string, pairs ...string) Msg {
	m := Msg{Key: key}
	if len(pairs) > 0 {
		m.Args = make(map[string]string, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			m.Args[pairs[i]] = pairs[i+1]
		}
	}
	return m
}

// Text is a message whose words come from elsewhere, under key.
func Text(key, text string) Msg { return M(key, "text", text) }

// String is the message in English.
func (m Msg) String() string {
	t, ok := Catalog[m.Key]
	if !ok {
		return m.Args["text"]
	}
	if len(m.Args) == 0 || !strings.Contains(t, "{") {
		return t
	}
	pairs := make([]string, 0, 2*len(m.Args))
	for _, k := range slices.Sorted(maps.Keys(m.Args)) {
		pairs = append(pairs, "{"+k+"}", m.Args[k])
	}
	return strings.NewReplacer(pairs...).Replace(t)
}
