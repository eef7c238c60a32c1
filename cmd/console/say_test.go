package main

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// The first-run lines and reseal's summary are in Chinese under a zh_CN
// locale, in English without one, and LC_ALL wins over LANG as in POSIX.
func TestCLIOutputFollowsLANG(t *testing.T) {
	addr := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}
	print := func(vars map[string]string) string {
		var out bytes.Buffer
		e := env{getenv: envOf(vars), stdout: &out}
		printServing(e, addr, true)
		printFirstAdmin(e, "admin", "s3cret-pass")
		printResealed(e, "cli.reseal.accounts", 2, "k2")
		printResealed(e, "cli.reseal.webhook_secrets", 1, "k2")
		return out.String()
	}

	zh := print(map[string]string{"LANG": "zh_CN.UTF-8"})
	for _, want := range []string{"在浏览器中打开 http://127.0.0.1:8080/ 登录", "沙箱模式", "用户名：admin", "密码：s3cret-pass",
		"已用主密钥“k2”重新加密 2 个账号", "重新加密 1 个 Webhook 签名密钥"} {
		if !strings.Contains(zh, want) {
			t.Errorf("LANG=zh_CN.UTF-8 output lacks %q:\n%s", want, zh)
		}
	}
	if strings.Contains(zh, "Sign in") || strings.Contains(zh, "resealed") {
		t.Errorf("English in the Chinese output:\n%s", zh)
	}

	for name, vars := range map[string]map[string]string{
		"nothing set":           {},
		"C locale":              {"LANG": "C.UTF-8"},
		"LC_ALL over LANG":      {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"},
		"LC_MESSAGES over LANG": {"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"},
	} {
		en := print(vars)
		for _, want := range []string{"open http://127.0.0.1:8080/ in a browser to sign in", "Sandbox mode", "  password: s3cret-pass",
			`resealed 2 accounts under master key "k2"`} {
			if !strings.Contains(en, want) {
				t.Errorf("%s: output lacks %q:\n%s", name, want, en)
			}
		}
	}
	if got := print(map[string]string{"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}); !strings.Contains(got, "沙箱模式") {
		t.Errorf("LC_ALL=zh_TW did not choose Chinese:\n%s", got)
	}
}
