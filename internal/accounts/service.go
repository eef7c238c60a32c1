// Package accounts holds the Tencent Cloud accounts orders are sent with:
// the company's SecretId and SecretKey (and an optional STS token), sealed
// at rest under the master key, or read from the environment at the moment
// of use. It opens a secret only to hand it to the request signer
// (Credentials) and never returns, logs or audits one otherwise. It knows
// nothing of echo or HTML.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/secrets"
	"dealdesk/internal/tcapi"
)

// The environment variables an environment-keyed account reads, the names
// the official SDK's environment provider uses.
const (
	EnvSecretID  = "TENCENTCLOUD_SECRET_ID"  //nolint:gosec // G101: the name of a variable, not a credential
	EnvSecretKey = "TENCENTCLOUD_SECRET_KEY" //nolint:gosec // G101: the name of a variable, not a credential
)

// KeySource says where an account's keys come from.
type KeySource string

// The key sources.
const (
	// KeysStored: the SecretKey (and token) are sealed in the account's row.
	KeysStored KeySource = db.KeySourceStored
	// KeysFromEnvironment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY,
	// read each time the keys are used.
	KeysFromEnvironment KeySource = db.KeySourceEnvironment
)

// Config is what the service needs from the console's configuration.
type Config struct {
	// Keys seals and opens the stored secrets. Required.
	Keys *secrets.Keyring
	// Getenv reads TENCENTCLOUD_SECRET_ID/KEY for environment-keyed
	// accounts, at use time; nil means none are set.
	Getenv func(string) string
	// Sandbox is true when calls go to the built-in sandbox. Sandbox
	// accounts are usable only then: their made-up keys mean nothing to
	// Tencent Cloud.
	Sandbox bool
}

// Service runs every operation on accounts. Each change runs in one
// transaction with the audit event that records it.
type Service struct {
	pool db.Pool
	cfg  Config
}

// NewService builds the service on a pool.
func NewService(pool db.Pool, cfg Config) (*Service, error) {
	if cfg.Keys == nil {
		return nil, errors.New("accounts: a keyring is required")
	}
	if cfg.Getenv == nil {
		cfg.Getenv = func(string) string { return "" }
	}
	return &Service{pool: pool, cfg: cfg}, nil
}

// Account is a Tencent Cloud account as the rest of the console sees it:
// never with a secret, and with its SecretId masked.
type Account struct {
	ID        int64
	Name      string
	KeySource KeySource
	// MaskedSecretID is the SecretId with all but its first and last four
	// characters hidden ("AKID****MPLE"). For an environment-keyed account it
	// is read from the environment now, and empty when that is unset.
	MaskedSecretID string
	// HasToken is true when temporary (STS) credentials are stored.
	HasToken bool
	Disabled bool
	// Sandbox marks the account the console made for the built-in sandbox.
	Sandbox bool
	// CreatedBy is the user who added the account; 0 for the console itself.
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	KeysChangedAt time.Time
	// RenewalLeadDays is how many days before expiry the console drafts the
	// renewals of what this account bought.
	RenewalLeadDays int
}

func (s *Service) accountFrom(a db.TencentCloudAccount) Account {
	out := Account{
		ID: a.ID, Name: a.Name, KeySource: KeySource(a.KeySource), HasToken: a.Keys.Token != nil,
		Disabled: a.Disabled, Sandbox: a.Sandbox, CreatedBy: a.CreatedBy,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, KeysChangedAt: a.KeysChangedAt,
		RenewalLeadDays: a.RenewalLeadDays,
	}
	id := a.Keys.SecretID
	if out.KeySource == KeysFromEnvironment {
		id = s.cfg.Getenv(EnvSecretID)
	}
	if id != "" {
		out.MaskedSecretID = tcapi.MaskSecretID(id)
	}
	return out
}

// Get returns an account, or db.ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (Account, error) {
	a, err := db.GetTencentCloudAccount(ctx, s.pool, id)
	if err != nil {
		return Account{}, fmt.Errorf("accounts: %w", err)
	}
	return s.accountFrom(a), nil
}

// List returns every account by name, disabled ones included.
func (s *Service) List(ctx context.Context) ([]Account, error) {
	rows, err := db.ListTencentCloudAccounts(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = s.accountFrom(r)
	}
	return out, nil
}

// Usable returns the accounts orders can be sent with now: enabled, a
// sandbox account only in sandbox mode, an environment-keyed one only while
// the environment holds keys. It is the list an order form offers.
func (s *Service) Usable(ctx context.Context) ([]Account, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Account, 0, len(all))
	for _, a := range all {
		if s.Unusable(a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// Unusable says why an account's credentials cannot be used now (a
// *fault.Error), or returns nil when they can.
func (s *Service) Unusable(a Account) error {
	switch {
	case a.Disabled:
		return ErrDisabled
	case a.Sandbox && !s.cfg.Sandbox:
		return ErrSandboxOnly
	case a.KeySource == KeysFromEnvironment && (s.cfg.Getenv(EnvSecretID) == "" || s.cfg.Getenv(EnvSecretKey) == ""):
		return ErrNoEnvironmentKeys
	}
	return nil
}

// Subject is the audit log's name for an account.
func Subject(id int64) string { return "tencentcloud_account:" + strconv.FormatInt(id, 10) }

// event fills an audit event from the actor. It follows auth's convention:
// a user id as text, or "system" for the console itself, with the channel
// in details["via"].
func event(actor auth.Actor, action string, id int64, details map[string]any) db.AuditEvent {
	if details == nil {
		details = map[string]any{}
	}
	name := "system"
	if actor.UserID != 0 {
		name = strconv.FormatInt(actor.UserID, 10)
	}
	if actor.Via != "" {
		details["via"] = actor.Via
	}
	return db.AuditEvent{
		Actor: name, Action: action, Subject: Subject(id),
		RemoteAddr: actor.RemoteAddr, RequestID: actor.RequestID, Details: details,
	}
}
