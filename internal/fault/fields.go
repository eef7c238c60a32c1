package fault

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Fields maps an input field (a form field's name, or an API parameter
// path such as "Goods[1].GoodsDetail.TimeUnit") to what is wrong with it.
// It is an error of kind Invalid, safe to show; it never repeats a
// secret's value.
type Fields map[string]Msg

// Set records what is wrong with field.
func (f Fields) Set(field, key string, args ...string) { f[field] = M(key, args...) }

func (f Fields) Error() string {
	keys := slices.Sorted(maps.Keys(f))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + f[k].String()
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// OrNil returns f as an error when it holds anything, else nil.
func (f Fields) OrNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// Texts is f in English, field by field, as the pages show it.
func (f Fields) Texts() map[string]string {
	out := make(map[string]string, len(f))
	for k, m := range f {
		out[k] = m.String()
	}
	return out
}

// AsFields returns the Fields in err's chain, if any.
func AsFields(err error) (Fields, bool) {
	var fe Fields
	ok := errors.As(err, &fe)
	return fe, ok
}
