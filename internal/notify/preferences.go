package notify

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// PersonalEvents are the events a person may hear of by e-mail, in the
// order their preferences page lists them. Who each concerns is the job
// queue's RecipientsOf (jobs/recipients.go).
var PersonalEvents = []orders.NoticeEvent{
	orders.NoticeNeedsApproval, orders.NoticeApproved, orders.NoticeRejected,
	orders.NoticeSucceeded, orders.NoticeFailed, orders.NoticeUnknown,
	orders.NoticeAwaitingPayment, orders.NoticeProposal,
	orders.NoticeApprovalExpiring, orders.NoticeApprovalExpired,
	orders.NoticeDeliveryShortOfFunds,
}

// Channels a person may choose for an event.
const (
	ChannelEmail = "email"
	ChannelNone  = "none"
)

// Preference is one event and how its person hears of it.
type Preference struct {
	Event orders.NoticeEvent
	// Label is the catalog's name of the event (notify.event.*).
	Label   fault.Msg
	Channel string
}

// Preferences lists the person's channel for every personal event (e-mail
// unless they chose otherwise).
func (s *Service) Preferences(ctx context.Context, userID int64) ([]Preference, error) {
	chosen, err := db.NotificationPreferences(ctx, s.pool, userID)
	if err != nil {
		return nil, err
	}
	out := make([]Preference, len(PersonalEvents))
	for i, ev := range PersonalEvents {
		ch := chosen[string(ev)]
		if ch == "" {
			ch = ChannelEmail
		}
		out[i] = Preference{Event: ev, Label: fault.M("notify.event." + string(ev)), Channel: ch}
	}
	return out, nil
}

// SavePreferences stores the actor's own channel for each personal event
// (an event missing from channels keeps its choice), with one audit event
// naming what changed. Nobody sets another person's preferences.
func (s *Service) SavePreferences(ctx context.Context, a orders.Actor, channels map[orders.NoticeEvent]string) error {
	errs := fault.Fields{}
	for ev, ch := range channels {
		if !personal(ev) {
			return fault.New(fault.Invalid, "notify.event.unknown_event")
		}
		if ch != ChannelEmail && ch != ChannelNone {
			errs.Set(string(ev), "notify.channel.unknown")
		}
	}
	if err := errs.OrNil(); err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.NotificationPreferences(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		changed := map[string]any{}
		for _, ev := range PersonalEvents {
			ch, ok := channels[ev]
			if !ok {
				continue
			}
			was := before[string(ev)]
			if was == "" {
				was = ChannelEmail
			}
			if was == ch {
				continue
			}
			if err := db.SetNotificationPreference(ctx, tx, a.UserID, string(ev), ch); err != nil {
				return err
			}
			changed[string(ev)] = ch
		}
		if len(changed) == 0 {
			return nil
		}
		return audit(ctx, tx, a, db.ActionNotificationPrefsUpdated, "user:"+strconv.FormatInt(a.UserID, 10),
			map[string]any{"channels": changed})
	})
}

func personal(ev orders.NoticeEvent) bool {
	return slices.Contains(PersonalEvents, ev)
}
