package accounts

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Bounds of an account's renewal lead time, in days: the table's CHECK
// (migration 024). A day is the least notice an approval can work with; a
// year is the longest term anything is bought for.
const (
	MinRenewalLeadDays = 1
	MaxRenewalLeadDays = 365
)

// RenewalLeadDaysRange is the message for a lead time out of bounds.
func RenewalLeadDaysRange() fault.Msg {
	return fault.M("account.renewal_lead_days.range",
		"min", strconv.Itoa(MinRenewalLeadDays), "max", strconv.Itoa(MaxRenewalLeadDays))
}

// SetRenewalLeadDays sets how many days before an instance of the account
// expires the console drafts its renewal, with its audit event. The next
// renewals pass drafts by it (orders.DraftDueRenewals). Setting the value
// it already has records nothing.
func (s *Service) SetRenewalLeadDays(ctx context.Context, actor auth.Actor, id int64, days int) (Account, error) {
	if days < MinRenewalLeadDays || days > MaxRenewalLeadDays {
		return Account{}, fault.Fields{"renewal_lead_days": RenewalLeadDaysRange()}
	}
	var updated db.TencentCloudAccount
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetTencentCloudAccountForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		updated = before
		if before.RenewalLeadDays == days {
			return nil
		}
		if err := db.SetAccountRenewalLeadDays(ctx, tx, id, days); err != nil {
			return err
		}
		updated.RenewalLeadDays = days
		_, err = db.AppendAudit(ctx, tx, event(actor, db.ActionAccountRenewalLeadDaysSet, id, map[string]any{
			"name": before.Name, "renewal_lead_days": days, "was": before.RenewalLeadDays,
		}))
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("accounts: set renewal lead days of account %d: %w", id, err)
	}
	return s.accountFrom(updated), nil
}
