// Package jobs runs the console's background work on River, the Postgres
// job queue: jobs are rows, inserted in the same transaction as the change
// that wants them (InsertTx), worked by whichever replica fetches them
// first, and retried with River's backoff when they fail.
//
// One Queue per process: `console serve` builds it with New, Starts it
// after the schema check and Stops it after the HTTP server has drained.
// It works webhook notifications (webhook.go), sends (send.go), checks of
// the audit chain (audit_verify.go) and its periodic anchors
// (audit_anchor.go) and the periodic bill lookups of unknown orders
// (reconcile.go); Queue is
// both the orders.Notifier and the orders.SendEnqueuer of the workflow.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
	"dealdesk/internal/sending"
)

// QueueNotify holds webhook deliveries. A queue of their own, so a slow
// chat service never delays a purchase waiting in another queue.
const QueueNotify = "notify"

// Config is what New needs besides the pool.
type Config struct {
	Log *slog.Logger
	// HTTPClient delivers webhooks; nil means webhookClient().
	HTTPClient *http.Client
	// BaseURL is the console's public address (CONSOLE_BASE_URL), under
	// which messages link to their order; "" leaves messages without links.
	BaseURL string
	// Keys opens the policies' webhook signing secrets; nil signs nothing.
	Keys *secrets.Keyring
	// Mail is the SMTP server people's notices go through; its URL nil
	// mails nothing.
	Mail MailConfig
	// Now is the signatures' clock; nil means time.Now.
	Now func() time.Time
	// NotifyWorkers bounds concurrent webhook deliveries; 0 means 4.
	NotifyWorkers int
	// Sender works the send jobs; nil leaves sends queued for a replica
	// that has one.
	Sender *sending.Sender
	// SendTimeout is one purchase call's deadline (the send job may run that
	// long plus the time to record its outcome).
	SendTimeout time.Duration
	// SendWorkers bounds concurrent sends in this process; 0 means 10.
	SendWorkers int
	// Anchor signs the audit chain's head periodically; its Signer nil
	// leaves anchoring off.
	Anchor AnchorConfig
	// AuditVerifyPageSize is how many entries a chain check reads at a
	// time; 0 means 5000.
	AuditVerifyPageSize int
	// RemindUnknownEvery tells again of each order whose outcome stays
	// unknown, once per period (needs Sender); 0 leaves it off.
	RemindUnknownEvery time.Duration
	// Reconcile looks unknown orders up on the bill periodically (needs
	// Sender); Every 0 leaves it off.
	Reconcile ReconcileConfig
	// RescueAfter is how long a running job may go without finishing before
	// River takes it back from a replica presumed dead; 0 means River's
	// default (an hour).
	RescueAfter time.Duration
	// Maintenance is the periodic upkeep (maintenance.go): always on.
	Maintenance MaintenanceConfig
	// ApprovalExpiryEvery is how often approvals that expire are looked at
	// (approval_expiry.go); 0 means a minute.
	ApprovalExpiryEvery time.Duration
}

// Finished jobs are kept this long, then River's cleaner deletes them: long
// enough to look into a failure, short enough that river_job holds hours of
// work, not months (River's defaults keep completed jobs a day and failed
// ones a week; the send history lives in send_attempts and the audit log).
const (
	keepCompletedJobs = time.Hour
	keepFailedJobs    = 7 * 24 * time.Hour
)

// Queue is the process's River client and the ways to enqueue work on it.
type Queue struct {
	client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
	mail   MailConfig
	// renewals drafts renewals before expiry (renewals.go) and returns
	// approved orders whose approval expired (approval_expiry.go).
	renewals *atomic.Pointer[orders.Service]
}

// New builds the queue with every worker registered. It does not start
// working until Start.
func New(pool *pgxpool.Pool, cfg Config) (*Queue, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = webhookClient()
	}
	if cfg.NotifyWorkers == 0 {
		cfg.NotifyWorkers = 4
	}
	if cfg.SendWorkers == 0 {
		cfg.SendWorkers = 10
	}
	// q is filled in once the client exists: the reminder worker inserts
	// through it, and workers run only after Start.
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	q := &Queue{pool: pool, mail: cfg.Mail, renewals: &atomic.Pointer[orders.Service]{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, &webhookWorker{pool: pool, http: cfg.HTTPClient, log: cfg.Log, links: NewLinks(cfg.BaseURL), keys: cfg.Keys, now: cfg.Now})
	river.AddWorker(workers, &emailWorker{pool: pool, mail: cfg.Mail, log: cfg.Log, links: NewLinks(cfg.BaseURL)})
	queues := map[string]river.QueueConfig{
		QueueNotify: {MaxWorkers: cfg.NotifyWorkers},
		QueueAudit:  {MaxWorkers: 1},
	}
	// A walk of the chain may take a while; River takes a job back after
	// RescueAfter, so the walk may run that long.
	verifyTimeout := time.Hour
	if cfg.RescueAfter > 0 {
		verifyTimeout = cfg.RescueAfter
	}
	river.AddWorker(workers, &auditVerifyWorker{pool: pool, log: cfg.Log, pageSize: cfg.AuditVerifyPageSize, every: time.Second, timeout: verifyTimeout})
	var periodic []*river.PeriodicJob
	maintainEvery := cfg.Maintenance.Every
	if maintainEvery <= 0 {
		maintainEvery = time.Minute
	}
	river.AddWorker(workers, &maintenanceWorker{pool: pool, log: cfg.Log, cfg: cfg.Maintenance})
	queues[QueueMaintenance] = river.QueueConfig{MaxWorkers: 1}
	periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(maintainEvery),
		func() (river.JobArgs, *river.InsertOpts) { return MaintenanceArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
	river.AddWorker(workers, &approvalExpiryWorker{orders: q.renewals, now: cfg.Now, log: cfg.Log})
	expiryEvery := cfg.ApprovalExpiryEvery
	if expiryEvery <= 0 {
		expiryEvery = approvalExpiryEvery
	}
	periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(expiryEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ApprovalExpiryArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
	river.AddWorker(workers, &renewalsWorker{orders: q.renewals, now: cfg.Now, log: cfg.Log})
	periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(renewalsEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RenewalsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
	if cfg.Anchor.Signer != nil {
		every := cfg.Anchor.Every
		if every <= 0 {
			every = time.Hour
		}
		river.AddWorker(workers, &auditAnchorWorker{pool: pool, log: cfg.Log, cfg: cfg.Anchor})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return AuditAnchorArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	if cfg.Sender != nil {
		river.AddWorker(workers, &sendWorker{sender: cfg.Sender, timeout: cfg.SendTimeout + 5*time.Second})
		river.AddWorker(workers, &resendWorker{sender: cfg.Sender, timeout: cfg.SendTimeout + 5*time.Second})
		queues[QueueSend] = river.QueueConfig{MaxWorkers: cfg.SendWorkers}
		if cfg.RemindUnknownEvery > 0 {
			river.AddWorker(workers, &remindWorker{sender: cfg.Sender, queue: q, every: cfg.RemindUnknownEvery})
			periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(cfg.RemindUnknownEvery),
				func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil }, nil))
		}
		if cfg.Reconcile.Every > 0 {
			// A pass may take as long as its period; the next waits for it.
			timeout := max(cfg.Reconcile.Every, time.Minute)
			if cfg.RescueAfter > 0 {
				timeout = min(timeout, cfg.RescueAfter)
			}
			river.AddWorker(workers, reconcileWorker(cfg.Sender, cfg.Reconcile.ReconcileConfig, timeout))
			queues[QueueReconcile] = river.QueueConfig{MaxWorkers: 1}
			periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(cfg.Reconcile.Every),
				func() (river.JobArgs, *river.InsertOpts) { return ReconcileArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}))
			river.AddWorker(workers, billWorker(cfg.Sender, sending.BillConfig{
				ReconcileConfig: cfg.Reconcile.ReconcileConfig, TolerancePercent: cfg.Reconcile.BillTolerancePercent}, timeout))
			periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(cfg.Reconcile.Every),
				func() (river.JobArgs, *river.InsertOpts) { return BillArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}))
		}
	}
	// River's default job timeout (a minute) applies only to workers that
	// name none, and every worker here names its own; but River refuses a
	// rescue delay shorter than it. Capped at the rescue delay, it lets every
	// delay the configuration accepts (CONSOLE_SEND_TIMEOUT plus 15s) start.
	jobTimeout := river.JobTimeoutDefault
	if cfg.RescueAfter > 0 {
		jobTimeout = min(jobTimeout, cfg.RescueAfter)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger:                      cfg.Log,
		Workers:                     workers,
		Queues:                      queues,
		JobTimeout:                  jobTimeout,
		RescueStuckJobsAfter:        cfg.RescueAfter,
		PeriodicJobs:                periodic,
		CompletedJobRetentionPeriod: keepCompletedJobs,
		CancelledJobRetentionPeriod: keepFailedJobs,
		DiscardedJobRetentionPeriod: keepFailedJobs,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: river client: %w", err)
	}
	q.client = client
	return q, nil
}

// Start begins fetching and working jobs. Jobs run with contexts derived
// from ctx without its cancellation: cancelling ctx (SIGTERM) must not cut
// deliveries short; Stop ends the queue gracefully.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching and waits for jobs in flight until ctx ends; then it
// cancels them. A cancelled webhook delivery is retried later, by this
// replica after a restart or by another one.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	// Out of patience: cancel what still runs, and give it a moment to
	// record that it was cancelled, so River retries it.
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(cancelCtx); err != nil {
		return fmt.Errorf("jobs: stop and cancel: %w", err)
	}
	return nil
}

var (
	_ orders.Notifier       = (*Queue)(nil)
	_ orders.PeopleNotifier = (*Queue)(nil)
)
