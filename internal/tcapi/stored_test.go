package tcapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"dealdesk/internal/tcapi"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// SendStored puts the stored bytes themselves on the wire, and records the
// call's start just before writing it.
func TestSendStoredSendsTheBytesAsTheyAre(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	// Canonical form: keys sorted, & escaped as the SDK escapes it.
	body := []byte(`{"CreateAndPay":true,"DealType":"purchase","EnvTags":[{"Key":"team","Value":"r\u0026d"}],"PackageId":"baas_personal","ProductType":"tcb-baas","TimeSpan":1,"TimeUnit":"m"}`)
	req, err := tcapi.ParseRequest(mustAction(t, "CreateBillDeal"), body, "")
	if err != nil {
		t.Fatal(err)
	}
	var calledWith string
	res, err := c.SendStored(context.Background(), creds, tcapi.Stored{Request: req, Body: body, SHA256: sha(body),
		BeforeWrite: func(_ context.Context, secretID string) error { calledWith = secretID; return nil }})
	if err != nil || res.Outcome != tcapi.Succeeded {
		t.Fatalf("%s: %v", res.Outcome, err)
	}
	if string(res.Sent) != string(body) || string(lastCall(t, sim).Params) != string(body) {
		t.Fatalf("sent %s, the sandbox received %s; want %s", res.Sent, lastCall(t, sim).Params, body)
	}
	if calledWith != testID {
		t.Fatalf("BeforeWrite saw SecretId %q", calledWith)
	}
}

// Bytes that would change on their way to the wire (here a raw &, which the
// SDK escapes) are refused before anything is written; so is a body that
// does not hash to the approved hash, and a call whose start cannot be
// recorded.
func TestSendStoredRefusesBeforeWriting(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	raw := []byte(`{"CreateAndPay":true,"DealType":"purchase","EnvTags":[{"Key":"team","Value":"r&d"}],"PackageId":"baas_personal","ProductType":"tcb-baas","TimeSpan":1,"TimeUnit":"m"}`)
	req, err := tcapi.ParseRequest(mustAction(t, "CreateBillDeal"), raw, "")
	if err != nil {
		t.Fatal(err)
	}
	called := false
	mark := func(context.Context, string) error { called = true; return nil }
	res, err := c.SendStored(context.Background(), creds, tcapi.Stored{Request: req, Body: raw, SHA256: sha(raw), BeforeWrite: mark})
	if !errors.Is(err, tcapi.ErrWireMismatch) || res.Outcome != tcapi.NotSent || called {
		t.Fatalf("raw &: %s %v (BeforeWrite called: %v)", res.Outcome, err, called)
	}
	if _, err := c.SendStored(context.Background(), creds, tcapi.Stored{Request: req, Body: raw, SHA256: sha([]byte("other"))}); !errors.Is(err, tcapi.ErrWireMismatch) {
		t.Fatalf("another hash: %v", err)
	}
	body := []byte(`{"CreateAndPay":true,"DealType":"purchase","PackageId":"baas_personal","ProductType":"tcb-baas","TimeSpan":1,"TimeUnit":"m"}`)
	refuse := func(context.Context, string) error { return errors.New("database down") }
	res, err = c.SendStored(context.Background(), creds, tcapi.Stored{Request: req, Body: body, SHA256: sha(body), BeforeWrite: refuse})
	if !errors.Is(err, tcapi.ErrNotCalled) || res.Outcome != tcapi.NotSent || res.Outcome.MayHaveBought() {
		t.Fatalf("unrecorded start: %s %v", res.Outcome, err)
	}
	if n := len(sim.Calls()); n != 0 {
		t.Fatalf("%d calls reached the sandbox", n)
	}
}

func mustAction(t *testing.T, name string) tcapi.Action {
	t.Helper()
	for _, v := range tcapi.ActionVersions(name) {
		if a, ok := tcapi.LookupAction(name, v); ok {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return tcapi.Action{}
}
