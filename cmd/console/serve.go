package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"dealdesk/internal/accounts"
	"dealdesk/internal/api"
	"dealdesk/internal/auditanchor"
	"dealdesk/internal/auth"
	"dealdesk/internal/config"
	"dealdesk/internal/db"
	"dealdesk/internal/history"
	"dealdesk/internal/jobs"
	"dealdesk/internal/metrics"
	"dealdesk/internal/notify"
	"dealdesk/internal/oidc"
	"dealdesk/internal/orders"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/secrets"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/web"
)

func runServe(ctx context.Context, e env, args []string) error {
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "serve", "serve [-addr HOST:PORT] [-migrate] [-sandbox]")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (CONSOLE_ADDR)")
	fs.BoolVar(&cfg.Migrate, "migrate", cfg.Migrate, "apply pending migrations before serving (CONSOLE_MIGRATE)")
	fs.BoolVar(&cfg.Sandbox, "sandbox", cfg.Sandbox, "send Tencent Cloud calls to the built-in sandbox (CONSOLE_SANDBOX)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if err := cfg.ValidateForServe(); err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg)

	pool, err := db.OpenWith(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer pool.Close()
	if cfg.Migrate {
		if err := db.Migrate(ctx, pool, log); err != nil {
			return err
		}
	}
	if err := db.CheckSchema(ctx, pool); err != nil {
		return err
	}

	authSvc, err := newAuthService(pool, cfg)
	if err != nil {
		return err
	}
	accountsSvc, err := newAccountsService(pool, cfg, e.getenv)
	if err != nil {
		return err
	}
	// Calls go to the real hosts, to CONSOLE_TENCENTCLOUD_ENDPOINT, or to
	// the in-process sandbox; ValidateForServe refused asking for both.
	endpoint := cfg.TencentCloudEndpoint
	var sandboxCalls func() []web.SandboxCall
	if cfg.Sandbox {
		sim, err := startSandbox(ctx, log, accountsSvc, sandboxPrices(log, orders.NewService(pool)))
		if err != nil {
			return err
		}
		// Deferred before the server starts, so it runs after the server
		// has finished the requests in flight.
		defer sim.stop(log)
		endpoint = sim.URL
		sandboxCalls = sim.webCalls
	}
	// The one client every Tencent Cloud call goes through, spaced by a
	// rate limit that every replica shares through Postgres.
	client, err := tcapi.NewClient(tcapi.ClientConfig{
		Endpoint: endpoint,
		Limiter:  ratelimit.NewPgLimiter(pool, tcapi.DefaultRatePerSecond),
		Timeout:  cfg.SendTimeout,
	})
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()

	// The sender works on the orders service without hooks: sending never
	// enqueues anything, and the hooked service below needs the queue that
	// needs the sender.
	mets := metrics.New(pool, log)
	baseOrders := orders.NewService(pool).WithAccounts(accountsSvc).WithDuplicateWindow(cfg.DuplicateWindow)
	sender := sending.New(pool, baseOrders, accountsSvc, client, sending.Config{
		CallTimeout: cfg.SendTimeout, Replica: replicaName(),
		AutoResendDelay: cfg.AutoResendDelay, AutoResendTries: autoResendTries(cfg),
		// An answer the database cannot take is kept trying while the
		// process lives, and for the shutdown timeout after SIGTERM.
		Stopping: ctx.Done(), RecordPatience: cfg.ShutdownTimeout,
		Observe: mets.ObserveSend,
	}, log)
	// Runs after the queue has stopped (defers run last-in first-out):
	// every answer held is recorded, or written to the log, before exit.
	defer sender.Wait()

	// The job queue (River): webhook notifications and sends. It starts
	// after the schema check and stops after the HTTP server has drained
	// (defers run last-in first-out), so a request finishing during shutdown
	// still has its jobs worked or left queued, and before the sandbox stops.
	anchor, err := anchorConfig(log, cfg)
	if err != nil {
		return err
	}
	// The same master keyring as the accounts': it seals the webhooks'
	// signing secrets too, each bound to its policy.
	keys, err := secrets.NewKeyring(cfg.MasterKeyID, cfg.MasterKey, cfg.MasterKeysOld)
	if err != nil {
		return err
	}
	smtpURL, err := cfg.SMTP()
	if err != nil {
		return err
	}
	queue, err := jobs.New(pool, jobs.Config{
		Keys: keys, Mail: jobs.MailConfig{URL: smtpURL, From: cfg.SMTPFrom},
		Log: log, Sender: sender, SendTimeout: cfg.SendTimeout,
		SendWorkers: cfg.SendWorkers, RescueAfter: cfg.JobRescueAfter,
		Maintenance: jobs.MaintenanceConfig{
			Every: cfg.MaintenanceEvery, SessionIdle: cfg.SessionIdleTimeout, LoginWindow: auth.DefaultThrottle.Window,
		},
		Anchor: anchor, BaseURL: cfg.BaseURL, RemindUnknownEvery: cfg.RemindUnknownEvery,
		Reconcile: jobs.ReconcileConfig{Every: cfg.ReconcileEvery, ReconcileConfig: sending.ReconcileConfig{Quiet: cfg.ReconcileQuiet},
			BillTolerancePercent: cfg.BillTolerancePercent},
	})
	if err != nil {
		return err
	}
	sender.UseResendScheduler(queue)
	sender.UseNotifier(queue)
	ordersSvc := baseOrders.WithHooks(orders.Hooks{Send: queue, Notify: queue})
	queue.UseRenewals(ordersSvc)
	if err := queue.Start(ctx); err != nil {
		return err
	}
	defer stopQueue(log, queue, cfg.ShutdownTimeout)
	notifySvc := notify.NewService(pool, keys, queue)
	var sso *oidc.Provider
	if cfg.OIDCIssuer != "" {
		if sso, err = oidc.New(ctx, oidc.Config{
			Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: cfg.OIDCRedirectURL, Scopes: cfg.OIDCScopes, RolesClaim: cfg.OIDCRolesClaim,
			RoleMap: cfg.OIDCRoleMap, UsernameClaim: cfg.OIDCUsernameClaim,
		}); err != nil {
			return err
		}
		log.Info("single sign-on", "issuer", cfg.OIDCIssuer, "password_login", cfg.PasswordLogin)
	}
	historySvc := history.NewService(pool).WithSummary(web.ExportSummary)
	apiHandler := api.New(api.Deps{
		Log: log, Auth: authSvc, Orders: ordersSvc, Sender: sender, History: historySvc,
		Limit: ratelimit.NewAllowance(pool, cfg.APIRate, cfg.APIBurst),
	})
	handler := web.New(web.Deps{
		API:             apiHandler,
		OIDC:            sso,
		OIDCName:        cfg.OIDCName,
		NoPasswordLogin: !cfg.PasswordLogin,
		Log:             log,
		DB:              pool,
		Auth:            authSvc,
		Accounts:        accountsSvc,
		Orders:          ordersSvc,
		Notify:          notifySvc,
		MailOn:          smtpURL != nil,
		Sender:          sender,
		SandboxCalls:    sandboxCalls,
		History:         historySvc,
		AuditChecks:     queue,
		TencentCloud:    client,
		Sandbox:         cfg.Sandbox,
		BodyLimit:       cfg.BodyLimit,
		Version:         buildVersion(),
		TrustProxy:      cfg.TrustProxy,
		Metrics:         mets,
		MetricsToken:    cfg.MetricsToken,
		DefaultZone:     cfg.Zone(),
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if cfg.PprofAddr != "" {
		if err := startPprof(ctx, log, cfg.PprofAddr); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	// The address goes to stdout so scripts and tests that asked for port 0
	// can read where the console really listens.
	fmt.Fprintf(e.stdout, "console listening on http://%s\n", ln.Addr())
	printServing(e, ln.Addr(), cfg.Sandbox)
	log.Info("serving", "addr", ln.Addr().String(), "sandbox", cfg.Sandbox, "version", buildVersion())

	return serveUntilDone(ctx, log, srv, ln, cfg.ShutdownTimeout)
}

// serveUntilDone serves until ctx ends, then stops accepting connections and
// lets requests in flight finish, for at most timeout.
func serveUntilDone(ctx context.Context, log *slog.Logger, srv *http.Server, ln net.Listener, timeout time.Duration) error {
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", timeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// stopQueue lets jobs in flight finish for at most timeout, then cancels
// them; River retries a cancelled job later, here or on another replica.
func stopQueue(log *slog.Logger, q *jobs.Queue, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		log.Error("stopping the job queue", "err", err)
		return
	}
	log.Info("job queue stopped")
}

// newAuthService builds the users and sessions service from the settings.
func newAuthService(pool db.Pool, cfg config.Config) (*auth.Service, error) {
	return auth.NewService(pool, auth.Config{
		SessionKey:  cfg.SessionKey,
		IdleTimeout: cfg.SessionIdleTimeout,
		MaxAge:      cfg.SessionMaxAge,
	})
}

// newAccountsService builds the Tencent Cloud accounts service with the
// master keyring. getenv is read at each use of an environment-keyed account.
func newAccountsService(pool db.Pool, cfg config.Config, getenv func(string) string) (*accounts.Service, error) {
	keys, err := secrets.NewKeyring(cfg.MasterKeyID, cfg.MasterKey, cfg.MasterKeysOld)
	if err != nil {
		return nil, err
	}
	return accounts.NewService(pool, accounts.Config{Keys: keys, Getenv: getenv, Sandbox: cfg.Sandbox})
}

// anchorConfig builds the audit anchor signer from CONSOLE_AUDIT_ANCHOR_KEY
// and says at startup whether the chain is anchored, with the public key
// that verifies the anchors (never the private one).
func anchorConfig(log *slog.Logger, cfg config.Config) (jobs.AnchorConfig, error) {
	if len(cfg.AuditAnchorKey) == 0 {
		log.Warn("audit anchors off: CONSOLE_AUDIT_ANCHOR_KEY is not set, so the audit chain's head is not signed; a database owner who rebuilds the chain can only be caught by hashes written down elsewhere")
		return jobs.AnchorConfig{}, nil
	}
	signer, err := auditanchor.NewSigner(cfg.AuditAnchorKey)
	if err != nil {
		return jobs.AnchorConfig{}, err
	}
	log.Info("audit anchors on", "every", cfg.AuditAnchorEvery.String(), "file", cfg.AuditAnchorFile,
		"key_id", auditanchor.KeyID(signer.Public()), "public_key", base64.StdEncoding.EncodeToString(signer.Public()))
	return jobs.AnchorConfig{Signer: signer, Every: cfg.AuditAnchorEvery, File: cfg.AuditAnchorFile}, nil
}

// replicaName names this process in send records: host and pid.
func replicaName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

// autoResendTries is CONSOLE_AUTO_RESEND_TRIES as sending.Config reads it
// (there 0 means the default and a negative number none).
func autoResendTries(cfg config.Config) int {
	if cfg.AutoResendTries == 0 {
		return -1
	}
	return cfg.AutoResendTries
}
