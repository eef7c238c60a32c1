package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi/tcsim"
)

// A TCB order whose answer the sandbox dropped is looked up on the bill;
// its page shows the proposal and the deals found, the approver confirms
// "bought" in one click, the order is succeeded with the deal names, and
// the history finds it by them.
func TestBillLookupIsConfirmedOnThePage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, o)
	env.fault(tcsim.Fault{Drop: true})
	if got := env.send(o); got.Status != orders.StatusUnknown {
		t.Fatalf("after a dropped connection the order is %s", got.Status)
	}
	path := orderURL(o)
	if has(alice.page(path), "bill-lookup") {
		t.Fatal("a lookup is shown before the bill was looked up")
	}
	l, err := env.sender.LookUpBill(context.Background(), o.ID, sending.ReconcileConfig{Quiet: time.Hour}, time.Now())
	if err != nil || l.Proposal != sending.ProposeBought || len(l.DealNames) != 1 {
		t.Fatalf("lookup: %s %v (%v)", l.Proposal, l.DealNames, err)
	}
	deal := l.DealNames[0]

	doc := alice.page(path)
	lookup := doc.Find(`[data-testid="bill-lookup"]`)
	if p, _ := lookup.Attr("data-proposal"); p != "bought" || !strings.Contains(lookup.Text(), deal) || has(doc, "confirm-lookup-form") {
		t.Fatalf("requester's view of the lookup: proposal %q, text %q, confirm offered %v", p, lookup.Text(), has(doc, "confirm-lookup-form"))
	}
	if resp, _ := alice.post(path+"/reconcile", url.Values{"lookup": {strconv.FormatInt(l.ID, 10)}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("requester confirms: %d, want 403", resp.StatusCode)
	}
	doc = bob.page(path)
	if !strings.Contains(testID(doc, "confirm-bought"), deal) {
		t.Fatalf("approver: no confirmation naming %s: %q", deal, testID(doc, "confirm-bought"))
	}
	if resp, body := bob.post(path+"/reconcile", url.Values{"lookup": {"x"}}); resp.StatusCode != http.StatusBadRequest || env.order(o.ID).Status != orders.StatusUnknown {
		t.Fatalf("a lookup that is not an id: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if resp, body := bob.post(path+"/reconcile", url.Values{"lookup": {strconv.FormatInt(l.ID+1000, 10)}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("another lookup's id: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	resp, _ := bob.post(path+"/reconcile", url.Values{"lookup": {strconv.FormatInt(l.ID, 10)}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
		t.Fatalf("confirm: %d to %s", resp.StatusCode, location(resp))
	}
	doc = alice.page(path)
	if testID(doc, "order-status") != "Succeeded" || testID(doc, "outcome-deal-names") != deal || !strings.Contains(testID(doc, "settlement-note"), "bill lookup") {
		t.Fatalf("after confirming: status %q, deals %q, note %q", testID(doc, "order-status"), testID(doc, "outcome-deal-names"), testID(doc, "settlement-note"))
	}
	if !has(alice.page("/orders?q="+deal), "order-row-"+strconv.FormatInt(o.ID, 10)) {
		t.Fatal("the history's search does not find the order by its deal name")
	}
	if _, bought := env.purchases(); bought != 1 {
		t.Fatalf("%d purchases: looking up and confirming must buy nothing", bought)
	}
}

// The settle form asks every product for the deal names found, and keeps
// them on the order where the history's search finds them.
func TestSettleFormRecordsDealNamesForCloudBase(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, o)
	env.fault(tcsim.Fault{Drop: true})
	env.send(o)
	path := orderURL(o)
	if !has(bob.page(path), "settle-form") || bob.page(path).Find(`#deal_names`).Length() != 1 {
		t.Fatal("the CloudBase settle form has no deal names field")
	}
	resp, _ := bob.post(path+"/settle", url.Values{"result": {"succeeded"}, "deal_names": {"2026010100000042"}, "note": {"On the bill, paid."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("settle: %d", resp.StatusCode)
	}
	if got := env.order(o.ID); len(got.Sent.DealNames) != 1 || got.Sent.DealNames[0] != "2026010100000042" {
		t.Fatalf("deal names kept: %v", got.Sent.DealNames)
	}
	if !has(bob.page("/orders?q=2026010100000042"), "order-row-"+strconv.FormatInt(o.ID, 10)) {
		t.Fatal("the history's search does not find the settled order by its deal name")
	}
}
