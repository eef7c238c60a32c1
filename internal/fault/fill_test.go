package fault

import "testing"

// Fill replaces what strings.Replacer did (one pattern "{name}" per
// argument, leftmost first, replacements not read again).
func TestFillReplacesNamedBracesOnly(t *testing.T) {
	args := map[string]string{"a": "1", "b": "{a}", "x{y": "z"}
	for in, want := range map[string]string{
		"":                "",
		"plain":           "plain",
		"{a}":             "1",
		"{a}{a} and {b}":  "11 and {a}",
		"{c} {a}":         "{c} 1",
		"{{a}}":           "{1}",
		"{x{y}":           "z",
		"open { and {a":   "open { and {a",
		"close } and {a}": "close } and 1",
		"{x{a}":           "{x1",
	} {
		if got := Fill(in, args); got != want {
			t.Errorf("Fill(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Fill("{a}", nil); got != "{a}" {
		t.Errorf("no arguments: %q", got)
	}
}
