package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stepTimeout bounds one browser step. It is a guard against a hung test,
// not an assertion: a local page loads in well under a second.
const stepTimeout = 30 * time.Second

// Browser is a headless Chromium with a fresh profile, on one console.
type Browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	logs *syncBuffer
}

// NewBrowser starts Chromium for the test and closes it when the test ends.
// If the test failed, a screenshot and the page's HTML are written to
// $TEST_ARTIFACTS (default test-artifacts/ at the module root) first.
func NewBrowser(t *testing.T, c *Console) *Browser {
	t.Helper()
	exe, err := chromiumPath()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	takeSlot(t) // tests take turns with browsers (slots.go)
	// chromedp's defaults bring --headless, --no-first-run and
	// --no-default-browser-check; the rest is added here.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		// The closed network refuses these background connections; asking
		// only slows the browser down and fills its log.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	if os.Geteuid() == 0 {
		// Chromium's sandbox refuses to run as root.
		opts = append(opts, chromedp.NoSandbox)
	}
	logs := &syncBuffer{}
	logf := func(format string, args ...any) { fmt.Fprintf(logs, format+"\n", args...) }
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(logf), chromedp.WithErrorf(logf))
	b := &Browser{t: t, ctx: ctx, base: c.URL, logs: logs}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser; it gets no timeout, because a
	// deadline on it would stop the browser when it passes.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start Chromium (%s): %v\n%s", exe, err, logs.String())
	}
	// Registered after the browser's own cleanup, so it runs before it.
	t.Cleanup(b.saveArtifactsIfFailed)
	return b
}

// chromiumPath is $CHROMIUM_PATH, else Chromium from PATH or /usr/bin.
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return "", fmt.Errorf("no Chromium found: set CHROMIUM_PATH or run make test, which installs Debian's chromium")
}

// Do runs steps that return nothing, failing the test on the first error.
func (b *Browser) Do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
}

// Run runs one step and returns its value, failing the test on error.
func Run[T any](b *Browser, step chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, step)
	if err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
	return v
}

// TestID selects the element with data-testid="id".
func TestID(id string) chromedp.CSS {
	return chromedp.CSS(`[data-testid="` + id + `"]`)
}

// URL is the console's address for path.
func (b *Browser) URL(path string) string { return b.base + path }

// Open navigates to a path of the console and returns the HTTP status of
// the page it ends on (after redirects).
func (b *Browser) Open(path string) int64 {
	b.t.Helper()
	resp := Run(b, chromedp.NavigateResponse(b.URL(path)))
	if resp == nil {
		b.t.Fatalf("browser: no response for %s", path)
	}
	return resp.Status
}

// Path is the path (and query) of the page the browser shows.
func (b *Browser) Path() string {
	b.t.Helper()
	return strings.TrimPrefix(Run(b, chromedp.Location()), b.base)
}

// Text is the visible text of the element with data-testid="id", once it
// is visible.
func (b *Browser) Text(id string) string {
	b.t.Helper()
	b.Do(chromedp.WaitVisible(TestID(id)))
	return strings.TrimSpace(Run(b, chromedp.Text(TestID(id))))
}

// Login signs in through the form and waits for the home page.
func (b *Browser) Login(username, password string) {
	b.t.Helper()
	b.SubmitLogin(username, password)
	b.Do(chromedp.WaitVisible(TestID("home-heading")))
}

// SubmitLogin fills and sends the sign-in form, waiting for nothing after.
func (b *Browser) SubmitLogin(username, password string) {
	b.t.Helper()
	b.Open("/login")
	b.Do(
		chromedp.WaitVisible(TestID("field-username")),
		chromedp.SendKeys(TestID("field-username"), username),
		chromedp.SendKeys(TestID("field-password"), password),
		chromedp.Click(TestID("login-submit")),
	)
}

// location is the current URL for error messages; it never fails the test.
func (b *Browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown page"
	}
	return loc
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveArtifactsIfFailed leaves a screenshot and the HTML of the page a
// failed test ended on, for a person to look at.
func (b *Browser) saveArtifactsIfFailed() {
	if !b.t.Failed() {
		return
	}
	dir := artifactsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("browsertest: artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, unsafeName.ReplaceAllString(b.t.Name(), "_"))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		if err := os.WriteFile(base+".png", png, 0o644); err == nil {
			b.t.Logf("browsertest: screenshot of the failure: %s", base+".png")
		}
	} else {
		b.t.Logf("browsertest: screenshot: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		_ = os.WriteFile(base+".html", []byte(html), 0o644)
	}
	if l := b.logs.String(); l != "" {
		b.t.Logf("browser log:\n%s", l)
	}
}

var moduleRoot = sync.OnceValue(func() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
})

// artifactsDir is $TEST_ARTIFACTS, else test-artifacts/ at the module root.
func artifactsDir() string {
	if d := os.Getenv("TEST_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(moduleRoot(), "test-artifacts")
}
