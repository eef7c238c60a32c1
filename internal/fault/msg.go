package fault

import "strings"

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
	return Fill(t, m.Args)
}

// Fill replaces each {name} of text that args names with its argument; a
// brace args does not name stays as it is, and an argument's own braces
// are not read again. It scans text once: pages fill hundreds of phrases,
// and a strings.Replacer built for each cost more than the rest of a list
// page's rendering (issue 21).
func Fill(text string, args map[string]string) string {
	if len(args) == 0 || !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open+1:], '}')
		if end < 0 {
			break
		}
		if v, ok := args[text[open+1:open+1+end]]; ok {
			b.WriteString(text[:open])
			b.WriteString(v)
			text = text[open+end+2:]
			continue
		}
		b.WriteString(text[:open+1])
		text = text[open+1:]
	}
	b.WriteString(text)
	return b.String()
}
