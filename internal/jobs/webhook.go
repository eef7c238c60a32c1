package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// webhookTimeout bounds one delivery; River retries after it.
const webhookTimeout = 10 * time.Second

// webhookMaxAttempts stops retrying after about four hours of River's
// attempt⁴-second backoff: by then the news is stale, and the order's page
// and the audit log still say what happened.
const webhookMaxAttempts = 10

// WebhookArgs is a queued notification: the facts as they were when the
// change committed. No URL: the worker reads the policy's webhook when it
// delivers (see orders.Notice).
type WebhookArgs struct {
	Notice orders.Notice `json:"notice"`
	// Reminder marks a periodic reminder (its own unique arguments, apart
	// from the first notice of the same outcome).
	Reminder bool `json:"reminder,omitempty"`
}

// Kind names the job in River's table.
func (WebhookArgs) Kind() string { return "webhook_notice" }

// InsertOpts puts webhooks on their own queue with bounded retries.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: webhookMaxAttempts}
}

// EnqueueNotice queues a notification in tx, the transaction of the change
// it reports: it is delivered if and only if the change commits.
func (q *Queue) EnqueueNotice(ctx context.Context, tx pgx.Tx, n orders.Notice) error {
	if _, err := q.client.InsertTx(ctx, tx, WebhookArgs{Notice: n}, nil); err != nil {
		return fmt.Errorf("jobs: queue %s notice for order %d: %w", n.Event, n.OrderID, err)
	}
	return nil
}

type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	pool  *pgxpool.Pool
	http  *http.Client
	log   *slog.Logger
	links Links
}

// Timeout leaves room for the HTTP client's own deadline.
func (w *webhookWorker) Timeout(*river.Job[WebhookArgs]) time.Duration { return 2 * webhookTimeout }

// Work posts the notice to the policy's webhook. An error makes River retry
// with its backoff; a policy that is gone or has no webhook any more ends
// the job without retrying.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	n := job.Args.Notice
	p, err := db.GetApprovalPolicy(ctx, w.pool, n.PolicyID)
	if errors.Is(err, db.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("jobs: policy %d was deleted; notice for order %d dropped", n.PolicyID, n.OrderID))
	}
	if err != nil {
		return err
	}
	if p.WebhookURL == "" {
		return river.JobCancel(fmt.Errorf("jobs: policy %d has no webhook any more; notice for order %d dropped", n.PolicyID, n.OrderID))
	}
	body, err := webhookBody(orders.WebhookFormat(p.WebhookFormat), message{Notice: n, Link: w.links.For(n), Lang: LangEnglish})
	if err != nil {
		return river.JobCancel(err)
	}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return river.JobCancel(fmt.Errorf("jobs: webhook request: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Dealdesk")
	resp, err := w.http.Do(req)
	if err != nil {
		// The error names the URL, which may carry a key: log the host only.
		return fmt.Errorf("jobs: webhook to %s: %w", req.URL.Host, errors.Unwrap(err))
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("jobs: webhook to %s answered %s", req.URL.Host, resp.Status)
	}
	if err := checkAnswer(orders.WebhookFormat(p.WebhookFormat), answer); err != nil {
		return fmt.Errorf("jobs: webhook to %s: %w", req.URL.Host, err)
	}
	w.log.Info("webhook delivered", "order_id", n.OrderID, "event", n.Event, "host", req.URL.Host, "attempt", job.Attempt)
	return nil
}

// checkAnswer catches WeCom's way of failing: HTTP 200 with a non-zero
// errcode (a wrong key, a rate limit).
func checkAnswer(f orders.WebhookFormat, body []byte) error {
	if f != orders.WebhookWeCom {
		return nil
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("WeCom answered something that is not its JSON: %w", err)
	}
	if r.ErrCode != 0 {
		return fmt.Errorf("WeCom refused the message: errcode %d (%s)", r.ErrCode, r.ErrMsg)
	}
	return nil
}

// webhookClient follows no redirects: a webhook that moved must be updated
// in its policy, not chased (a 303 would turn the POST into a GET anyway).
func webhookClient() *http.Client {
	return &http.Client{
		Timeout:       webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
