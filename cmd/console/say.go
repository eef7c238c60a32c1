package main

import (
	"fmt"
	"net"
	"strings"

	"dealdesk/internal/i18n"
)

// cliLanguage is the language of the lines a command prints for people: the
// first of LC_ALL, LC_MESSAGES and LANG that is set (POSIX's order) names it,
// any zh* locale is 简体中文, anything else (or nothing) English. Lines that
// scripts read ("console listening on …") and logs stay English.
func cliLanguage(getenv func(string) string) *i18n.Localizer {
	lang := i18n.English
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(v), "zh") {
			lang = i18n.Chinese
		}
		break
	}
	return i18n.New(lang, nil)
}

// say prints one catalog line in the command's language.
func say(e env, key string, pairs ...string) {
	fmt.Fprintln(e.stdout, cliLanguage(e.getenv).T(key, pairs...))
}

// printServing tells the person who started the console where to sign in
// and, in sandbox mode, that nothing is bought. It follows the line scripts
// read, so they still find that one first.
func printServing(e env, addr net.Addr, sandbox bool) {
	say(e, "cli.serve.sign_in_at", "url", "http://"+browsable(addr)+"/")
	if sandbox {
		say(e, "cli.serve.sandbox_notice")
	}
}

// browsable turns a listening address into one a browser can open: a
// console listening on every interface is reached on the loopback.
func browsable(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// printFirstAdmin shows the first admin's generated password, once.
func printFirstAdmin(e env, username, password string) {
	say(e, "cli.first_admin", "username", username, "password", password)
}

// printResealed is `console accounts reseal`'s summary of one kind of secret.
func printResealed(e env, key string, n int, keyID string) {
	say(e, key, "count", fmt.Sprint(n), "key", keyID)
}
