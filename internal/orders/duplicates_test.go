package orders_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// dupWorld is one account with a requester, a second requester and an
// approver: the people of an accidental second purchase.
type dupWorld struct {
	pool         db.Pool
	svc          *orders.Service
	acct         int64
	alice, carol orders.Actor // requesters
	bob          orders.Actor // approver
}

func newDupWorld(t *testing.T) *dupWorld {
	t.Helper()
	pool := dbtest.New(t)
	return &dupWorld{
		pool: pool, svc: orders.NewService(pool), acct: orderstest.NewAccount(t, pool),
		alice: orderstest.NewUser(t, pool, "requester"), carol: orderstest.NewUser(t, pool, "requester"),
		bob: orderstest.NewUser(t, pool, "approver"),
	}
}

// order composes d as alice and moves it through statuses.
func (w *dupWorld) order(t *testing.T, d orders.Draft, to ...orders.Status) orders.Order {
	t.Helper()
	o, err := w.svc.Compose(context.Background(), w.alice, d)
	if err != nil {
		t.Fatal(err)
	}
	return orderstest.Move(t, w.pool, w.svc, orders.Actor{}, o, to...)
}

func (w *dupWorld) countOrders(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	toSending   = []orders.Status{orders.StatusPendingApproval, orders.StatusApproved, orders.StatusSending}
	toUnknown   = append(slices.Clone(toSending), orders.StatusUnknown)
	toSucceeded = append(slices.Clone(toSending), orders.StatusSucceeded)
)

func wantRefusalNaming(t *testing.T, err error, ids ...int64) {
	t.Helper()
	if !kindOf(err).Conflicting() {
		t.Fatalf("err = %v, want a conflict", err)
	}
	e, ok := fault.As(err)
	if !ok {
		t.Fatalf("err = %T, want *fault.Error", err)
	}
	for _, id := range ids {
		if !strings.Contains(e.Msg.String(), "#"+strconv.FormatInt(id, 10)) {
			t.Errorf("message %q does not name order #%d", e.Msg.String(), id)
		}
	}
}

func TestCloneOfUnknownOrderIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newDupWorld(t)
	lost := w.order(t, orderstest.Draft(orders.ProductBilling, w.acct), toUnknown...)
	before := w.countOrders(t)

	_, err := w.svc.Clone(ctx, w.carol, lost.ID)
	wantRefusalNaming(t, err, lost.ID)
	if got := w.countOrders(t); got != before {
		t.Errorf("orders = %d after a refused clone, want %d", got, before)
	}
	// Nor may the same purchase be composed afresh, by anyone.
	if _, err := w.svc.Compose(ctx, w.carol, orderstest.Draft(orders.ProductBilling, w.acct)); !kindOf(err).Conflicting() {
		t.Errorf("compose of an unknown order's purchase: err = %v, want a conflict", err)
	}
}

func TestComposeWhileTheSamePurchaseIsSendingIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newDupWorld(t)
	other := orderstest.Draft(orders.ProductBilling, w.acct)
	other.Params = []byte(strings.Replace(orderstest.BillingParams, `"PayMode"`, `"ProjectId":7,"PayMode"`, 1))
	draft, err := w.svc.Compose(ctx, w.carol, other)
	if err != nil {
		t.Fatal(err)
	}
	sending := w.order(t, orderstest.Draft(orders.ProductBilling, w.acct), toSending...)

	_, err = w.svc.Compose(ctx, w.carol, orderstest.Draft(orders.ProductBilling, w.acct))
	wantRefusalNaming(t, err, sending.ID)
	// An edit that would make a draft the same purchase is refused too.
	_, err = w.svc.Update(ctx, w.carol, draft.ID, draft.Version, orderstest.Draft(orders.ProductBilling, w.acct))
	wantRefusalNaming(t, err, sending.ID)
	// Another account's purchase is another purchase.
	if _, err := w.svc.Compose(ctx, w.carol, orderstest.Draft(orders.ProductBilling, orderstest.NewAccount(t, w.pool))); err != nil {
		t.Errorf("compose for another account: %v", err)
	}
	// Once it has settled (here: failed), composing is allowed again.
	orderstest.Move(t, w.pool, w.svc, orders.Actor{}, sending, orders.StatusFailed)
	if _, err := w.svc.Compose(ctx, w.carol, orderstest.Draft(orders.ProductBilling, w.acct)); err != nil {
		t.Errorf("compose after the other failed: %v", err)
	}
}

func TestCloneOfSucceededOrderNeedsTheTickToApprove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newDupWorld(t)
	bought := w.order(t, orderstest.Draft(orders.ProductBilling, w.acct), toSucceeded...)

	clone, err := w.svc.Clone(ctx, w.carol, bought.ID)
	if err != nil {
		t.Fatalf("a clone of a succeeded order is allowed (and flagged): %v", err)
	}
	if clone.ParamsSHA256 == bought.ParamsSHA256 || clone.PurchaseFingerprint != bought.PurchaseFingerprint {
		t.Fatalf("clone hash %s fingerprint %s; source hash %s fingerprint %s: want different hashes, the same fingerprint",
			clone.ParamsSHA256, clone.PurchaseFingerprint, bought.ParamsSHA256, bought.PurchaseFingerprint)
	}
	if clone, err = w.svc.Submit(ctx, w.carol, clone.ID, clone.Version); err != nil {
		t.Fatal(err)
	}
	st, err := w.svc.ApprovalState(ctx, w.bob, clone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Duplicates) != 1 || st.Duplicates[0].ID != bought.ID || !st.Duplicates[0].SamePurchase ||
		st.Duplicates[0].Status != orders.StatusSucceeded {
		t.Fatalf("approval state duplicates = %+v, want order %d, same purchase, succeeded", st.Duplicates, bought.ID)
	}

	// Without the tick: refused, nothing recorded.
	_, err = w.svc.Approve(ctx, w.bob, clone.ID, clone.Version, clone.ParamsSHA256, "ok", orders.ApproveOptions{})
	if fe, ok := fault.AsFields(err); !ok || !strings.Contains(fe["not_duplicate"].String(), "#"+strconv.FormatInt(bought.ID, 10)) {
		t.Fatalf("approve without the tick: err = %v, want a not_duplicate field error naming #%d", err, bought.ID)
	}
	// Ticked, but against a list that lacked the match: refused too.
	_, err = w.svc.Approve(ctx, w.bob, clone.ID, clone.Version, clone.ParamsSHA256, "ok",
		orders.ApproveOptions{NotDuplicate: true, Shown: []int64{}})
	if fe, ok := fault.AsFields(err); !ok || fe["not_duplicate"].Key == "" {
		t.Fatalf("approve ticked against an out-of-date list: err = %v, want a not_duplicate field error", err)
	}
	if got, _ := w.svc.Get(ctx, clone.ID); got.Status != orders.StatusPendingApproval {
		t.Fatalf("order is %s after refused approvals", got.Status)
	}
	if as, _ := db.ListApprovals(ctx, w.pool, clone.ID); len(as) != 0 {
		t.Fatalf("refused approvals were recorded: %+v", as)
	}

	// With the tick: approved, and the record says what was checked.
	got, err := w.svc.Approve(ctx, w.bob, clone.ID, clone.Version, clone.ParamsSHA256, "checked: renewal of capacity",
		orders.ApproveOptions{NotDuplicate: true, Shown: []int64{bought.ID}})
	if err != nil || got.Status != orders.StatusApproved {
		t.Fatalf("approve with the tick: %v, status %s", err, got.Status)
	}
	as, err := db.ListApprovals(ctx, w.pool, clone.ID)
	if err != nil || len(as) != 1 || !slices.Equal(as[0].DuplicatesChecked, []int64{bought.ID}) {
		t.Fatalf("approvals = %+v (%v), want one with duplicates_checked [%d]", as, err, bought.ID)
	}
	var raw []byte
	if err := w.pool.QueryRow(ctx, `SELECT details FROM audit_events WHERE action = 'order.approval_given' AND subject = $1`,
		clone.Subject()).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var details struct {
		DuplicatesChecked []int64 `json:"duplicates_checked"`
	}
	if err := json.Unmarshal(raw, &details); err != nil || !slices.Equal(details.DuplicatesChecked, []int64{bought.ID}) {
		t.Fatalf("audit details %s: want duplicates_checked [%d]", raw, bought.ID)
	}
}

func TestApprovalWithoutMatchesRecordsNone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newDupWorld(t)
	o := submitted(t, w.svc, w.alice, orders.ProductTCB, w.acct)
	if _, err := w.svc.Approve(ctx, w.bob, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatalf("an order nothing matches needs no tick: %v", err)
	}
	as, _ := db.ListApprovals(ctx, w.pool, o.ID)
	if len(as) != 1 || as[0].DuplicatesChecked == nil || len(as[0].DuplicatesChecked) != 0 {
		t.Fatalf("approvals = %+v, want one with duplicates_checked []", as)
	}
}

func TestSucceededOutsideTheWindowIsNotFlagged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newDupWorld(t)
	old := w.order(t, orderstest.Draft(orders.ProductBilling, w.acct), toSucceeded...)
	if _, err := w.pool.Exec(ctx, `UPDATE orders SET finished_at = now() - interval '31 days', updated_at = now() - interval '31 days'
		WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	o := submitted(t, w.svc, w.carol, orders.ProductBilling, w.acct)
	if ds, err := w.svc.Duplicates(ctx, o); err != nil || len(ds) != 0 {
		t.Fatalf("duplicates under the default 30-day window = %+v (%v), want none", ds, err)
	}
	// A longer window reaches it.
	if ds, err := w.svc.WithDuplicateWindow(60*24*time.Hour).Duplicates(ctx, o); err != nil || len(ds) != 1 || ds[0].ID != old.ID {
		t.Fatalf("duplicates under a 60-day window = %+v (%v), want order %d", ds, err, old.ID)
	}
	if _, err := w.svc.Approve(ctx, w.bob, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatalf("approve without the tick, nothing in the window: %v", err)
	}
}

func TestSameTCBEnvironmentIsFlagged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newDupWorld(t)
	renew := func(env, pkg string) orders.Draft {
		d := orderstest.Draft(orders.ProductTCB, w.acct)
		d.Params = []byte(`{"DealType":"renew","ProductType":"tcb-baas","PackageId":"` + pkg +
			`","ResourceId":"` + env + `","TimeSpan":1,"TimeUnit":"m"}`)
		return d
	}
	approved := w.order(t, renew("env-shop", "baas_personal"), orders.StatusPendingApproval, orders.StatusApproved)
	if !slices.Equal(approved.PurchaseTargets, []string{"env-shop"}) {
		t.Fatalf("targets = %q, want [env-shop]", approved.PurchaseTargets)
	}

	same, err := w.svc.Compose(ctx, w.carol, renew("env-shop", "baas_standard"))
	if err != nil {
		t.Fatalf("an approved match flags, it does not refuse: %v", err)
	}
	ds, err := w.svc.Duplicates(ctx, same)
	if err != nil || len(ds) != 1 || ds[0].ID != approved.ID || !ds[0].SameTarget || ds[0].SamePurchase {
		t.Fatalf("duplicates = %+v (%v), want order %d by target only", ds, err, approved.ID)
	}
	other, err := w.svc.Compose(ctx, w.carol, renew("env-blog", "baas_standard"))
	if err != nil {
		t.Fatal(err)
	}
	if ds, err := w.svc.Duplicates(ctx, other); err != nil || len(ds) != 0 {
		t.Fatalf("another environment's duplicates = %+v (%v), want none", ds, err)
	}
	// While the first is being sent, the same environment is refused.
	orderstest.Move(t, w.pool, w.svc, orders.Actor{}, approved, orders.StatusSending)
	_, err = w.svc.Compose(ctx, w.carol, renew("env-shop", "baas_standard"))
	wantRefusalNaming(t, err, approved.ID)
}

// TestPurchaseKeySQLAgrees holds migration 011's backfill functions to the
// Go that computes the keys of every new order.
func TestPurchaseKeySQLAgrees(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	cases := []struct {
		p      orders.Product
		params string
	}{
		{orders.ProductBilling, `{"ClientToken":"0F2C-<&>","ProductCode":"p","Parameter":"{\"ClientToken\":\"x\",\"a\":\"<b>\"}"}`},
		{orders.ProductBilling, orderstest.BillingParams},
		{orders.ProductWAF, orderstest.WAFParams},
		{orders.ProductWAF, `{"Goods":[{"GoodsDetail":{"InstanceId":"waf_b","ResourceId":"res-1"}},{"GoodsDetail":{"InstanceId":"waf_a"}},7,{"GoodsDetail":{"InstanceId":3}}],"InstanceId":"waf_b"}`},
		{orders.ProductTCB, `{"DealType":"renew","EnvId":"env-2","ResourceId":"env-1","Alias":"é ünï"}`},
		{orders.ProductTCB, orderstest.TCBParams},
		{orders.ProductBillingRenew, orderstest.BillingRenewParams},
		{orders.ProductBillingRenew, `{"InstanceId":"cfwi-<&>","ProductCode":"p"}`},
	}
	for _, c := range cases {
		params := []byte(c.params)
		if c.p.Spec().UsesClientToken {
			var m map[string]any
			_ = json.Unmarshal(params, &m)
			m["ClientToken"] = "B1A2-TOKEN"
			params, _ = json.Marshal(m)
		}
		canon, err := orders.Canonical(params)
		if err != nil {
			t.Fatal(err)
		}
		want, err := orders.PurchaseKeyOf(c.p, canon)
		if err != nil {
			t.Fatal(err)
		}
		var fp string
		var targets []string
		if err := pool.QueryRow(ctx, `SELECT orders_purchase_fingerprint($1::json), orders_purchase_targets($2, $1::json)`,
			string(canon), string(c.p)).Scan(&fp, &targets); err != nil {
			t.Fatal(err)
		}
		slices.Sort(targets)
		if fp != want.Fingerprint || !slices.Equal(targets, want.Targets) {
			t.Errorf("%s %s:\n SQL %s %q\n Go  %s %q", c.p, canon, fp, targets, want.Fingerprint, want.Targets)
		}
	}
	// Without its token a billing body hashes to its fingerprint.
	noToken, _ := orders.Canonical([]byte(orderstest.BillingParams))
	withToken, _ := orders.Canonical([]byte(strings.Replace(orderstest.BillingParams, `{`, `{"ClientToken":"T",`, 1)))
	k, _ := orders.PurchaseKeyOf(orders.ProductBilling, withToken)
	if k.Fingerprint != orders.Hash(noToken) {
		t.Errorf("fingerprint %s, want the hash of the body without ClientToken %s", k.Fingerprint, orders.Hash(noToken))
	}
}
