package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
	"dealdesk/internal/secrets"
)

// GetWebhookSecret reads a policy's sealed signing secret; nil when it has
// none.
func GetWebhookSecret(ctx context.Context, q DBTX, policyID int64) (*secrets.Sealed, error) {
	r, err := queries.GetWebhookSecret(ctx, q, policyID)
	if err != nil {
		if err = Translate(err); errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("db: webhook secret of policy %d: %w", policyID, err)
	}
	return &secrets.Sealed{KeyID: r.KeyID, Nonce: r.Nonce, Ciphertext: r.Sealed}, nil
}

// LockWebhookSecret is GetWebhookSecret that also holds the row until tx
// ends; nil when the policy has no secret.
func LockWebhookSecret(ctx context.Context, tx DBTX, policyID int64) (*secrets.Sealed, error) {
	r, err := queries.LockWebhookSecret(ctx, tx, policyID)
	if err != nil {
		if err = Translate(err); errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("db: lock webhook secret of policy %d: %w", policyID, err)
	}
	return &secrets.Sealed{KeyID: r.KeyID, Nonce: r.Nonce, Ciphertext: r.Sealed}, nil
}

// ListWebhookSecretsToReseal lists the policies whose webhook secret is
// sealed under a master key other than currentKeyID.
func ListWebhookSecretsToReseal(ctx context.Context, q DBTX, currentKeyID string) ([]int64, error) {
	ids, err := queries.ListWebhookSecretsToReseal(ctx, q, currentKeyID)
	if err != nil {
		return nil, fmt.Errorf("db: list webhook secrets to reseal: %w", Translate(err))
	}
	return ids, nil
}

// SetWebhookSecret stores (or replaces) a policy's sealed signing secret.
func SetWebhookSecret(ctx context.Context, q DBTX, policyID int64, s secrets.Sealed) error {
	err := queries.UpsertWebhookSecret(ctx, q, sqlcgen.UpsertWebhookSecretParams{
		PolicyID: policyID, KeyID: s.KeyID, Nonce: s.Nonce, Sealed: s.Ciphertext,
	})
	if err != nil {
		return fmt.Errorf("db: set webhook secret of policy %d: %w", policyID, Translate(err))
	}
	return nil
}

// DeleteWebhookSecret removes a policy's signing secret; false when it had
// none.
func DeleteWebhookSecret(ctx context.Context, q DBTX, policyID int64) (bool, error) {
	n, err := queries.DeleteWebhookSecret(ctx, q, policyID)
	if err != nil {
		return false, fmt.Errorf("db: delete webhook secret of policy %d: %w", policyID, Translate(err))
	}
	return n > 0, nil
}

// NotificationPreferences maps event → channel ("email", "none") for the
// events a person has chosen; an event not in it goes by e-mail.
func NotificationPreferences(ctx context.Context, q DBTX, userID int64) (map[string]string, error) {
	rows, err := queries.ListNotificationPreferences(ctx, q, userID)
	if err != nil {
		return nil, fmt.Errorf("db: notification preferences of user %d: %w", userID, Translate(err))
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Event] = r.Channel
	}
	return out, nil
}

// SetNotificationPreference stores one person's channel for one event.
func SetNotificationPreference(ctx context.Context, q DBTX, userID int64, event, channel string) error {
	err := queries.UpsertNotificationPreference(ctx, q, sqlcgen.UpsertNotificationPreferenceParams{UserID: userID, Event: event, Channel: channel})
	if err != nil {
		return fmt.Errorf("db: set notification preference: %w", Translate(err))
	}
	return nil
}

// Recipient is a person an e-mail notice goes to.
type Recipient struct {
	UserID int64
	Email  string
	Name   string
}

// RecipientQuery says who an event concerns: the named users and everyone
// holding one of the roles, less the excluded.
type RecipientQuery struct {
	Event   string
	UserIDs []int64
	Roles   []string
	Exclude []int64
}

// NoticeRecipients lists the enabled people with an address whom the event
// concerns and who have not turned it off.
func NoticeRecipients(ctx context.Context, q DBTX, r RecipientQuery) ([]Recipient, error) {
	rows, err := queries.NoticeRecipients(ctx, q, sqlcgen.NoticeRecipientsParams{
		Event: r.Event, UserIds: nonNilIDs(r.UserIDs), Roles: nonNil(r.Roles), Exclude: nonNilIDs(r.Exclude),
	})
	if err != nil {
		return nil, fmt.Errorf("db: notice recipients: %w", Translate(err))
	}
	out := make([]Recipient, len(rows))
	for i, row := range rows {
		out[i] = Recipient{UserID: row.ID, Email: row.Email, Name: row.DisplayName}
	}
	return out, nil
}

func nonNilIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// Delivery channels and statuses, as the deliveries table spells them.
const (
	ChannelWebhook = "webhook"
	ChannelEmail   = "email"

	DeliveryQueued    = "queued"
	DeliveryRetrying  = "retrying"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// NewDelivery is one message on one channel, about to be queued.
type NewDelivery struct {
	OrderID  int64
	Event    string
	Channel  string
	PolicyID int64 // the webhook's policy
	UserID   int64 // the e-mail's person
	Notice   []byte
	Reminder bool
}

// InsertDelivery records a message about to be queued and returns its id.
func InsertDelivery(ctx context.Context, q DBTX, d NewDelivery) (int64, error) {
	id, err := queries.InsertDelivery(ctx, q, sqlcgen.InsertDeliveryParams{
		OrderID: optional(d.OrderID), Event: d.Event, Channel: d.Channel, PolicyID: optional(d.PolicyID),
		UserID: optional(d.UserID), Notice: d.Notice, Reminder: d.Reminder,
	})
	if err != nil {
		return 0, fmt.Errorf("db: insert delivery: %w", Translate(err))
	}
	return id, nil
}

// DeleteDelivery removes a delivery whose job was not queued after all (a
// reminder already queued in this period).
func DeleteDelivery(ctx context.Context, q DBTX, id int64) error {
	if err := queries.DeleteDelivery(ctx, q, id); err != nil {
		return fmt.Errorf("db: delete delivery %d: %w", id, Translate(err))
	}
	return nil
}

// Delivery is one message on one channel and how its delivery went.
type Delivery struct {
	ID          int64
	OrderID     int64
	Event       string
	Channel     string
	PolicyID    int64
	UserID      int64
	Notice      []byte
	Reminder    bool
	Status      string
	Attempts    int
	LastError   string
	CreatedAt   time.Time
	AttemptedAt *time.Time
	DeliveredAt *time.Time
	// Listed only: the policy's webhook format, the person's name.
	WebhookFormat string
	UserName      string
}

// GetDelivery reads one delivery; ErrNotFound when there is none.
func GetDelivery(ctx context.Context, q DBTX, id int64) (Delivery, error) {
	r, err := queries.GetDelivery(ctx, q, id)
	if err != nil {
		return Delivery{}, fmt.Errorf("db: delivery %d: %w", id, Translate(err))
	}
	return Delivery{
		ID: r.ID, OrderID: deref(r.OrderID), Event: r.Event, Channel: r.Channel, PolicyID: deref(r.PolicyID),
		UserID: deref(r.UserID), Notice: r.Notice, Reminder: r.Reminder, Status: r.Status, Attempts: int(r.Attempts),
		LastError: r.LastError, CreatedAt: r.CreatedAt, AttemptedAt: r.AttemptedAt, DeliveredAt: r.DeliveredAt,
	}, nil
}

// RecordDeliveryAttempt counts one attempt and its end (status) and error.
func RecordDeliveryAttempt(ctx context.Context, q DBTX, id int64, status, lastError string) error {
	err := queries.RecordDeliveryAttempt(ctx, q, sqlcgen.RecordDeliveryAttemptParams{ID: id, Status: status, LastError: lastError})
	if err != nil {
		return fmt.Errorf("db: record delivery %d: %w", id, Translate(err))
	}
	return nil
}

// RequeueDelivery marks a delivery queued again (a resend); ErrNotFound
// when there is none.
func RequeueDelivery(ctx context.Context, q DBTX, id int64) error {
	n, err := queries.RequeueDelivery(ctx, q, id)
	if err != nil {
		return fmt.Errorf("db: requeue delivery %d: %w", id, Translate(err))
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// ListDeliveries lists up to limit deliveries, newest first, older than
// before (0: from the newest).
func ListDeliveries(ctx context.Context, q DBTX, before int64, limit int) ([]Delivery, error) {
	rows, err := queries.ListDeliveries(ctx, q, sqlcgen.ListDeliveriesParams{Before: before, Lim: int32(min(limit, 1000))}) //nolint:gosec // bounded above
	if err != nil {
		return nil, fmt.Errorf("db: list deliveries: %w", Translate(err))
	}
	out := make([]Delivery, len(rows))
	for i, r := range rows {
		out[i] = Delivery{
			ID: r.ID, OrderID: deref(r.OrderID), Event: r.Event, Channel: r.Channel, PolicyID: deref(r.PolicyID),
			UserID: deref(r.UserID), Reminder: r.Reminder, Status: r.Status, Attempts: int(r.Attempts),
			LastError: r.LastError, CreatedAt: r.CreatedAt, AttemptedAt: r.AttemptedAt, DeliveredAt: r.DeliveredAt,
			WebhookFormat: r.WebhookFormat, UserName: r.UserName,
		}
	}
	return out, nil
}
