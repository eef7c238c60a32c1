package tcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

const (
	testID  = "AKIDdealdesktest0001"
	testKey = "dealdesk-test-secret-key"
)

var creds = tcapi.Credentials{SecretID: testID, SecretKey: testKey}

// sandbox starts a sandbox that knows creds, with opts adjusted by change.
func sandbox(t *testing.T, change ...func(*tcsim.Options)) *tcsimtest.Server {
	t.Helper()
	// The account owns what the documents' examples and the rule cases
	// renew, change or add to.
	owned := append(tcsim.ExampleResources(), tcsim.Resource{ID: "waf_000001", Product: "p_waf"}, tcsim.Resource{ID: "env-1", Product: "p_tcb"},
		tcsim.Resource{ID: "cfw-a1b2c3d4", Product: "p_cloudfirewall"}, tcsim.Resource{ID: "cfwi-0001", Product: "p_cloudfirewall"})
	opts := tcsim.Options{Keys: map[string]string{testID: testKey}, Resources: owned}
	for _, c := range change {
		c(&opts)
	}
	return tcsimtest.Start(t, opts)
}

// client returns a client for the sandbox at url, with cfg adjusted by change.
func client(t *testing.T, url string, change ...func(*tcapi.ClientConfig)) *tcapi.Client {
	t.Helper()
	cfg := tcapi.ClientConfig{Endpoint: url}
	for _, c := range change {
		c(&cfg)
	}
	c, err := tcapi.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// noLimit lets every call through at once: it stands for a client that
// forgot to rate-limit.
type noLimit struct{}

func (noLimit) Wait(context.Context, tcapi.LimitKey) error { return nil }

// wafOrder is a realistic WAF order built from the product tables in
// tencentcloud-api.md: one month of SaaS WAF Premium on the mainland.
func wafOrder() *tcapi.GenerateDealsAndPayNewRequest {
	return &tcapi.GenerateDealsAndPayNewRequest{
		Region: "ap-guangzhou",
		Goods: []tcapi.GoodNews{{
			GoodsCategoryId: new(int64(102375)),
			GoodsNum:        new(int64(1)),
			RegionId:        new(int64(1)),
			GoodsDetail: &tcapi.GoodsDetailNew{
				TimeSpan:       new(int64(1)),
				TimeUnit:       new("m"),
				SubProductCode: new("sp_wsm_waf_premium"),
				Pid:            new(int64(1000827)),
				InstanceName:   new("dealdesk-test"),
				AutoRenewFlag:  new(int64(1)),
				RealRegion:     new(int64(1)),
				LabelTypes:     []string{"sv_wsm_waf_package_premium"},
				LabelCounts:    []int64{1},
				MicroVersion:   new("saas-waf"),
			},
		}},
	}
}

// firewallOrder is a realistic Cloud Firewall order with a fresh ClientToken.
func firewallOrder() *tcapi.CreateInstanceRequest {
	return &tcapi.CreateInstanceRequest{
		ClientToken:    new(tcapi.NewClientToken()),
		ProductCode:    new("p_cloudfirewall"),
		SubProductCode: new("sp_cloudfirewall_svv1"),
		RegionCode:     new("ap-guangzhou"),
		ZoneCode:       new("ap-guangzhou-1"),
		PayMode:        new("PrePay"),
		Parameter:      new(`{"pid":1002147,"productCode":"p_cloudfirewall","subProductCode":"sp_cloudfirewall_svv1","goodsNum":1,"timeSpan":1,"timeUnit":"m"}`),
	}
}

// tcbOrder is a realistic CloudBase order: a personal plan for a month, paid.
func tcbOrder() *tcapi.CreateBillDealRequest {
	return &tcapi.CreateBillDealRequest{
		DealType:     new("purchase"),
		ProductType:  new("tcb-baas"),
		PackageId:    new("baas_personal"),
		CreateAndPay: new(true),
		TimeSpan:     new(int64(1)),
		TimeUnit:     new("m"),
	}
}

// jsonEqual compares two JSON texts by meaning, numbers digit for digit.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	return reflect.DeepEqual(decodeJSON(t, a), decodeJSON(t, b))
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return v
}

// bought counts the calls that charged the balance.
func bought(calls []tcsim.Call) int {
	n := 0
	for _, c := range calls {
		if c.Bought {
			n++
		}
	}
	return n
}

func lastCall(t *testing.T, sim *tcsimtest.Server) tcsim.Call {
	t.Helper()
	calls := sim.Calls()
	if len(calls) == 0 {
		t.Fatal("the sandbox received no call")
	}
	return calls[len(calls)-1]
}

func mustContain(t *testing.T, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Fatalf("%q does not contain %q", s, sub)
	}
}
