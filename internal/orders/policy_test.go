package orders_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

func TestPolicyLookupPrefersTheAccountThenTheProduct(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	special, plain := orderstest.NewAccount(t, pool), orderstest.NewAccount(t, pool)

	got, err := svc.PolicyFor(ctx, orders.ProductWAF, plain)
	if err != nil || !reflect.DeepEqual(got, orders.DefaultPolicy(orders.ProductWAF)) || got.RequiredApprovers != 1 || !got.AutoSend {
		t.Fatalf("with no policies: %+v, %v; want the default (1 approver, auto-send)", got, err)
	}
	product := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductWAF, RequiredApprovers: 2, AutoSend: true})
	account := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductWAF, AccountID: special, RequiredApprovers: 3})
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, AccountID: plain, RequiredApprovers: 5})

	for _, c := range []struct {
		product orders.Product
		account int64
		wantID  int64
		want    int
	}{
		{orders.ProductWAF, special, account.ID, 3},
		{orders.ProductWAF, plain, product.ID, 2},
		{orders.ProductBilling, special, 0, 1}, // nothing for billing: the default
	} {
		got, err := svc.PolicyFor(ctx, c.product, c.account)
		if err != nil || got.ID != c.wantID || got.RequiredApprovers != c.want {
			t.Errorf("%s on account %d: %+v, %v; want policy %d with %d approvers", c.product, c.account, got, err, c.wantID, c.want)
		}
	}
}

func TestSavePolicyRulesAndAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	admin, approver := orderstest.NewUser(t, pool, "admin"), orderstest.NewUser(t, pool, "approver")
	acct := orderstest.NewAccount(t, pool)

	ok := orders.PolicyInput{Product: orders.ProductTCB, AccountID: acct, RequiredApprovers: 2, AutoSend: true,
		WebhookURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key", WebhookFormat: orders.WebhookWeCom}
	if _, err := svc.SavePolicy(ctx, approver, 0, ok); kindOf(err) != fault.Refused {
		t.Fatalf("an approver changed a policy: %v", err)
	}
	for name, c := range map[string]struct {
		edit  func(*orders.PolicyInput)
		field string
	}{
		"no product":      {func(p *orders.PolicyInput) { p.Product = "" }, "product"},
		"zero approvers":  {func(p *orders.PolicyInput) { p.RequiredApprovers = 0 }, "required_approvers"},
		"many approvers":  {func(p *orders.PolicyInput) { p.RequiredApprovers = orders.MaxRequiredApprovers + 1 }, "required_approvers"},
		"no such account": {func(p *orders.PolicyInput) { p.AccountID = 1 << 40 }, "account"},
		"not a URL":       {func(p *orders.PolicyInput) { p.WebhookURL = "hooks.example.com/x" }, "webhook_url"},
		"ftp URL":         {func(p *orders.PolicyInput) { p.WebhookURL = "ftp://hooks.example.com/x" }, "webhook_url"},
		"password in URL": {func(p *orders.PolicyInput) { p.WebhookURL = "https://u:p@hooks.example.com/x" }, "webhook_url"},
		"bad format":      {func(p *orders.PolicyInput) { p.WebhookFormat = "teams" }, "webhook_format"},
	} {
		in := ok
		c.edit(&in)
		_, err := svc.SavePolicy(ctx, admin, 0, in)
		if fe, isFE := fault.AsFields(err); !isFE || fe[c.field].Key == "" {
			t.Errorf("%s: %v, want an error on %s", name, err, c.field)
		}
	}
	p, err := svc.SavePolicy(ctx, admin, 0, ok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SavePolicy(ctx, admin, 0, ok); err == nil {
		t.Fatal("a second policy for the same product and account was stored")
	} else if fe, _ := fault.AsFields(err); fe["account"].Key == "" {
		t.Fatalf("duplicate: %v, want an error on account", err)
	}
	ok.RequiredApprovers, ok.WebhookURL = 4, ""
	if p, err = svc.SavePolicy(ctx, admin, p.ID, ok); err != nil || p.RequiredApprovers != 4 || p.WebhookURL != "" {
		t.Fatalf("update: %+v, %v", p, err)
	}
	if err := svc.DeletePolicy(ctx, admin, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeletePolicy(ctx, admin, p.ID); kindOf(err) != fault.NotFound {
		t.Fatalf("delete twice: %v", err)
	}

	events, _ := db.AuditEventsFor(ctx, pool, orders.PolicySubject(p.ID))
	if len(events) != 3 || events[0].Action != "approval_policy.created" || events[1].Action != "approval_policy.updated" ||
		events[2].Action != "approval_policy.deleted" {
		t.Fatalf("audit: %+v", events)
	}
	for _, e := range events {
		if e.Details["webhook_host"] == nil {
			t.Errorf("%s: no webhook_host in %v", e.Action, e.Details)
		}
		for k, v := range e.Details {
			if s, _ := v.(string); strings.Contains(s, "secret-key") {
				t.Errorf("%s: the webhook's key is in the audit log (%s)", e.Action, k)
			}
		}
		if before, _ := e.Details["before"].(map[string]any); before != nil && before["webhook_host"] != "qyapi.weixin.qq.com" {
			t.Errorf("%s: before = %v", e.Action, before)
		}
	}
}

// setPolicy stores a policy as a fresh admin.
func setPolicy(t *testing.T, pool db.Pool, svc *orders.Service, in orders.PolicyInput) orders.Policy {
	t.Helper()
	p, err := svc.SavePolicy(context.Background(), orderstest.NewUser(t, pool, "admin"), 0, in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
