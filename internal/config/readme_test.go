package config

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	envlib "github.com/caarlos0/env/v11"
)

// readOutsideConfig are README rows for variables something else reads.
var readOutsideConfig = []string{
	"CONSOLE_SIM_KEYS",                                  // console sim (cmd/console/sim.go)
	"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", // accounts keyed from the environment
	"TEST_DATABASE_URL", "CHROMIUM_PATH", "TEST_ARTIFACTS", // tests only
}

var readmeRow = regexp.MustCompile("^\\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \\| ([^|]*) \\|")

// The README's configuration table lists exactly the settings Config reads,
// each with the default its envDefault tag gives.
func TestREADMEListsEverySettingWithItsDefault(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // variable → default column
	for line := range strings.SplitSeq(string(b), "\n") {
		m := readmeRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for name := range strings.SplitSeq(m[1], ", ") {
			rows[strings.Trim(name, "`")] = strings.TrimSpace(m[2])
		}
	}
	params, err := envlib.GetFieldParams(&Config{})
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, p := range params {
		read[p.Key] = true
		def, listed := rows[p.Key]
		switch {
		case !listed:
			t.Errorf("README's configuration table has no row for %s", p.Key)
		case p.HasDefaultValue && !strings.HasPrefix(def, "`"+p.DefaultValue+"`"):
			t.Errorf("README gives %s the default %q; the code's is %q", p.Key, def, p.DefaultValue)
		case !p.HasDefaultValue && !strings.HasPrefix(def, "—") && !strings.HasPrefix(def, "`false`") && !strings.HasPrefix(def, "derived"):
			t.Errorf("README gives %s the default %q; the code has none", p.Key, def)
		}
	}
	for name := range rows {
		if !read[name] && !slices.Contains(readOutsideConfig, name) {
			t.Errorf("README lists %s, which nothing reads", name)
		}
	}
	if len(rows) < len(params) {
		t.Fatalf("found %d README rows for %d settings: has the table's format changed?", len(rows), len(params))
	}
}
