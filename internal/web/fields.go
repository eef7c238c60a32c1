package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
)

// The input boundary. Every text that enters from a form or a query string
// is read through a fieldReader, which declares for each field the most
// characters it may hold and whether it may span lines. What does not pass
// becomes a field error in the pages' shape (a map from the
// control's name to a sentence), so the handler re-renders its page with
// 422 and the input kept, and the domain never sees it. guardInput, the
// last-resort middleware, refuses any request carrying invalid UTF-8 or a
// NUL byte before a handler runs, so nothing a handler forgets to vet can
// reach Postgres (which refuses both with SQLSTATE 22021 / 22P05).

// Bounds shared by fields that have no domain limit of their own. Each says
// why it is as large as it is.
const (
	// maxShortText bounds one-line inputs that name or identify something
	// (ids, codes, hashes, choices): every id, code and choice the console
	// stores is far shorter, so more is a paste gone wrong.
	maxShortText = 256
	// maxSettleNote bounds the note recorded when settling an unknown
	// order, which has no limit in the schema: it says how the person
	// knows, as a decision's comment says why, so it gets a comment's
	// bound.
	maxSettleNote = orders.MaxCommentLen
	// maxIDList bounds a hidden list of order ids (the duplicates an
	// approver was shown): a page shows a few dozen at most.
	maxIDList = 4096
	// maxMultiValues bounds how often a multi-select may repeat: the
	// longest list the console offers has a handful of options.
	maxMultiValues = 32
	// maxHash bounds a hidden parameters hash: sha256 in hex is 64.
	maxHash = 64
	// maxDealNames bounds the deal names typed when settling: a deal name
	// is about 20 characters, and 200 of them is more than any order buys.
	maxDealNames = 200 * 32
	// maxParamBlob bounds the free JSON a product form takes (billing's
	// Parameter, TCB's Extension): large enough for any real parameter
	// object, small enough that one form cannot fill a row.
	maxParamBlob = 64 << 10
)

// field declares one input: how many characters it may hold and whether it
// may span lines (tab, newline and carriage return are then allowed; no
// other control character ever is).
type field struct {
	max   int
	lines bool
	// what names the field in its length message ("the title"), as the
	// domain's own message would; without it the message is generic.
	what string
	// multi fields may repeat (checkboxes, multi-selects).
	multi bool
}

func line(max int) field  { return field{max: max} }
func lines(max int) field { return field{max: max, lines: true} }

func (f field) named(what string) field { f.what = what; return f }

// textProblem says in l's language what is wrong with a value for f, or
// "" when nothing is.
func textProblem(v string, f field, l *i18n.Localizer) string {
	switch {
	case !utf8.ValidString(v):
		return l.T("field.not_text")
	case strings.IndexByte(v, 0) >= 0:
		return l.T("field.nul")
	case utf8.RuneCountInString(v) > f.max:
		if f.what != "" {
			return l.T("field.keep_to", "what", words(l, f.what), "max", l.Int(int64(f.max)))
		}
		return l.T("field.at_most", "max", l.Int(int64(f.max)))
	}
	bad := func(r rune) bool {
		if f.lines && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return unicode.IsControl(r)
	}
	if strings.IndexFunc(v, bad) >= 0 {
		if f.lines {
			return l.T("field.control_chars")
		}
		return l.T("field.one_line")
	}
	return ""
}

// fieldReader reads declared fields from form or query values and collects
// what is wrong with them, by field name.
type fieldReader struct {
	vals url.Values
	errs map[string]string
	// loc words the problems in the reader's language.
	loc *i18n.Localizer
}

// readForm reads the request's form. A body that cannot be parsed is a 400.
func readForm(c echo.Context) (*fieldReader, error) {
	vals, err := c.FormParams()
	if err != nil {
		return nil, &SafeError{Status: http.StatusBadRequest, Safe: "error.form_unreadable", Err: err}
	}
	return newFieldReader(vals, i18n.From(c.Request().Context())), nil
}

// newFieldReader reads vals (a form's or a query's), wording the problems
// in l's language.
func newFieldReader(vals url.Values, l *i18n.Localizer) *fieldReader {
	return &fieldReader{vals: vals, errs: map[string]string{}, loc: l}
}

// fail records a problem with a field; the first one recorded stays. msg
// is a catalog key, worded in the reader's language; a text no catalog
// holds is shown as it is (words).
func (r *fieldReader) fail(name, msg string) {
	if _, taken := r.errs[name]; !taken {
		r.errs[name] = words(r.loc, msg)
	}
}

// words is the text of key in l's language, or key itself when no catalog
// holds it: a message already worded (a domain refusal's text) or one a
// caller has not keyed yet.
func words(l *i18n.Localizer, key string) string {
	if l.Has(key) {
		return l.T(key)
	}
	return key
}

// text reads a single-valued field as typed (trimming is the domain's
// business). A field sent twice is refused rather than one copy picked: a
// form never sends it twice, so someone is playing games.
func (r *fieldReader) text(name string, f field) string {
	vs := r.vals[name]
	if len(vs) == 0 {
		return ""
	}
	if len(vs) > 1 {
		r.fail(name, "field.sent_twice")
	}
	v := vs[0]
	if msg := textProblem(v, f, r.loc); msg != "" {
		r.fail(name, msg)
		return shown(v)
	}
	return v
}

// texts reads a field that may repeat (checkboxes), each value bounded by f.
// At most maxRepeats values are taken.
func (r *fieldReader) texts(name string, f field, maxRepeats int) []string {
	vs := r.vals[name]
	if len(vs) > maxRepeats {
		r.fail(name, "field.sent_too_often")
		vs = vs[:maxRepeats]
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		if msg := textProblem(v, f, r.loc); msg != "" {
			r.fail(name, msg)
			v = shown(v)
		}
		out[i] = v
	}
	return out
}

// id reads an optional positive id (a select of rows): empty is 0, anything
// else that is not a positive whole number is an error, never a silent 0.
func (r *fieldReader) id(name, msg string) (int64, string) {
	raw := strings.TrimSpace(r.text(name, line(maxShortText)))
	if raw == "" {
		return 0, raw
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		r.fail(name, msg)
		return 0, raw
	}
	return n, raw
}

// ids reads a list of positive ids, comma-separated or repeated (a hidden
// field); anything that is not an id is an error, not skipped. It never
// returns nil: a form that listed none listed none.
func (r *fieldReader) ids(name, msg string) []int64 {
	out := []int64{}
	for _, v := range r.texts(name, line(maxIDList), 1) {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			n, err := strconv.ParseInt(part, 10, 64)
			if err != nil || n <= 0 {
				r.fail(name, msg)
				return out
			}
			out = append(out, n)
		}
	}
	return out
}

// number reads a required whole number within [lo, hi]; what is missing,
// not a number or out of range is an error.
func (r *fieldReader) number(name string, lo, hi int, msg string) (int, string) {
	raw := strings.TrimSpace(r.text(name, line(maxShortText)))
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		r.fail(name, msg)
		return 0, raw
	}
	return n, raw
}

// choice reads an optional value that must be one of allowed (a select or
// radio); empty is allowed and returned as "".
func (r *fieldReader) choice(name, msg string, allowed ...string) string {
	v := r.text(name, line(maxShortText))
	if v == "" {
		return ""
	}
	if !slices.Contains(allowed, v) {
		r.fail(name, msg)
	}
	return v
}

// flag reads a checkbox: present with a value is true. Its value is never
// read further nor stored, so only its presence is judged (guardInput has
// already refused bytes that are not text).
func (r *fieldReader) flag(name string) bool {
	return r.vals.Get(name) != ""
}

// ok reports whether every field read so far passed.
func (r *fieldReader) ok() bool { return len(r.errs) == 0 }

// shown is a refused value as it may be put back into the page: valid
// UTF-8 without NUL, so re-rendering what was typed never fails.
func shown(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	return strings.ReplaceAll(v, "\x00", "\uFFFD")
}

// guardInput refuses a request whose query string or form holds invalid
// UTF-8 or a NUL byte, in a name or a value, with a 400 page naming the
// field. It is the last resort behind the field readers: a handler that
// forgets to read through them still cannot pass such bytes to Postgres.
func (s *Server) guardInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if apiBearer(c.Request()) {
			// The API reads its own input and answers problem+json.
			return next(c)
		}
		if name, bad := badValues(c.QueryParams()); bad {
			return badInput("query", name)
		}
		if c.Request().Method == http.MethodPost {
			form, err := c.FormParams()
			if err != nil {
				return &SafeError{Status: http.StatusBadRequest, Safe: "error.form_unreadable", Err: err}
			}
			if name, bad := badValues(form); bad {
				return badInput("form", name)
			}
		}
		return next(c)
	}
}

func badInput(where, name string) error {
	key, keyField := "error.bad_bytes_query", "error.bad_bytes_query_field"
	if where == "form" {
		key, keyField = "error.bad_bytes_form", "error.bad_bytes_form_field"
	}
	if name != "" && utf8.ValidString(name) && strings.IndexFunc(name, unicode.IsControl) < 0 && len(name) <= 64 {
		return &SafeError{Status: http.StatusBadRequest, Safe: keyField, Args: []string{"field", strconv.Quote(name)}}
	}
	return &SafeError{Status: http.StatusBadRequest, Safe: key}
}

// badValues reports the first field whose name or values are not clean
// text.
func badValues(vals url.Values) (string, bool) {
	clean := func(v string) bool { return utf8.ValidString(v) && strings.IndexByte(v, 0) < 0 }
	for k, vs := range vals {
		if !clean(k) {
			return "", true
		}
		for _, v := range vs {
			if !clean(v) {
				return k, true
			}
		}
	}
	return "", false
}
