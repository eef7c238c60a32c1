package sending

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

// TestRenewalOfCreateInstanceSendsRenewInstance is the promise of issue 13:
// renewing a Cloud Firewall purchase renews its instance and never buys
// another. The purchase is sent, renewed through the service, approved and
// sent against the sandbox with its answer dropped, then settled by a
// resend with its own token. The sandbox must have received exactly one
// CreateInstance (the purchase) and only RenewInstance calls for the
// renewal, each for the purchased instance and with the renewal's token,
// which renewed once.
func TestRenewalOfCreateInstanceSendsRenewInstance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	purchase := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	if err := f.sender.Send(ctx, purchase.ID, purchase.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	purchase = f.get(t, purchase.ID)
	if purchase.Status != orders.StatusSucceeded || len(purchase.Sent.InstanceIDs) != 1 {
		t.Fatalf("purchase: %s, instances %v", purchase.Status, purchase.Sent.InstanceIDs)
	}
	instance := purchase.Sent.InstanceIDs[0]

	requester := orderstest.NewUser(t, f.pool, "requester")
	r, err := f.svc.Renew(ctx, requester, purchase.ID, orders.RenewInput{})
	if err != nil {
		t.Fatal(err)
	}
	r = orderstest.Move(t, f.pool, f.svc, requester, r, orders.StatusPendingApproval, orders.StatusApproved)
	if _, err := f.sim.AddFault(tcsim.Fault{Action: "RenewInstance", Drop: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, r.ID, r.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, r.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("renewal with its answer dropped is %s, want unknown", got.Status)
	}
	approver := orderstest.NewUser(t, f.pool, "approver")
	if _, err := f.sender.ResendWithToken(ctx, approver, r.ID); err != nil {
		t.Fatal(err)
	}
	got := f.get(t, r.ID)
	if got.Status != orders.StatusSucceeded || got.Sent.BillingOrderID == "" {
		t.Fatalf("renewal after its resend: %s, billing order %q", got.Status, got.Sent.BillingOrderID)
	}

	var creates, renews, renewed int
	for _, c := range f.sim.Calls() {
		var body struct{ ClientToken, InstanceId string }
		_ = json.Unmarshal(c.Params, &body)
		switch c.Action {
		case "CreateInstance":
			creates++
			if body.ClientToken != purchase.ClientToken {
				t.Errorf("a CreateInstance with token %q: a renewal bought a new instance", body.ClientToken)
			}
		case "RenewInstance":
			renews++
			if body.InstanceId != instance || body.ClientToken != r.ClientToken || r.ClientToken == purchase.ClientToken {
				t.Errorf("RenewInstance of %q with token %q, want %q with the renewal's own token %q", body.InstanceId, body.ClientToken, instance, r.ClientToken)
			}
			if c.Bought {
				renewed++
			}
		default:
			t.Errorf("unexpected %s call", c.Action)
		}
	}
	if creates != 1 || renews != 2 || renewed != 1 {
		t.Fatalf("%d CreateInstance, %d RenewInstance (%d renewed); want the one purchase, the dropped renewal and its resend, renewing once", creates, renews, renewed)
	}
	if !slices.Contains(f.sim.Calls()[1].Orders, got.Sent.BillingOrderID) {
		t.Fatalf("the resend settled on order %q, not the dropped call's %v", got.Sent.BillingOrderID, f.sim.Calls()[1].Orders)
	}
}
