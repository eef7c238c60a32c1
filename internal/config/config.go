// Package config reads the console's settings from the environment. Every
// variable is listed, with its default, in the README's configuration table;
// keep the two in step.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting the console reads.
type Config struct {
	DatabaseURL string
	Addr        string
	// SessionKey authenticates session cookies (32 bytes or more, base64).
	SessionKey []byte
	// MasterKey encrypts Tencent Cloud secrets at rest (32 bytes, base64).
	MasterKey []byte
	// MasterKeyID names MasterKey so stored ciphertexts can say which key
	// sealed them, which is what lets keys rotate.
	MasterKeyID string
	// MasterKeysOld are earlier master keys by id (CONSOLE_MASTER_KEYS_OLD):
	// kept only to open what they sealed until `console accounts reseal`
	// seals it again under MasterKey.
	MasterKeysOld map[string][]byte
	// TencentCloudEndpoint, when set, sends every Tencent Cloud call to this
	// base URL instead of the real hosts.
	TencentCloudEndpoint string
	// Sandbox starts the built-in Tencent Cloud sandbox in-process and points
	// the client at it.
	Sandbox bool
	// Migrate applies pending migrations at start instead of refusing to run.
	Migrate bool
	// TrustProxy believes X-Forwarded-Proto (for Secure cookies and HSTS)
	// and X-Forwarded-For (for the client address) from a proxy in front.
	TrustProxy bool

	// SessionIdleTimeout ends a session unused for this long.
	SessionIdleTimeout time.Duration
	// SessionMaxAge ends a session this long after sign-in, used or not.
	SessionMaxAge time.Duration

	LogLevel  slog.Level
	LogFormat string // "text" or "json"

	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	IdleTimeout     time.Duration
	ShutdownTimeout time.Duration
	// SendTimeout bounds one Tencent Cloud purchase call; past it the
	// outcome is unknown (CONSOLE_SEND_TIMEOUT).
	SendTimeout time.Duration
	// JobRescueAfter is how long a job may look stuck (its replica died)
	// before another replica takes it over (CONSOLE_JOB_RESCUE_AFTER).
	JobRescueAfter time.Duration
	// DuplicateWindow is how long a succeeded order flags another that buys
	// the same or acts on the same target (CONSOLE_DUPLICATE_WINDOW).
	DuplicateWindow time.Duration
	// SendWorkers bounds concurrent sends per replica (CONSOLE_SEND_WORKERS).
	SendWorkers int
	// AutoResendDelay is how long after an unknown outcome a CreateInstance
	// order is resent with its ClientToken (CONSOLE_AUTO_RESEND_DELAY).
	AutoResendDelay time.Duration
	// AutoResendTries bounds those resends; 0 turns them off
	// (CONSOLE_AUTO_RESEND_TRIES).
	AutoResendTries int
	BodyLimit       string

	// AuditAnchorKey is the Ed25519 seed (32 bytes, base64) that signs the
	// audit chain's head (CONSOLE_AUDIT_ANCHOR_KEY); nil: no anchoring.
	AuditAnchorKey []byte
	// AuditAnchorPublicKey verifies anchors in `console audit verify
	// -anchors` when the private key is not at hand
	// (CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY, 32 bytes, base64).
	AuditAnchorPublicKey []byte
	// AuditAnchorFile, when set, gets every anchor appended as a line
	// (CONSOLE_AUDIT_ANCHOR_FILE).
	AuditAnchorFile string
	// AuditAnchorEvery is how often the head is signed
	// (CONSOLE_AUDIT_ANCHOR_EVERY).
	AuditAnchorEvery time.Duration

	// APIRate is each API token's average budget of calls a second, shared
	// by every replica (CONSOLE_API_RATE); APIBurst is how many it may make
	// at once (CONSOLE_API_BURST).
	APIRate  float64
	APIBurst int

	// OIDC signs people in through an identity provider when OIDCIssuer is
	// set (CONSOLE_OIDC_*); PasswordLogin false turns local passwords off
	// (CONSOLE_PASSWORD_LOGIN).
	OIDCIssuer        string
	OIDCClientID      string
	OIDCClientSecret  string
	OIDCRedirectURL   string
	OIDCScopes        []string
	OIDCRolesClaim    string
	OIDCRoleMap       map[string][]string
	OIDCUsernameClaim string
	OIDCName          string
	PasswordLogin     bool
}

// oidcRoles are the console's roles, as the OIDC role map may name them.
var oidcRoles = []string{"requester", "approver", "admin", "auditor"}

// readOIDC reads the CONSOLE_OIDC_* settings and CONSOLE_PASSWORD_LOGIN.
func (c *Config) readOIDC(getenv Getenv) []error {
	var errs []error
	c.OIDCIssuer = strings.TrimRight(getenv("CONSOLE_OIDC_ISSUER"), "/")
	c.OIDCClientID = getenv("CONSOLE_OIDC_CLIENT_ID")
	c.OIDCClientSecret = getenv("CONSOLE_OIDC_CLIENT_SECRET")
	c.OIDCRedirectURL = getenv("CONSOLE_OIDC_REDIRECT_URL")
	c.OIDCScopes = strings.Fields(orDefault(getenv("CONSOLE_OIDC_SCOPES"), "profile email"))
	c.OIDCRolesClaim = orDefault(getenv("CONSOLE_OIDC_ROLES_CLAIM"), "groups")
	c.OIDCUsernameClaim = orDefault(getenv("CONSOLE_OIDC_USERNAME_CLAIM"), "preferred_username")
	c.OIDCName = orDefault(getenv("CONSOLE_OIDC_NAME"), "single sign-on")
	c.OIDCRoleMap = map[string][]string{}
	for _, pair := range strings.Split(getenv("CONSOLE_OIDC_ROLE_MAP"), ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || !slices.Contains(oidcRoles, v) {
			errs = append(errs, errors.New("config: CONSOLE_OIDC_ROLE_MAP takes claim-value=role pairs separated by commas, such as dealdesk-approvers=approver; roles are requester, approver, admin, auditor"))
			break
		}
		if !slices.Contains(c.OIDCRoleMap[k], v) {
			c.OIDCRoleMap[k] = append(c.OIDCRoleMap[k], v)
		}
	}
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, errors.New("config: CONSOLE_OIDC_ISSUER must be the provider's issuer URL, such as https://sso.example.com/realms/staff"))
		}
		if c.OIDCClientID == "" {
			errs = append(errs, errors.New("config: CONSOLE_OIDC_ISSUER is set but CONSOLE_OIDC_CLIENT_ID is not"))
		}
		if u, err := url.Parse(c.OIDCRedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "/login/oidc/callback" {
			errs = append(errs, errors.New("config: CONSOLE_OIDC_REDIRECT_URL must be this console's https://…/login/oidc/callback, as registered with the provider"))
		}
	}
	pw, err := parseBool("CONSOLE_PASSWORD_LOGIN", orDefault(getenv("CONSOLE_PASSWORD_LOGIN"), "true"))
	if err != nil {
		errs = append(errs, err)
	}
	c.PasswordLogin = pw
	if !pw && c.OIDCIssuer == "" {
		errs = append(errs, errors.New("config: CONSOLE_PASSWORD_LOGIN=false needs CONSOLE_OIDC_ISSUER: nobody could sign in"))
	}
	return errs
}

// Getenv is the shape of os.Getenv, so tests can pass a map's lookup.
type Getenv func(string) string

// FromEnv reads the configuration. It reports every bad value at once.
func FromEnv(getenv Getenv) (Config, error) {
	var errs []error
	c := Config{
		DatabaseURL:          getenv("DATABASE_URL"),
		Addr:                 orDefault(getenv("CONSOLE_ADDR"), "127.0.0.1:8080"),
		TencentCloudEndpoint: strings.TrimRight(getenv("CONSOLE_TENCENTCLOUD_ENDPOINT"), "/"),
		MasterKeyID:          orDefault(getenv("CONSOLE_MASTER_KEY_ID"), "k1"),
		LogFormat:            orDefault(getenv("CONSOLE_LOG_FORMAT"), "text"),
		BodyLimit:            orDefault(getenv("CONSOLE_BODY_LIMIT"), "1M"),
		AuditAnchorFile:      getenv("CONSOLE_AUDIT_ANCHOR_FILE"),
	}
	var err error
	if c.Sandbox, err = parseBool("CONSOLE_SANDBOX", getenv("CONSOLE_SANDBOX")); err != nil {
		errs = append(errs, err)
	}
	if c.Migrate, err = parseBool("CONSOLE_MIGRATE", getenv("CONSOLE_MIGRATE")); err != nil {
		errs = append(errs, err)
	}
	if c.TrustProxy, err = parseBool("CONSOLE_TRUST_PROXY", getenv("CONSOLE_TRUST_PROXY")); err != nil {
		errs = append(errs, err)
	}
	if c.SessionKey, err = parseKey("CONSOLE_SESSION_KEY", getenv("CONSOLE_SESSION_KEY"), 32, false); err != nil {
		errs = append(errs, err)
	}
	if c.MasterKey, err = parseKey("CONSOLE_MASTER_KEY", getenv("CONSOLE_MASTER_KEY"), 32, true); err != nil {
		errs = append(errs, err)
	}
	if c.AuditAnchorKey, err = parseKey("CONSOLE_AUDIT_ANCHOR_KEY", getenv("CONSOLE_AUDIT_ANCHOR_KEY"), 32, true); err != nil {
		errs = append(errs, err)
	}
	if c.AuditAnchorPublicKey, err = parseKey("CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY", getenv("CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY"), 32, true); err != nil {
		errs = append(errs, err)
	}
	if c.AuditAnchorFile != "" && len(c.AuditAnchorKey) == 0 {
		errs = append(errs, errors.New("config: CONSOLE_AUDIT_ANCHOR_FILE is set but CONSOLE_AUDIT_ANCHOR_KEY is not: nothing would sign the anchors"))
	}
	if !keyIDPattern.MatchString(c.MasterKeyID) {
		errs = append(errs, fmt.Errorf("config: CONSOLE_MASTER_KEY_ID must be 1 to 32 letters, digits, dots, dashes or underscores"))
	}
	if c.MasterKeysOld, err = parseOldKeys(getenv("CONSOLE_MASTER_KEYS_OLD"), c.MasterKeyID); err != nil {
		errs = append(errs, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(orDefault(getenv("CONSOLE_LOG_LEVEL"), "info"))); err != nil {
		errs = append(errs, fmt.Errorf("config: CONSOLE_LOG_LEVEL must be debug, info, warn or error"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("config: CONSOLE_LOG_FORMAT must be text or json, not %q", c.LogFormat))
	}
	if c.TencentCloudEndpoint != "" {
		u, err := url.Parse(c.TencentCloudEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: CONSOLE_TENCENTCLOUD_ENDPOINT must be an http or https base URL such as http://127.0.0.1:9100"))
		}
	}
	durations := []struct {
		name string
		def  time.Duration
		dst  *time.Duration
	}{
		{"CONSOLE_READ_TIMEOUT", 15 * time.Second, &c.ReadTimeout},
		{"CONSOLE_WRITE_TIMEOUT", 60 * time.Second, &c.WriteTimeout},
		{"CONSOLE_IDLE_TIMEOUT", 120 * time.Second, &c.IdleTimeout},
		{"CONSOLE_SHUTDOWN_TIMEOUT", 30 * time.Second, &c.ShutdownTimeout},
		{"CONSOLE_SEND_TIMEOUT", 30 * time.Second, &c.SendTimeout},
		{"CONSOLE_JOB_RESCUE_AFTER", 5 * time.Minute, &c.JobRescueAfter},
		{"CONSOLE_AUTO_RESEND_DELAY", time.Minute, &c.AutoResendDelay},
		{"CONSOLE_SESSION_IDLE_TIMEOUT", 8 * time.Hour, &c.SessionIdleTimeout},
		{"CONSOLE_SESSION_MAX_AGE", 168 * time.Hour, &c.SessionMaxAge},
		{"CONSOLE_DUPLICATE_WINDOW", 720 * time.Hour, &c.DuplicateWindow},
		{"CONSOLE_AUDIT_ANCHOR_EVERY", time.Hour, &c.AuditAnchorEvery},
	}
	for _, d := range durations {
		*d.dst = d.def
		if v := getenv(d.name); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed <= 0 {
				errs = append(errs, fmt.Errorf("config: %s must be a positive duration such as 30s, not %q", d.name, v))
				continue
			}
			*d.dst = parsed
		}
	}
	// A session's last use is recorded at most once a minute, so a shorter
	// idle timeout would end sessions that are in use.
	// A send job may run its call to the deadline and then record the
	// outcome; rescuing it sooner would start a second worker on an order
	// whose call may still be in flight. (Even then nothing is bought twice:
	// the second worker finds the order sending and does not call WAF or
	// TCB. But the first worker's answer would arrive as a late one.)
	if c.JobRescueAfter < c.SendTimeout+15*time.Second {
		errs = append(errs, fmt.Errorf("config: CONSOLE_JOB_RESCUE_AFTER (%s) must be at least CONSOLE_SEND_TIMEOUT (%s) plus 15s", c.JobRescueAfter, c.SendTimeout))
	}
	c.SendWorkers = 10
	if v := getenv("CONSOLE_SEND_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			errs = append(errs, fmt.Errorf("config: CONSOLE_SEND_WORKERS must be a whole number from 1 to 100, not %q", v))
		} else {
			c.SendWorkers = n
		}
	}
	errs = append(errs, c.readOIDC(getenv)...)
	c.APIRate = 5
	if v := getenv("CONSOLE_API_RATE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0.01 && f <= 1000) {
			errs = append(errs, fmt.Errorf("config: CONSOLE_API_RATE must be a number of calls a second from 0.01 to 1000, not %q", v))
		} else {
			c.APIRate = f
		}
	}
	c.APIBurst = 20
	if v := getenv("CONSOLE_API_BURST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			errs = append(errs, fmt.Errorf("config: CONSOLE_API_BURST must be a whole number from 1 to 10000, not %q", v))
		} else {
			c.APIBurst = n
		}
	}
	c.AutoResendTries = 5
	if v := getenv("CONSOLE_AUTO_RESEND_TRIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			errs = append(errs, fmt.Errorf("config: CONSOLE_AUTO_RESEND_TRIES must be a whole number from 0 to 20, not %q", v))
		} else {
			c.AutoResendTries = n
		}
	}
	if c.SessionIdleTimeout < 5*time.Minute {
		errs = append(errs, fmt.Errorf("config: CONSOLE_SESSION_IDLE_TIMEOUT must be at least 5m, not %s", c.SessionIdleTimeout))
	}
	if c.SessionIdleTimeout > c.SessionMaxAge {
		errs = append(errs, fmt.Errorf("config: CONSOLE_SESSION_IDLE_TIMEOUT (%s) must not exceed CONSOLE_SESSION_MAX_AGE (%s)", c.SessionIdleTimeout, c.SessionMaxAge))
	}
	return c, errors.Join(errs...)
}

// ValidateForServe checks what serving needs beyond well-formed values.
func (c Config) ValidateForServe() error {
	var errs []error
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("config: DATABASE_URL is not set (make run starts a private Postgres for you)"))
	}
	if len(c.SessionKey) == 0 {
		errs = append(errs, errors.New("config: CONSOLE_SESSION_KEY is not set (32 random bytes, base64: openssl rand -base64 32)"))
	}
	if len(c.MasterKey) == 0 {
		errs = append(errs, errors.New("config: CONSOLE_MASTER_KEY is not set (32 random bytes, base64: openssl rand -base64 32)"))
	}
	// Each says where calls go; taking one silently would send calls
	// somewhere the operator did not expect.
	if c.Sandbox && c.TencentCloudEndpoint != "" {
		errs = append(errs, errors.New("config: CONSOLE_SANDBOX (serve -sandbox) and CONSOLE_TENCENTCLOUD_ENDPOINT both say where Tencent Cloud calls go; set only one"))
	}
	return errors.Join(errs...)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func parseBool(name, v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("config: %s must be true or false, not %q", name, v)
	}
	return b, nil
}

// keyIDPattern is what a master key id may look like. Ids are stored beside
// every ciphertext and written in CONSOLE_MASTER_KEYS_OLD as "id:key", so
// they may hold neither ':' nor ','.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// parseOldKeys reads CONSOLE_MASTER_KEYS_OLD: "id:base64,id:base64". Its
// errors name entries by position and id, never by value.
func parseOldKeys(v, currentID string) (map[string][]byte, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	const name = "CONSOLE_MASTER_KEYS_OLD"
	out := map[string][]byte{}
	var errs []error
	for i, entry := range strings.Split(v, ",") {
		id, key, ok := strings.Cut(strings.TrimSpace(entry), ":")
		if !ok || !keyIDPattern.MatchString(id) {
			errs = append(errs, fmt.Errorf("config: %s entry %d must read ID:BASE64KEY, with an id of letters, digits, dots, dashes or underscores", name, i+1))
			continue
		}
		if id == currentID {
			errs = append(errs, fmt.Errorf("config: %s entry %d has the id %q of CONSOLE_MASTER_KEY_ID; an old key needs an id of its own", name, i+1, id))
			continue
		}
		if _, dup := out[id]; dup {
			errs = append(errs, fmt.Errorf("config: %s names the key id %q twice", name, id))
			continue
		}
		b, err := parseKey(fmt.Sprintf("%s entry %d (%s)", name, i+1, id), key, 32, true)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if b == nil {
			errs = append(errs, fmt.Errorf("config: %s entry %d (%s) has no key", name, i+1, id))
			continue
		}
		out[id] = b
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// parseKey decodes a base64 key. The error never repeats the value: it is a
// secret even when malformed.
func parseKey(name, v string, size int, exact bool) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return nil, fmt.Errorf("config: %s is not valid base64", name)
	}
	if exact && len(b) != size {
		return nil, fmt.Errorf("config: %s must decode to exactly %d bytes, got %d", name, size, len(b))
	}
	if !exact && len(b) < size {
		return nil, fmt.Errorf("config: %s must decode to at least %d bytes, got %d", name, size, len(b))
	}
	return b, nil
}
