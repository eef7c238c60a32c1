package fault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestMsgSpeaksEnglishFromTheCatalog(t *testing.T) {
	t.Parallel()
	got := M("order.changed", "seen", "2", "now", "3").String()
	want := "This order changed after you opened it: you saw version 2, it is now version 3. Look at what changed, then decide again."
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// A key the catalog lacks carries its own words (tcapi's validator).
	if got := Text("tcapi.MissingParameter", "is required").String(); got != "is required" {
		t.Fatalf("Text: %q", got)
	}
	// An argument that looks like a placeholder is not expanded again.
	if got := M("history.no_such_user", "name", "{name}").String(); got != "No user is called {name}." {
		t.Fatalf("got %q", got)
	}
}

func TestKindOfFindsTheRefusalInAChain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want Kind
	}{
		{New(Stale, "order.stale"), Stale},
		{fmt.Errorf("wrapped: %w", New(Refused, "order.send.who")), Refused},
		{fmt.Errorf("wrapped: %w", Fields{"title": M("order.title.missing")}), Invalid},
		{errors.New("the database went away"), 0},
		{nil, 0},
	}
	for _, c := range cases {
		if got := KindOf(c.err); got != c.want {
			t.Errorf("KindOf(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestIsMatchesByKeyAndTheKeysBeneathIt(t *testing.T) {
	t.Parallel()
	sentinel := New(Conflict, "account.cannot_open")
	specific := fmt.Errorf("open: %w", New(Conflict, "account.cannot_open.unknown_key", "what", "token"))
	if !errors.Is(specific, sentinel) {
		t.Fatal("a key beneath the sentinel's does not match it")
	}
	if errors.Is(New(Conflict, "account.cannot_opener"), sentinel) {
		t.Fatal("a key that merely starts with the sentinel's matches it")
	}
	if errors.Is(New(Conflict, "account.disabled"), sentinel) {
		t.Fatal("another key matches")
	}
	// The cause stays reachable for the logs and for errors.Is.
	cause := errors.New("pool closed")
	if !errors.Is(Wrap(NotFound, cause, "order.not_found"), cause) {
		t.Fatal("Wrap loses its cause")
	}
}

func TestFieldsOrNilAndTexts(t *testing.T) {
	t.Parallel()
	if err := (Fields{}).OrNil(); err != nil {
		t.Fatalf("empty Fields is an error: %v", err)
	}
	fe := Fields{}
	fe.Set("title", "order.title.too_long", "max", "200")
	if got := fe.Texts()["title"]; got != "Keep the title to 200 characters." {
		t.Fatalf("Texts: %q", got)
	}
	if _, ok := AsFields(fmt.Errorf("x: %w", fe.OrNil())); !ok {
		t.Fatal("AsFields misses wrapped Fields")
	}
}

// keyUses finds the message keys the domain's sources name literally.
var keyUses = []*regexp.Regexp{
	regexp.MustCompile(`fault\.New\(fault\.\w+, "([^"]+)"`),
	regexp.MustCompile(`fault\.Wrap\(fault\.\w+, \w+, "([^"]+)"`),
	regexp.MustCompile(`fault\.M\("([^"]+[^."])"`), // a key ending in "." is a prefix: builtKeys
	regexp.MustCompile(`\b(?:fe|errs)\.Set\([^,]+, "([^"]+)"`),
	regexp.MustCompile(`\b(?:forbidden|notFound|conflict)\("([^"]+[^."])"`),
}

// builtKeys are keys made by joining parts, which the scan cannot see.
var builtKeys = []string{
	"order.not_now.submit", "order.not_now.withdraw", "order.not_now.decide", "order.not_now.delivery",
	"order.duplicate.unchecked.one", "order.duplicate.unchecked.many",
	"order.duplicate.unseen.one", "order.duplicate.unseen.many",
	"account.cannot_open.altered", "account.cannot_open.unknown_key",
	"order.renew.needs_instance", // its field is a Sprintf
	"user.last_admin",            // a field error or a refusal
	// Notifications (issue 18): an event's and a delivery's label by
	// their stored names, and the flash of a signing secret saved or removed.
	"notify.event.needs_approval", "notify.event.approved", "notify.event.rejected",
	"notify.event.succeeded", "notify.event.failed", "notify.event.unknown",
	"notify.event.awaiting_payment", "notify.event.reconciliation_proposed", "notify.event.renewal_due",
	"notify.event.approval_expiring", "notify.event.approval_expired", "notify.event.delivery_short_of_funds",
	"delivery.status.queued", "delivery.status.retrying", "delivery.status.delivered", "delivery.status.failed",
	"webhook_secret.saved", "webhook_secret.removed",
	// Why a delivery failed, by the kind the log keeps (notify.FailureMessage).
	"delivery.error.timeout", "delivery.error.unreachable", "delivery.error.http_status",
	"delivery.error.robot_refused", "delivery.error.robot_answer", "delivery.error.address",
	"delivery.error.policy_gone", "delivery.error.secret", "delivery.error.recipient_gone",
	"delivery.error.bad_address", "delivery.error.smtp_tls", "delivery.error.smtp_signin",
	"delivery.error.smtp_refused", "delivery.error.other",
}

// Every key the code names has its English in the catalog, so no page ever
// shows an empty message.
func TestEveryKeyInUseIsInTheCatalog(t *testing.T) {
	t.Parallel()
	used := map[string]string{}
	for _, k := range builtKeys {
		used[k] = "built"
	}
	files, err := filepath.Glob("../*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range keyUses {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				used[m[1]] = f
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use; the scan is broken", len(used))
	}
	for k, f := range used {
		if _, ok := Catalog[k]; !ok {
			t.Errorf("%s names key %q, which the catalog lacks", f, k)
		}
	}
	for k := range Catalog {
		if _, ok := used[k]; !ok {
			t.Errorf("catalog key %q is never used", k)
		}
	}
}
