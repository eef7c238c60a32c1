package config

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func key(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Sandbox || c.Migrate || c.ReadTimeout != 15*time.Second || c.MasterKeyID != "k1" ||
		c.TrustProxy || c.SessionIdleTimeout != 8*time.Hour || c.SessionMaxAge != 7*24*time.Hour ||
		c.DuplicateWindow != 30*24*time.Hour || c.AuditAnchorEvery != time.Hour || c.AuditAnchorKey != nil {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if err := c.ValidateForServe(); err == nil {
		t.Fatal("serving without DATABASE_URL and keys must be refused")
	}
}

func TestFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // "" means valid
	}{
		{"complete", map[string]string{"DATABASE_URL": "postgres://x", "CONSOLE_SESSION_KEY": key(32), "CONSOLE_MASTER_KEY": key(32), "CONSOLE_SANDBOX": "1"}, ""},
		{"endpoint http", map[string]string{"CONSOLE_TENCENTCLOUD_ENDPOINT": "http://127.0.0.1:9100/"}, ""},
		{"base URL", map[string]string{"CONSOLE_BASE_URL": "https://dealdesk.example.com/"}, ""},
		{"base URL without scheme", map[string]string{"CONSOLE_BASE_URL": "dealdesk.example.com"}, "CONSOLE_BASE_URL"},
		{"base URL with a query", map[string]string{"CONSOLE_BASE_URL": "https://dealdesk.example.com/?x=1"}, "CONSOLE_BASE_URL"},
		{"base URL with a password", map[string]string{"CONSOLE_BASE_URL": "https://u:p@dealdesk.example.com"}, "CONSOLE_BASE_URL"},
		{"endpoint without scheme", map[string]string{"CONSOLE_TENCENTCLOUD_ENDPOINT": "127.0.0.1:9100"}, "CONSOLE_TENCENTCLOUD_ENDPOINT"},
		{"sandbox not a bool", map[string]string{"CONSOLE_SANDBOX": "yes please"}, "CONSOLE_SANDBOX"},
		{"master key short", map[string]string{"CONSOLE_MASTER_KEY": key(16)}, "exactly 32 bytes"},
		{"master key not base64", map[string]string{"CONSOLE_MASTER_KEY": "!!!secret!!!"}, "not valid base64"},
		{"session key short", map[string]string{"CONSOLE_SESSION_KEY": key(8)}, "at least 32 bytes"},
		{"session key long is fine", map[string]string{"CONSOLE_SESSION_KEY": key(64)}, ""},
		{"bad duration", map[string]string{"CONSOLE_READ_TIMEOUT": "soon"}, "CONSOLE_READ_TIMEOUT"},
		{"negative duration", map[string]string{"CONSOLE_SHUTDOWN_TIMEOUT": "-1s"}, "CONSOLE_SHUTDOWN_TIMEOUT"},
		{"session timeouts", map[string]string{"CONSOLE_SESSION_IDLE_TIMEOUT": "30m", "CONSOLE_SESSION_MAX_AGE": "12h"}, ""},
		{"idle longer than max age", map[string]string{"CONSOLE_SESSION_IDLE_TIMEOUT": "200h"}, "must not exceed CONSOLE_SESSION_MAX_AGE"},
		{"idle too short", map[string]string{"CONSOLE_SESSION_IDLE_TIMEOUT": "30s"}, "at least 5m"},
		{"bad session max age", map[string]string{"CONSOLE_SESSION_MAX_AGE": "a week"}, "CONSOLE_SESSION_MAX_AGE"},
		{"duplicate window", map[string]string{"CONSOLE_DUPLICATE_WINDOW": "168h"}, ""},
		{"api rate", map[string]string{"CONSOLE_API_RATE": "0.5", "CONSOLE_API_BURST": "3"}, ""},
		{"bad api rate", map[string]string{"CONSOLE_API_RATE": "0"}, "CONSOLE_API_RATE"},
		{"bad api burst", map[string]string{"CONSOLE_API_BURST": "many"}, "CONSOLE_API_BURST"},
		{"oidc", map[string]string{"CONSOLE_OIDC_ISSUER": "https://sso.example.com/realms/staff", "CONSOLE_OIDC_CLIENT_ID": "dealdesk",
			"CONSOLE_OIDC_REDIRECT_URL": "https://dealdesk.example.com/login/oidc/callback", "CONSOLE_OIDC_ROLE_MAP": "buyers=requester, finance=approver,finance=auditor",
			"CONSOLE_PASSWORD_LOGIN": "false"}, ""},
		{"oidc without client", map[string]string{"CONSOLE_OIDC_ISSUER": "https://sso.example.com", "CONSOLE_OIDC_REDIRECT_URL": "https://d.example.com/login/oidc/callback"}, "CONSOLE_OIDC_CLIENT_ID"},
		{"oidc bad redirect", map[string]string{"CONSOLE_OIDC_ISSUER": "https://sso.example.com", "CONSOLE_OIDC_CLIENT_ID": "x", "CONSOLE_OIDC_REDIRECT_URL": "https://d.example.com/cb"}, "CONSOLE_OIDC_REDIRECT_URL"},
		{"oidc unknown role", map[string]string{"CONSOLE_OIDC_ROLE_MAP": "buyers=buyer"}, "CONSOLE_OIDC_ROLE_MAP"},
		{"no way to sign in", map[string]string{"CONSOLE_PASSWORD_LOGIN": "false"}, "CONSOLE_PASSWORD_LOGIN"},
		{"bad duplicate window", map[string]string{"CONSOLE_DUPLICATE_WINDOW": "30d"}, "CONSOLE_DUPLICATE_WINDOW"},
		{"anchor key", map[string]string{"CONSOLE_AUDIT_ANCHOR_KEY": key(32), "CONSOLE_AUDIT_ANCHOR_FILE": "/tmp/anchors", "CONSOLE_AUDIT_ANCHOR_EVERY": "15m"}, ""},
		{"anchor key short", map[string]string{"CONSOLE_AUDIT_ANCHOR_KEY": key(16)}, "CONSOLE_AUDIT_ANCHOR_KEY must decode to exactly 32 bytes"},
		{"anchor public key short", map[string]string{"CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY": key(31)}, "CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY"},
		{"anchor file without key", map[string]string{"CONSOLE_AUDIT_ANCHOR_FILE": "/tmp/anchors"}, "nothing would sign"},
		{"bad anchor interval", map[string]string{"CONSOLE_AUDIT_ANCHOR_EVERY": "hourly"}, "CONSOLE_AUDIT_ANCHOR_EVERY"},
		{"trust proxy", map[string]string{"CONSOLE_TRUST_PROXY": "true"}, ""},
		{"trust proxy not a bool", map[string]string{"CONSOLE_TRUST_PROXY": "maybe"}, "CONSOLE_TRUST_PROXY"},
		{"bad log level", map[string]string{"CONSOLE_LOG_LEVEL": "loud"}, "CONSOLE_LOG_LEVEL"},
		{"bad log format", map[string]string{"CONSOLE_LOG_FORMAT": "xml"}, "CONSOLE_LOG_FORMAT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := FromEnv(env(tt.env))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestKeyErrorsNeverEchoTheValue(t *testing.T) {
	t.Parallel()
	const secret = "my-very-secret-master-key"
	_, err := FromEnv(env(map[string]string{"CONSOLE_MASTER_KEY": secret, "CONSOLE_SESSION_KEY": secret}))
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("error must exist and must not contain the secret: %v", err)
	}
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	t.Parallel()
	_, err := FromEnv(env(map[string]string{"CONSOLE_SANDBOX": "x", "CONSOLE_LOG_FORMAT": "x"}))
	if err == nil || !strings.Contains(err.Error(), "CONSOLE_SANDBOX") || !strings.Contains(err.Error(), "CONSOLE_LOG_FORMAT") {
		t.Fatalf("want both errors, got %v", err)
	}
}

func TestOldMasterKeys(t *testing.T) {
	t.Parallel()
	good := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	c, err := FromEnv(env(map[string]string{"CONSOLE_MASTER_KEY_ID": "k3", "CONSOLE_MASTER_KEYS_OLD": "k1:" + key(32) + ", k2:" + good}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.MasterKeysOld) != 2 || string(c.MasterKeysOld["k2"]) != "0123456789abcdef0123456789abcdef" || len(c.MasterKeysOld["k1"]) != 32 {
		t.Fatalf("old keys %v", c.MasterKeysOld)
	}

	const secret = "c2VjcmV0LXRoYXQtaXMtbm90LTMyLWJ5dGVz" // base64, but not 32 bytes
	tests := []struct{ name, value, wantErr string }{
		{"no id", ":" + key(32), "entry 1 must read ID:BASE64KEY"},
		{"no colon", secret, "entry 1 must read ID:BASE64KEY"},
		{"id with a space", "old key:" + key(32), "entry 1 must read"},
		{"current id", "k1:" + key(32), `id "k1" of CONSOLE_MASTER_KEY_ID`},
		{"twice", "a:" + key(32) + ",a:" + key(32), `"a" twice`},
		{"short", "a:" + secret, "entry 1 (a) must decode to exactly 32 bytes"},
		{"not base64", "a:" + key(32) + ",b:!!" + secret, "entry 2 (b) is not valid base64"},
		{"empty key", "a:", "entry 1 (a) has no key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := FromEnv(env(map[string]string{"CONSOLE_MASTER_KEYS_OLD": tt.value}))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), key(32)) {
				t.Fatalf("the error repeats a key: %v", err)
			}
		})
	}
}

func TestMasterKeyIDMustBeSafe(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"k:1", "a,b", "with space", strings.Repeat("k", 33)} {
		if _, err := FromEnv(env(map[string]string{"CONSOLE_MASTER_KEY_ID": id})); err == nil || !strings.Contains(err.Error(), "CONSOLE_MASTER_KEY_ID") {
			t.Errorf("id %q: err %v", id, err)
		}
	}
}

func TestSandboxAndEndpointTogetherAreRefused(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{
		"DATABASE_URL": "postgres://x", "CONSOLE_SESSION_KEY": key(32), "CONSOLE_MASTER_KEY": key(32),
		"CONSOLE_SANDBOX": "true", "CONSOLE_TENCENTCLOUD_ENDPOINT": "http://127.0.0.1:9100",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateForServe(); err == nil || !strings.Contains(err.Error(), "set only one") {
		t.Fatalf("err = %v", err)
	}
	c.Sandbox = false
	if err := c.ValidateForServe(); err != nil {
		t.Fatalf("the endpoint alone: %v", err)
	}
}

func TestMetricsTokenAndMaintenance(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil || c.MetricsToken != "" || c.MaintenanceEvery != time.Minute {
		t.Fatalf("defaults: token %q, every %s, err %v", c.MetricsToken, c.MaintenanceEvery, err)
	}
	good := "0123456789abcdef0123456789abcdef"
	c, err = FromEnv(env(map[string]string{"CONSOLE_METRICS_TOKEN": good, "CONSOLE_MAINTENANCE_EVERY": "30s"}))
	if err != nil || c.MetricsToken != good || c.MaintenanceEvery != 30*time.Second {
		t.Fatalf("set: %+v %v", c, err)
	}
	for _, bad := range []string{"short-secret-token", good + " x"} {
		_, err := FromEnv(env(map[string]string{"CONSOLE_METRICS_TOKEN": bad}))
		if err == nil || !strings.Contains(err.Error(), "CONSOLE_METRICS_TOKEN") || strings.Contains(err.Error(), bad) {
			t.Errorf("token %q: err %v, want a refusal that does not echo it", bad, err)
		}
	}
}

func TestDBMaxConns(t *testing.T) {
	if c, err := FromEnv(env(nil)); err != nil || c.DBMaxConns != 30 {
		t.Fatalf("default %d %v, want 30", c.DBMaxConns, err)
	}
	if c, err := FromEnv(env(map[string]string{"CONSOLE_DB_MAX_CONNS": "60"})); err != nil || c.DBMaxConns != 60 {
		t.Fatalf("set: %d %v", c.DBMaxConns, err)
	}
	for _, bad := range []string{"3", "501", "many"} {
		if _, err := FromEnv(env(map[string]string{"CONSOLE_DB_MAX_CONNS": bad})); err == nil || !strings.Contains(err.Error(), "CONSOLE_DB_MAX_CONNS") {
			t.Errorf("%q: %v, want a refusal", bad, err)
		}
	}
}

// Profiles show the process's memory (secrets opened for a call among it):
// only a loopback address may serve them.
func TestPprofAddrIsLoopbackOnly(t *testing.T) {
	if c, err := FromEnv(env(nil)); err != nil || c.PprofAddr != "" {
		t.Fatalf("default %q %v, want none", c.PprofAddr, err)
	}
	for _, good := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:0"} {
		if c, err := FromEnv(env(map[string]string{"CONSOLE_PPROF_ADDR": good})); err != nil || c.PprofAddr != good {
			t.Errorf("%s: %q %v", good, c.PprofAddr, err)
		}
	}
	for _, bad := range []string{":6060", "0.0.0.0:6060", "10.0.0.5:6060", "example.com:6060", "127.0.0.1"} {
		if _, err := FromEnv(env(map[string]string{"CONSOLE_PPROF_ADDR": bad})); err == nil || !strings.Contains(err.Error(), "CONSOLE_PPROF_ADDR") {
			t.Errorf("%s: err %v, want a refusal naming CONSOLE_PPROF_ADDR", bad, err)
		}
	}
}
