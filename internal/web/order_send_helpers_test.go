package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

// accountSeq names the accounts sendable stores, which must differ.
var accountSeq atomic.Int64

// sendable composes and submits an order of the requester's, for product
// p, on an account whose keys the env's sandbox accepts: once approved, it
// can really be sent.
func (e *testEnv) sendable(requester auth.User, p orders.Product) orders.Order {
	e.t.Helper()
	ctx := context.Background()
	acct := e.account("sandbox "+strconv.FormatInt(accountSeq.Add(1), 10), simSecretID, simSecretKey)
	a := orders.Actor{UserID: requester.ID, Roles: roleNames(requester.Roles)}
	svc := orders.NewService(e.pool)
	o, err := svc.Compose(ctx, a, orderstest.Draft(p, acct.ID))
	if err != nil {
		e.t.Fatal(err)
	}
	if o, err = svc.Submit(ctx, a, o.ID, o.Version); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// approve approves the order through its page's form, as the approver.
func (e *testEnv) approve(approver *client, o orders.Order) {
	e.t.Helper()
	resp, body := approver.post(orderURL(o)+"/approve", decisionForm(o, "go ahead"))
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("approve order %d: %d\n%s", o.ID, resp.StatusCode, pageErrors(body))
	}
}

// sendsByHand sets the product's policy to one approver, sent by hand.
func (e *testEnv) sendsByHand(p orders.Product) {
	e.t.Helper()
	admin := orderstest.NewUser(e.t, e.pool, "admin")
	if _, err := orders.NewService(e.pool).SavePolicy(context.Background(), admin, 0, orders.PolicyInput{
		Product: p, RequiredApprovers: 1, AutoSend: false, WebhookFormat: orders.WebhookGeneric,
	}); err != nil {
		e.t.Fatal(err)
	}
}

// queuedSends counts the River send jobs for the order and hash.
func (e *testEnv) queuedSends(o orders.Order) int {
	e.t.Helper()
	var n int
	err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job
		WHERE kind = 'send_order' AND (args->>'order_id')::bigint = $1 AND args->>'params_sha256' = $2`,
		o.ID, o.ParamsSHA256).Scan(&n)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// send does what the queued job does, now: the queue never runs in these
// tests, so each test decides when the call happens.
func (e *testEnv) send(o orders.Order) orders.Order {
	e.t.Helper()
	if err := e.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		e.t.Fatalf("send order %d: %v", o.ID, err)
	}
	return e.order(o.ID)
}

// fault makes the sandbox misbehave once.
func (e *testEnv) fault(f tcsim.Fault) {
	e.t.Helper()
	f.Times = 1
	if _, err := e.sim.AddFault(f); err != nil {
		e.t.Fatal(err)
	}
}

// purchases counts the sandbox's calls and those that bought.
func (e *testEnv) purchases() (calls, bought int) {
	for _, c := range e.sim.Calls() {
		calls++
		if c.Bought {
			bought++
		}
	}
	return calls, bought
}

func orderURL(o orders.Order) string { return "/orders/" + strconv.FormatInt(o.ID, 10) }

// page gets a page that must answer 200, parsed.
func (c *client) page(path string) *goquery.Document {
	c.t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, pageErrors(body))
	}
	return parseHTML(c.t, body)
}

// testID is the text of the element with data-testid="id", spaces folded.
func testID(doc *goquery.Document, id string) string {
	return strings.Join(strings.Fields(doc.Find(`[data-testid="`+id+`"]`).Text()), " ")
}

// has reports whether the page has an element with data-testid="id".
func has(doc *goquery.Document, id string) bool {
	return doc.Find(`[data-testid="`+id+`"]`).Length() > 0
}

// confirmedSend is the confirmation page's form for o: its version and
// hash, confirmed.
func confirmedSend(o orders.Order) url.Values {
	return url.Values{"params_sha256": {o.ParamsSHA256}, "version": {strconv.Itoa(o.Version)}, "confirmed": {"yes"}}
}
