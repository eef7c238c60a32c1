// Package config reads the console's settings from the environment. Every
// variable is listed, with its default, in the README's configuration table;
// keep the two in step.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	// The zone database goes into the binary: a container image without
	// tzdata still knows Asia/Shanghai.
	_ "time/tzdata"

	envlib "github.com/caarlos0/env/v11"
)

// Config holds every setting the console reads. Each field's env tag names
// its variable and envDefault its default; caarlos0/env reads them
// (FromEnv), check.go holds the bounds and the rules between settings, and
// README's configuration table lists every one (readme_test.go holds the
// two together).
type Config struct {
	DatabaseURL string `env:"DATABASE_URL"`
	Addr        string `env:"CONSOLE_ADDR" envDefault:"127.0.0.1:8080"`
	// SessionKey authenticates session cookies (32 bytes or more, base64).
	SessionKey []byte `env:"CONSOLE_SESSION_KEY"`
	// MasterKey encrypts Tencent Cloud secrets at rest (32 bytes, base64).
	MasterKey []byte `env:"CONSOLE_MASTER_KEY"`
	// MasterKeyID names MasterKey so stored ciphertexts can say which key
	// sealed them, which is what lets keys rotate.
	MasterKeyID string `env:"CONSOLE_MASTER_KEY_ID" envDefault:"k1"`
	// MasterKeysOld are earlier master keys by id (CONSOLE_MASTER_KEYS_OLD):
	// kept only to open what they sealed until `console accounts reseal`
	// seals it again under MasterKey.
	MasterKeysOld map[string][]byte `env:"CONSOLE_MASTER_KEYS_OLD"`
	// TencentCloudEndpoint, when set, sends every Tencent Cloud call to this
	// base URL instead of the real hosts.
	TencentCloudEndpoint string `env:"CONSOLE_TENCENTCLOUD_ENDPOINT"`
	// BaseURL is the console's public address (CONSOLE_BASE_URL), the start
	// of every link a notification carries; empty: messages carry no link.
	BaseURL string `env:"CONSOLE_BASE_URL"`
	// DefaultTimeZone is the zone times are shown in, and days of filters
	// and exports begin in, for a person who has not chosen one (an IANA
	// name; Zone returns it loaded).
	DefaultTimeZone string `env:"CONSOLE_DEFAULT_TIMEZONE" envDefault:"Asia/Shanghai"`
	// RemindUnknownEvery tells approvers' webhooks again of each order whose
	// outcome stays unknown, once per period; 0 turns reminders off.
	RemindUnknownEvery time.Duration `env:"CONSOLE_REMIND_UNKNOWN_EVERY" envDefault:"1h"`
	// SMTPURL is the mail server people's notices go through
	// (smtp://user:password@host:587 with STARTTLS when offered, or
	// smtps://…:465); empty: no e-mail. It may hold a password: never
	// echoed.
	SMTPURL string `env:"CONSOLE_SMTP_URL"`
	// SMTPFrom is the sender of those e-mails.
	SMTPFrom string `env:"CONSOLE_SMTP_FROM" envDefault:"dealdesk@localhost"`
	// Sandbox starts the built-in Tencent Cloud sandbox in-process and points
	// the client at it.
	Sandbox bool `env:"CONSOLE_SANDBOX"`
	// Migrate applies pending migrations at start instead of refusing to run.
	Migrate bool `env:"CONSOLE_MIGRATE"`
	// TrustProxy believes X-Forwarded-Proto (for Secure cookies and HSTS)
	// and X-Forwarded-For (for the client address) from a proxy in front.
	TrustProxy bool `env:"CONSOLE_TRUST_PROXY"`

	// SessionIdleTimeout ends a session unused for this long.
	SessionIdleTimeout time.Duration `env:"CONSOLE_SESSION_IDLE_TIMEOUT" envDefault:"8h"`
	// SessionMaxAge ends a session this long after sign-in, used or not.
	SessionMaxAge time.Duration `env:"CONSOLE_SESSION_MAX_AGE" envDefault:"168h"`

	LogLevel  slog.Level `env:"CONSOLE_LOG_LEVEL" envDefault:"info"`
	LogFormat string     `env:"CONSOLE_LOG_FORMAT" envDefault:"text"` // "text" or "json"

	ReadTimeout     time.Duration `env:"CONSOLE_READ_TIMEOUT" envDefault:"15s"`
	WriteTimeout    time.Duration `env:"CONSOLE_WRITE_TIMEOUT" envDefault:"60s"`
	IdleTimeout     time.Duration `env:"CONSOLE_IDLE_TIMEOUT" envDefault:"120s"`
	ShutdownTimeout time.Duration `env:"CONSOLE_SHUTDOWN_TIMEOUT" envDefault:"30s"`
	// SendTimeout bounds one Tencent Cloud purchase call; past it the
	// outcome is unknown.
	SendTimeout time.Duration `env:"CONSOLE_SEND_TIMEOUT" envDefault:"30s"`
	// JobRescueAfter is how long a job may look stuck (its replica died)
	// before another replica takes it over.
	JobRescueAfter time.Duration `env:"CONSOLE_JOB_RESCUE_AFTER" envDefault:"5m"`
	// DuplicateWindow is how long a succeeded order flags another that buys
	// the same or acts on the same target.
	DuplicateWindow time.Duration `env:"CONSOLE_DUPLICATE_WINDOW" envDefault:"720h"`
	// SendWorkers bounds concurrent sends per replica.
	SendWorkers int `env:"CONSOLE_SEND_WORKERS" envDefault:"10"`
	// AutoResendDelay is how long after an unknown outcome a CreateInstance
	// order is resent with its ClientToken.
	AutoResendDelay time.Duration `env:"CONSOLE_AUTO_RESEND_DELAY" envDefault:"1m"`
	// AutoResendTries bounds those resends; 0 turns them off.
	AutoResendTries int    `env:"CONSOLE_AUTO_RESEND_TRIES" envDefault:"5"`
	BodyLimit       string `env:"CONSOLE_BODY_LIMIT" envDefault:"1M"`

	// AuditAnchorKey is the Ed25519 seed (32 bytes, base64) that signs the
	// audit chain's head; nil: no anchoring.
	AuditAnchorKey []byte `env:"CONSOLE_AUDIT_ANCHOR_KEY"`
	// AuditAnchorPublicKey verifies anchors in `console audit verify
	// -anchors` when the private key is not at hand (32 bytes, base64).
	AuditAnchorPublicKey []byte `env:"CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY"`
	// AuditAnchorFile, when set, gets every anchor appended as a line.
	AuditAnchorFile string `env:"CONSOLE_AUDIT_ANCHOR_FILE"`
	// AuditAnchorEvery is how often the head is signed.
	AuditAnchorEvery time.Duration `env:"CONSOLE_AUDIT_ANCHOR_EVERY" envDefault:"1h"`

	// APIRate is each API token's average budget of calls a second, shared
	// by every replica; APIBurst is how many it may make at once.
	APIRate  float64 `env:"CONSOLE_API_RATE" envDefault:"5"`
	APIBurst int     `env:"CONSOLE_API_BURST" envDefault:"20"`

	// OIDC signs people in through an identity provider when OIDCIssuer is
	// set; PasswordLogin false turns local passwords off (oidc.go).
	OIDCIssuer        string   `env:"CONSOLE_OIDC_ISSUER"`
	OIDCClientID      string   `env:"CONSOLE_OIDC_CLIENT_ID"`
	OIDCClientSecret  string   `env:"CONSOLE_OIDC_CLIENT_SECRET"`
	OIDCRedirectURL   string   `env:"CONSOLE_OIDC_REDIRECT_URL"`
	OIDCScopes        []string `env:"CONSOLE_OIDC_SCOPES" envSeparator:" " envDefault:"profile email"`
	OIDCRolesClaim    string   `env:"CONSOLE_OIDC_ROLES_CLAIM" envDefault:"groups"`
	OIDCRoleMapText   string   `env:"CONSOLE_OIDC_ROLE_MAP"`
	OIDCUsernameClaim string   `env:"CONSOLE_OIDC_USERNAME_CLAIM" envDefault:"preferred_username"`
	OIDCName          string   `env:"CONSOLE_OIDC_NAME" envDefault:"single sign-on"`
	PasswordLogin     bool     `env:"CONSOLE_PASSWORD_LOGIN" envDefault:"true"`
	// OIDCRoleMap is CONSOLE_OIDC_ROLE_MAP read: claim value → roles.
	OIDCRoleMap map[string][]string
	// MetricsToken is the bearer token GET /metrics demands (at least 32
	// characters); empty: no /metrics.
	MetricsToken string `env:"CONSOLE_METRICS_TOKEN"`
	// PprofAddr is a loopback address serving Go's runtime profiles
	// (net/http/pprof), for `make bench` and for finding what a slow
	// console spends its time on; empty: none.
	PprofAddr string `env:"CONSOLE_PPROF_ADDR"`
	// MaintenanceEvery is how often the periodic upkeep runs: the order
	// counts' deltas folded, expired sessions, stale login counters and
	// unused rate-limit slots deleted.
	MaintenanceEvery time.Duration `env:"CONSOLE_MAINTENANCE_EVERY" envDefault:"1m"`
	// DBMaxConns is the serving console's database connection limit,
	// unless DATABASE_URL sets pool_max_conns.
	DBMaxConns int `env:"CONSOLE_DB_MAX_CONNS" envDefault:"30"`
	// ReconcileEvery is how often unknown orders are looked up on the bill.
	ReconcileEvery time.Duration `env:"CONSOLE_RECONCILE_EVERY" envDefault:"5m"`
	// ReconcileQuiet is how long after the last attempt a lookup that
	// finds no deal proposes "not bought".
	ReconcileQuiet time.Duration `env:"CONSOLE_RECONCILE_QUIET" envDefault:"30m"`
	// BillTolerancePercent is how far, in percent of the estimate, a
	// succeeded order's billed amount may be from it before the order is
	// flagged (0: any difference).
	BillTolerancePercent int `env:"CONSOLE_BILL_TOLERANCE_PERCENT" envDefault:"1"`
}

// Getenv is the shape of os.Getenv, so tests can pass a map's lookup.
type Getenv func(string) string

// FromEnv reads the configuration. It reports every bad value at once, and
// never repeats a key's value.
func FromEnv(getenv Getenv) (Config, error) {
	params, err := envlib.GetFieldParams(&Config{})
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	// The library reads a map, not a function: the one the caller gives
	// (the process's environment, or a test's) is asked for each setting.
	vars := make(map[string]string, len(params))
	for _, p := range params {
		if v := getenv(p.Key); v != "" {
			vars[p.Key] = v
		}
	}
	var c Config
	failed := map[string]bool{}
	var errs []error
	if err := envlib.ParseWithOptions(&c, envlib.Options{Environment: vars, FuncMap: parsers}); err != nil {
		errs = readErrors(err, failed)
	}
	c.TencentCloudEndpoint = strings.TrimRight(c.TencentCloudEndpoint, "/")
	c.OIDCIssuer = strings.TrimRight(c.OIDCIssuer, "/")
	var roleErr error
	if c.OIDCRoleMap, roleErr = parseRoleMap(c.OIDCRoleMapText); roleErr != nil {
		errs = append(errs, roleErr)
	}
	errs = append(errs, c.check(failed)...)
	errs = append(errs, c.checkAPIAndOIDC(failed)...)
	return c, errors.Join(errs...)
}

// Zone is DefaultTimeZone loaded; check has refused a name that does not
// load, so UTC is only the answer for a Config that was never checked.
func (c Config) Zone() *time.Location {
	if loc, err := time.LoadLocation(c.DefaultTimeZone); err == nil {
		return loc
	}
	return time.UTC
}
