package sending

import (
	"context"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// remindLimit bounds one pass; more unknown orders than this is an
// incident the first few hundred messages already announce.
const remindLimit = 500

// RemindUnknown tells again, through n, every order whose outcome is still
// unknown, each in a transaction that holds the order's lock and checks it
// is still unknown, so an order settled meanwhile is not told. n decides
// whether a reminder already went out this period (the job queue's unique
// insert), so two replicas' passes tell each order once.
func (s *Sender) RemindUnknown(ctx context.Context, n orders.Notifier) (int, error) {
	unknown, err := s.orders.ListByStatus(ctx, orders.StatusUnknown, remindLimit)
	if err != nil {
		return 0, err
	}
	told := 0
	for _, o := range unknown {
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			cur, err := s.orders.Lock(ctx, tx, o.ID)
			if err != nil || cur.Status != orders.StatusUnknown {
				return err
			}
			told++
			return s.orders.NotifyOutcome(ctx, tx, n, cur, cur.Sent)
		})
		if err != nil {
			return told, err
		}
	}
	return told, nil
}
