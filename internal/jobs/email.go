package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/db"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
)

// EmailArgs is a queued notification to one person by e-mail. No address:
// the worker reads the person's when it delivers, so a corrected address
// fixes the retries too, and a disabled person gets nothing.
type EmailArgs struct {
	Notice   orders.Notice `json:"notice" river:"unique"`
	Reminder bool          `json:"reminder,omitempty" river:"unique"`
	UserID   int64         `json:"user_id" river:"unique"`
	// DeliveryID is the delivery log's row.
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job in River's table.
func (EmailArgs) Kind() string { return "email_notice" }

// InsertOpts: the notify queue, the webhooks' bounded retries.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: webhookMaxAttempts}
}

type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	pool  *pgxpool.Pool
	mail  MailConfig
	log   *slog.Logger
	links Links
}

// Timeout bounds one SMTP conversation.
func (w *emailWorker) Timeout(*river.Job[EmailArgs]) time.Duration { return 2 * mailTimeout }

// Work mails the notice to its person and records the attempt.
func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	err := w.deliver(ctx, job.Args)
	return recordAttempt(ctx, w.pool, w.log, job.Args.DeliveryID, job.JobRow, err)
}

func (w *emailWorker) deliver(ctx context.Context, a EmailArgs) error {
	u, err := db.GetUser(ctx, w.pool, a.UserID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && (u.Disabled || u.Email == "")) {
		return river.JobCancel(failed(notify.FailRecipientGone, 0, fmt.Errorf("jobs: user %d is gone, disabled or has no address; notice for order %d dropped", a.UserID, a.Notice.OrderID)))
	}
	if err != nil {
		return err
	}
	// A personal channel speaks the reader's language (their profile's;
	// English when they chose none). The exact request is not in a notice.
	lang := u.Language
	if lang == "" {
		lang = LangEnglish
	}
	m := newMessage(a.Notice, w.links.For(a.Notice), lang)
	if err := sendMail(ctx, w.mail, u.Email, title(m), withLink(m)); err != nil {
		return err
	}
	w.log.Info("e-mail delivered", "order_id", a.Notice.OrderID, "event", a.Notice.Event, "user_id", a.UserID)
	return nil
}
