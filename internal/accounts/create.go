package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// Create validates and adds an account. Stored keys are sealed to the new
// row before it is written; the audit event names the masked SecretId only.
// Mistakes, a taken name included, come back as fault.Fields.
func (s *Service) Create(ctx context.Context, actor auth.Actor, in NewAccount) (Account, error) {
	in, errs := validateNew(in)
	if err := errs.OrNil(); err != nil {
		return Account{}, err
	}
	a, err := s.insert(ctx, actor, in, false)
	if err != nil {
		return Account{}, err
	}
	return a, nil
}

// insert writes a validated account and its audit event in one transaction.
func (s *Service) insert(ctx context.Context, actor auth.Actor, in NewAccount, sandbox bool) (Account, error) {
	var a Account
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = s.insertTx(ctx, tx, actor, in, sandbox)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("accounts: create: %w", err)
	}
	return a, nil
}

// insertTx reserves the id, seals the keys to it, writes the row and the
// audit event, all in tx.
func (s *Service) insertTx(ctx context.Context, tx pgx.Tx, actor auth.Actor, in NewAccount, sandbox bool) (Account, error) {
	id, err := db.NextTencentCloudAccountID(ctx, tx)
	if err != nil {
		return Account{}, err
	}
	var keys db.TencentCloudKeys
	if in.KeySource == KeysStored {
		if keys, err = s.seal(id, in.Keys); err != nil {
			return Account{}, err
		}
	}
	created, err := db.InsertTencentCloudAccount(ctx, tx, db.NewTencentCloudAccount{
		ID: id, Name: in.Name, KeySource: string(in.KeySource), Keys: keys, Sandbox: sandbox, CreatedBy: actor.UserID,
	})
	if errors.Is(err, db.ErrConflict) {
		return Account{}, fault.Fields{"name": fault.M("account.name.taken")}
	}
	if err != nil {
		return Account{}, err
	}
	details := map[string]any{"name": created.Name, "key_source": created.KeySource, "sandbox": sandbox}
	if in.KeySource == KeysStored {
		details["secret_id"] = tcapi.MaskSecretID(keys.SecretID)
		details["has_token"] = keys.Token != nil
		details["master_key_id"] = keys.SecretKey.KeyID
	}
	if _, err := db.AppendAudit(ctx, tx, event(actor, db.ActionAccountCreated, id, details)); err != nil {
		return Account{}, err
	}
	return s.accountFrom(created), nil
}
