package accounts

import (
	"context"
	"fmt"

	"dealdesk/internal/db"
	"dealdesk/internal/tcapi"
)

// Credentials opens an account's keys for one call and nothing else: pass
// the result straight to the tcapi client and let it go. It refuses (a
// *fault.Error) a disabled account, a sandbox account outside sandbox mode, an
// environment-keyed account whose variables are unset, and stored secrets
// that do not open with this console's master keys.
//
// tcapi.Credentials prints and logs as its masked SecretId only.
func (s *Service) Credentials(ctx context.Context, id int64) (tcapi.Credentials, error) {
	row, err := db.GetTencentCloudAccount(ctx, s.pool, id)
	if err != nil {
		return tcapi.Credentials{}, fmt.Errorf("accounts: credentials: %w", err)
	}
	return s.credentials(row)
}

func (s *Service) credentials(row db.TencentCloudAccount) (tcapi.Credentials, error) {
	if err := s.Unusable(s.accountFrom(row)); err != nil {
		return tcapi.Credentials{}, fmt.Errorf("accounts: credentials of account %d: %w", row.ID, err)
	}
	if KeySource(row.KeySource) == KeysFromEnvironment {
		// Read now, not at start: rotating the environment's keys needs
		// only a restart of whatever sets them, and none are copied here.
		return tcapi.Credentials{SecretID: s.cfg.Getenv(EnvSecretID), SecretKey: s.cfg.Getenv(EnvSecretKey)}, nil
	}
	key, token, err := s.open(row)
	if err != nil {
		return tcapi.Credentials{}, err
	}
	return tcapi.Credentials{SecretID: row.Keys.SecretID, SecretKey: key, Token: token}, nil
}
