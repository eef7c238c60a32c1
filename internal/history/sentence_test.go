package history

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"dealdesk/internal/db"
)

// Every action the audit log may name has a sentence in the catalog: the
// vocabulary is read from its source file, so a new action without one
// fails here rather than reading as its code on the audit page.
func TestEveryAuditActionHasASentence(t *testing.T) {
	fs := token.NewFileSet()
	f, err := parser.ParseFile(fs, "../db/audit_actions.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		lit, ok := node.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		action, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if _, ok := phrases[action]; !ok {
			t.Errorf("audit action %q has no sentence in the catalog", action)
		}
		return true
	})
	if n < 50 {
		t.Fatalf("read %d actions from audit_actions.go; the file moved or changed shape", n)
	}
}

func TestSentenceWordsAnEntry(t *testing.T) {
	entry := func(actor, username, name, action, subject, details string) AuditEntry {
		return AuditEntry{AuditEvent: db.AuditEvent{Actor: actor, Action: action, Subject: subject},
			ActorUsername: username, ActorName: name, DetailsText: details}
	}
	for _, tc := range []struct {
		e    AuditEntry
		want string
	}{
		{entry("7", "alice", "Alice", db.ActionOrderApprovalGiven, "order:12", `{"version": 3, "params_sha256": "ab"}`),
			"Alice (alice) approved order #12 version 3"},
		{entry("8", "bob", "", db.ActionOrderRejected, "order:5", `{"version": 1, "comment": " Too big "}`),
			"bob rejected order #5 version 1: “Too big”"},
		{entry("system", "", "", db.ActionOrderSucceeded, "order:9", `{"version": 2}`),
			"Order #9 version 2: bought"},
		{entry("anonymous", "", "", db.ActionLoginFailed, "user:mallory", `{"reason": "wrong password"}`),
			"Someone not signed in failed to sign in as user mallory: “wrong password”"},
		{entry("1", "root", "Root", db.ActionAccountCreated, "tencentcloud_account:4", `{"name": "prod"}`),
			"Root (root) added Tencent Cloud account #4 “prod”"},
		{entry("1", "root", "Root", "widget.spun", "widget:4", `not json`),
			"Root (root): widget.spun widget:4"},
	} {
		if got := Sentence(tc.e, English); got != tc.want {
			t.Errorf("Sentence(%s) = %q, want %q", tc.e.Action, got, tc.want)
		}
	}
}
