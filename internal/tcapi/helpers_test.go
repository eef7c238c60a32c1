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
			GoodsCategoryId: tcapi.Int64(102375),
			GoodsNum:        tcapi.Int64(1),
			RegionId:        tcapi.Int64(1),
			GoodsDetail: &tcapi.GoodsDetailNew{
				TimeSpan:       tcapi.Int64(1),
				TimeUnit:       tcapi.String("m"),
				SubProductCode: tcapi.String("sp_wsm_waf_premium"),
				Pid:            tcapi.Int64(1000827),
				InstanceName:   tcapi.String("dealdesk-test"),
				AutoRenewFlag:  tcapi.Int64(1),
				RealRegion:     tcapi.Int64(1),
				LabelTypes:     []string{"sv_wsm_waf_package_premium"},
				LabelCounts:    []int64{1},
				MicroVersion:   tcapi.String("saas-waf"),
			},
		}},
	}
}

// firewallOrder is a realistic Cloud Firewall order with a fresh ClientToken.
func firewallOrder() *tcapi.CreateInstanceRequest {
	return &tcapi.CreateInstanceRequest{
		ClientToken:    tcapi.String(tcapi.NewClientToken()),
		ProductCode:    tcapi.String("p_cloudfirewall"),
		SubProductCode: tcapi.String("sp_cloudfirewall_svv1"),
		RegionCode:     tcapi.String("ap-guangzhou"),
		ZoneCode:       tcapi.String("ap-guangzhou-1"),
		PayMode:        tcapi.String("PrePay"),
		Parameter:      tcapi.String(`{"pid":1002147,"productCode":"p_cloudfirewall","subProductCode":"sp_cloudfirewall_svv1","goodsNum":1,"timeSpan":1,"timeUnit":"m"}`),
	}
}

// tcbOrder is a realistic CloudBase order: a personal plan for a month, paid.
func tcbOrder() *tcapi.CreateBillDealRequest {
	return &tcapi.CreateBillDealRequest{
		DealType:     tcapi.String("purchase"),
		ProductType:  tcapi.String("tcb-baas"),
		PackageId:    tcapi.String("baas_personal"),
		CreateAndPay: tcapi.Bool(true),
		TimeSpan:     tcapi.Int64(1),
		TimeUnit:     tcapi.String("m"),
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
