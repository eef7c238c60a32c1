package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/db"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

// webhookTimeout bounds one delivery; River retries after it.
const webhookTimeout = 10 * time.Second

// webhookMaxAttempts stops retrying after about four hours of River's
// attempt⁴-second backoff: by then the news is stale, and the order's page
// and the audit log still say what happened.
const webhookMaxAttempts = 10

// WebhookArgs is a queued notification to a policy's webhook: the facts as
// they were when the change committed. No URL: the worker reads the
// policy's webhook when it delivers (see orders.Notice).
type WebhookArgs struct {
	Notice orders.Notice `json:"notice" river:"unique"`
	// Reminder marks a periodic reminder (its own unique arguments, apart
	// from the first notice of the same outcome).
	Reminder bool `json:"reminder,omitempty" river:"unique"`
	// DeliveryID is the delivery log's row, which each attempt updates (0
	// for jobs queued before the log existed). Not part of a reminder's
	// uniqueness: each insert has its own.
	DeliveryID int64 `json:"delivery_id,omitempty"`
}

// Kind names the job in River's table.
func (WebhookArgs) Kind() string { return "webhook_notice" }

// InsertOpts puts webhooks on their own queue with bounded retries.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: webhookMaxAttempts}
}

type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	pool  *pgxpool.Pool
	http  *http.Client
	log   *slog.Logger
	links Links
	// keys opens the policies' signing secrets; nil signs nothing (and a
	// policy with a secret is then an error, retried).
	keys *secrets.Keyring
	// now is the signature's clock.
	now func() time.Time
}

func (w *webhookWorker) clock() time.Time {
	if w.now == nil {
		return time.Now()
	}
	return w.now()
}

// Timeout leaves room for the HTTP client's own deadline.
func (w *webhookWorker) Timeout(*river.Job[WebhookArgs]) time.Duration { return 2 * webhookTimeout }

// Work posts the notice to the policy's webhook and records the attempt in
// the delivery log. An error makes River retry with its backoff; a policy
// that is gone or has no webhook any more ends the job without retrying.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	err := w.deliver(ctx, job.Args.Notice)
	return recordAttempt(ctx, w.pool, w.log, job.Args.DeliveryID, job.JobRow, err)
}

func (w *webhookWorker) deliver(ctx context.Context, n orders.Notice) error {
	p, err := db.GetApprovalPolicy(ctx, w.pool, n.PolicyID)
	if errors.Is(err, db.ErrNotFound) {
		return river.JobCancel(failed(notify.FailPolicyGone, 0, fmt.Errorf("jobs: policy %d was deleted; notice for order %d dropped", n.PolicyID, n.OrderID)))
	}
	if err != nil {
		return err
	}
	if p.WebhookURL == "" {
		return river.JobCancel(failed(notify.FailPolicyGone, 0, fmt.Errorf("jobs: policy %d has no webhook any more; notice for order %d dropped", n.PolicyID, n.OrderID)))
	}
	format := orders.WebhookFormat(p.WebhookFormat)
	body, err := webhookBody(format, newMessage(n, w.links.For(n), LangEnglish))
	if err != nil {
		return river.JobCancel(err)
	}
	secret, err := notify.OpenWebhookSecret(ctx, w.pool, w.keys, p.ID)
	if err != nil {
		return failed(notify.FailSecret, 0, err)
	}
	target := p.WebhookURL
	var headers http.Header
	if !secret.IsZero() {
		if target, body, headers, err = sign(format, target, body, secret.Reveal(), w.clock()); err != nil {
			return river.JobCancel(err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return river.JobCancel(failed(notify.FailAddress, 0, fmt.Errorf("jobs: webhook request: %w", err)))
	}
	maps.Copy(req.Header, headers)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Dealdesk")
	resp, err := w.http.Do(req)
	if err != nil {
		// The error names the URL, which may carry a key: log the host only.
		kind := notify.FailUnreachable
		var ue *url.Error
		if ctx.Err() != nil || (errors.As(err, &ue) && ue.Timeout()) {
			kind = notify.FailTimeout
		}
		return failed(kind, 0, fmt.Errorf("jobs: webhook to %s: %w", req.URL.Host, errors.Unwrap(err)))
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return failed(notify.FailHTTPStatus, resp.StatusCode, fmt.Errorf("jobs: webhook to %s answered %s", req.URL.Host, resp.Status))
	}
	if err := checkAnswer(format, answer); err != nil {
		return fmt.Errorf("jobs: webhook to %s: %w", req.URL.Host, err)
	}
	w.log.Info("webhook delivered", "order_id", n.OrderID, "event", n.Event, "host", req.URL.Host)
	return nil
}

// sign signs a delivery with the policy's secret, the way its receiver
// checks: the generic webhook in two headers (notify.SignGeneric), a
// DingTalk robot in the URL's timestamp and sign, a Feishu bot in the
// body's timestamp and sign.
func sign(f orders.WebhookFormat, target string, body []byte, secret string, now time.Time) (string, []byte, http.Header, error) {
	switch f {
	case orders.WebhookGeneric, "":
		ts := now.Unix()
		h := http.Header{}
		h.Set(notify.HeaderTimestamp, strconv.FormatInt(ts, 10))
		h.Set(notify.HeaderSignature, notify.SignGeneric(secret, ts, body))
		return target, body, h, nil
	case orders.WebhookDingTalk:
		u, err := url.Parse(target)
		if err != nil {
			return "", nil, nil, failed(notify.FailAddress, 0, errors.New("jobs: the DingTalk webhook's address does not parse"))
		}
		ms := now.UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ms, 10))
		q.Set("sign", notify.SignDingTalk(secret, ms))
		u.RawQuery = q.Encode()
		return u.String(), body, nil, nil
	case orders.WebhookFeishu:
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return "", nil, nil, fmt.Errorf("jobs: Feishu body: %w", err)
		}
		ts := now.Unix()
		m["timestamp"] = strconv.FormatInt(ts, 10)
		m["sign"] = notify.SignFeishu(secret, ts)
		signed, err := json.Marshal(m)
		return target, signed, nil, err
	}
	// WeCom and Slack carry their key in the URL and sign nothing.
	return target, body, nil, nil
}

// checkAnswer catches the robots' way of failing: HTTP 200 with a non-zero
// errcode (WeCom, DingTalk) or code (Feishu): a wrong key or signature, a
// rate limit.
func checkAnswer(f orders.WebhookFormat, body []byte) error {
	var name string
	switch f {
	case orders.WebhookWeCom:
		name = "WeCom"
	case orders.WebhookDingTalk:
		name = "DingTalk"
	case orders.WebhookFeishu:
		name = "Feishu"
	default:
		return nil
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
		Code    int    `json:"code"`
		Msg     string `json:"msg"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return failed(notify.FailRobotAnswer, 0, fmt.Errorf("%s answered something that is not its JSON: %w", name, err))
	}
	if r.ErrCode != 0 {
		return failed(notify.FailRobotRefused, r.ErrCode, fmt.Errorf("%s refused the message: errcode %d (%.200s)", name, r.ErrCode, r.ErrMsg))
	}
	if r.Code != 0 {
		return failed(notify.FailRobotRefused, r.Code, fmt.Errorf("%s refused the message: code %d (%.200s)", name, r.Code, r.Msg))
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
