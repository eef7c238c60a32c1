package accounts_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/secrets"
)

// Made-up keys in the shape Tencent Cloud issues. Never real ones.
const (
	testSecretID  = "AKIDtestACCOUNTSservice0000000000001"
	testSecretKey = "TestSecretKeyThatMustNeverLeak0001"
	testToken     = "TestStsTokenThatMustNeverLeak.0001"
)

var (
	masterKey1 = bytes.Repeat([]byte{1}, 32)
	masterKey2 = bytes.Repeat([]byte{2}, 32)
)

func keyring(t *testing.T, currentID string, current []byte, older map[string][]byte) *secrets.Keyring {
	t.Helper()
	k, err := secrets.NewKeyring(currentID, current, older)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fakeEnv is a settable environment for environment-keyed accounts.
type fakeEnv struct {
	mu sync.Mutex
	m  map[string]string
}

func (e *fakeEnv) get(k string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.m[k]
}

func (e *fakeEnv) set(k, v string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]string{}
	}
	e.m[k] = v
}

type fixture struct {
	pool *pgxpool.Pool
	svc  *accounts.Service
	env  *fakeEnv
}

// newFixture is a service on a fresh database, sealing under "k1".
func newFixture(t *testing.T, sandbox bool) *fixture {
	t.Helper()
	f := &fixture{pool: dbtest.New(t), env: &fakeEnv{}}
	f.svc = f.service(t, keyring(t, "k1", masterKey1, nil), sandbox)
	return f
}

// service is another service on the same database.
func (f *fixture) service(t *testing.T, keys *secrets.Keyring, sandbox bool) *accounts.Service {
	t.Helper()
	svc, err := accounts.NewService(f.pool, accounts.Config{Keys: keys, Getenv: f.env.get, Sandbox: sandbox})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

var admin = auth.Actor{UserID: 0, Via: "test"}

// create adds a stored account with the test keys under the name.
func (f *fixture) create(t *testing.T, name string, token string) accounts.Account {
	t.Helper()
	a, err := f.svc.Create(context.Background(), admin, accounts.NewAccount{
		Name: name, KeySource: accounts.KeysStored,
		Keys: accounts.Keys{SecretID: testSecretID, SecretKey: secrets.NewString(testSecretKey), Token: secrets.NewString(token)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
