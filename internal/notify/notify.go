// Package notify holds what people choose about notifications and what
// admins see of them: the signing secrets of policy webhooks (sealed like
// account secrets), each person's preferences (which events, by which
// channel), the delivery log and its resend. Delivering is the job queue's
// (internal/jobs); this package signs and opens, it never sends. No echo,
// no HTML.
package notify

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

// Requeuer queues a delivery's job again in tx (jobs.Queue implements it).
type Requeuer interface {
	RequeueDelivery(ctx context.Context, tx pgx.Tx, d db.Delivery) error
}

// Service is the notifications' domain service.
type Service struct {
	pool    db.Pool
	keys    *secrets.Keyring
	requeue Requeuer
}

// NewService builds the service. keys seals webhook secrets (nil: secrets
// cannot be set); requeue queues resends (nil: resend is refused).
func NewService(pool db.Pool, keys *secrets.Keyring, requeue Requeuer) *Service {
	return &Service{pool: pool, keys: keys, requeue: requeue}
}

// WithRequeuer returns a copy of the service that queues resends through r
// (the queue exists only after the service that the orders service needs).
func (s *Service) WithRequeuer(r Requeuer) *Service {
	c := *s
	c.requeue = r
	return &c
}

func audit(ctx context.Context, tx db.DBTX, a orders.Actor, action, subject string, details map[string]any) error {
	if a.Via != "" {
		details["via"] = a.Via
	}
	_, err := db.AppendAudit(ctx, tx, db.AuditEvent{
		Actor: strconv.FormatInt(a.UserID, 10), Action: action, Subject: subject,
		RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details,
	})
	return err
}
