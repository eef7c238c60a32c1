package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
	"dealdesk/internal/secrets"
)

// Key sources of a Tencent Cloud account, as the key_source column holds them.
const (
	KeySourceStored      = "stored"
	KeySourceEnvironment = "environment"
)

// TencentCloudAccount is a row of tencentcloud_accounts. Its secrets stay
// sealed here; only internal/accounts opens them.
type TencentCloudAccount struct {
	ID        int64
	Name      string
	KeySource string
	Keys      TencentCloudKeys
	Disabled  bool
	Sandbox   bool
	// CreatedBy is the user who added the account; 0 for the console itself.
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	KeysChangedAt time.Time
	// RenewalLeadDays is how many days before an instance expires its
	// renewal is drafted (migration 024).
	RenewalLeadDays int
}

// TencentCloudKeys are an account's stored keys. For an account whose keys
// come from the environment, all are empty.
type TencentCloudKeys struct {
	SecretID string
	// SecretKey is nil only for an account whose keys come from the environment.
	SecretKey *secrets.Sealed
	// Token is the sealed STS token, nil when there is none.
	Token *secrets.Sealed
}

// NewTencentCloudAccount is what InsertTencentCloudAccount needs. ID comes
// from NextTencentCloudAccountID, called in the same transaction.
type NewTencentCloudAccount struct {
	ID        int64
	Name      string
	KeySource string
	Keys      TencentCloudKeys
	Sandbox   bool
	CreatedBy int64
}

// sealedColumns is one sealed value as its three columns hold it; nil
// becomes NULL, which the table's CHECKs expect of an absent value.
func sealedColumns(s *secrets.Sealed) (keyID string, nonce, ciphertext []byte) {
	if s == nil {
		return "", nil, nil
	}
	return s.KeyID, s.Nonce, s.Ciphertext
}

func sealedFrom(keyID string, nonce, ciphertext []byte) *secrets.Sealed {
	if ciphertext == nil {
		return nil
	}
	return &secrets.Sealed{KeyID: keyID, Nonce: nonce, Ciphertext: ciphertext}
}

func accountFrom(r sqlcgen.TencentcloudAccount) TencentCloudAccount {
	a := TencentCloudAccount{
		ID: r.ID, Name: r.Name, KeySource: r.KeySource, Disabled: r.Disabled, Sandbox: r.Sandbox,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, KeysChangedAt: r.KeysChangedAt,
		RenewalLeadDays: int(r.RenewalLeadDays),
		Keys: TencentCloudKeys{
			SecretID:  r.SecretID,
			SecretKey: sealedFrom(r.SecretKeyKeyID, r.SecretKeyNonce, r.SecretKeySealed),
			Token:     sealedFrom(r.TokenKeyID, r.TokenNonce, r.TokenSealed),
		},
	}
	if r.CreatedBy != nil {
		a.CreatedBy = *r.CreatedBy
	}
	return a
}

// NextTencentCloudAccountID reserves the id of an account about to be
// inserted, so its secrets can be sealed to it before the row exists.
func NextTencentCloudAccountID(ctx context.Context, q DBTX) (int64, error) {
	id, err := queries.NextTencentCloudAccountID(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("db: reserve account id: %w", Translate(err))
	}
	return id, nil
}

// InsertTencentCloudAccount writes a new account. A name taken in any letter
// case is ErrConflict.
func InsertTencentCloudAccount(ctx context.Context, q DBTX, a NewTencentCloudAccount) (TencentCloudAccount, error) {
	p := sqlcgen.InsertTencentCloudAccountParams{
		ID: a.ID, Name: a.Name, KeySource: a.KeySource, SecretID: a.Keys.SecretID, Sandbox: a.Sandbox,
	}
	p.SecretKeyKeyID, p.SecretKeyNonce, p.SecretKeySealed = sealedColumns(a.Keys.SecretKey)
	p.TokenKeyID, p.TokenNonce, p.TokenSealed = sealedColumns(a.Keys.Token)
	if a.CreatedBy != 0 {
		p.CreatedBy = &a.CreatedBy
	}
	row, err := queries.InsertTencentCloudAccount(ctx, q, p)
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: insert tencent cloud account: %w", Translate(err))
	}
	return accountFrom(row), nil
}

// GetTencentCloudAccount returns the account with the id, or ErrNotFound.
func GetTencentCloudAccount(ctx context.Context, q DBTX, id int64) (TencentCloudAccount, error) {
	row, err := queries.GetTencentCloudAccount(ctx, q, id)
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: get tencent cloud account %d: %w", id, Translate(err))
	}
	return accountFrom(row), nil
}

// GetTencentCloudAccountForUpdate is GetTencentCloudAccount that also locks
// the row until the transaction ends.
func GetTencentCloudAccountForUpdate(ctx context.Context, q DBTX, id int64) (TencentCloudAccount, error) {
	row, err := queries.GetTencentCloudAccountForUpdate(ctx, q, id)
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: lock tencent cloud account %d: %w", id, Translate(err))
	}
	return accountFrom(row), nil
}

// ListTencentCloudAccounts lists every account by name.
func ListTencentCloudAccounts(ctx context.Context, q DBTX) ([]TencentCloudAccount, error) {
	rows, err := queries.ListTencentCloudAccounts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list tencent cloud accounts: %w", Translate(err))
	}
	out := make([]TencentCloudAccount, len(rows))
	for i, r := range rows {
		out[i] = accountFrom(r)
	}
	return out, nil
}

// FirstSandboxTencentCloudAccount returns the oldest sandbox account, or
// ErrNotFound.
func FirstSandboxTencentCloudAccount(ctx context.Context, q DBTX) (TencentCloudAccount, error) {
	row, err := queries.FirstSandboxTencentCloudAccount(ctx, q)
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: get sandbox account: %w", Translate(err))
	}
	return accountFrom(row), nil
}

// UpdateTencentCloudAccountKeys replaces an account's keys and key source
// and records when the keys changed.
func UpdateTencentCloudAccountKeys(ctx context.Context, q DBTX, id int64, keySource string, k TencentCloudKeys) (TencentCloudAccount, error) {
	p := sqlcgen.UpdateTencentCloudAccountKeysParams{ID: id, KeySource: keySource, SecretID: k.SecretID}
	p.SecretKeyKeyID, p.SecretKeyNonce, p.SecretKeySealed = sealedColumns(k.SecretKey)
	p.TokenKeyID, p.TokenNonce, p.TokenSealed = sealedColumns(k.Token)
	row, err := queries.UpdateTencentCloudAccountKeys(ctx, q, p)
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: update keys of tencent cloud account %d: %w", id, Translate(err))
	}
	return accountFrom(row), nil
}

// ListTencentCloudAccountsToReseal returns the ids of the accounts holding a
// value sealed under a master key other than keyID.
func ListTencentCloudAccountsToReseal(ctx context.Context, q DBTX, keyID string) ([]int64, error) {
	ids, err := queries.ListSealedTencentCloudAccountIDs(ctx, q, keyID)
	if err != nil {
		return nil, fmt.Errorf("db: list accounts to reseal: %w", Translate(err))
	}
	return ids, nil
}

// ResealTencentCloudAccount stores the same secrets sealed anew. The
// SecretId and the time the keys changed stay as they are.
func ResealTencentCloudAccount(ctx context.Context, q DBTX, id int64, secretKey, token *secrets.Sealed) (TencentCloudAccount, error) {
	p := sqlcgen.ResealTencentCloudAccountParams{ID: id}
	p.SecretKeyKeyID, p.SecretKeyNonce, p.SecretKeySealed = sealedColumns(secretKey)
	p.TokenKeyID, p.TokenNonce, p.TokenSealed = sealedColumns(token)
	row, err := queries.ResealTencentCloudAccount(ctx, q, p)
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: reseal tencent cloud account %d: %w", id, Translate(err))
	}
	return accountFrom(row), nil
}

// UpdateTencentCloudAccountDisabled disables or enables an account.
func UpdateTencentCloudAccountDisabled(ctx context.Context, q DBTX, id int64, disabled bool) (TencentCloudAccount, error) {
	row, err := queries.UpdateTencentCloudAccountDisabled(ctx, q, sqlcgen.UpdateTencentCloudAccountDisabledParams{ID: id, Disabled: disabled})
	if err != nil {
		return TencentCloudAccount{}, fmt.Errorf("db: set disabled of tencent cloud account %d: %w", id, Translate(err))
	}
	return accountFrom(row), nil
}
