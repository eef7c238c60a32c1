package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"dealdesk/internal/config"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
)

// simKeysEnv names the variable that holds the sandbox's keys.
const simKeysEnv = "CONSOLE_SIM_KEYS"

// maxKeysFile bounds the keys file: a few keys are a few hundred bytes.
const maxKeysFile = 1 << 20

func runSim(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "sim", "sim [-addr HOST:PORT] [-keys-file PATH] [-balance CENTS]\n\n"+
		"The keys the sandbox accepts come from "+simKeysEnv+" or from -keys-file, never from the\n"+
		"command line (where ps shows them): SECRETID:SECRETKEY pairs, separated by commas or\n"+
		"newlines; in a file, lines starting with # are comments. Invent them; never use a real key.")
	addr := fs.String("addr", "127.0.0.1:9100", "listen address")
	keysFile := fs.String("keys-file", "", "a file of SECRETID:SECRETKEY lines (instead of "+simKeysEnv+")")
	var refused refusedKeyFlag
	fs.Var(&refused, "key", "no longer accepted: keys go in "+simKeysEnv+" or -keys-file")
	balance := fs.Int64("balance", 0, "each key's starting balance in cents (0 means 1,000,000.00)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if refused {
		return fmt.Errorf("%w: sim no longer takes -key: the command line is visible to every user through ps; "+
			"put SECRETID:SECRETKEY in %s or in a file named by -keys-file", errUsage, simKeysEnv)
	}
	keys, err := simKeys(e, *keysFile)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *balance < 0 {
		return fmt.Errorf("%w: -balance must not be negative", errUsage)
	}
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg)
	srv, err := tcsim.Start(ctx, *addr, tcsim.Options{Keys: keys, InitialBalance: *balance, Resources: tcsim.ExampleResources(), Log: log})
	if err != nil {
		return err
	}
	// The address goes to stdout so scripts and tests that asked for port 0
	// can read where the sandbox really listens.
	fmt.Fprintf(e.stdout, "sandbox listening on %s\n", srv.URL)
	log.Info("sandbox serving", "addr", srv.Addr, "secret_ids", maskedIDs(keys))
	return srv.Wait()
}

// refusedKeyFlag stays defined so that an old "-key ID:KEY" gets a clear
// answer rather than "flag provided but not defined"; its value is never
// kept or repeated.
type refusedKeyFlag bool

func (k *refusedKeyFlag) String() string { return "" }

func (k *refusedKeyFlag) Set(string) error {
	*k = true
	return nil
}

// simKeys reads the keys from the file when one is named, else from the
// environment. Both at once would leave a reader unsure which counted.
func simKeys(e env, file string) (map[string]string, error) {
	fromEnv := e.getenv(simKeysEnv)
	var text, source string
	switch {
	case file != "" && fromEnv != "":
		return nil, fmt.Errorf("sim takes its keys from %s or -keys-file, not both", simKeysEnv)
	case file != "":
		b, err := readKeysFile(file)
		if err != nil {
			return nil, err
		}
		text, source = string(b), "-keys-file"
	default:
		text, source = fromEnv, simKeysEnv
	}
	return parseSimKeys(text, source)
}

func readKeysFile(path string) ([]byte, error) {
	f, err := os.Open(path) //nolint:gosec // G304: the operator names the keys file on the command line
	if err != nil {
		return nil, fmt.Errorf("-keys-file: %w", err)
	}
	defer func() { _ = f.Close() }() // read-only: Close cannot lose data
	b, err := io.ReadAll(io.LimitReader(f, maxKeysFile+1))
	if err != nil {
		return nil, fmt.Errorf("-keys-file: %w", err)
	}
	if len(b) > maxKeysFile {
		return nil, fmt.Errorf("-keys-file: larger than %d bytes", maxKeysFile)
	}
	return b, nil
}

// parseSimKeys reads SECRETID:SECRETKEY pairs separated by commas or
// newlines; blank entries and lines starting with # are skipped. Its
// errors never repeat a key.
func parseSimKeys(text, source string) (map[string]string, error) {
	keys := map[string]string{}
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for v := range strings.SplitSeq(line, ",") {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			n++
			id, key, ok := strings.Cut(v, ":")
			if !ok || id == "" || key == "" {
				return nil, fmt.Errorf("%s: entry number %d must read SECRETID:SECRETKEY", source, n)
			}
			if _, dup := keys[id]; dup {
				return nil, fmt.Errorf("%s: %s is given twice", source, tcapi.MaskSecretID(id))
			}
			keys[id] = key
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("sim needs at least one SECRETID:SECRETKEY in %s or in a file named by -keys-file", simKeysEnv)
	}
	return keys, nil
}

func maskedIDs(keys map[string]string) string {
	ids := make([]string, 0, len(keys))
	for id := range keys {
		ids = append(ids, tcapi.MaskSecretID(id))
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}
