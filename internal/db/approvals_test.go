package db_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// approvalFixture stores a requester, an approver, an account and a tcb order.
func approvalFixture(t *testing.T, pool db.Pool) (requester, approver int64, o db.OrderRow) {
	t.Helper()
	ctx := context.Background()
	user := func(name string) int64 {
		u, err := db.InsertUser(ctx, pool, db.NewUser{Username: name, DisplayName: name,
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Roles: []string{"requester", "approver"}})
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	requester, approver = user("req"), user("appr")
	var account int64
	if err := pool.QueryRow(ctx, `INSERT INTO tencentcloud_accounts (name, key_source) VALUES ('acct', 'environment') RETURNING id`).Scan(&account); err != nil {
		t.Fatal(err)
	}
	params := []byte(`{"a":1}`)
	o, err := db.InsertOrder(ctx, pool, db.NewOrder{Product: "tcb", AccountID: account, Title: "t", Justification: "j",
		Params: params, ParamsSHA256: sha(params), RequesterID: requester,
		PurchaseKey: db.PurchaseKey{Fingerprint: sha(params)}})
	if err != nil {
		t.Fatal(err)
	}
	return requester, approver, o
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestOrderVersionsAreRecordedByTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	_, _, o := approvalFixture(t, pool)

	params := []byte(`{"a":2}`)
	edited, err := db.UpdateOrderContent(ctx, pool, o.ID, int(o.Version), []string{"draft"}, db.OrderContent{
		AccountID: o.AccountID, Title: "t2", Justification: "j", Params: params, ParamsSHA256: sha(params),
		PurchaseKey: db.PurchaseKey{Fingerprint: sha(params)}})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := db.ListOrderVersions(ctx, pool, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != 1 || string(vs[0].Params) != `{"a":1}` || vs[1].Version != int(edited.Version) ||
		string(vs[1].Params) != `{"a":2}` || vs[1].Title != "t2" || vs[1].ParamsSHA256 != sha(params) {
		t.Fatalf("versions = %+v", vs)
	}
	// A status change alone makes no new version.
	if _, err := db.TransitionOrder(ctx, pool, o.ID, "draft", "pending_approval"); err != nil {
		t.Fatal(err)
	}
	if vs, _ := db.ListOrderVersions(ctx, pool, o.ID); len(vs) != 2 {
		t.Fatalf("a transition recorded a version: %+v", vs)
	}
}

func TestContentCannotChangeUnderTheSameVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	_, _, o := approvalFixture(t, pool)
	params := `{"a":3}`
	for _, stmt := range []string{
		fmt.Sprintf(`UPDATE orders SET params = '%s', params_sha256 = '%s' WHERE id = $1`, params, sha([]byte(params))),
		`UPDATE orders SET title = 'sneaky' WHERE id = $1`,
	} {
		_, err := pool.Exec(ctx, stmt, o.ID)
		if err == nil || !strings.Contains(err.Error(), "without a new version") {
			t.Errorf("%s: err = %v, want refusal", stmt, err)
		}
	}
}

func TestApprovalRulesHeldByTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	requester, approver, o := approvalFixture(t, pool)
	ok := db.NewApproval{OrderID: o.ID, Version: int(o.Version), ParamsSHA256: o.ParamsSha256, ApproverID: approver, Decision: "approve"}

	for name, a := range map[string]db.NewApproval{
		"self-approval":           {OrderID: o.ID, Version: int(o.Version), ParamsSHA256: o.ParamsSha256, ApproverID: requester, Decision: "approve"},
		"hash of another version": {OrderID: o.ID, Version: int(o.Version), ParamsSHA256: sha([]byte("other")), ApproverID: approver, Decision: "approve"},
		"version never existed":   {OrderID: o.ID, Version: int(o.Version) + 1, ParamsSHA256: o.ParamsSha256, ApproverID: approver, Decision: "approve"},
		"reject without reason":   {OrderID: o.ID, Version: int(o.Version), ParamsSHA256: o.ParamsSha256, ApproverID: approver, Decision: "reject", Comment: "  "},
	} {
		if _, err := db.InsertApproval(ctx, pool, a); err == nil {
			t.Errorf("%s: stored", name)
		}
	}
	if _, err := db.InsertApproval(ctx, pool, ok); err != nil {
		t.Fatal(err)
	}
	if _, err := db.InsertApproval(ctx, pool, ok); !errors.Is(err, db.ErrConflict) {
		t.Errorf("second decision on one version: err = %v, want ErrConflict", err)
	}
	if _, err := pool.Exec(ctx, `UPDATE approvals SET decision = 'reject', comment = 'x'`); err == nil ||
		!strings.Contains(err.Error(), "never changed") {
		t.Errorf("changing a decision: err = %v, want refusal", err)
	}
	if n, err := db.CountApprovers(ctx, pool, o.ID, int(o.Version), o.ParamsSha256); err != nil || n != 1 {
		t.Errorf("count = %d, %v", n, err)
	}
}
