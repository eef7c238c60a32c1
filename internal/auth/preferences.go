package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Preferences are a person's own language and time zone; "" is "not
// chosen" (the browser's language, the console's default zone).
type Preferences struct {
	Language string
	TimeZone string
}

// Languages are the codes a person may choose, as stored.
var Languages = []string{"en", "zh-CN"}

// ValidTimeZone reports whether name is a time zone the console can show
// times in: an IANA name time.LoadLocation knows ("Local" is the server's
// and means nothing to a reader, so it is refused).
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" || len(name) > 64 {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// SetPreferences stores the person's own language and time zone, with its
// audit event in the same transaction. Only the person changes their own:
// actor and user are the same id.
func (s *Service) SetPreferences(ctx context.Context, actor Actor, p Preferences) (User, error) {
	errs := fault.Fields{}
	if p.Language != "" && p.Language != "en" && p.Language != "zh-CN" {
		errs["language"] = fault.M("user.language.unknown")
	}
	if p.TimeZone != "" && !ValidTimeZone(p.TimeZone) {
		errs["time_zone"] = fault.M("user.time_zone.unknown")
	}
	if err := errs.OrNil(); err != nil {
		return User{}, err
	}
	var updated db.User
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetUserForUpdate(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		updated, err = db.UpdateUserPreferences(ctx, tx, actor.UserID, p.Language, p.TimeZone)
		if err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserPreferencesChanged, userSubject(actor.UserID), map[string]any{
			"language_before": before.Language, "language": updated.Language,
			"time_zone_before": before.TimeZone, "time_zone": updated.TimeZone,
		}))
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("auth: preferences of user %d: %w", actor.UserID, err)
	}
	return userFrom(updated), nil
}
