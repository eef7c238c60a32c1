package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/web/templates"
)

// Renewing a Cloud Firewall purchase from its page drafts a RenewInstance
// of the instance it bought, which opens in the RenewInstance form, is
// approved, sent and (its answer dropped) settled by a resend of its own
// token. The sandbox never receives a second CreateInstance.
func TestRenewOfBillingPurchaseSendsRenewInstance(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	purchase := env.sendable(aliceUser, orders.ProductBilling)
	env.approve(bob, purchase)
	purchase = env.send(purchase)
	if purchase.Status != orders.StatusSucceeded || len(purchase.Sent.InstanceIDs) != 1 {
		t.Fatalf("purchase: %s %v", purchase.Status, purchase.Sent.InstanceIDs)
	}
	instance := purchase.Sent.InstanceIDs[0]

	// The answer named the one instance: nothing to ask.
	doc := alice.page(orderURL(purchase))
	if !has(doc, "renew-form") || byID(doc, "renew-InstanceId").Length() != 0 {
		t.Fatal("the renew form of a one-instance purchase asks for the instance")
	}
	resp, body := alice.post(orderURL(purchase)+"/renew", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(location(resp), "/edit") {
		t.Fatalf("renew: %d %s\n%s", resp.StatusCode, location(resp), pageErrors(body))
	}
	_, body = alice.get(location(resp))
	vals := formOnPage(t, parseHTML(t, body), "order-form")
	if vals.Get("InstanceId") != instance || vals.Get("ProductCode") != "p_cloudfirewall" || !strings.Contains(body, "renew-instance-note") {
		t.Fatalf("the renewal opens in %v", vals)
	}
	// Saved from its form unchanged, it stays what the service drafted.
	vals.Set("op", "save")
	resp, body = alice.post(strings.TrimSuffix(location(resp), "/edit")+"/edit", vals)
	id := savedOrderID(t, resp, body)
	r := env.order(id)
	if r.Product != orders.ProductBillingRenew || r.RenewalOfID != purchase.ID || r.ClientToken == purchase.ClientToken {
		t.Fatalf("renewal %d: %s of %d, token %q", id, r.Product, r.RenewalOfID, r.ClientToken)
	}
	if resp, _ := alice.post(templates.OrderPath(id)+"/submit", url.Values{"version": {itoa(int64(r.Version))}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	r = env.order(id)
	env.approve(bob, r)
	env.fault(tcsim.Fault{Action: "RenewInstance", Drop: true})
	if got := env.send(r); got.Status != orders.StatusUnknown {
		t.Fatalf("renewal with its answer dropped: %s", got.Status)
	}
	doc = bob.page(orderURL(r))
	if !has(doc, "resend-button") || has(doc, "settle-form") {
		t.Fatal("an unknown renewal is not settled by resending its token")
	}
	if resp, _ := bob.post(orderURL(r)+"/resend", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %d", resp.StatusCode)
	}
	if got := env.order(id); got.Status != orders.StatusSucceeded || got.Sent.BillingOrderID == "" {
		t.Fatalf("after the resend: %s %q", got.Status, got.Sent.BillingOrderID)
	}
	var creates, renewed int
	for _, c := range env.sim.Calls() {
		var sent struct{ ClientToken, InstanceId string }
		_ = json.Unmarshal(c.Params, &sent)
		switch c.Action {
		case "CreateInstance":
			creates++
		case "RenewInstance":
			if sent.InstanceId != instance || sent.ClientToken != r.ClientToken {
				t.Errorf("RenewInstance of %q with %q, want %q with %q", sent.InstanceId, sent.ClientToken, instance, r.ClientToken)
			}
			if c.Bought {
				renewed++
			}
		}
	}
	if creates != 1 || renewed != 1 {
		t.Fatalf("%d CreateInstance calls and %d renewals; want the purchase alone and one renewal", creates, renewed)
	}
}
