package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// Under a policy that sends at once, the last approval buys: its button
// says so, its POST without the confirmation records nothing and shows the
// confirmation page (summary, account, approvers, version and hash), and
// only that page's form approves and queues the send.
func TestApproveAndBuyAsksFirst(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductTCB)
	path := orderURL(o)

	_, body := bob.get(path + "/approval")
	doc := parseHTML(t, body)
	if got := doc.Find(`[data-testid="approve-button"]`).Text(); !strings.Contains(got, "Approve and buy") {
		t.Fatalf("approve button under an auto-send policy reads %q", got)
	}

	// The approval page's own form: nothing recorded, nothing queued.
	vals := formOnPage(t, doc, "decision-form")
	vals.Set("comment", "fine by me")
	resp, body := bob.post(path+"/approve", vals)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("approve without the confirmation: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if as, _ := db.ListApprovals(context.Background(), env.pool, o.ID); len(as) != 0 {
		t.Fatalf("an unconfirmed approve-and-buy was recorded: %+v", as)
	}
	if got := env.order(o.ID).Status; got != orders.StatusPendingApproval || env.queuedSends(o) != 0 {
		t.Fatalf("after the unconfirmed POST the order is %s with %d sends queued", got, env.queuedSends(o))
	}
	doc = parseHTML(t, body)
	for id, want := range map[string]string{
		"confirm-heading":     "Approve and buy this now?",
		"confirm-version":     itoa(int64(o.Version)),
		"confirm-hash":        o.ParamsSHA256,
		"confirm-approvers":   "(you, now)",
		"send-confirm-button": "Approve and buy",
		"order-summary":       "CloudBase",
	} {
		if got := doc.Find(`[data-testid="` + id + `"]`).First().Text(); !strings.Contains(got, want) {
			t.Errorf("confirmation %s = %q, want it to contain %q", id, got, want)
		}
	}
	if got := doc.Find(`[data-testid="confirm-account"]`).Text(); strings.TrimSpace(got) == "" {
		t.Error("the confirmation names no account")
	}

	// The confirmation's form carries the comment, version and hash.
	confirm := formOnPage(t, doc, "send-confirm-form")
	if confirm.Get("comment") != "fine by me" || confirm.Get("params_sha256") != o.ParamsSHA256 || confirm.Get("confirmed") != "yes" {
		t.Fatalf("confirmation form carries %v", confirm)
	}
	resp, body = bob.post(path+"/approve", confirm)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed approve-and-buy: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if got := env.order(o.ID).Status; got != orders.StatusApproved || env.queuedSends(o) != 1 {
		t.Fatalf("after confirming, the order is %s with %d sends queued", got, env.queuedSends(o))
	}
	// The approver lands on the order's own page, where the send under
	// way shows its outcome.
	if got := location(resp); got != orderURL(o) {
		t.Fatalf("after approve-and-buy the approver lands on %q, want the order's page %q", got, orderURL(o))
	}
	if _, body = bob.get(location(resp)); !strings.Contains(body, `data-testid="order-status"`) {
		t.Fatalf("after approve-and-buy, the order's page shows no status:\n%s", pageErrors(body))
	}
}

// Under a policy that sends by hand the button is a plain approval, and
// the approver lands on a page offering "Send now"; a requester's back
// link leads to the orders list, never the approvers' inbox (a 403).
func TestApprovalByHandOffersSendNowAndRoleAwareBackLink(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	env.sendsByHand(orders.ProductTCB)
	o := env.sendable(aliceUser, orders.ProductTCB)
	path := orderURL(o)

	_, body := bob.get(path + "/approval")
	doc := parseHTML(t, body)
	if got := doc.Find(`[data-testid="approve-button"]`).Text(); strings.Contains(got, "buy") {
		t.Fatalf("approve button under a by-hand policy reads %q", got)
	}
	if href, _ := doc.Find(`[data-testid="approval-back"]`).Attr("href"); href != "/approvals" {
		t.Errorf("approver's back link: %q", href)
	}
	vals := formOnPage(t, doc, "decision-form")
	resp, body := bob.post(path+"/approve", vals)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	_, body = bob.get(location(resp))
	doc = parseHTML(t, body)
	if href, _ := doc.Find(`[data-testid="approval-send-now"]`).Attr("href"); href != path+"/send" {
		t.Fatalf("after approving, Send now is %q on the page the approver lands on", href)
	}
	if resp, _ := bob.get(path + "/send"); resp.StatusCode != http.StatusOK {
		t.Fatalf("Send now leads to %d", resp.StatusCode)
	}

	_, body = alice.get(path + "/approval")
	href, _ := parseHTML(t, body).Find(`[data-testid="approval-back"]`).Attr("href")
	if href != "/orders" {
		t.Fatalf("requester's back link: %q", href)
	}
	if resp, _ := alice.get(href); resp.StatusCode != http.StatusOK {
		t.Fatalf("requester's back link answers %d", resp.StatusCode)
	}
}
