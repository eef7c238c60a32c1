package browsertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/tcapi/tcsim"
)

// sandboxLine is the log line `serve` writes when its in-process sandbox
// starts, with the sandbox's address.
var sandboxLine = regexp.MustCompile(`in-process sandbox" url=(http://\S+)`)

// SandboxURL is where the console's in-process sandbox listens, as the
// console logged it. Its admin API (/__sim/) is how a test makes Tencent
// Cloud misbehave for the console.
func (c *Console) SandboxURL(t *testing.T) string {
	t.Helper()
	m := sandboxLine.FindStringSubmatch(c.logs.String())
	if m == nil {
		t.Fatalf("browsertest: the console never logged its sandbox's address; log:\n%s", c.logs.String())
	}
	return m[1]
}

// AddSandboxFault injects a fault into the console's sandbox through its
// admin API, as a person trying the console out could.
func (c *Console) AddSandboxFault(t *testing.T, f tcsim.Fault) {
	t.Helper()
	body, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(c.SandboxURL(t)+"/__sim/faults", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("browsertest: add a sandbox fault: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("browsertest: add a sandbox fault: %d %s", resp.StatusCode, b)
	}
}

// SandboxCalls is every call the console's sandbox received.
func (c *Console) SandboxCalls(t *testing.T) []tcsim.Call {
	t.Helper()
	resp, err := http.Get(c.SandboxURL(t) + "/__sim/calls")
	if err != nil {
		t.Fatalf("browsertest: read the sandbox's calls: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var calls []tcsim.Call
	if err := json.NewDecoder(resp.Body).Decode(&calls); err != nil {
		t.Fatalf("browsertest: read the sandbox's calls: %v", err)
	}
	return calls
}

// settleWait bounds how long OpenUntil waits for background work (a send
// job) to show on a page. A guard against hanging, not a timing assertion.
const settleWait = 60 * time.Second

// OpenUntil opens path again and again, as a person pressing Refresh
// would, until the element with data-testid="id" reads want. It fails the
// test, naming what the element last read, if want never comes.
func (b *Browser) OpenUntil(path, id, want string) {
	b.t.Helper()
	read := fmt.Sprintf(`(document.querySelector('[data-testid=%q]')?.textContent ?? "").trim()`, id)
	deadline := time.Now().Add(settleWait)
	for {
		b.Open(path)
		got := Run(b, chromedp.Evaluate[string](read))
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("browser: %s still reads %q on %s, want %q", id, got, path, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// HasTestID reports whether the page shows an element with data-testid="id"
// now, without waiting for one.
func (b *Browser) HasTestID(id string) bool {
	b.t.Helper()
	return Run(b, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('[data-testid=%q]') !== null`, id)))
}

// TextOf is the text of the first element matching a CSS selector, spaces
// folded; for elements data-testid cannot name alone.
func (b *Browser) TextOf(css string) string {
	b.t.Helper()
	b.Do(chromedp.WaitVisible(chromedp.CSS(css)))
	return strings.Join(strings.Fields(Run(b, chromedp.Text(chromedp.CSS(css)))), " ")
}
