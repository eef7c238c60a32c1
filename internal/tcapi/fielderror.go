package tcapi

import (
	"fmt"
	"strings"
)

// API error codes that parameter checks produce. They are the codes the real
// service answers for the same mistakes, so the sandbox can answer with a
// FieldError's Code unchanged.
const (
	CodeMissingParameter      = "MissingParameter"
	CodeInvalidParameter      = "InvalidParameter"
	CodeInvalidParameterValue = "InvalidParameterValue"
	CodeUnknownParameter      = "UnknownParameter"
	CodeUnsupportedRegion     = "UnsupportedRegion"
	// CodeNumLimitError is Billing CreateInstance's documented answer to a
	// quantity above its maximum.
	CodeNumLimitError = "FailedOperation.NumLimitError"
)

// FieldError is one problem with one request parameter. The API's answer
// (and the sandbox's) is Message, in English; forms show Key's text in the
// reader's language next to the field named by Path.
type FieldError struct {
	// Path names the parameter as the API documents it, with zero-based
	// indexes for arrays: "Goods[1].GoodsDetail.TimeUnit". "Region" is the
	// X-TC-Region common parameter.
	Path string
	// Code is the API error code the service answers for this problem.
	Code string
	// Message says what is wrong in plain words, without the path, in
	// English: Catalog[Key] with Args filled in.
	Message string
	// Key names the message in Catalog (the i18n catalogs hold it under
	// CatalogPrefix); empty for a problem worded elsewhere (the sandbox's).
	Key string
	// Args are the values Key's text names: {min}, {value}, ...
	Args map[string]string
}

// Error reads "Goods[1].GoodsDetail.TimeUnit: must be d (days), m (months) or y (years)".
func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// ValidationError lists every problem found in one request, in the order of
// the documented parameters. Send returns it (wrapped) before anything goes
// on the wire; errors.As finds it.
type ValidationError struct {
	Action string
	Fields []FieldError
}

// Error lists every problem: "tcapi: invalid CreateInstance request: Period: ...; ...".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return fmt.Sprintf("tcapi: invalid %s request: %s", e.Action, strings.Join(parts, "; "))
}

// First is the problem the real service would report: it answers one error
// per call, the first it meets.
func (e *ValidationError) First() FieldError {
	if len(e.Fields) == 0 {
		return FieldError{}
	}
	return e.Fields[0]
}

// checker collects field errors while a Validate method walks a request.
type checker struct {
	action string
	errs   []FieldError
}

// add records a problem: key names its English in Catalog, and pairs
// (name, value, ...) fill the text's {name}s.
func (c *checker) add(path, code, key string, pairs ...string) {
	c.errs = append(c.errs, fieldError(path, code, key, pairs...))
}

func (c *checker) missing(path string) {
	c.add(path, CodeMissingParameter, "required")
}

func (c *checker) invalid(path, key string, pairs ...string) {
	c.add(path, CodeInvalidParameterValue, key, pairs...)
}

// err returns nil when nothing was found, so callers can return it directly.
func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &ValidationError{Action: c.action, Fields: c.errs}
}

// requiredString reports a nil or empty required string and says whether
// the value is there to be checked further.
func (c *checker) requiredString(path string, v *string) bool {
	if v == nil || *v == "" {
		c.missing(path)
		return false
	}
	return true
}

// oneOf checks an optional string against its documented values.
func (c *checker) oneOf(path string, v *string, allowed ...choice) {
	if v == nil {
		return
	}
	for _, a := range allowed {
		if *v == a.value {
			return
		}
	}
	c.invalid(path, "one_of", "choices", describeChoices(allowed), "value", quote(*v))
}

// atLeast checks an optional integer's lower bound.
func (c *checker) atLeast(path string, v *int64, min int64) {
	if v != nil && *v < min {
		c.invalid(path, "at_least", "min", num(min), "got", num(*v))
	}
}

// between checks an optional integer's documented range.
func (c *checker) between(path string, v *int64, min, max int64) {
	if v != nil && (*v < min || *v > max) {
		c.invalid(path, "between", "min", num(min), "max", num(max), "got", num(*v))
	}
}

// choice is one documented value of an enumerated parameter, with the words
// that explain it to a person.
type choice struct {
	value string
	words string
}

func describeChoices(cs []choice) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.value
		if c.words != "" {
			parts[i] += " (" + c.words + ")"
		}
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " or " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func idx(prefix string, i int) string {
	return fmt.Sprintf("%s[%d]", prefix, i)
}
