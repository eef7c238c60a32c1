package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"dealdesk/internal/config"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
)

func runSim(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "sim", "sim [-addr HOST:PORT] -key SECRETID:SECRETKEY [-key ...] [-balance CENTS]")
	addr := fs.String("addr", "127.0.0.1:9100", "listen address")
	var rawKeys keyFlag
	fs.Var(&rawKeys, "key", "a key the sandbox accepts, as SECRETID:SECRETKEY (repeatable; invent one, never use a real key)")
	balance := fs.Int64("balance", 0, "each key's starting balance in cents (0 means 1,000,000.00)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	keys, err := rawKeys.keys()
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
	srv, err := tcsim.Start(ctx, *addr, tcsim.Options{Keys: keys, InitialBalance: *balance, Log: log})
	if err != nil {
		return err
	}
	// The address goes to stdout so scripts and tests that asked for port 0
	// can read where the sandbox really listens.
	fmt.Fprintf(e.stdout, "sandbox listening on %s\n", srv.URL)
	log.Info("sandbox serving", "addr", srv.Addr, "secret_ids", maskedIDs(keys))
	return srv.Wait()
}

// keyFlag collects -key values as given. Checking happens after parsing,
// because the flag package quotes a refused value in its error, and these
// values hold keys.
type keyFlag []string

func (k *keyFlag) String() string { return fmt.Sprintf("%d keys", len(*k)) }

func (k *keyFlag) Set(v string) error {
	*k = append(*k, v)
	return nil
}

// keys checks each SECRETID:SECRETKEY; its errors never repeat a key.
func (k keyFlag) keys() (map[string]string, error) {
	if len(k) == 0 {
		return nil, fmt.Errorf("sim needs at least one -key SECRETID:SECRETKEY")
	}
	keys := map[string]string{}
	for i, v := range k {
		id, key, ok := strings.Cut(v, ":")
		if !ok || id == "" || key == "" {
			return nil, fmt.Errorf("-key number %d must read SECRETID:SECRETKEY", i+1)
		}
		if _, dup := keys[id]; dup {
			return nil, fmt.Errorf("-key %s is given twice", tcapi.MaskSecretID(id))
		}
		keys[id] = key
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
