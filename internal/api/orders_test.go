package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"dealdesk/internal/api"
	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

var (
	requesterRoles = []auth.Role{auth.RoleRequester}
	approverRoles  = []auth.Role{auth.RoleApprover}
)

// tcbBody is a valid CloudBase order for account.
func tcbBody(account int64, title string) map[string]any {
	return map[string]any{
		"product": "tcb", "account_id": account, "title": title, "justification": "Campaign traffic",
		"params": json.RawMessage(orderstest.TCBParams),
	}
}

func path(id int64, rest string) string { return "/orders/" + strconv.FormatInt(id, 10) + rest }

// TestCreateReadAndList composes through the API and reads the order back
// as the domain stored it, with the token named in the audit log.
func TestCreateReadAndList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, tok := e.person(requesterRoles, "read", "compose")

	r := e.call(tok, "POST", "/orders", tcbBody(e.account, "CloudBase for the campaign"))
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	o := r.order(t)
	if o.Status != "draft" || o.RequesterID != req.ID || o.Version != 1 || len(o.ParamsSHA256) != 64 || o.Outcome != nil {
		t.Fatalf("created %+v", o)
	}
	if loc := r.Header.Get("Location"); loc != api.Prefix+path(o.ID, "") {
		t.Errorf("Location %q", loc)
	}
	stored, err := e.orders.Get(context.Background(), o.ID)
	if err != nil || stored.ParamsSHA256 != o.ParamsSHA256 || string(stored.Params) != string(o.Params) {
		t.Fatalf("stored %+v, %v", stored, err)
	}

	got := e.call(tok, "GET", path(o.ID, ""), nil).order(t)
	if got.ID != o.ID || got.Title != "CloudBase for the campaign" {
		t.Errorf("read %+v", got)
	}
	var page struct {
		Orders []api.OrderSummary `json:"orders"`
		Counts map[string]int64   `json:"counts"`
	}
	e.call(tok, "GET", "/orders?product=tcb&status=draft", nil).decode(t, &page)
	if len(page.Orders) != 1 || page.Orders[0].ID != o.ID || page.Counts["draft"] != 1 {
		t.Errorf("list %+v", page)
	}

	var via string
	if err := e.pool.QueryRow(context.Background(),
		`SELECT details->>'via' FROM audit_events WHERE action = 'order.created' AND subject = $1`, "order:"+strconv.FormatInt(o.ID, 10)).Scan(&via); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(via, "api personal token ") {
		t.Errorf("audit via %q, want the token's label", via)
	}
}

// TestIdempotentCreateUnderRetries sends the same create with one key many
// times at once: one order is made, and every answer names it.
func TestIdempotentCreateUnderRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.person(requesterRoles, "read", "compose")
	body := tcbBody(e.account, "Retried create")

	const n = 8
	ids := make([]int64, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := e.call(tok, "POST", "/orders", body, "Idempotency-Key", "ci-run-42")
			statuses[i] = r.Status
			if r.Status == http.StatusCreated || r.Status == http.StatusOK {
				ids[i] = r.order(t).ID
			}
		})
	}
	wg.Wait()
	created := 0
	for i := range n {
		if statuses[i] == http.StatusCreated {
			created++
		}
		if ids[i] == 0 || ids[i] != ids[0] {
			t.Errorf("answer %d: status %d, order %d; want all %d", i, statuses[i], ids[i], ids[0])
		}
	}
	if created != 1 {
		t.Errorf("%d answers said created, want 1", created)
	}
	var count int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM orders WHERE title = 'Retried create'`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != 1 {
		t.Fatalf("%d orders made, want 1", count)
	}

	// A later retry, formatted differently, is the same request.
	again := e.call(tok, "POST", "/orders", `{ "title": "Retried create", "product": "tcb", "account_id": `+
		strconv.FormatInt(e.account, 10)+`, "justification": "Campaign traffic", "params": `+orderstest.TCBParams+`}`,
		"Idempotency-Key", "ci-run-42")
	if again.Status != http.StatusOK || again.Header.Get("Idempotent-Replayed") != "true" || again.order(t).ID != ids[0] {
		t.Errorf("late retry: %d %s", again.Status, again.Body)
	}
	// The same key with another body is a conflict, not the first order.
	other := e.call(tok, "POST", "/orders", tcbBody(e.account, "Something else"), "Idempotency-Key", "ci-run-42")
	if other.Status != http.StatusConflict || other.problem(t).Kind != "conflict" {
		t.Errorf("same key, other body: %d %s", other.Status, other.Body)
	}
	// Another person's identical key is theirs.
	_, tok2 := e.person(requesterRoles, "compose")
	if r := e.call(tok2, "POST", "/orders", body, "Idempotency-Key", "ci-run-42"); r.Status != http.StatusCreated {
		t.Errorf("another user's key: %d %s", r.Status, r.Body)
	}
	if r := e.call(tok, "POST", "/orders", body, "Idempotency-Key", "has space"); r.Status != http.StatusBadRequest {
		t.Errorf("bad key: %d", r.Status)
	}
}

// TestCreateRefusals: bad input is a clear 4xx problem with field paths,
// and nothing is stored.
func TestCreateRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.person(requesterRoles, "read", "compose")

	bad := tcbBody(e.account, "")
	bad["params"] = json.RawMessage(`{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"fortnight"}`)
	r := e.call(tok, "POST", "/orders", bad)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid order: %d %s", r.Status, r.Body)
	}
	p := r.problem(t)
	fields := map[string]bool{}
	for _, f := range p.Errors {
		fields[f.Field] = true
	}
	if !fields["title"] || !fields["params.TimeUnit"] {
		t.Errorf("field paths %+v, want title and params.TimeUnit", p.Errors)
	}

	for name, c := range map[string]struct {
		body   string
		status int
		field  string
	}{
		"not json":       {`{"title":`, 400, ""},
		"unknown field":  {`{"product":"tcb","colour":"red"}`, 422, "colour"},
		"wrong type":     {`{"product":"tcb","account_id":"one"}`, 422, "account_id"},
		"params not obj": {`{"product":"tcb","account_id":1,"title":"t","justification":"j","params":[1]}`, 422, "params"},
		"unknown account": {`{"product":"tcb","account_id":999999,"title":"t","justification":"j","params":` +
			orderstest.TCBParams + `}`, 422, "account_id"},
		"two values": {`{} {}`, 400, ""},
	} {
		r := e.call(tok, "POST", "/orders", c.body)
		if r.Status != c.status {
			t.Errorf("%s: %d %s, want %d", name, r.Status, r.Body, c.status)
			continue
		}
		p := r.problem(t)
		if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
			t.Errorf("%s: errors %+v, want %s", name, p.Errors, c.field)
		}
	}
	var count int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM orders`).Scan(&count); err != nil || count != 0 {
		t.Fatalf("%d orders stored after refusals (%v)", count, err)
	}
	if r := e.call(tok, "GET", "/orders/nope", nil); r.Status != 404 || r.problem(t).Kind != "not_found" {
		t.Errorf("bad id: %d", r.Status)
	}
	if r := e.call(tok, "GET", "/orders/424242", nil); r.Status != 404 || r.problem(t).Kind != "not_found" {
		t.Errorf("missing order: %d", r.Status)
	}
	if r := e.call(tok, "GET", "/orders?status=lost&colour=red", nil); r.Status != 422 || len(r.problem(t).Errors) != 2 {
		t.Errorf("bad filters: %d %s", r.Status, r.Body)
	}
}

// TestApprovalThroughTheAPI walks an order from draft to approved with the
// same rules as the pages: a stale hash is 409, one's own order is 403.
func TestApprovalThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, reqTok := e.person([]auth.Role{auth.RoleRequester, auth.RoleApprover}, "read", "compose", "approve")
	_, apprTok := e.person(approverRoles, "read", "approve")

	o := e.call(reqTok, "POST", "/orders", tcbBody(e.account, "To approve")).order(t)
	if r := e.call(reqTok, "POST", path(o.ID, "/submit"), map[string]any{}); r.Status != 422 {
		t.Errorf("submit without version: %d %s", r.Status, r.Body)
	}
	o = e.call(reqTok, "POST", path(o.ID, "/submit"), map[string]any{"version": o.Version}).order(t)
	if o.Status != "pending_approval" {
		t.Fatalf("submitted: %+v", o)
	}

	// The requester holds the approver role and the approve scope, and is
	// still refused: never one's own order.
	own := e.call(reqTok, "POST", path(o.ID, "/approve"), map[string]any{"version": o.Version, "params_sha256": o.ParamsSHA256})
	if own.Status != http.StatusForbidden || own.problem(t).Kind != "refused" {
		t.Errorf("own approval: %d %s", own.Status, own.Body)
	}
	stale := e.call(apprTok, "POST", path(o.ID, "/approve"), map[string]any{"version": o.Version, "params_sha256": strings.Repeat("0", 64)})
	if stale.Status != http.StatusConflict || stale.problem(t).Kind != "stale" {
		t.Errorf("stale hash: %d %s", stale.Status, stale.Body)
	}
	if r := e.call(apprTok, "POST", path(o.ID, "/approve"), map[string]any{"version": o.Version + 1, "params_sha256": o.ParamsSHA256}); r.Status != http.StatusConflict {
		t.Errorf("stale version: %d %s", r.Status, r.Body)
	}
	ok := e.call(apprTok, "POST", path(o.ID, "/approve"), map[string]any{"version": o.Version, "params_sha256": o.ParamsSHA256, "comment": "fine"})
	if ok.Status != 200 || ok.order(t).Status != "approved" {
		t.Fatalf("approve: %d %s", ok.Status, ok.Body)
	}
	if r := e.call(apprTok, "POST", path(o.ID, "/reject"), map[string]any{"version": o.Version, "params_sha256": o.ParamsSHA256, "comment": "no"}); r.Status != http.StatusConflict {
		t.Errorf("reject after approval: %d %s", r.Status, r.Body)
	}
	var approver string
	if err := e.pool.QueryRow(context.Background(), `SELECT a.approver_id::text FROM approvals a WHERE order_id = $1`, o.ID).Scan(&approver); err != nil {
		t.Fatal(err)
	}
}

// TestRejectWithdrawCancel: the other moves, through the same rules.
func TestRejectWithdrawCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, reqTok := e.person(requesterRoles, "read", "compose")
	_, apprTok := e.person(approverRoles, "approve")

	a := e.call(reqTok, "POST", "/orders", tcbBody(e.account, "To reject")).order(t)
	a = e.call(reqTok, "POST", path(a.ID, "/submit"), map[string]any{"version": a.Version}).order(t)
	if r := e.call(apprTok, "POST", path(a.ID, "/reject"), map[string]any{"version": a.Version, "params_sha256": a.ParamsSHA256}); r.Status != 422 || r.problem(t).Errors[0].Field != "comment" {
		t.Errorf("reject without reason: %d %s", r.Status, r.Body)
	}
	if r := e.call(apprTok, "POST", path(a.ID, "/reject"), map[string]any{"version": a.Version, "params_sha256": a.ParamsSHA256, "comment": "Too big"}); r.order(t).Status != "rejected" {
		t.Errorf("reject: %d %s", r.Status, r.Body)
	}

	b := e.call(reqTok, "POST", "/orders", tcbBody(e.account, "To withdraw")).order(t)
	b = e.call(reqTok, "POST", path(b.ID, "/submit"), map[string]any{"version": b.Version}).order(t)
	if r := e.call(reqTok, "POST", path(b.ID, "/withdraw"), nil); r.Status != 200 || r.order(t).Status != "draft" {
		t.Errorf("withdraw: %d %s", r.Status, r.Body)
	}
	if r := e.call(reqTok, "POST", path(b.ID, "/cancel"), map[string]any{"reason": "not needed"}); r.Status != 200 || r.order(t).Status != "cancelled" {
		t.Errorf("cancel: %d %s", r.Status, r.Body)
	}
	if r := e.call(reqTok, "POST", path(b.ID, "/cancel"), map[string]any{}); r.Status != http.StatusConflict {
		t.Errorf("cancel twice: %d %s", r.Status, r.Body)
	}
}

// TestSendAndSettle: "Send now" under a send-by-hand policy queues the
// send; an unknown outcome is settled by an approver, and the outcome and
// attempts read back.
func TestSendAndSettle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := orders.Actor{UserID: e.user(auth.RoleAdmin).ID, Roles: []string{"admin"}}
	if _, err := e.orders.SavePolicy(context.Background(), admin, 0, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1}); err != nil {
		t.Fatal(err)
	}
	_, reqTok := e.person(requesterRoles, "read", "compose")
	_, apprTok := e.person(approverRoles, "read", "approve")

	o := e.call(reqTok, "POST", "/orders", tcbBody(e.account, "To send")).order(t)
	o = e.call(reqTok, "POST", path(o.ID, "/submit"), map[string]any{"version": o.Version}).order(t)
	o = e.call(apprTok, "POST", path(o.ID, "/approve"), map[string]any{"version": o.Version, "params_sha256": o.ParamsSHA256}).order(t)
	if o.Status != "approved" {
		t.Fatalf("approved: %+v", o)
	}
	if r := e.call(reqTok, "POST", path(o.ID, "/send"), map[string]any{"params_sha256": strings.Repeat("a", 64)}); r.Status != http.StatusConflict {
		t.Errorf("send another hash: %d %s", r.Status, r.Body)
	}
	if r := e.call(reqTok, "POST", path(o.ID, "/send"), map[string]any{"params_sha256": o.ParamsSHA256}); r.Status != 200 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	var jobs int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'send_order'`).Scan(&jobs); err != nil || jobs != 1 {
		t.Fatalf("%d send jobs queued (%v), want 1", jobs, err)
	}

	// The call went out and nobody knows what became of it.
	stored, err := e.orders.Get(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	orderstest.Move(t, e.pool, e.orders, orders.Actor{}, stored, orders.StatusSending, orders.StatusUnknown)
	if r := e.call(reqTok, "POST", path(o.ID, "/settle"), map[string]any{"succeeded": true, "note": "seen"}); r.Status != http.StatusForbidden {
		t.Errorf("requester settles: %d %s", r.Status, r.Body)
	}
	if r := e.call(apprTok, "POST", path(o.ID, "/settle"), map[string]any{"succeeded": true}); r.Status != 422 {
		t.Errorf("settle without note: %d %s", r.Status, r.Body)
	}
	settled := e.call(apprTok, "POST", path(o.ID, "/settle"), map[string]any{"succeeded": true, "note": "The TCB console lists the pack."})
	if settled.Status != 200 || settled.order(t).Status != "succeeded" {
		t.Fatalf("settle: %d %s", settled.Status, settled.Body)
	}
	got := e.call(reqTok, "GET", path(o.ID, ""), nil).order(t)
	if got.Outcome == nil || got.Outcome.SettlementNote != "The TCB console lists the pack." {
		t.Errorf("outcome %+v", got.Outcome)
	}
	var att struct {
		Attempts []api.Attempt `json:"attempts"`
	}
	if r := e.call(reqTok, "GET", path(o.ID, "/attempts"), nil); r.Status != 200 {
		t.Errorf("attempts: %d %s", r.Status, r.Body)
	} else {
		r.decode(t, &att)
	}
}
