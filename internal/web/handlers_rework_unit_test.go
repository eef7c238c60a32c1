package web

// Tests of the delete, clone, settle and user handlers through the small
// interfaces they declare (orderReader, orderReworker, orderSettler,
// userAdmin), with fakes: the redirects, how each refusal is answered, and
// that a refused or malformed request reaches no move. The SQL behind the
// real implementations is tested in internal/orders, internal/sending and
// internal/auth.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// fakeRework answers as the test says and records the moves it was asked.
type fakeRework struct {
	getErr, moveErr error
	moves           []string
	settled         []sending.Settlement
	settledAs       orders.Status
	user            auth.User
}

func (f *fakeRework) Get(_ context.Context, id int64) (orders.Order, error) {
	if f.getErr != nil {
		return orders.Order{}, f.getErr
	}
	return orders.Order{ID: id, Product: orders.ProductTCB, Status: orders.StatusDraft, Version: 1}, nil
}

func (f *fakeRework) Update(context.Context, orders.Actor, int64, int, orders.Draft) (orders.Order, error) {
	f.moves = append(f.moves, "update")
	return orders.Order{}, f.moveErr
}

func (f *fakeRework) Clone(context.Context, orders.Actor, int64) (orders.Order, error) {
	f.moves = append(f.moves, "clone")
	return orders.Order{ID: 9, Status: orders.StatusDraft, Version: 1}, f.moveErr
}

func (f *fakeRework) Delete(context.Context, orders.Actor, int64) error {
	f.moves = append(f.moves, "delete")
	return f.moveErr
}

func (f *fakeRework) Renew(context.Context, orders.Actor, int64, orders.RenewInput) (orders.Order, error) {
	f.moves = append(f.moves, "renew")
	return orders.Order{}, f.moveErr
}

func (f *fakeRework) ResendWithToken(context.Context, orders.Actor, int64) (orders.Order, error) {
	f.moves = append(f.moves, "resend")
	return orders.Order{}, f.moveErr
}

func (f *fakeRework) SettleByHand(_ context.Context, _ orders.Actor, id int64, st sending.Settlement) (orders.Order, error) {
	f.settled = append(f.settled, st)
	return orders.Order{ID: id, Status: f.settledAs}, f.moveErr
}

func (f *fakeRework) ConfirmLookup(context.Context, orders.Actor, int64, int64) (orders.Order, error) {
	f.moves = append(f.moves, "confirm")
	return orders.Order{}, f.moveErr
}

func (f *fakeRework) LatestFindings(context.Context, int64) (sending.Findings, bool, error) {
	return sending.Findings{}, false, nil
}

func (f *fakeRework) Users(context.Context) ([]auth.User, error) { return []auth.User{f.user}, nil }

func (f *fakeRework) User(_ context.Context, id int64) (auth.User, error) {
	if f.getErr != nil {
		return auth.User{}, f.getErr
	}
	u := f.user
	u.ID = id
	return u, nil
}

func (f *fakeRework) Sessions(context.Context, int64) ([]auth.Session, error) { return nil, nil }

func (f *fakeRework) CreateUser(context.Context, auth.Actor, auth.NewUser) (auth.User, string, error) {
	f.moves = append(f.moves, "create user")
	return auth.User{}, "", f.moveErr
}

func (f *fakeRework) UpdateProfile(context.Context, auth.Actor, int64, auth.Profile) (auth.User, error) {
	f.moves = append(f.moves, "update profile")
	return auth.User{}, f.moveErr
}

func (f *fakeRework) SetDisabled(_ context.Context, _ auth.Actor, _ int64, disabled bool) (auth.User, error) {
	if disabled {
		f.moves = append(f.moves, "disable")
	} else {
		f.moves = append(f.moves, "enable")
	}
	return auth.User{}, f.moveErr
}

func (f *fakeRework) ResetPassword(context.Context, auth.Actor, int64) (string, error) {
	f.moves = append(f.moves, "reset password")
	return "", f.moveErr
}

// reworkServer is a Server with the fake behind every interface the
// rework, settle and user handlers declare, and nothing else.
func reworkServer(f *fakeRework, withSender bool) *Server {
	s := unitServer(&fakeOrders{}, nil)
	s.reader, s.reworker, s.users = f, f, f
	if withSender {
		s.settler = f
	}
	return s
}

func TestOrderDeleteRedirectsAndAnswersRefusals(t *testing.T) {
	t.Parallel()
	f := &fakeRework{}
	s := reworkServer(f, false)
	rec := call(s, s.orderDelete, http.MethodPost, "/orders/5/delete", url.Values{}, map[string]string{"id": "5"}, auth.RoleRequester)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/orders" || len(f.moves) != 1 {
		t.Fatalf("delete: status %d, location %q, moves %v; want 303 to /orders after one delete", rec.Code, rec.Header().Get("Location"), f.moves)
	}

	for _, c := range []struct {
		name          string
		id            string
		getErr, del   error
		status, moves int
		text          string
	}{
		{"a malformed id", "x", nil, nil, http.StatusNotFound, 0, ""},
		{"no such order", "5", fault.Wrap(fault.NotFound, errors.New("db: no rows"), "order.not_found"), nil, http.StatusNotFound, 0, "There is no such order."},
		{"someone else's draft", "5", nil, fault.New(fault.Refused, "order.delete.own_only"), http.StatusForbidden, 1, "Only the person who composed this draft may delete it."},
		{"not a draft", "5", nil, fault.New(fault.Conflict, "order.delete.not_draft"), http.StatusConflict, 1, "Only drafts can be deleted"},
	} {
		f := &fakeRework{getErr: c.getErr, moveErr: c.del}
		s := reworkServer(f, false)
		rec := call(s, s.orderDelete, http.MethodPost, "/orders/"+c.id+"/delete", url.Values{}, map[string]string{"id": c.id}, auth.RoleRequester)
		if rec.Code != c.status || len(f.moves) != c.moves || !strings.Contains(rec.Body.String(), c.text) {
			t.Errorf("%s: status %d, moves %v; want %d after %d moves, with %q:\n%s", c.name, rec.Code, f.moves, c.status, c.moves, c.text, rec.Body)
		}
	}
}

func TestOrderCloneOpensTheNewDraft(t *testing.T) {
	t.Parallel()
	f := &fakeRework{}
	s := reworkServer(f, false)
	rec := call(s, s.orderClone, http.MethodPost, "/orders/5/clone", url.Values{}, map[string]string{"id": "5"}, auth.RoleRequester)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/orders/9/edit" {
		t.Fatalf("clone: status %d, location %q; want 303 to the new draft's edit page", rec.Code, rec.Header().Get("Location"))
	}
	f = &fakeRework{moveErr: fault.New(fault.Refused, "order.compose.requesters_only")}
	s = reworkServer(f, false)
	rec = call(s, s.orderClone, http.MethodPost, "/orders/5/clone", url.Values{}, map[string]string{"id": "5"}, auth.RoleApprover)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Only requesters compose orders.") {
		t.Fatalf("a refused clone: status %d, want 403 with the reason:\n%s", rec.Code, rec.Body)
	}
}

func TestOrderSettleNeedsASenderAndAChoice(t *testing.T) {
	t.Parallel()
	form := url.Values{"result": {"succeeded"}, "note": {"Found deal 2024 in the console"}, "deal_names": {"d1, d2"}}

	f := &fakeRework{}
	s := reworkServer(f, false)
	rec := call(s, s.orderSettle, http.MethodPost, "/orders/5/settle", form, map[string]string{"id": "5"}, auth.RoleApprover)
	if rec.Code != http.StatusServiceUnavailable || len(f.settled) != 0 || !strings.Contains(rec.Body.String(), "cannot settle orders") {
		t.Fatalf("without a sender: status %d, settled %d; want 503 and nothing settled:\n%s", rec.Code, len(f.settled), rec.Body)
	}

	f = &fakeRework{settledAs: orders.StatusSucceeded}
	s = reworkServer(f, true)
	rec = call(s, s.orderSettle, http.MethodPost, "/orders/5/settle", form, map[string]string{"id": "5"}, auth.RoleApprover)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/orders/5" {
		t.Fatalf("settle: status %d, location %q; want 303 to the order", rec.Code, rec.Header().Get("Location"))
	}
	if len(f.settled) != 1 || !f.settled[0].Succeeded || f.settled[0].Note != "Found deal 2024 in the console" ||
		strings.Join(f.settled[0].DealNames, "|") != "d1|d2" {
		t.Fatalf("settled %+v; want bought, with the note and both deal names", f.settled)
	}

	f = &fakeRework{moveErr: fault.New(fault.Refused, "send.settle.who")}
	s = reworkServer(f, true)
	rec = call(s, s.orderSettle, http.MethodPost, "/orders/5/settle", form, map[string]string{"id": "5"}, auth.RoleRequester)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Only approvers and admins settle orders") {
		t.Fatalf("a requester settling: status %d, want 403 with the reason:\n%s", rec.Code, rec.Body)
	}
}

func TestUserDisableRedirectsOrShowsTheRefusal(t *testing.T) {
	t.Parallel()
	f := &fakeRework{user: auth.User{Username: "bob", DisplayName: "Bob", Roles: []auth.Role{auth.RoleRequester}}}
	s := reworkServer(f, false)
	rec := call(s, s.userDisable, http.MethodPost, "/admin/users/4/disable", url.Values{}, map[string]string{"id": "4"}, auth.RoleAdmin)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users/4" || strings.Join(f.moves, ",") != "disable" {
		t.Fatalf("disable: status %d, location %q, moves %v; want 303 to the user after one disable", rec.Code, rec.Header().Get("Location"), f.moves)
	}

	f = &fakeRework{user: auth.User{Username: "alice"}, moveErr: fault.New(fault.Conflict, "user.disable.self")}
	s = reworkServer(f, false)
	rec = call(s, s.userDisable, http.MethodPost, "/admin/users/41/disable", url.Values{}, map[string]string{"id": "41"}, auth.RoleAdmin)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "You cannot disable your own account.") {
		t.Fatalf("disabling oneself: status %d, want 409 on the user's page with the reason:\n%s", rec.Code, rec.Body)
	}

	f = &fakeRework{}
	s = reworkServer(f, false)
	rec = call(s, s.userDisable, http.MethodPost, "/admin/users/0/disable", url.Values{}, map[string]string{"id": "0"}, auth.RoleAdmin)
	if rec.Code != http.StatusNotFound || len(f.moves) != 0 {
		t.Fatalf("a malformed id: status %d, moves %v; want 404 and nothing done", rec.Code, f.moves)
	}
}
