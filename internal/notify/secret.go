package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

// Bounds of a webhook's signing secret: long enough to resist guessing,
// short enough for any robot's settings page (DingTalk's are 67
// characters, "SEC" and 64 hex digits).
const (
	MinWebhookSecretLen = 16
	MaxWebhookSecretLen = 200
)

// webhookSecretContext binds a sealed secret to its policy's row and
// column: a ciphertext copied to another policy does not open.
func webhookSecretContext(policyID int64) string {
	return "webhook_secrets:" + strconv.FormatInt(policyID, 10) + ":secret"
}

// HasWebhookSecret reports whether the policy's webhook has a signing
// secret (pages show "set" or "not set", never the secret).
func (s *Service) HasWebhookSecret(ctx context.Context, policyID int64) (bool, error) {
	sealed, err := db.GetWebhookSecret(ctx, s.pool, policyID)
	return sealed != nil, err
}

// SetWebhookSecret seals and stores a policy webhook's signing secret (or
// removes it when secret is empty), with its audit event. Admins only.
func (s *Service) SetWebhookSecret(ctx context.Context, a orders.Actor, policyID int64, secret secrets.String) error {
	if !a.Has(auth.RoleAdmin) {
		return fault.New(fault.Refused, "policy.admins_only")
	}
	v := secret.Reveal()
	if v != "" && (len(v) < MinWebhookSecretLen || len(v) > MaxWebhookSecretLen || strings.TrimSpace(v) != v) {
		return fault.Fields{"webhook_secret": fault.M("webhook_secret.length",
			"min", strconv.Itoa(MinWebhookSecretLen), "max", strconv.Itoa(MaxWebhookSecretLen))}
	}
	if v != "" && s.keys == nil {
		return fault.New(fault.Unavailable, "webhook_secret.no_master_key")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The policy must exist: the secret's row refers to it.
		if _, err := db.GetApprovalPolicy(ctx, tx, policyID); err != nil {
			if errors.Is(err, db.ErrNotFound) {
				return fault.Wrap(fault.NotFound, err, "policy.not_found")
			}
			return err
		}
		if v == "" {
			removed, err := db.DeleteWebhookSecret(ctx, tx, policyID)
			if err != nil || !removed {
				return err
			}
			return audit(ctx, tx, a, db.ActionWebhookSecretRemoved, orders.PolicySubject(policyID), map[string]any{})
		}
		sealed, err := s.keys.Seal([]byte(v), webhookSecretContext(policyID))
		if err != nil {
			return fmt.Errorf("notify: seal the webhook secret: %w", err)
		}
		if err := db.SetWebhookSecret(ctx, tx, policyID, sealed); err != nil {
			return err
		}
		// The key id only: the log is kept forever and never holds a secret.
		return audit(ctx, tx, a, db.ActionWebhookSecretSet, orders.PolicySubject(policyID), map[string]any{"key_id": sealed.KeyID})
	})
}

// OpenWebhookSecret opens a policy webhook's signing secret for one
// delivery; "" when it has none. keys nil with a secret stored is an
// error: an unsigned delivery would be refused (or, worse, believed).
func OpenWebhookSecret(ctx context.Context, q db.DBTX, keys *secrets.Keyring, policyID int64) (secrets.String, error) {
	sealed, err := db.GetWebhookSecret(ctx, q, policyID)
	if err != nil || sealed == nil {
		return secrets.String{}, err
	}
	if keys == nil {
		return secrets.String{}, fmt.Errorf("notify: policy %d's webhook secret is sealed but this console has no master key", policyID)
	}
	v, err := keys.Open(*sealed, webhookSecretContext(policyID))
	if err != nil {
		return secrets.String{}, fmt.Errorf("notify: open policy %d's webhook secret: %w", policyID, err)
	}
	return secrets.NewString(string(v)), nil
}
