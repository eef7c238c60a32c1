package accounts

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// ReplaceKeys stores new keys for an account, sealed anew, and records when
// they changed. An environment-keyed account becomes a stored one: the admin
// typed the keys in. The sandbox account's keys are refused (ErrSandboxKeys):
// the in-process sandbox was started with the old ones.
func (s *Service) ReplaceKeys(ctx context.Context, actor auth.Actor, id int64, k Keys) (Account, error) {
	errs := fault.Fields{}
	k = validateKeys(k, errs)
	if err := errs.OrNil(); err != nil {
		return Account{}, err
	}
	var updated db.TencentCloudAccount
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetTencentCloudAccountForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Sandbox {
			return ErrSandboxKeys
		}
		keys, err := s.seal(id, k)
		if err != nil {
			return err
		}
		if updated, err = db.UpdateTencentCloudAccountKeys(ctx, tx, id, db.KeySourceStored, keys); err != nil {
			return err
		}
		details := map[string]any{
			"key_source_before": before.KeySource, "key_source": updated.KeySource,
			"secret_id": tcapi.MaskSecretID(keys.SecretID), "has_token": keys.Token != nil,
			"master_key_id": keys.SecretKey.KeyID,
		}
		if before.Keys.SecretID != "" {
			details["secret_id_before"] = tcapi.MaskSecretID(before.Keys.SecretID)
		}
		_, err = db.AppendAudit(ctx, tx, event(actor, db.ActionAccountKeysReplaced, id, details))
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("accounts: replace keys of account %d: %w", id, err)
	}
	return s.accountFrom(updated), nil
}

// SetDisabled disables or enables an account. A disabled account's
// credentials are refused (ErrDisabled), so nothing is sent with it.
// Asking for the state it already has records nothing.
func (s *Service) SetDisabled(ctx context.Context, actor auth.Actor, id int64, disabled bool) (Account, error) {
	var updated db.TencentCloudAccount
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetTencentCloudAccountForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Disabled == disabled {
			updated = before
			return nil
		}
		if updated, err = db.UpdateTencentCloudAccountDisabled(ctx, tx, id, disabled); err != nil {
			return err
		}
		action := db.ActionAccountEnabled
		if disabled {
			action = db.ActionAccountDisabled
		}
		_, err = db.AppendAudit(ctx, tx, event(actor, action, id, map[string]any{"name": updated.Name}))
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("accounts: set disabled of account %d: %w", id, err)
	}
	return s.accountFrom(updated), nil
}
