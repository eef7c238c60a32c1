package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/secrets"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
)

// A policy that sends by hand: the approved order offers "Send now" to its
// requester, which queues one job for the hash the page showed; the job's
// send succeeds and the page shows what came back and what the sandbox got.
func TestSendNowQueuesTheApprovedHashOnce(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	env.sendsByHand(orders.ProductTCB)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	mallory, _ := env.loggedIn("mallory", auth.RoleRequester)
	o := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, o)
	path := orderURL(o)

	doc := alice.page(path)
	if !has(doc, "send-manual") || !has(doc, "send-now-button") || has(doc, "send-queued") {
		t.Fatalf("approved, sent by hand: no Send now button\n%s", testID(doc, "send-section"))
	}
	if href, _ := doc.Find(`[data-testid="send-now-button"]`).Attr("href"); href != path+"/send" {
		t.Fatalf("Send now leads to %q, want the confirmation page", href)
	}
	// The confirmation restates what, with which account, approved by
	// whom, and carries the version and hash it shows.
	confirm := alice.page(path + "/send")
	if v, _ := confirm.Find(`[data-testid="send-confirm-form"] input[name=params_sha256]`).Attr("value"); v != o.ParamsSHA256 {
		t.Fatalf("the confirmation carries hash %q, want %q", v, o.ParamsSHA256)
	}
	if v, _ := confirm.Find(`[data-testid="send-confirm-form"] input[name=version]`).Attr("value"); v != strconv.Itoa(o.Version) {
		t.Fatalf("the confirmation carries version %q, want %d", v, o.Version)
	}
	if got := testID(confirm, "summary-headline"); !strings.Contains(got, "CloudBase") || testID(confirm, "confirm-account") == "" ||
		!strings.Contains(testID(confirm, "confirm-approvers"), "bob") || testID(confirm, "confirm-hash") != o.ParamsSHA256 {
		t.Fatalf("confirmation: headline %q, account %q, approvers %q, hash %q", got, testID(confirm, "confirm-account"),
			testID(confirm, "confirm-approvers"), testID(confirm, "confirm-hash"))
	}
	// The old form (hash alone, no confirmation) lands on the confirmation
	// page and sends nothing.
	if resp, _ := alice.post(path+"/send", url.Values{"params_sha256": {o.ParamsSHA256}}); resp.StatusCode != http.StatusSeeOther || location(resp) != path+"/send" {
		t.Fatalf("unconfirmed Send now: %d to %s, want 303 to the confirmation", resp.StatusCode, location(resp))
	}
	// A confirmation of another version is refused.
	stale := confirmedSend(o)
	stale.Set("version", strconv.Itoa(o.Version+1))
	if resp, _ := alice.post(path+"/send", stale); resp.StatusCode != http.StatusConflict {
		t.Fatalf("Send now confirmed on another version: %d, want 409", resp.StatusCode)
	}
	if n := env.queuedSends(o); n != 0 {
		t.Fatalf("%d sends queued before anyone confirmed Send now", n)
	}

	// Another requester may not send Alice's order; a stale hash is refused.
	if resp, _ := mallory.post(path+"/send", confirmedSend(o)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("someone else's Send now: %d, want 403", resp.StatusCode)
	}
	resp, body := alice.post(path+"/send", url.Values{"params_sha256": {strings.Repeat("0", 64)}, "version": {strconv.Itoa(o.Version)}, "confirmed": {"yes"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "changed while you were looking") {
		t.Fatalf("Send now with another hash: %d\n%s", resp.StatusCode, pageErrors(body))
	}

	// Pressed twice: one job.
	for range 2 {
		resp, _ := alice.post(path+"/send", confirmedSend(o))
		if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
			t.Fatalf("Send now: %d to %s", resp.StatusCode, location(resp))
		}
	}
	if n := env.queuedSends(o); n != 1 {
		t.Fatalf("%d sends queued after pressing twice, want 1", n)
	}
	if doc := alice.page(path); !strings.Contains(testID(doc, "flash"), "Queued to be sent") || !has(doc, "send-queued") || has(doc, "send-now-button") {
		t.Errorf("after Send now: flash %q; the order should be approved with its send queued and no second button", testID(doc, "flash"))
	}

	got := env.send(o)
	if got.Status != orders.StatusSucceeded {
		t.Fatalf("after the send the order is %s", got.Status)
	}
	doc = alice.page(path)
	if !has(doc, "outcome-succeeded") || testID(doc, "outcome-request-id") != got.Sent.RequestID || has(doc, "send-now-button") {
		t.Fatalf("succeeded order's outcome (RequestId %s):\n%s", got.Sent.RequestID, testID(doc, "send-section"))
	}
	calls := env.sim.Calls()
	if len(calls) != 1 {
		t.Fatalf("sandbox received %d calls", len(calls))
	}
	if testID(doc, "attempt-hash-match") == "" || !strings.HasPrefix(testID(doc, "attempt-hash-match"), "yes") ||
		testID(doc, "attempt-approved-sha256") != o.ParamsSHA256 || testID(doc, "attempt-sent-sha256") != o.ParamsSHA256 {
		t.Errorf("attempt's hashes: %q, approved %q, sent %q", testID(doc, "attempt-hash-match"),
			testID(doc, "attempt-approved-sha256"), testID(doc, "attempt-sent-sha256"))
	}
	if testID(doc, "sandbox-request-id") != calls[0].RequestID || testID(doc, "sandbox-action") != "CreateBillDeal" ||
		testID(doc, "sandbox-bought") != "yes" || strings.Contains(doc.Text(), simSecretID) {
		t.Errorf("what the sandbox received: request %q action %q bought %q (or the SecretId unmasked)",
			testID(doc, "sandbox-request-id"), testID(doc, "sandbox-action"), testID(doc, "sandbox-bought"))
	}
}

// Each product's succeeded order shows what its answer identifies.
func TestSucceededOutcomeShowsWhatWasBought(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	for _, p := range orders.Products {
		o := env.sendable(aliceUser, p)
		env.approve(bob, o)
		doc := bob.page(orderURL(o))
		if !has(doc, "send-queued") || has(doc, "send-now-button") {
			t.Fatalf("%s: auto-sent order, approved: want the queued notice and no button\n%s", p, testID(doc, "send-section"))
		}
		if n := env.queuedSends(o); n != 1 {
			t.Fatalf("%s: approval queued %d sends", p, n)
		}
		got := env.send(o)
		doc = bob.page(orderURL(o))
		if testID(doc, "order-status") != "Succeeded" || testID(doc, "outcome-request-id") != got.Sent.RequestID {
			t.Fatalf("%s: status %q, RequestId %q, want %q", p, testID(doc, "order-status"), testID(doc, "outcome-request-id"), got.Sent.RequestID)
		}
		if !strings.Contains(testID(doc, "outcome-response"), got.Sent.RequestID) {
			t.Errorf("%s: the whole answer is not shown: %q", p, testID(doc, "outcome-response"))
		}
		switch p {
		case orders.ProductWAF:
			if testID(doc, "outcome-deal-names") != strings.Join(got.Sent.DealNames, ", ") || testID(doc, "outcome-big-deal-id") != got.Sent.BigDealID || got.Sent.BigDealID == "" {
				t.Errorf("WAF deals: page %q / %q, stored %v / %q", testID(doc, "outcome-deal-names"), testID(doc, "outcome-big-deal-id"), got.Sent.DealNames, got.Sent.BigDealID)
			}
		case orders.ProductBilling:
			if testID(doc, "outcome-billing-order-id") != got.Sent.BillingOrderID || got.Sent.BillingOrderID == "" ||
				testID(doc, "outcome-instance-ids") != strings.Join(got.Sent.InstanceIDs, ", ") {
				t.Errorf("billing: page OrderId %q instances %q, stored %+v", testID(doc, "outcome-billing-order-id"), testID(doc, "outcome-instance-ids"), got.Sent)
			}
		}
	}
}

// A refused purchase shows its code, message and the catalog's
// explanation in English and Chinese.
func TestFailedOutcomeExplainsTheCode(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, o)
	env.fault(tcsim.Fault{ErrorCode: "FailedOperation.BalanceInsufficient"})
	got := env.send(o)
	doc := bob.page(orderURL(o))
	for id, want := range map[string]string{
		"order-status":           "Failed",
		"outcome-error-code":     "FailedOperation.BalanceInsufficient",
		"outcome-explanation-en": "The account balance is not enough to pay.",
		"outcome-explanation-zh": "账户余额不足。",
		"outcome-request-id":     got.Sent.RequestID,
		"attempt-outcome":        "Refused by Tencent Cloud: nothing bought",
	} {
		if got := testID(doc, id); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if testID(doc, "outcome-error-message") == "" || has(doc, "unknown-warning") {
		t.Errorf("failed order: message %q; unknown warning shown: %v", testID(doc, "outcome-error-message"), has(doc, "unknown-warning"))
	}
	if lang, _ := doc.Find(`[data-testid="outcome-explanation-zh"]`).Attr("lang"); lang != "zh-CN" {
		t.Errorf("the Chinese explanation is marked lang=%q", lang)
	}
}

// A dropped connection leaves a WAF order unknown: everyone sees the
// warning and what the sandbox received (it bought); only approvers and
// admins may settle it, with a choice and a note; nothing is sent again.
func TestUnknownWAFOrderIsSettledByHand(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductWAF)
	env.approve(bob, o)
	env.fault(tcsim.Fault{Drop: true})
	if got := env.send(o); got.Status != orders.StatusUnknown {
		t.Fatalf("after a dropped connection the order is %s", got.Status)
	}
	path := orderURL(o)

	doc := alice.page(path)
	warning := doc.Find(`[data-testid="unknown-warning"]`)
	if role, _ := warning.Attr("role"); role != "alert" || !strings.Contains(warning.Text(), "MAY HAVE BEEN BOUGHT") {
		t.Fatalf("unknown warning: role %q, text %q", role, warning.Text())
	}
	if !has(doc, "settle-not-allowed") || has(doc, "settle-form") || has(doc, "resend-form") || !has(doc, "clone-unknown-caution") {
		t.Fatal("the requester is offered settling, or not told who settles, or not cautioned against cloning")
	}
	if testID(doc, "sandbox-bought") != "yes" || !strings.Contains(doc.Find(`[data-testid="sandbox-received"]`).Text(), "body hash and time") {
		t.Errorf("the sandbox's record of the dropped call: bought %q\n%s", testID(doc, "sandbox-bought"), testID(doc, "sandbox-received"))
	}
	if resp, _ := alice.post(path+"/settle", url.Values{"result": {"failed"}, "note": {"I think it failed"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("requester settles: %d, want 403", resp.StatusCode)
	}

	doc = bob.page(path)
	if !has(doc, "settle-form") || has(doc, "resend-form") || doc.Find(`fieldset legend`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "What did you find?")
	}).Length() != 1 {
		t.Fatal("approver: no settle form with its radio group in a fieldset")
	}
	resp, body := bob.post(path+"/settle", url.Values{"note": {"Checked"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !has(parseHTML(t, body), "error-result") {
		t.Fatalf("settle without choosing: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	resp, body = bob.post(path+"/settle", url.Values{"result": {"succeeded"}, "deal_names": {"20250101000000000001"}, "note": {"  "}})
	doc = parseHTML(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("settle without a note: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	fieldError(t, doc, "note", "the note is the evidence")
	if value(doc, "deal_names") != "20250101000000000001" || doc.Find(`#result-succeeded[checked]`).Length() != 1 {
		t.Error("the refused form lost what was typed")
	}
	if got := env.order(o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("a refused settle moved the order to %s", got.Status)
	}

	resp, _ = bob.post(path+"/settle", url.Values{"result": {"succeeded"}, "deal_names": {"20250101000000000001\n20250101000000000002"},
		"note": {"The WAF console lists both deals, paid at 10:02."}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
		t.Fatalf("settle: %d to %s", resp.StatusCode, location(resp))
	}
	doc = alice.page(path)
	if testID(doc, "order-status") != "Succeeded" || testID(doc, "settlement-note") != "The WAF console lists both deals, paid at 10:02." ||
		testID(doc, "outcome-deal-names") != "20250101000000000001, 20250101000000000002" || has(doc, "unknown-warning") {
		t.Fatalf("after settling: status %q, note %q, deals %q", testID(doc, "order-status"), testID(doc, "settlement-note"), testID(doc, "outcome-deal-names"))
	}
	// Settled twice: the order is no longer unknown.
	resp, body = bob.post(path+"/settle", url.Values{"result": {"failed"}, "note": {"again"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Only orders whose outcome is unknown") {
		t.Fatalf("settling a settled order: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if calls, bought := env.purchases(); calls != 1 || bought != 1 {
		t.Fatalf("the sandbox saw %d calls, %d purchases; settling must send nothing", calls, bought)
	}
}

// A dropped connection leaves a CreateInstance order unknown; resending
// with its ClientToken settles it, and the sandbox shows one purchase.
func TestUnknownBillingOrderResendsWithItsToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductBilling)
	env.approve(bob, o)
	env.fault(tcsim.Fault{Drop: true})
	if got := env.send(o); got.Status != orders.StatusUnknown {
		t.Fatalf("after a dropped connection the order is %s", got.Status)
	}
	path := orderURL(o)
	doc := bob.page(path)
	if !has(doc, "resend-button") || has(doc, "settle-form") || testID(doc, "outcome-client-token") != o.ClientToken || o.ClientToken == "" {
		t.Fatalf("billing unknown: resend %v, hand form %v, token %q", has(doc, "resend-button"), has(doc, "settle-form"), testID(doc, "outcome-client-token"))
	}

	resp, _ := bob.post(path+"/resend", nil)
	if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
		t.Fatalf("resend: %d to %s", resp.StatusCode, location(resp))
	}
	got := env.order(o.ID)
	doc = bob.page(path)
	if got.Status != orders.StatusSucceeded || testID(doc, "order-status") != "Succeeded" || testID(doc, "outcome-billing-order-id") != got.Sent.BillingOrderID {
		t.Fatalf("after the resend: %s, page %q, OrderId %q", got.Status, testID(doc, "order-status"), testID(doc, "outcome-billing-order-id"))
	}
	calls, bought := env.purchases()
	if calls != 2 || bought != 1 {
		t.Fatalf("the sandbox saw %d calls and %d purchases; want 2 calls, 1 purchase", calls, bought)
	}
	// Both attempts are listed, each beside the sandbox's record of it:
	// the first found by its body (no answer came back), the second by its
	// RequestId, and both name the same order.
	first, second := doc.Find(`[data-testid="send-attempt-1"]`), doc.Find(`[data-testid="send-attempt-2"]`)
	if !strings.Contains(first.Text(), "body hash and time") || !strings.Contains(second.Text(), "RequestId") {
		t.Errorf("attempt matches:\n1: %s\n2: %s", first.Find(`[data-testid="sandbox-received"]`).Text(), second.Find(`[data-testid="sandbox-received"]`).Text())
	}
	for _, a := range []*goquery.Selection{first, second} {
		if orders := strings.TrimSpace(a.Find(`[data-testid="sandbox-orders"]`).Text()); orders != got.Sent.BillingOrderID {
			t.Errorf("the sandbox's call names orders %q, want %q", orders, got.Sent.BillingOrderID)
		}
	}
}

// The send and settle POSTs refuse a request without the CSRF token, as
// from another site: nothing is queued, sent or settled.
func TestSendAndSettleRefuseForgedPosts(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	env.sendsByHand(orders.ProductWAF)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover, auth.RoleAdmin)
	manual := env.sendable(aliceUser, orders.ProductWAF)
	env.approve(bob, manual)
	unknown := env.sendable(aliceUser, orders.ProductBilling)
	env.approve(bob, unknown)
	env.fault(tcsim.Fault{Drop: true})
	env.send(unknown)

	for _, tt := range []struct {
		path string
		form url.Values
	}{
		{orderURL(manual) + "/send", confirmedSend(manual)},
		{orderURL(unknown) + "/resend", url.Values{}},
		{orderURL(unknown) + "/settle", url.Values{"result": {"failed"}, "note": {"forged"}}},
	} {
		resp, _ := bob.postRaw(tt.path, tt.form, nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without a CSRF token: %d, want 403", tt.path, resp.StatusCode)
		}
	}
	if n := env.queuedSends(manual); n != 0 {
		t.Errorf("a forged Send now queued %d sends", n)
	}
	if got := env.order(unknown.ID); got.Status != orders.StatusUnknown {
		t.Errorf("a forged settle moved the order to %s", got.Status)
	}
	if calls, _ := env.purchases(); calls != 1 {
		t.Errorf("the sandbox saw %d calls, want only the first send", calls)
	}
}

// While the call is out the page says so; a throttled call puts the order
// back to approved, and the page says nothing was bought and it is retried.
func TestSendingAndDeferredNotices(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)

	throttled := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, throttled)
	env.fault(tcsim.Fault{ErrorCode: "RequestLimitExceeded"})
	if err := env.sender.Send(context.Background(), throttled.ID, throttled.ParamsSHA256); !errors.Is(err, sending.ErrRetry) {
		t.Fatalf("a throttled send returned %v, want ErrRetry", err)
	}
	doc := alice.page(orderURL(throttled))
	if testID(doc, "order-status") != "Approved" || !has(doc, "send-deferred") || !has(doc, "send-queued") ||
		testID(doc, "attempt-outcome") != "Throttled: nothing bought; tried again later" {
		t.Fatalf("throttled order: status %q, section %q, attempt %q", testID(doc, "order-status"), testID(doc, "send-section"), testID(doc, "attempt-outcome"))
	}

	inFlight := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, inFlight)
	orderstest.Move(t, env.pool, orders.NewService(env.pool), orders.Actor{}, env.order(inFlight.ID), orders.StatusSending)
	doc = alice.page(orderURL(inFlight))
	if !has(doc, "send-sending") || has(doc, "send-now-button") || has(doc, "outcome-succeeded") ||
		doc.Find(`[data-testid="send-refresh"]`).AttrOr("href", "") != orderURL(inFlight) {
		t.Fatalf("order being sent: %q", testID(doc, "send-section"))
	}
	if got := strings.TrimSpace(doc.Find("#send-heading").Text()); got != "Sending" {
		t.Errorf("the section is headed %q while sending", got)
	}
}

// A console that died mid-call left its attempt open; the job that takes
// the order over marks the attempt interrupted and the order unknown. The
// page says the bytes sent were never recorded, and still shows what the
// sandbox received: the call arrived and bought.
func TestInterruptedAttemptShowsWhatTheSandboxReceived(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, o)

	// What the console that died did: sending, an attempt opened, its call
	// recorded as starting, the call made, and nothing recorded after it.
	o = orderstest.Move(t, env.pool, orders.NewService(env.pool), orders.Actor{}, env.order(o.ID), orders.StatusSending)
	attemptID, _, err := db.BeginSendAttempt(ctx, env.pool, o.ID, "dead-replica")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkAttemptCalling(ctx, env.pool, attemptID, simSecretID); err != nil {
		t.Fatal(err)
	}
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: env.sim.URL})
	if err != nil {
		t.Fatal(err)
	}
	req, err := o.Product.ParseParams(o.Params, o.Region)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Send(ctx, tcapi.Credentials{SecretID: simSecretID, SecretKey: simSecretKey}, req); err != nil {
		t.Fatal(err)
	}

	if got := env.send(o); got.Status != orders.StatusUnknown {
		t.Fatalf("after the takeover the order is %s", got.Status)
	}
	doc := bob.page(orderURL(o))
	if got := testID(doc, "attempt-outcome"); got != "Interrupted: the console stopped mid-call; it may have bought" {
		t.Errorf("attempt outcome: %q", got)
	}
	if got := testID(doc, "attempt-hash-match"); !strings.HasPrefix(got, "not recorded") {
		t.Errorf("bytes sent of an interrupted call: %q", got)
	}
	if testID(doc, "attempt-message") == "" || !has(doc, "unknown-warning") || !has(doc, "settle-form") {
		t.Error("the interrupted attempt's message, the warning or the settle form is missing")
	}
	received := doc.Find(`[data-testid="sandbox-received"]`).Text()
	if testID(doc, "sandbox-bought") != "yes" || !strings.Contains(received, "body hash and time") {
		t.Errorf("what the sandbox received for the interrupted call: bought %q\n%s", testID(doc, "sandbox-bought"), received)
	}
}

// An order approved under a send-by-hand policy keeps its "Send now" button
// after the policy switches to auto-send: nothing queued it, and the page
// goes by the queue, not by today's policy.
func TestSendNowFollowsTheQueueNotThePolicy(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	env.sendsByHand(orders.ProductTCB)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductTCB)
	env.approve(bob, o)
	admin := orderstest.NewUser(t, env.pool, "admin")
	svc := orders.NewService(env.pool)
	policies, err := svc.Policies(context.Background())
	if err != nil || len(policies) != 1 {
		t.Fatalf("policies %v, %v", policies, err)
	}
	in := orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1, AutoSend: true, WebhookFormat: orders.WebhookGeneric}
	if _, err := svc.SavePolicy(context.Background(), admin, policies[0].ID, in); err != nil {
		t.Fatal(err)
	}
	doc := alice.page(orderURL(o))
	if !has(doc, "send-now-button") || has(doc, "send-queued") {
		t.Fatalf("approved, never queued, policy now auto-sends: the page must still offer Send now\n%s", testID(doc, "send-section"))
	}
}

// After the account's keys were replaced, a resend of a CreateInstance order
// is not made (it must be signed with the first call's key): the order stays
// unknown, the page says why, and offers to record what a person found.
func TestResendBlockedByReplacedKeysSaysWhy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.sendable(aliceUser, orders.ProductBilling)
	env.approve(bob, o)
	env.fault(tcsim.Fault{Drop: true, Times: 1})
	if got := env.send(o); got.Status != orders.StatusUnknown {
		t.Fatalf("after a dropped connection the order is %s", got.Status)
	}
	if _, err := env.accounts.ReplaceKeys(ctx, auth.SystemActor("test"), o.AccountID, accounts.Keys{
		SecretID: "AKIDreplacedkey00000000000000000", SecretKey: secrets.NewString("replacedsecretkey000000000000000")}); err != nil {
		t.Fatal(err)
	}
	path := orderURL(o)
	if has(bob.page(path), "settle-form") {
		t.Fatal("the hand form is offered before a resend was tried")
	}
	resp, _ := bob.post(path+"/resend", nil)
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusConflict {
		t.Fatalf("resend: %d", resp.StatusCode)
	}
	if got := env.order(o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("after the refused resend the order is %s", got.Status)
	}
	doc := bob.page(path)
	if why := testID(doc, "resend-blocked"); !strings.Contains(why, "keys were replaced") || !has(doc, "settle-form") {
		t.Fatalf("the page says %q; settle form %v", why, has(doc, "settle-form"))
	}
	if secret := testID(doc, "attempt-secret-id"); secret != tcapi.MaskSecretID(simSecretID) {
		t.Fatalf("the first attempt's key shows as %q", secret)
	}
	if calls, _ := env.purchases(); calls != 1 {
		t.Fatalf("%d calls: the resend under the new key was made", calls)
	}
}
