package templates

import "strings"

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// OptionGroup is a labelled group of choices (an optgroup).
type OptionGroup struct {
	Label   string
	Options []Option
}

// FormControl is one labelled input, select or text area with its hint and
// error. Its name is its id, so a field error found by id is found by name.
// The error sits right under the control and is tied to it with
// aria-describedby and aria-invalid, so screen readers read it on focus.
type FormControl struct {
	ID          string
	Label       string
	Value       string
	Hint        string
	Error       string
	Required    bool
	ReadOnly    bool
	Placeholder string
	// InputMode is "numeric" for whole numbers: a phone shows digits, and
	// unlike type=number the browser never rewrites what was typed.
	InputMode string
	// Autofocus puts the focus here when the page loads: the first field
	// of the row a row button acted on, so the person keeps their place.
	Autofocus bool
	// Type is the input's type when not "text": "date" for the history's
	// day filters, which a browser offers a calendar for.
	Type string
	// List names a datalist of suggestions.
	List string
	// Options (or Groups) make the control a select.
	Options []Option
	Groups  []OptionGroup
	// Rows makes the control a text area.
	Rows int
	// Mono shows the value in a fixed-width font (codes and JSON).
	Mono bool
}

func (f FormControl) describedBy() string { return describedBy(f.ID, f.Hint, f.Error) }

// describedBy lists the ids of a control's hint and error, when present, for
// its aria-describedby: screen readers then say them when it gets focus.
func describedBy(id, hint, errMsg string) string {
	var ids []string
	if hint != "" {
		ids = append(ids, id+"-hint")
	}
	if errMsg != "" {
		ids = append(ids, id+"-error")
	}
	return strings.Join(ids, " ")
}

// options returns the select's choices. A submitted value that is none of
// them (a tampered or outdated one) is kept as an extra choice, so a
// re-rendered form shows what was sent next to the error about it instead
// of silently choosing something else.
func (f FormControl) options() []Option {
	known := f.Value == ""
	for _, o := range f.allOptions() {
		if o.Value == f.Value {
			known = true
		}
	}
	if known {
		return f.Options
	}
	return append([]Option{{Value: f.Value, Label: f.Value + " (not a documented value)"}}, f.Options...)
}

func (f FormControl) allOptions() []Option {
	out := append([]Option(nil), f.Options...)
	for _, g := range f.Groups {
		out = append(out, g.Options...)
	}
	return out
}

// FieldsetErrorID is the id of the error element of a fieldset (a group of
// controls such as label pairs or tags), for aria-describedby.
func FieldsetErrorID(id string) string { return id + "-error" }

// inputType is the input's type: text unless the control says otherwise.
func (f FormControl) inputType() string {
	if f.Type != "" {
		return f.Type
	}
	return "text"
}
