package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeLoopback is a loopback address nothing listens on now, for a
// console's CONSOLE_PPROF_ADDR.
func freeLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// profile fetches one of a console's profiles from its CONSOLE_PPROF_ADDR
// (name such as "profile?seconds=5", "mutex", "block") into dir and
// returns the file, or "" with the reason logged: a benchmark's profile is
// a figure, and a missing one must not fail what it measured.
func profile(t *testing.T, addr, name, dir, file string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/pprof/"+name, nil) // #nosec G704 -- the console's own loopback profile address
	if err != nil {
		t.Logf("profile %s: %v", name, err)
		return ""
	}
	resp, err := http.DefaultClient.Do(req) // #nosec G704 -- as above
	if err != nil {
		t.Logf("profile %s: %v", name, err)
		return ""
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Logf("profile %s: %s", name, resp.Status)
		return ""
	}
	path := filepath.Join(dir, file)
	f, err := os.Create(path) // #nosec G304 -- a file under the test's own directory
	if err != nil {
		t.Logf("profile %s: %v", name, err)
		return ""
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Logf("profile %s: %v", name, err)
		return ""
	}
	return path
}

// pprofTop is `go tool pprof -top` of a profile, its first n lines of
// functions (after the header), for RESULTS.md.
func pprofTop(t *testing.T, path string, n int, extra ...string) string {
	t.Helper()
	if path == "" {
		return "(no profile)"
	}
	args := append([]string{"tool", "pprof", "-top"}, extra...)
	args = append(args, path)
	out, err := exec.Command("go", args...).CombinedOutput() // #nosec G204 -- fixed tool, our own file
	if err != nil {
		return fmt.Sprintf("(go tool pprof: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	var keep []string
	body := false
	for _, l := range lines {
		if strings.Contains(l, "flat%") {
			body = true
			keep = append(keep, l)
			continue
		}
		if !body {
			if strings.HasPrefix(l, "Showing") || strings.HasPrefix(l, "Duration") || strings.HasPrefix(l, "Type") {
				keep = append(keep, l)
			}
			continue
		}
		if n == 0 {
			break
		}
		keep = append(keep, l)
		n--
	}
	return strings.Join(keep, "\n")
}
