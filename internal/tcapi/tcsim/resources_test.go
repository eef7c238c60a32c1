package tcsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func signed(service, version, action, region, body string) signedCall {
	c := balanceCall()
	c.service, c.version, c.action, c.region, c.body = service, version, action, region, body
	return c
}

func wafCall(body string) signedCall {
	return signed("waf", "2018-01-25", "GenerateDealsAndPayNew", "ap-guangzhou", body)
}

func tcbCall(body string) signedCall {
	return signed("tcb", "2018-06-08", "CreateBillDeal", "", body)
}

func resourcesOf(t *testing.T, h http.Handler) []Resource {
	t.Helper()
	code, body := adminDo(t, h, http.MethodGet, "/__sim/resources?SecretId="+testID, "")
	var out []Resource
	if err := json.Unmarshal([]byte(body), &out); code != 200 || err != nil {
		t.Fatalf("resources: %d %s (%v)", code, body, err)
	}
	return out
}

// The sandbox remembers what each account bought: a renewal, a change or
// an add-on of an id the account does not own is ResourceNotFound and
// charges nothing; a renewal of its own instance moves the expiry by the
// term; /__sim/resources lists it all and Reset forgets it.
func TestSandboxRemembersWhatItSold(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	sim := New(Options{Keys: map[string]string{testID: testKey, tokenID: tokenKey2}, Tokens: map[string]string{tokenID: testToken}, Now: func() time.Time { return now }})
	h := sim.Handler()
	at := func(c signedCall) signedCall { c.at = now; return c }

	buy := `{"Goods":[{"GoodsCategoryId":102375,"GoodsNum":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827}}]}`
	if code, msg := send(t, h, at(wafCall(buy)).request()); code != "" {
		t.Fatalf("purchase: %s %s", code, msg)
	}
	owned := resourcesOf(t, h)
	if len(owned) != 1 || owned[0].Product != "p_waf" || !owned[0].Expiry.Equal(now.AddDate(0, 1, 0)) || len(owned[0].Deals) != 1 {
		t.Fatalf("after a purchase the account owns %+v", owned)
	}
	id := owned[0].ID

	renew := func(instance string) string {
		return `{"Goods":[{"GoodsCategoryId":102376,"GoodsNum":1,"GoodsDetail":{"TimeSpan":2,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","InstanceId":"` + instance + `"}}]}`
	}
	balance := sim.Balance(testID)
	for name, body := range map[string]string{
		"renewal":     renew("waf_nobodys"),
		"change":      `{"Goods":[{"GoodsCategoryId":102377,"GoodsNum":1,"GoodsDetail":{"CurDeadline":"2026-04-01 10:00:00","InstanceId":"waf_nobodys"}}]}`,
		"add-on":      `{"Goods":[{"GoodsCategoryId":1025564,"GoodsNum":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_bot_protection","InstanceId":"waf_nobodys"}}]}`,
		"tcb renewal": `{"DealType":"renew","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m","ResourceId":"cloud-nobodys"}`,
		"tcb pack":    `{"DealType":"purchase","ProductType":"tcb-package","PackageId":"pkg_tcb_api_invoke_num","CreateAndPay":true,"TimeUnit":"p","EnvId":"cloud-nobodys"}`,
	} {
		c := at(wafCall(body))
		if strings.HasPrefix(name, "tcb") {
			c = at(tcbCall(body))
		}
		if code, msg := send(t, h, c.request()); code != "ResourceNotFound" || !strings.Contains(msg, "nobodys") {
			t.Errorf("%s of an id the account does not own: %q %q, want ResourceNotFound naming it", name, code, msg)
		}
	}
	// Another account's instance is not this one's either.
	other := at(wafCall(renew(id)))
	other.secretID, other.secretKey, other.token = tokenID, tokenKey2, testToken
	if code, _ := send(t, h, other.request()); code != "ResourceNotFound" {
		t.Errorf("another account renewed this account's instance: %q", code)
	}
	if sim.Balance(testID) != balance {
		t.Fatalf("refused calls charged %d", balance-sim.Balance(testID))
	}

	if code, msg := send(t, h, at(wafCall(renew(id))).request()); code != "" {
		t.Fatalf("renewal of the account's own instance: %s %s", code, msg)
	}
	owned = resourcesOf(t, h)
	if len(owned) != 1 || !owned[0].Expiry.Equal(now.AddDate(0, 3, 0)) || len(owned[0].Deals) != 2 {
		t.Fatalf("after a two-month renewal: %+v, want expiry %s and two deals", owned, now.AddDate(0, 3, 0))
	}

	// Seeding through the admin API gives an environment to renew.
	if code, body := adminDo(t, h, http.MethodPost, "/__sim/resources", `{"SecretId":"`+testID+`","Id":"cloud-seeded","Product":"p_tcb","Expiry":"2026-03-10T00:00:00Z"}`); code != http.StatusCreated {
		t.Fatalf("seed: %d %s", code, body)
	}
	if code, msg := send(t, h, at(tcbCall(`{"DealType":"renew","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m","ResourceId":"cloud-seeded"}`)).request()); code != "" {
		t.Fatalf("renewal of a seeded environment: %s %s", code, msg)
	}
	for _, r := range resourcesOf(t, h) {
		if r.ID == "cloud-seeded" && !r.Expiry.Equal(time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("seeded environment after renewal: %+v", r)
		}
	}
	if code, _ := adminDo(t, h, http.MethodPost, "/__sim/resources", `{"Id":"x"}`); code != http.StatusBadRequest {
		t.Fatalf("a resource without account or product was accepted: %d", code)
	}

	adminDo(t, h, http.MethodPost, "/__sim/reset", "")
	if got := resourcesOf(t, h); len(got) != 0 {
		t.Fatalf("after reset: %+v", got)
	}
}

// Options.Resources are owned by every account from the start and again
// after a Reset.
func TestPreOwnedResources(t *testing.T) {
	t.Parallel()
	sim := New(Options{Keys: map[string]string{testID: testKey, tokenID: tokenKey2}, Tokens: map[string]string{tokenID: testToken},
		Resources: []Resource{{ID: "cloud-2g248wj43786d54d", Product: "p_tcb"}}})
	h := sim.Handler()
	body := `{"DealType":"renew","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m","ResourceId":"cloud-2g248wj43786d54d"}`
	for range 2 {
		if code, msg := send(t, h, tcbCall(body).request()); code != "" {
			t.Fatalf("renewal of a pre-owned environment: %s %s", code, msg)
		}
		if n := len(sim.Resources("")); n != 2 {
			t.Fatalf("%d resources, want one per account", n)
		}
		sim.Reset()
	}
}

// RenewInstance renews only an instance the account bought with
// CreateInstance, moves its expiry by the term, and is idempotent on its
// ClientToken like CreateInstance.
func TestRenewInstanceRenewsOnlyOwnInstances(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	sim := New(Options{Keys: map[string]string{testID: testKey}, Now: func() time.Time { return now }})
	h := sim.Handler()
	billing := func(action, body string) signedCall {
		c := signed("billing", "2018-07-09", action, "", body)
		c.at = now
		return c
	}
	buy := `{"ClientToken":"buy-1","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou","ZoneCode":"ap-guangzhou-1","PayMode":"PrePay","Parameter":"{}","Period":1}`
	if code, msg := send(t, h, billing("CreateInstance", buy).request()); code != "" {
		t.Fatalf("purchase: %s %s", code, msg)
	}
	owned := sim.Resources(testID)
	if len(owned) != 1 || owned[0].Product != "p_cloudfirewall" || !owned[0].Expiry.Equal(now.AddDate(0, 1, 0)) {
		t.Fatalf("after CreateInstance the account owns %+v", owned)
	}
	renew := func(token, instance string) string {
		return `{"ClientToken":"` + token + `","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou","InstanceId":"` + instance + `","Period":1,"PeriodUnit":"y"}`
	}
	if code, _ := send(t, h, billing("RenewInstance", renew("renew-0", "cfw-nobodys")).request()); code != "ResourceNotFound" {
		t.Fatalf("renewal of an instance the account does not own: %q", code)
	}
	if code, _ := send(t, h, billing("RenewInstance", renew("", owned[0].ID)).request()); code != "MissingParameter" {
		t.Fatalf("renewal without a token: %q", code)
	}
	for range 2 { // the same token twice renews once
		if code, msg := send(t, h, billing("RenewInstance", renew("renew-1", owned[0].ID)).request()); code != "" {
			t.Fatalf("renewal: %s %s", code, msg)
		}
	}
	if got := sim.Resources(testID)[0]; !got.Expiry.Equal(now.AddDate(1, 1, 0)) || len(got.Deals) != 2 {
		t.Fatalf("after a one-year renewal (sent twice with one token): %+v", got)
	}
}
