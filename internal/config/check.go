package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// keySize is the size of every key but the session key, which may be longer.
const keySize = 32

// check applies the bounds of each setting and the rules between them, to
// values that parsed. failed names the variables that did not parse: their
// fields hold zero, which no rule should judge.
func (c Config) check(failed map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("config: "+format, args...)) }
	ok := func(names ...string) bool {
		for _, n := range names {
			if failed[n] {
				return false
			}
		}
		return true
	}

	errs = append(errs, c.checkKeys(failed)...)
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("CONSOLE_LOG_FORMAT must be text or json, not %q", c.LogFormat)
	}
	errs = append(errs, c.checkZone()...)
	if c.TencentCloudEndpoint != "" {
		u, err := url.Parse(c.TencentCloudEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("CONSOLE_TENCENTCLOUD_ENDPOINT must be an http or https base URL such as http://127.0.0.1:9100")
		}
	}
	errs = append(errs, c.checkNotify(failed)...)
	if ok("CONSOLE_SEND_WORKERS") && (c.SendWorkers < 1 || c.SendWorkers > 100) {
		bad("CONSOLE_SEND_WORKERS must be a whole number from 1 to 100, not %d", c.SendWorkers)
	}
	if ok("CONSOLE_BILL_TOLERANCE_PERCENT") && !percent(c.BillTolerancePercent) {
		bad("CONSOLE_BILL_TOLERANCE_PERCENT must be a whole number from 0 to 100, not %d", c.BillTolerancePercent)
	}
	if ok("CONSOLE_AUTO_RESEND_TRIES") && (c.AutoResendTries < 0 || c.AutoResendTries > 20) {
		bad("CONSOLE_AUTO_RESEND_TRIES must be a whole number from 0 to 20, not %d", c.AutoResendTries)
	}
	if ok("CONSOLE_DB_MAX_CONNS") && (c.DBMaxConns < 4 || c.DBMaxConns > 500) {
		bad("CONSOLE_DB_MAX_CONNS must be a whole number from 4 to 500, not %d", c.DBMaxConns)
	}
	if c.MetricsToken != "" && (len(c.MetricsToken) < 32 || strings.ContainsAny(c.MetricsToken, " \t\r\n")) {
		bad("CONSOLE_METRICS_TOKEN must be at least 32 characters without spaces (openssl rand -hex 32)")
	}
	if c.PprofAddr != "" && !loopback(c.PprofAddr) {
		bad("CONSOLE_PPROF_ADDR must be a loopback address such as 127.0.0.1:6060: profiles show the process's memory")
	}
	// A send job may run its call to the deadline and then record the
	// outcome; rescuing it sooner would start a second worker on an order
	// whose call may still be in flight. (Even then nothing is bought twice:
	// the second worker finds the order sending and does not call WAF or
	// TCB. But the first worker's answer would arrive as a late one.)
	if ok("CONSOLE_JOB_RESCUE_AFTER", "CONSOLE_SEND_TIMEOUT") && c.JobRescueAfter < c.SendTimeout+15*time.Second {
		bad("CONSOLE_JOB_RESCUE_AFTER (%s) must be at least CONSOLE_SEND_TIMEOUT (%s) plus 15s", c.JobRescueAfter, c.SendTimeout)
	}
	// A session's last use is recorded at most once a minute, so a shorter
	// idle timeout would end sessions that are in use.
	if ok("CONSOLE_SESSION_IDLE_TIMEOUT") && c.SessionIdleTimeout < 5*time.Minute {
		bad("CONSOLE_SESSION_IDLE_TIMEOUT must be at least 5m, not %s", c.SessionIdleTimeout)
	}
	if ok("CONSOLE_SESSION_IDLE_TIMEOUT", "CONSOLE_SESSION_MAX_AGE") && c.SessionIdleTimeout > c.SessionMaxAge {
		bad("CONSOLE_SESSION_IDLE_TIMEOUT (%s) must not exceed CONSOLE_SESSION_MAX_AGE (%s)", c.SessionIdleTimeout, c.SessionMaxAge)
	}
	return errs
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

// checkKeys checks the keys' sizes and ids. A key's value never appears in
// a message.
func (c Config) checkKeys(failed map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("config: "+format, args...)) }
	if n := len(c.SessionKey); n > 0 && n < keySize {
		bad("CONSOLE_SESSION_KEY must decode to at least %d bytes, got %d", keySize, n)
	}
	for _, k := range []struct {
		name string
		key  []byte
	}{{"CONSOLE_MASTER_KEY", c.MasterKey}, {"CONSOLE_AUDIT_ANCHOR_KEY", c.AuditAnchorKey}, {"CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY", c.AuditAnchorPublicKey}} {
		if len(k.key) > 0 && len(k.key) != keySize {
			bad("%s must decode to exactly %d bytes, got %d", k.name, keySize, len(k.key))
		}
	}
	if c.AuditAnchorFile != "" && len(c.AuditAnchorKey) == 0 && !failed["CONSOLE_AUDIT_ANCHOR_KEY"] {
		bad("CONSOLE_AUDIT_ANCHOR_FILE is set but CONSOLE_AUDIT_ANCHOR_KEY is not: nothing would sign the anchors")
	}
	if !keyIDPattern.MatchString(c.MasterKeyID) {
		bad("CONSOLE_MASTER_KEY_ID must be 1 to 32 letters, digits, dots, dashes or underscores")
	}
	if _, clash := c.MasterKeysOld[c.MasterKeyID]; clash {
		bad("CONSOLE_MASTER_KEYS_OLD has the id %q of CONSOLE_MASTER_KEY_ID; an old key needs an id of its own", c.MasterKeyID)
	}
	return errs
}

// SMTP is CONSOLE_SMTP_URL parsed; nil when it is not set.
func (c Config) SMTP() (*url.URL, error) {
	if c.SMTPURL == "" {
		return nil, nil
	}
	u, err := url.Parse(c.SMTPURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("config: CONSOLE_SMTP_URL does not parse")
	}
	return u, nil
}

// checkNotify holds the notification settings: the public address links
// are made under, and the reminders' period.
func (c Config) checkNotify(failed map[string]bool) []error {
	var errs []error
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			errs = append(errs, errors.New("config: CONSOLE_BASE_URL must be the console's public http or https address such as https://dealdesk.example.com"))
		}
	}
	if c.SMTPURL != "" {
		// The message never repeats the value: it may hold a password.
		if _, err := c.SMTP(); err != nil {
			errs = append(errs, errors.New("config: CONSOLE_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…, with no path or query"))
		}
	}
	if a, err := mail.ParseAddress(c.SMTPFrom); err != nil || a.Name != "" || a.Address != c.SMTPFrom {
		errs = append(errs, errors.New("config: CONSOLE_SMTP_FROM must be a bare e-mail address such as dealdesk@example.com"))
	}
	if !failed["CONSOLE_REMIND_UNKNOWN_EVERY"] && c.RemindUnknownEvery != 0 && c.RemindUnknownEvery < time.Minute {
		errs = append(errs, fmt.Errorf("config: CONSOLE_REMIND_UNKNOWN_EVERY must be 0 (off) or at least 1m, not %s", c.RemindUnknownEvery))
	}
	return errs
}

// percent reports whether n is a whole percentage, 0 to 100.
func percent(n int) bool { return n >= 0 && n <= 100 }

// checkZone holds CONSOLE_DEFAULT_TIMEZONE to a zone the console can show
// times in ("Local" is the server's, which means nothing to a reader).
func (c Config) checkZone() []error {
	if _, err := time.LoadLocation(c.DefaultTimeZone); err != nil || c.DefaultTimeZone == "" || c.DefaultTimeZone == "Local" {
		return []error{fmt.Errorf("config: CONSOLE_DEFAULT_TIMEZONE must be a time zone name such as Asia/Shanghai or UTC, not %q", c.DefaultTimeZone)}
	}
	return nil
}

// loopback reports whether addr (host:port) listens only on this machine.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
