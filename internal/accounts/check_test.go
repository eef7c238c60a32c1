package accounts_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/db"
	"dealdesk/internal/secrets"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

func TestCheckAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{testSecretID: testSecretKey}})
	sim.SetBalance(testSecretID, 123456)
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL})
	if err != nil {
		t.Fatal(err)
	}

	good := f.create(t, "Good", "")
	res, err := f.svc.Check(ctx, client, good.ID)
	if err != nil || !res.OK || res.Outcome != tcapi.Succeeded || res.Balance == nil || *res.Balance != 123456 || res.RequestID == "" || res.Problem.Key != "" {
		t.Fatalf("good keys: %+v, %v", res, err)
	}

	wrongKey, err := f.svc.Create(ctx, admin, accounts.NewAccount{Name: "Wrong key", KeySource: accounts.KeysStored,
		Keys: accounts.Keys{SecretID: testSecretID, SecretKey: secrets.NewString("NotTheRightSecretKey0000")}})
	if err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.Check(ctx, client, wrongKey.ID)
	if err != nil || res.OK || res.ErrorCode != "AuthFailure.SignatureFailure" || res.Outcome != tcapi.Rejected ||
		!strings.Contains(res.Explanation, "check the SecretKey") || res.ExplanationChinese == "" || res.RequestID == "" || res.ErrorMessage == "" {
		t.Fatalf("wrong key: %+v, %v", res, err)
	}

	unknown, err := f.svc.Create(ctx, admin, accounts.NewAccount{Name: "Unknown id", KeySource: accounts.KeysStored,
		Keys: accounts.Keys{SecretID: "AKIDnobodyKNOWSthis0000", SecretKey: secrets.NewString(testSecretKey)}})
	if err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.Check(ctx, client, unknown.ID)
	if err != nil || res.OK || res.ErrorCode != "AuthFailure.SecretIdNotFound" || !strings.Contains(res.Explanation, "does not exist or has been disabled") {
		t.Fatalf("unknown SecretId: %+v, %v", res, err)
	}

	// A disabled account is not checked at all.
	if _, err := f.svc.SetDisabled(ctx, admin, good.ID, true); err != nil {
		t.Fatal(err)
	}
	calls := len(sim.Calls())
	res, err = f.svc.Check(ctx, client, good.ID)
	if err != nil || res.OK || res.Outcome != "" || res.Problem.Key != accounts.ErrDisabled.Msg.Key {
		t.Fatalf("disabled: %+v, %v", res, err)
	}
	if len(sim.Calls()) != calls {
		t.Fatal("a disabled account's keys were sent")
	}

	if _, err := f.svc.Check(ctx, client, 987654); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

func TestCheckWithNobodyListening(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: the connection is refused
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	a := f.create(t, "Offline", "")
	res, err := f.svc.Check(context.Background(), client, a.ID)
	if err != nil || res.OK || res.Outcome != tcapi.NotSent || !strings.Contains(res.Problem.String(), "could not connect") {
		t.Fatalf("%+v, %v", res, err)
	}
}
