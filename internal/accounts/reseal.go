package accounts

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/secrets"
)

// CurrentKeyID names the master key new secrets are sealed under.
func (s *Service) CurrentKeyID() string { return s.cfg.Keys.CurrentKeyID() }

// Reseal seals again, under the current master key, every stored secret
// sealed under an older one, and returns how many accounts it changed. Each
// account is resealed in its own transaction with its audit event, so a
// secret that does not open stops the run without undoing the others;
// running it again carries on. After it, the old keys can leave
// CONSOLE_MASTER_KEYS_OLD.
func (s *Service) Reseal(ctx context.Context, actor auth.Actor) (int, error) {
	current := s.cfg.Keys.CurrentKeyID()
	ids, err := db.ListTencentCloudAccountsToReseal(ctx, s.pool, current)
	if err != nil {
		return 0, fmt.Errorf("accounts: reseal: %w", err)
	}
	done := 0
	for _, id := range ids {
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			row, err := db.GetTencentCloudAccountForUpdate(ctx, tx, id)
			if err != nil {
				return err
			}
			from := map[string]string{}
			key, err := s.reseal(row.Keys.SecretKey, secretKeyContext(id, row.Keys.SecretID), "secret_key", from)
			if err != nil {
				return err
			}
			token, err := s.reseal(row.Keys.Token, tokenContext(id, row.Keys.SecretID), "token", from)
			if err != nil {
				return err
			}
			if len(from) == 0 {
				return nil // resealed meanwhile by another run
			}
			if _, err := db.ResealTencentCloudAccount(ctx, tx, id, key, token); err != nil {
				return err
			}
			done++
			_, err = db.AppendAudit(ctx, tx, event(actor, db.ActionAccountResealed, id, map[string]any{
				"from_master_key_ids": from, "master_key_id": current,
			}))
			return err
		})
		if err != nil {
			return done, fmt.Errorf("accounts: reseal account %d: %w", id, err)
		}
	}
	return done, nil
}

// reseal opens v and seals it under the current key when an older key
// sealed it, noting the old key id in from[what]. A nil v, or one already
// under the current key, comes back unchanged.
func (s *Service) reseal(v *secrets.Sealed, aad, what string, from map[string]string) (*secrets.Sealed, error) {
	if v == nil || !s.cfg.Keys.NeedsReseal(*v) {
		return v, nil
	}
	plain, err := s.cfg.Keys.Open(*v, aad)
	if err != nil {
		return nil, fmt.Errorf("open the %s: %w", what, err)
	}
	out, err := s.cfg.Keys.Seal(plain, aad)
	clear(plain)
	if err != nil {
		return nil, err
	}
	from[what] = v.KeyID
	return &out, nil
}
