package web

// Tests of handlers through the small interfaces they declare
// (orderComposer, orderDecider, approvalsCounter), with fakes: what the
// handler makes of the form, and of each answer the domain can give. No
// Postgres, no session store, no browser; the SQL behind the real
// implementations has its own tests in internal/orders.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// fakeOrders answers as the test says and records what it was asked.
type fakeOrders struct {
	accounts []orders.AccountChoice
	// composeErr, checkErr, decideErr are the answers; nil means it worked.
	composeErr, checkErr, decideErr error
	decided                         orders.Order
	composed, checked               []orders.Draft
	approvals, rejections, moves    []string
	states                          int
}

func (f *fakeOrders) Accounts(context.Context) ([]orders.AccountChoice, error) {
	return f.accounts, nil
}

func (f *fakeOrders) Check(_ context.Context, d orders.Draft, _ string) ([]byte, error) {
	f.checked = append(f.checked, d)
	return d.Params, f.checkErr
}

func (f *fakeOrders) Compose(_ context.Context, _ orders.Actor, d orders.Draft) (orders.Order, error) {
	f.composed = append(f.composed, d)
	if f.composeErr != nil {
		return orders.Order{}, f.composeErr
	}
	return orders.Order{ID: 7, Version: 1, Product: d.Product, Status: orders.StatusDraft}, nil
}

func (f *fakeOrders) EstimateDraft(context.Context, orders.Draft) (orders.Estimate, error) {
	return orders.Estimate{}, nil
}

func (f *fakeOrders) CheckFunds(_ context.Context, o orders.Order, est orders.Estimate, balance int64) (orders.Funds, error) {
	return orders.Funds{BalanceFen: balance, AvailableFen: balance, Estimate: est}, nil
}

func (f *fakeOrders) ApprovalState(_ context.Context, _ orders.Actor, id int64) (orders.ApprovalState, error) {
	f.states++
	return orders.ApprovalState{Order: orders.Order{ID: id, Product: orders.ProductTCB, Status: orders.StatusPendingApproval,
		Version: 2, ParamsSHA256: "abc", Params: []byte(`{}`)}, CanDecide: true}, nil
}

func (f *fakeOrders) Approve(_ context.Context, _ orders.Actor, _ int64, _ int, hash, comment string, _ orders.ApproveOptions) (orders.Order, error) {
	f.approvals = append(f.approvals, hash+"|"+comment)
	return f.decided, f.decideErr
}

func (f *fakeOrders) Reject(_ context.Context, _ orders.Actor, _ int64, _ int, hash, comment string) (orders.Order, error) {
	f.rejections = append(f.rejections, hash+"|"+comment)
	return f.decided, f.decideErr
}

func (f *fakeOrders) Submit(_ context.Context, _ orders.Actor, id int64, version int) (orders.Order, error) {
	f.moves = append(f.moves, fmt.Sprintf("submit %d v%d", id, version))
	return f.decided, f.decideErr
}

func (f *fakeOrders) Withdraw(_ context.Context, _ orders.Actor, id int64) (orders.Order, error) {
	f.moves = append(f.moves, fmt.Sprintf("withdraw %d", id))
	return f.decided, f.decideErr
}

func (f *fakeOrders) Cancel(_ context.Context, _ orders.Actor, id int64, reason string) (orders.Order, error) {
	f.moves = append(f.moves, fmt.Sprintf("cancel %d: %s", id, reason))
	return f.decided, f.decideErr
}

func (f *fakeOrders) WaitingCount(context.Context, orders.Actor) (int, error) { return 0, nil }
func (f *fakeOrders) UnknownCount(context.Context) (int, error)               { return 0, nil }

// unitServer is a Server with fakes for the domain and nothing else.
func unitServer(f *fakeOrders, serverErrors *[]int) *Server {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := &Server{deps: Deps{Log: log}, log: log, composer: f, decider: f, inbox: f}
	if serverErrors != nil {
		s.deps.OnServerError = func(status int, _ error) { *serverErrors = append(*serverErrors, status) }
	}
	return s
}

// call runs one handler as the router would after the role check: a
// signed-in user with roles, a session kept in a cookie (flash messages
// work), path parameters, and the error handler for what it returns.
func call(s *Server, h echo.HandlerFunc, method, target string, form url.Values, params map[string]string, roles ...auth.Role) *httptest.ResponseRecorder {
	e := echo.New()
	// A route with two parameters makes room for them in the context.
	e.GET("/:a/:b", func(echo.Context) error { return nil })
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	}
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	var names, values []string
	for k, v := range params {
		names, values = append(names, k), append(values, v)
	}
	c.SetParamNames(names...)
	c.SetParamValues(values...)
	sess := sessions.NewSession(sessions.NewCookieStore([]byte("0123456789abcdef0123456789abcdef")), auth.SessionCookie)
	c.Set("logger", s.log)
	c.Set(ctxSession, sess)
	c.Set(ctxUser, &auth.User{ID: 41, Username: "alice", DisplayName: "Alice", Roles: roles})
	if err := h(c); err != nil {
		s.handleError(err, c)
	}
	return rec
}

func tcbDraftForm(op string) url.Values {
	return url.Values{
		"op": {op}, "title": {"CloudBase for the shop"}, "justification": {"The shop needs it"}, "account": {"3"},
		"DealType": {"purchase"}, "ProductType": {"tcb-baas"}, "PackageId": {"baas_personal"},
		"CreateAndPay": {"true"}, "TimeSpan": {"1"}, "TimeUnit": {"m"},
	}
}

func TestOrderNewOffersTheAccounts(t *testing.T) {
	t.Parallel()
	f := &fakeOrders{accounts: []orders.AccountChoice{{ID: 3, Name: "Shop account"}}}
	rec := call(unitServer(f, nil), unitServer(f, nil).orderNew, http.MethodGet, "/orders/new/tcb", nil,
		map[string]string{"product": "tcb"}, auth.RoleRequester)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Shop account") {
		t.Fatalf("status %d; the form does not offer the account:\n%s", rec.Code, rec.Body)
	}
	rec = call(unitServer(f, nil), unitServer(f, nil).orderNew, http.MethodGet, "/orders/new/nothing", nil,
		map[string]string{"product": "nothing"}, auth.RoleRequester)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("an unknown product: status %d, want 404", rec.Code)
	}
}

func TestOrderCreateComposesWhatTheFormSays(t *testing.T) {
	t.Parallel()
	f := &fakeOrders{accounts: []orders.AccountChoice{{ID: 3, Name: "Shop account"}}}
	s := unitServer(f, nil)
	rec := call(s, s.orderCreate, http.MethodPost, "/orders/new/tcb", tcbDraftForm("save"), map[string]string{"product": "tcb"}, auth.RoleRequester)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/orders/7" {
		t.Fatalf("save: status %d, location %q, want 303 to /orders/7\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if len(f.composed) != 1 {
		t.Fatalf("composed %d drafts, want 1", len(f.composed))
	}
	d := f.composed[0]
	if d.Product != orders.ProductTCB || d.AccountID != 3 || d.Title != "CloudBase for the shop" || d.Justification != "The shop needs it" {
		t.Fatalf("draft %+v", d)
	}
	for _, want := range []string{`"PackageId":"baas_personal"`, `"TimeSpan":1`, `"DealType":"purchase"`} {
		if !strings.Contains(string(d.Params), want) {
			t.Errorf("parameters %s lack %s", d.Params, want)
		}
	}
	if !strings.Contains(rec.Header().Get("Set-Cookie"), auth.SessionCookie) {
		t.Error("no flash message was left for the order's page")
	}
}

func TestOrderPreviewChecksAndNeverComposes(t *testing.T) {
	t.Parallel()
	f := &fakeOrders{}
	s := unitServer(f, nil)
	rec := call(s, s.orderCreate, http.MethodPost, "/orders/new/tcb", tcbDraftForm("preview"), map[string]string{"product": "tcb"}, auth.RoleRequester)
	if rec.Code != http.StatusOK || len(f.checked) != 1 || len(f.composed) != 0 {
		t.Fatalf("preview: status %d, checked %d, composed %d; want 200, 1, 0", rec.Code, len(f.checked), len(f.composed))
	}
	if !strings.Contains(rec.Body.String(), "baas_personal") {
		t.Fatal("the preview does not show the parameters")
	}
}

// Each refusal of Compose is answered as the pages promise: field errors
// beside their fields (422), a conflict on the form itself (409), a refusal
// on the error page (403); and what was typed is kept.
func TestOrderCreateAnswersEachRefusal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		err    error
		status int
		shows  string
	}{
		{"field errors", fault.Fields{"title": fault.M("order.title.too_long", "max", "200")}, http.StatusUnprocessableEntity, "Keep the title to 200 characters."},
		{"tcapi's words", fault.Fields{"TimeSpan": fault.Text("tcapi.InvalidParameterValue", "must be between 1 and 36")}, http.StatusUnprocessableEntity, "TimeSpan: must be between 1 and 36"},
		{"a duplicate in flight", fault.New(fault.Conflict, "order.duplicate.in_flight.one", "orders", "#3"), http.StatusConflict, "Order #3 with the same purchase is still being sent"},
		{"not a requester", fault.New(fault.Refused, "order.compose.requesters_only"), http.StatusForbidden, "Only requesters compose orders."},
	}
	for _, c := range cases {
		f := &fakeOrders{composeErr: c.err}
		s := unitServer(f, nil)
		rec := call(s, s.orderCreate, http.MethodPost, "/orders/new/tcb", tcbDraftForm("save"), map[string]string{"product": "tcb"}, auth.RoleRequester)
		body := rec.Body.String()
		if rec.Code != c.status || !strings.Contains(body, c.shows) {
			t.Errorf("%s: status %d, want %d showing %q\n%s", c.name, rec.Code, c.status, c.shows, body)
			continue
		}
		if c.status != http.StatusForbidden && !strings.Contains(body, "CloudBase for the shop") {
			t.Errorf("%s: the form lost what was typed", c.name)
		}
	}
}

// The one table: every kind has its status, and the error page shows the
// message's English, never an error's own text.
func TestErrorHandlerMapsEveryKind(t *testing.T) {
	t.Parallel()
	for kind := fault.Invalid; kind <= fault.Unavailable; kind++ {
		if _, ok := KindStatus[kind]; !ok {
			t.Errorf("kind %v has no status", kind)
		}
	}
	cases := []struct {
		err    error
		status int
		shows  string
	}{
		{fault.Wrap(fault.NotFound, errors.New("db: no rows in order 9"), "order.not_found"), http.StatusNotFound, "There is no such order."},
		{fault.New(fault.Refused, "policy.admins_only"), http.StatusForbidden, "Only admins change approval policies."},
		{fault.Wrap(fault.Stale, errors.New("db: the row changed"), "order.stale"), http.StatusConflict, "This order changed while you were looking at it."},
		{fault.New(fault.Conflict, "account.disabled"), http.StatusConflict, "This account is disabled."},
		{fault.New(fault.Unavailable, "order.send.no_queue"), http.StatusServiceUnavailable, "no send queue"},
		{fault.Fields{"note": fault.M("send.settle.note_missing")}, http.StatusUnprocessableEntity, "note: Say what you checked"},
		{errors.New("pq: password authentication failed for secret-canary"), http.StatusInternalServerError, "Something went wrong on our side"},
	}
	for _, c := range cases {
		var fivexx []int
		s := unitServer(&fakeOrders{}, &fivexx)
		rec := call(s, func(echo.Context) error { return c.err }, http.MethodGet, "/x", nil, nil, auth.RoleApprover)
		body := rec.Body.String()
		if rec.Code != c.status || !strings.Contains(body, c.shows) {
			t.Errorf("%v: status %d, want %d showing %q", c.err, rec.Code, c.status, c.shows)
		}
		for _, secret := range []string{"db:", "secret-canary", "no rows"} {
			if strings.Contains(body, secret) {
				t.Errorf("%v: the page shows the cause (%q)", c.err, secret)
			}
		}
		if (c.status >= 500) != (len(fivexx) == 1) {
			t.Errorf("%v: the server-error hook saw %v", c.err, fivexx)
		}
	}
}

func unitDecision(comment string) url.Values {
	return url.Values{"comment": {comment}, "version": {"2"}, "params_sha256": {"abc"}}
}

func TestApprovalDecisionAnswersEachOutcome(t *testing.T) {
	t.Parallel()
	params := map[string]string{"id": "5"}

	// Approved: back to the approval page with a flash.
	f := &fakeOrders{decided: orders.Order{ID: 5, Status: orders.StatusApproved}}
	s := unitServer(f, nil)
	rec := call(s, s.orderApprove, http.MethodPost, "/orders/5/approve", unitDecision("fine"), params, auth.RoleApprover)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/orders/5/approval" || len(f.approvals) != 1 || f.approvals[0] != "abc|fine" {
		t.Fatalf("approve: status %d to %q, approvals %v", rec.Code, rec.Header().Get("Location"), f.approvals)
	}

	// The order moved on: the page again with why, 409.
	f = &fakeOrders{decideErr: fault.New(fault.Stale, "order.changed", "seen", "2", "now", "3")}
	s = unitServer(f, nil)
	rec = call(s, s.orderReject, http.MethodPost, "/orders/5/reject", unitDecision("no"), params, auth.RoleApprover)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "you saw version 2, it is now version 3") || f.states != 1 {
		t.Fatalf("stale reject: status %d, states %d\n%s", rec.Code, f.states, rec.Body)
	}

	// A field error: beside the box, 422, the comment kept.
	f = &fakeOrders{decideErr: fault.Fields{"not_duplicate": fault.M("order.duplicate.unchecked.one", "orders", "#4")}}
	s = unitServer(f, nil)
	rec = call(s, s.orderApprove, http.MethodPost, "/orders/5/approve", unitDecision("looked at it"), params, auth.RoleApprover)
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Order #4 may buy the same") || !strings.Contains(body, "looked at it") {
		t.Fatalf("unchecked duplicate: status %d\n%s", rec.Code, body)
	}

	// Refused: the error page, 403.
	f = &fakeOrders{decideErr: fault.New(fault.Refused, "order.decide.own_order")}
	s = unitServer(f, nil)
	rec = call(s, s.orderApprove, http.MethodPost, "/orders/5/approve", unitDecision(""), params, auth.RoleApprover)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "someone else must approve") {
		t.Fatalf("own order: status %d", rec.Code)
	}

	// Input the boundary refuses never reaches the domain.
	f = &fakeOrders{}
	s = unitServer(f, nil)
	rec = call(s, s.orderApprove, http.MethodPost, "/orders/5/approve", url.Values{"comment": {"ok"}, "version": {"two"}, "params_sha256": {"abc"}}, params, auth.RoleApprover)
	if rec.Code != http.StatusUnprocessableEntity || len(f.approvals) != 0 {
		t.Fatalf("bad version: status %d, approvals %v", rec.Code, f.approvals)
	}
}

// The requester's moves share the decisions' answers: done → the approval
// page with a flash; the order moved on → the page again, 409; input the
// boundary refuses → 422 and the domain never asked.
func TestApprovalMovesAnswerEachOutcome(t *testing.T) {
	t.Parallel()
	params := map[string]string{"id": "5"}
	f := &fakeOrders{}
	s := unitServer(f, nil)
	for _, m := range []struct {
		h    echo.HandlerFunc
		form url.Values
		want string
	}{
		{s.orderSubmit, url.Values{"version": {"2"}}, "submit 5 v2"},
		{s.orderWithdraw, url.Values{}, "withdraw 5"},
		{s.orderCancel, url.Values{"reason": {"not needed"}}, "cancel 5: not needed"},
	} {
		f.moves = nil
		rec := call(s, m.h, http.MethodPost, "/orders/5/x", m.form, params, auth.RoleRequester)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/orders/5/approval" || len(f.moves) != 1 || f.moves[0] != m.want {
			t.Errorf("%s: status %d to %q, moves %v", m.want, rec.Code, rec.Header().Get("Location"), f.moves)
		}
	}

	f = &fakeOrders{decideErr: fault.New(fault.Conflict, "order.not_now.withdraw", "status", "approved")}
	s = unitServer(f, nil)
	rec := call(s, s.orderWithdraw, http.MethodPost, "/orders/5/withdraw", url.Values{}, params, auth.RoleRequester)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "This order cannot be withdrawn: it is approved.") {
		t.Fatalf("withdraw an approved order: status %d\n%s", rec.Code, rec.Body)
	}

	f = &fakeOrders{}
	s = unitServer(f, nil)
	rec = call(s, s.orderSubmit, http.MethodPost, "/orders/5/submit", url.Values{"version": {"latest"}}, params, auth.RoleRequester)
	if rec.Code != http.StatusUnprocessableEntity || len(f.moves) != 0 {
		t.Fatalf("submit without a version: status %d, moves %v", rec.Code, f.moves)
	}
}
