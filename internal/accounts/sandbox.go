package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/secrets"
)

// sandboxLock serialises EnsureSandboxAccount across replicas starting at
// once. (auth holds 7211002 for its first admin; dbtest 7211001.)
const sandboxLock = 7211101

// EnsureSandboxAccount returns the sandbox account, creating it when there
// is none: named "Sandbox", with a random AKID-style SecretId and a random
// SecretKey, sealed like any other account's. created says whether it was
// made now. A sandbox account an admin disabled stays disabled.
func (s *Service) EnsureSandboxAccount(ctx context.Context, actor auth.Actor) (a Account, created bool, err error) {
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.AdvisoryXactLock(ctx, tx, sandboxLock); err != nil {
			return err
		}
		existing, err := db.FirstSandboxTencentCloudAccount(ctx, tx)
		if err == nil {
			a = s.accountFrom(existing)
			return nil
		}
		if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		name, err := freeSandboxName(ctx, tx)
		if err != nil {
			return err
		}
		// Random keys, so no two consoles share them and nobody can guess
		// them: they still sign real TC3 requests the sandbox verifies.
		in := NewAccount{Name: name, KeySource: KeysStored, Keys: Keys{
			SecretID:  "AKID" + randomAlnum(32),
			SecretKey: secrets.NewString(randomAlnum(32)),
		}}
		a, err = s.insertTx(ctx, tx, actor, in, true)
		created = err == nil
		return err
	})
	if err != nil {
		return Account{}, false, fmt.Errorf("accounts: ensure the sandbox account: %w", err)
	}
	return a, created, nil
}

// freeSandboxName is "Sandbox", or "Sandbox 2" and on when an admin has
// given that name to an account of their own.
func freeSandboxName(ctx context.Context, tx pgx.Tx) (string, error) {
	all, err := db.ListTencentCloudAccounts(ctx, tx)
	if err != nil {
		return "", err
	}
	taken := map[string]bool{}
	for _, a := range all {
		taken[strings.ToLower(a.Name)] = true
	}
	name := "Sandbox"
	for n := 2; taken[strings.ToLower(name)]; n++ {
		name = "Sandbox " + strconv.Itoa(n)
	}
	return name, nil
}

// SandboxKeys opens the keys of every enabled sandbox account, for starting
// the in-process sandbox: SecretId to SecretKey, and SecretId to STS token
// for those that have one. Nothing else may call it.
func (s *Service) SandboxKeys(ctx context.Context) (keys, tokens map[string]string, err error) {
	rows, err := db.ListTencentCloudAccounts(ctx, s.pool)
	if err != nil {
		return nil, nil, fmt.Errorf("accounts: sandbox keys: %w", err)
	}
	keys, tokens = map[string]string{}, map[string]string{}
	for _, r := range rows {
		if !r.Sandbox || r.Disabled || KeySource(r.KeySource) != KeysStored {
			continue
		}
		key, token, err := s.open(r)
		if err != nil {
			return nil, nil, err
		}
		keys[r.Keys.SecretID] = key
		if token != "" {
			tokens[r.Keys.SecretID] = token
		}
	}
	return keys, tokens, nil
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomAlnum returns n letters and digits from crypto/rand, uniformly:
// bytes past the largest multiple of 62 are drawn again.
func randomAlnum(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+)
		for _, b := range buf {
			if int(b) < 256-256%len(alnum) && len(out) < n {
				out = append(out, alnum[int(b)%len(alnum)])
			}
		}
	}
	return string(out)
}
