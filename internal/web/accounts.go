package web

import (
	"context"
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/secrets"
	"dealdesk/web/templates"
)

// accountKeeper is what the account pages need: the accounts, the admin's
// moves on them, and a check of their keys. *accounts.Service is one.
type accountKeeper interface {
	List(ctx context.Context) ([]accounts.Account, error)
	Get(ctx context.Context, id int64) (accounts.Account, error)
	Unusable(a accounts.Account) error
	Create(ctx context.Context, actor auth.Actor, in accounts.NewAccount) (accounts.Account, error)
	SetDisabled(ctx context.Context, actor auth.Actor, id int64, disabled bool) (accounts.Account, error)
	ReplaceKeys(ctx context.Context, actor auth.Actor, id int64, k accounts.Keys) (accounts.Account, error)
	Check(ctx context.Context, client accounts.Checker, id int64) (accounts.CheckResult, error)
	SetRenewalLeadDays(ctx context.Context, actor auth.Actor, id int64, days int) (accounts.Account, error)
}

// keySourceOptions are the key source radios with value checked; their
// label and description are catalog keys, worded by the template.
func keySourceOptions(checked string) []templates.KeySourceOption {
	return []templates.KeySourceOption{
		{Value: string(accounts.KeysStored), Label: "key_source.stored", Checked: checked == string(accounts.KeysStored),
			Description: "key_source.stored_desc"},
		{Value: string(accounts.KeysFromEnvironment), Label: "key_source.environment", Checked: checked == string(accounts.KeysFromEnvironment),
			Description: "key_source.environment_desc"},
	}
}

// formKeys reads the key fields. The secrets go straight into
// secrets.String, so nothing that prints the form can show them. They may
// hold line breaks at the boundary: a paste brings them along, and the
// domain trims them (and refuses inner ones with its own words).
func formKeys(r *fieldReader) accounts.Keys {
	return accounts.Keys{
		SecretID:  r.text("secret_id", lines(accounts.MaxSecretIDLen)),
		SecretKey: secrets.NewString(r.text("secret_key", lines(accounts.MaxSecretKeyLen))),
		Token:     secrets.NewString(r.text("token", lines(accounts.MaxTokenLen))),
	}
}

func (s *Server) accountRow(a accounts.Account) templates.AccountRow {
	row := templates.AccountRow{
		ID: a.ID, Name: a.Name, KeySource: string(a.KeySource), MaskedSecretID: a.MaskedSecretID,
		HasToken: a.HasToken, Disabled: a.Disabled, Sandbox: a.Sandbox,
		CreatedAt: a.CreatedAt, KeysChangedAt: a.KeysChangedAt, RenewalLeadDays: a.RenewalLeadDays,
	}
	if r, ok := fault.As(s.accounts.Unusable(a)); ok {
		row.Unusable = r.Msg.String()
	}
	return row
}

// pathAccount loads the account the :id in the path names. A malformed id
// is the same 404 as a missing account.
func (s *Server) pathAccount(c echo.Context) (accounts.Account, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return accounts.Account{}, echo.ErrNotFound
	}
	return s.accounts.Get(c.Request().Context(), id)
}

func accountPath(id int64) string { return fmt.Sprintf("/admin/accounts/%d", id) }

// accountEditView is the account page with nothing typed in.
func (s *Server) accountEditView(c echo.Context, a accounts.Account) templates.AccountEditView {
	return templates.AccountEditView{Page: s.page(c, a.Name), Account: s.accountRow(a)}
}
