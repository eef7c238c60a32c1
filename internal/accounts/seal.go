package accounts

import (
	"errors"
	"fmt"
	"strconv"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/secrets"
)

// The AEAD context of a sealed value names the table, the row, the column
// and the SecretId it belongs with. It is authenticated, not stored, so a
// ciphertext moved anywhere else no longer opens: into another account (its
// orders would go out under the wrong company account), from the token
// column into the key column, or under a SecretId edited in the row.
//
// The row id is part of it, which is why Create reserves the id before
// sealing instead of sealing with a context that needs none: a context
// without the id would let one account's key be copied into another's row.
func secretKeyContext(id int64, secretID string) string {
	return "tencentcloud_accounts:" + strconv.FormatInt(id, 10) + ":secret_key:" + secretID
}

func tokenContext(id int64, secretID string) string {
	return "tencentcloud_accounts:" + strconv.FormatInt(id, 10) + ":token:" + secretID
}

// seal seals validated stored keys for the account id.
func (s *Service) seal(id int64, k Keys) (db.TencentCloudKeys, error) {
	key, err := s.cfg.Keys.Seal([]byte(k.SecretKey.Reveal()), secretKeyContext(id, k.SecretID))
	if err != nil {
		return db.TencentCloudKeys{}, fmt.Errorf("accounts: seal the SecretKey: %w", err)
	}
	out := db.TencentCloudKeys{SecretID: k.SecretID, SecretKey: &key}
	if !k.Token.IsZero() {
		token, err := s.cfg.Keys.Seal([]byte(k.Token.Reveal()), tokenContext(id, k.SecretID))
		if err != nil {
			return db.TencentCloudKeys{}, fmt.Errorf("accounts: seal the token: %w", err)
		}
		out.Token = &token
	}
	return out, nil
}

// open opens an account's stored SecretKey and token.
func (s *Service) open(a db.TencentCloudAccount) (key, token string, err error) {
	if a.Keys.SecretKey == nil {
		return "", "", fmt.Errorf("accounts: account %d has no stored SecretKey", a.ID)
	}
	k, err := s.cfg.Keys.Open(*a.Keys.SecretKey, secretKeyContext(a.ID, a.Keys.SecretID))
	if err != nil {
		return "", "", openRefusal(a.ID, "SecretKey", err)
	}
	if a.Keys.Token != nil {
		t, err := s.cfg.Keys.Open(*a.Keys.Token, tokenContext(a.ID, a.Keys.SecretID))
		if err != nil {
			return "", "", openRefusal(a.ID, "token", err)
		}
		token = string(t)
	}
	return string(k), token, nil
}

// openRefusal explains a secret that does not open. A missing master key is
// the operator's to fix; anything else means the row was altered or the
// master key is not the one that sealed it.
func openRefusal(id int64, what string, err error) error {
	key := ErrCannotOpen.Msg.Key + ".altered"
	if errors.Is(err, secrets.ErrUnknownKey) {
		key = ErrCannotOpen.Msg.Key + ".unknown_key"
	}
	return fmt.Errorf("accounts: open the %s of account %d: %w: %w", what, id, fault.New(fault.Conflict, key, "what", what), err)
}
