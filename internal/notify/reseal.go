package notify

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// ResealWebhookSecrets seals again, under the current master key, every
// policy webhook's signing secret sealed under an older one, and returns
// how many it changed: the webhooks' part of `console accounts reseal`,
// so that once it has run the old key can leave CONSOLE_MASTER_KEYS_OLD
// without a webhook's deliveries failing to sign. Like the accounts'
// reseal, each secret has its own transaction and audit event (the key ids
// only), and running it again carries on after a failure.
func (s *Service) ResealWebhookSecrets(ctx context.Context, a orders.Actor) (int, error) {
	if s.keys == nil {
		return 0, fmt.Errorf("notify: reseal webhook secrets: this console has no master key")
	}
	current := s.keys.CurrentKeyID()
	ids, err := db.ListWebhookSecretsToReseal(ctx, s.pool, current)
	if err != nil {
		return 0, fmt.Errorf("notify: reseal webhook secrets: %w", err)
	}
	done := 0
	for _, id := range ids {
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			sealed, err := db.LockWebhookSecret(ctx, tx, id)
			if err != nil || sealed == nil || !s.keys.NeedsReseal(*sealed) {
				return err // removed or resealed meanwhile
			}
			aad := webhookSecretContext(id)
			plain, err := s.keys.Open(*sealed, aad)
			if err != nil {
				return fmt.Errorf("open the secret: %w", err)
			}
			out, err := s.keys.Seal(plain, aad)
			clear(plain)
			if err != nil {
				return err
			}
			if err := db.SetWebhookSecret(ctx, tx, id, out); err != nil {
				return err
			}
			done++
			_, err = db.AppendAudit(ctx, tx, db.AuditEvent{Actor: actorName(a), Action: db.ActionWebhookSecretResealed,
				Subject: orders.PolicySubject(id), RemoteAddr: a.RemoteAddr, RequestID: a.RequestID,
				Details: map[string]any{"from_key_id": sealed.KeyID, "key_id": out.KeyID, "via": a.Via}})
			return err
		})
		if err != nil {
			return done, fmt.Errorf("notify: reseal the webhook secret of policy %d: %w", id, err)
		}
	}
	return done, nil
}

// actorName is the audit log's actor: a user's id, or "system" for the
// console itself (the command line), as auth and accounts write it.
func actorName(a orders.Actor) string {
	if a.UserID == 0 {
		return "system"
	}
	return fmt.Sprint(a.UserID)
}
