package tcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
)

func TestSendLeavesUnsetFieldsOut(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	order := firewallOrder()
	res, err := client(t, sim.URL).Send(context.Background(), creds, order)
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]json.RawMessage
	if err := json.Unmarshal(res.Sent, &sent); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range sent {
			if !yield(k) {
				return
			}
		}
	})
	want := []string{"ClientToken", "Parameter", "PayMode", "ProductCode", "RegionCode", "SubProductCode", "ZoneCode"}
	if !slices.Equal(keys, want) {
		t.Fatalf("sent %v, want only the fields set: %v", keys, want)
	}
	if !bytes.Equal(lastCall(t, sim).Params, res.Sent) {
		t.Fatalf("Result.Sent %s differs from what the sandbox received %s", res.Sent, lastCall(t, sim).Params)
	}
	resp := res.Response.(*tcapi.CreateInstanceResponse)
	if tcapi.Deref(resp.OrderId) == "" || len(resp.InstanceIdList) != 1 || res.RequestID == "" {
		t.Fatalf("answer %+v", resp)
	}
}

func TestRegionHeaderOnlyWhereItApplies(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	waf := wafOrder()
	waf.Region = "ap-seoul"
	for _, req := range []tcapi.Request{waf, firewallOrder(), tcbOrder()} {
		if res, err := c.Send(context.Background(), creds, req); err != nil {
			t.Fatalf("%s: %s: %v", req.Target().Action, res.Outcome, err)
		}
	}
	regions := map[string]string{}
	for _, call := range sim.Calls() {
		regions[call.Action] = call.Region
	}
	want := map[string]string{"GenerateDealsAndPayNew": "ap-seoul", "CreateInstance": "", "CreateBillDeal": ""}
	if fmt.Sprint(regions) != fmt.Sprint(want) {
		t.Fatalf("X-TC-Region per action = %v, want %v", regions, want)
	}
}

func TestWAFSuccessNamesOneDealPerLine(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	order := wafOrder()
	second := order.Goods[0]
	second.GoodsNum = new(int64(2))
	order.Goods = append(order.Goods, second)
	res, err := client(t, sim.URL).Send(context.Background(), creds, order)
	if err != nil || res.Outcome != tcapi.Succeeded {
		t.Fatalf("%s: %v", res.Outcome, err)
	}
	resp := res.Response.(*tcapi.GenerateDealsAndPayNewResponse)
	if tcapi.Deref(resp.Status) != 1 || len(resp.Data.DealNames) != 2 || tcapi.Deref(resp.Data.BigDealId) == "" || tcapi.Deref(resp.InstanceId) == "" {
		t.Fatalf("answer %s", res.Received)
	}
	if !uuidPattern.MatchString(res.RequestID) {
		t.Fatalf("RequestId %q is not a UUID", res.RequestID)
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestLanguageHeaderIsSent(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{"zh-CN": "资源售罄。", "en-US": "The resources are sold out."} {
		sim := sandbox(t)
		// With no message of its own, the fault answers the sandbox's
		// description of the code in the call's X-TC-Language.
		if _, err := sim.AddFault(tcsim.Fault{ErrorCode: "ResourcesSoldOut"}); err != nil {
			t.Fatal(err)
		}
		res, _ := client(t, sim.URL, func(cfg *tcapi.ClientConfig) { cfg.Language = lang }).Send(context.Background(), creds, tcbOrder())
		if res.ErrorMessage != want {
			t.Errorf("%s: message %q, want %q", lang, res.ErrorMessage, want)
		}
	}
}

func TestInvalidRequestIsNeverSent(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	order := firewallOrder()
	order.ClientToken = nil // the client must not make one up
	order.Period = new(int64(37))
	res, err := client(t, sim.URL).Send(context.Background(), creds, order)
	var ve *tcapi.ValidationError
	if res.Outcome != tcapi.NotSent || !errors.As(err, &ve) {
		t.Fatalf("%s: %v, want not_sent with a ValidationError", res.Outcome, err)
	}
	var paths []string
	for _, f := range ve.Fields {
		paths = append(paths, f.Path)
	}
	if !slices.Equal(paths, []string{"ClientToken", "Period"}) {
		t.Fatalf("field errors on %v, want ClientToken and Period", paths)
	}
	if n := len(sim.Calls()); n != 0 || res.Sent != nil {
		t.Fatalf("an invalid request reached the sandbox (%d calls)", n)
	}
}

func TestDroppedConnectionIsUnknownAndTokenResendBuysOnce(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	if _, err := sim.AddFault(tcsim.Fault{Action: "CreateInstance", Times: 1, Drop: true}); err != nil {
		t.Fatal(err)
	}
	order := firewallOrder()
	before := sim.Balance(testID)

	res, err := c.Send(context.Background(), creds, order)
	if res.Outcome != tcapi.Unknown || !errors.Is(err, tcapi.ErrUnknownOutcome) || res.Outcome.SafeToResend() {
		t.Fatalf("dropped connection: %s (%v), want unknown", res.Outcome, err)
	}
	first := lastCall(t, sim)
	if !first.Bought || first.Outcome != "ConnectionDropped" {
		t.Fatalf("the sandbox should have bought before dropping: %+v", first)
	}

	// Settling: resend the stored order, with its stored token.
	res, err = c.Send(context.Background(), creds, order)
	if err != nil || res.Outcome != tcapi.Succeeded {
		t.Fatalf("resend: %s: %v", res.Outcome, err)
	}
	if got := tcapi.Deref(res.Response.(*tcapi.CreateInstanceResponse).OrderId); got != first.Orders[0] {
		t.Fatalf("resend answered order %s, want the first call's %s", got, first.Orders[0])
	}
	calls := sim.Calls()
	if len(calls) != 2 || bought(calls) != 1 {
		t.Fatalf("%d calls, %d bought; want 2 calls and 1 purchase", len(calls), bought(calls))
	}
	if spent := before - sim.Balance(testID); spent != first.Charged {
		t.Fatalf("balance went down by %d, want one charge of %d", spent, first.Charged)
	}
}

func TestSameTokenWithOtherParametersIsRefused(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	order := firewallOrder()
	if _, err := c.Send(context.Background(), creds, order); err != nil {
		t.Fatal(err)
	}
	order.Quantity = new(int64(2))
	res, err := c.Send(context.Background(), creds, order)
	var apiErr *tcapi.APIError
	if res.Outcome != tcapi.Rejected || !errors.As(err, &apiErr) || apiErr.Code != tcapi.CodeInvalidParameterValue {
		t.Fatalf("%s: %v, want rejected InvalidParameterValue", res.Outcome, err)
	}
	mustContain(t, apiErr.Message, "ClientToken")
	if bought(sim.Calls()) != 1 {
		t.Fatal("the refused resend bought something")
	}
}

func TestRefusedConnectionIsNotSent(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res, err := client(t, "http://"+addr).Send(context.Background(), creds, firewallOrder())
	if res.Outcome != tcapi.NotSent || err == nil || !res.Outcome.SafeToResend() || res.Sent != nil {
		t.Fatalf("closed port: %s (%v), want not_sent", res.Outcome, err)
	}
}

func TestUnresolvableHostIsNotSent(t *testing.T) {
	t.Parallel()
	c := client(t, "http://dealdesk-sandbox.invalid:9100", func(cfg *tcapi.ClientConfig) { cfg.Timeout = 5 * time.Second })
	res, err := c.Send(context.Background(), creds, firewallOrder())
	if res.Outcome != tcapi.NotSent || err == nil {
		t.Fatalf("DNS failure: %s (%v), want not_sent", res.Outcome, err)
	}
}

func TestAnswersFromSomethingInBetweenAreUnknown(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]tcsim.Fault{
		"HTTP 502":                    {HTTPStatus: 502},
		"HTTP 503 with a JSON error":  {HTTPStatus: 503, Body: `{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}`},
		"HTML with 200":               {Body: "<html>gateway</html>"},
		"JSON without Response":       {Body: `{"error":"nope"}`},
		"a success that is not JSON":  {Body: `{"Response":{"OrderId":`},
		"a success without RequestId": {Body: `{"Response":{"OrderId":"20250101000001","InstanceIdList":["cfw-1"]}}`},
		"an error without a code":     {Body: `{"Response":{"Error":{"Message":"?"},"RequestId":"r"}}`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sim := sandbox(t)
			f.Action = "CreateInstance"
			if _, err := sim.AddFault(f); err != nil {
				t.Fatal(err)
			}
			res, err := client(t, sim.URL).Send(context.Background(), creds, firewallOrder())
			if res.Outcome != tcapi.Unknown || !errors.Is(err, tcapi.ErrUnknownOutcome) {
				t.Fatalf("%s (%v), want unknown", res.Outcome, err)
			}
			if res.Received == nil || res.HTTPStatus == 0 {
				t.Fatal("the answer was not kept as evidence")
			}
		})
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	var hits atomic.Int32
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, sim.URL+"/", http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	res, err := client(t, redirector.URL).Send(context.Background(), creds, firewallOrder())
	if res.Outcome != tcapi.Unknown || res.HTTPStatus != http.StatusTemporaryRedirect || !errors.Is(err, tcapi.ErrUnknownOutcome) {
		t.Fatalf("%s HTTP %d (%v), want unknown from the 307", res.Outcome, res.HTTPStatus, err)
	}
	if hits.Load() != 1 || len(sim.Calls()) != 0 {
		t.Fatalf("the redirect was followed: %d hits, %d calls at its target", hits.Load(), len(sim.Calls()))
	}
}

func TestTimeoutAfterSendingIsUnknown(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	if _, err := sim.AddFault(tcsim.Fault{Action: "CreateBillDeal", Latency: time.Minute}); err != nil {
		t.Fatal(err)
	}
	c := client(t, sim.URL, func(cfg *tcapi.ClientConfig) { cfg.Timeout = 200 * time.Millisecond })
	res, err := c.Send(context.Background(), creds, tcbOrder())
	if res.Outcome != tcapi.Unknown || !errors.Is(err, tcapi.ErrUnknownOutcome) {
		t.Fatalf("%s (%v), want unknown", res.Outcome, err)
	}
	if !lastCall(t, sim).Bought {
		t.Fatal("the sandbox should have bought: the client gave up after sending")
	}
}

func TestAnsweredErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want tcapi.Outcome
	}{
		{"RequestLimitExceeded", tcapi.Throttled},
		{"RequestLimitExceeded.UinLimitExceeded", tcapi.Throttled},
		{"InternalError", tcapi.Unknown},
		{"InternalError.InternalError", tcapi.Unknown},
		{"FailedOperation.InvalidDeal", tcapi.Rejected},
		{"AuthFailure.UnauthorizedOperation", tcapi.Rejected},
		{"ResourcesSoldOut", tcapi.Rejected},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			sim := sandbox(t)
			if _, err := sim.AddFault(tcsim.Fault{ErrorCode: tt.code}); err != nil {
				t.Fatal(err)
			}
			res, err := client(t, sim.URL).Send(context.Background(), creds, firewallOrder())
			var apiErr *tcapi.APIError
			if res.Outcome != tt.want || !errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.RequestID == "" {
				t.Fatalf("%s (%v), want %s with the code", res.Outcome, err, tt.want)
			}
			if bought(sim.Calls()) != 0 {
				t.Fatal("an error answer bought something")
			}
		})
	}
}

func TestBalanceRunsOut(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	sim.SetBalance(testID, 100)
	res, err := client(t, sim.URL, func(cfg *tcapi.ClientConfig) { cfg.Language = "zh-CN" }).Send(context.Background(), creds, firewallOrder())
	var apiErr *tcapi.APIError
	if res.Outcome != tcapi.Rejected || !errors.As(err, &apiErr) || apiErr.Code != "FailedOperation.BalanceInsufficient" {
		t.Fatalf("%s (%v), want rejected BalanceInsufficient", res.Outcome, err)
	}
	if got := apiErr.Explain("zh-CN"); got != "账户余额不足。" {
		t.Fatalf("Chinese explanation %q", got)
	}
	if sim.Balance(testID) != 100 {
		t.Fatal("a refused purchase changed the balance")
	}
}

func TestWAFStatusIsRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       tcapi.Outcome
	}{
		{"status 0 with deals", `{"Response":{"Data":{"DealNames":["20250101000001"],"BigDealId":"20250101000000"},"Status":0,"ReturnMessage":"ok","RequestId":"r"}}`, tcapi.NeedsReview},
		{"status 0 without deals", `{"Response":{"Data":null,"Status":0,"ReturnMessage":"no stock","RequestId":"r"}}`, tcapi.Rejected},
		{"no status", `{"Response":{"Data":{"DealNames":["1"]},"RequestId":"r"}}`, tcapi.NeedsReview},
		{"status 2", `{"Response":{"Status":2,"RequestId":"r"}}`, tcapi.NeedsReview},
		{"status 1", `{"Response":{"Data":{"DealNames":["1"],"BigDealId":"0"},"Status":1,"RequestId":"r"}}`, tcapi.Succeeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := sandbox(t)
			if _, err := sim.AddFault(tcsim.Fault{Body: tt.body}); err != nil {
				t.Fatal(err)
			}
			res, err := client(t, sim.URL).Send(context.Background(), creds, wafOrder())
			if res.Outcome != tt.want {
				t.Fatalf("%s (%v), want %s", res.Outcome, err, tt.want)
			}
			if (err == nil) != (tt.want == tcapi.Succeeded) {
				t.Fatalf("error %v for outcome %s", err, res.Outcome)
			}
		})
	}
}

func TestCreateInstanceWithoutOrderIdNeedsReview(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	if _, err := sim.AddFault(tcsim.Fault{Body: `{"Response":{"InstanceIdList":[],"RequestId":"r"}}`}); err != nil {
		t.Fatal(err)
	}
	res, err := client(t, sim.URL).Send(context.Background(), creds, firewallOrder())
	if res.Outcome != tcapi.NeedsReview || !errors.Is(err, tcapi.ErrNeedsReview) {
		t.Fatalf("%s (%v), want needs_review", res.Outcome, err)
	}
}

func TestAuthFailuresThroughTheSDK(t *testing.T) {
	t.Parallel()
	sim := sandbox(t, func(o *tcsim.Options) {
		o.Keys["AKIDtemporary0002"] = "temporary-key"
		o.Tokens = map[string]string{"AKIDtemporary0002": "sts-token"}
	})
	c := client(t, sim.URL)
	skewed := sandbox(t, func(o *tcsim.Options) { o.Now = func() time.Time { return time.Now().Add(-time.Hour) } })
	balance := &tcapi.DescribeAccountBalanceRequest{}
	target := balance.Target()
	tests := []struct {
		name string
		send func() (tcapi.Result, error)
		want string
	}{
		{"wrong key", func() (tcapi.Result, error) {
			return c.Send(context.Background(), tcapi.Credentials{SecretID: testID, SecretKey: "wrong"}, balance)
		}, "AuthFailure.SignatureFailure"},
		{"unknown SecretId", func() (tcapi.Result, error) {
			return c.Send(context.Background(), tcapi.Credentials{SecretID: "AKIDunknown", SecretKey: testKey}, balance)
		}, "AuthFailure.SecretIdNotFound"},
		{"clock skew", func() (tcapi.Result, error) {
			return client(t, skewed.URL).Send(context.Background(), creds, balance)
		}, "AuthFailure.SignatureExpire"},
		{"scope names another service", func() (tcapi.Result, error) {
			other := target
			other.Service = "cvm"
			return c.SendRaw(context.Background(), creds, other, []byte(`{}`))
		}, "AuthFailure.SignatureFailure"},
		{"temporary key without token", func() (tcapi.Result, error) {
			return c.Send(context.Background(), tcapi.Credentials{SecretID: "AKIDtemporary0002", SecretKey: "temporary-key"}, balance)
		}, "AuthFailure.TokenFailure"},
		{"wrong version", func() (tcapi.Result, error) {
			other := target
			other.Version = "2017-03-12"
			return c.SendRaw(context.Background(), creds, other, []byte(`{}`))
		}, "NoSuchVersion"},
		{"unknown action", func() (tcapi.Result, error) {
			other := target
			other.Action = "DescribeEverything"
			return c.SendRaw(context.Background(), creds, other, []byte(`{}`))
		}, "InvalidAction"},
	}
	for _, tt := range tests {
		res, err := tt.send()
		if res.Outcome != tcapi.Rejected || res.ErrorCode != tt.want {
			t.Errorf("%s: %s %s (%v), want rejected %s", tt.name, res.Outcome, res.ErrorCode, err, tt.want)
		}
	}
	res, err := c.Send(context.Background(), tcapi.Credentials{SecretID: "AKIDtemporary0002", SecretKey: "temporary-key", Token: "sts-token"}, balance)
	if err != nil {
		t.Fatalf("temporary credentials with their token: %s %v", res.Outcome, err)
	}
}

func TestLimiterKeepsConcurrentCallsUnderTheLimit(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	results := sendAtOnce(t, c, 100)
	for _, res := range results {
		if res.Outcome != tcapi.Succeeded {
			t.Fatalf("a call ended %s %s: the limiter let the sandbox throttle", res.Outcome, res.ErrorCode)
		}
	}
	calls := sim.Calls()
	if len(calls) != 100 || bought(calls) != 100 {
		t.Fatalf("%d calls, %d bought; want 100 and 100", len(calls), bought(calls))
	}
}

func TestSandboxThrottlesWithoutTheLimiter(t *testing.T) {
	t.Parallel()
	// A stopped clock makes the count exact: the bucket holds 20 calls and
	// never refills.
	frozen := time.Now()
	sim := sandbox(t, func(o *tcsim.Options) { o.Now = func() time.Time { return frozen } })
	c := client(t, sim.URL, func(cfg *tcapi.ClientConfig) { cfg.Limiter = noLimit{} })
	counts := map[tcapi.Outcome]int{}
	for _, res := range sendAtOnce(t, c, 100) {
		counts[res.Outcome]++
		if res.Outcome == tcapi.Throttled && (res.ErrorCode != "RequestLimitExceeded" || !res.Outcome.SafeToResend()) {
			t.Fatalf("throttled with %s", res.ErrorCode)
		}
	}
	if counts[tcapi.Succeeded] != 20 || counts[tcapi.Throttled] != 80 {
		t.Fatalf("outcomes %v, want 20 succeeded and 80 throttled", counts)
	}
	if bought(sim.Calls()) != 20 {
		t.Fatal("a throttled call bought something")
	}
}

// sendAtOnce fires n CreateInstance calls (each its own order) at once.
func sendAtOnce(t *testing.T, c *tcapi.Client, n int) []tcapi.Result {
	t.Helper()
	results := make([]tcapi.Result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range results {
		wg.Go(func() {
			<-start
			results[i], _ = c.Send(context.Background(), creds, firewallOrder())
		})
	}
	close(start)
	wg.Wait()
	return results
}

func TestContextEndingWhileWaitingIsNotSent(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL, func(cfg *tcapi.ClientConfig) { cfg.Limiter = tcapi.NewLocalLimiter(1.0 / 3600) })
	if _, err := c.Send(context.Background(), creds, firewallOrder()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res, err := c.Send(ctx, creds, firewallOrder())
	if res.Outcome != tcapi.NotSent || err == nil {
		t.Fatalf("%s (%v), want not_sent", res.Outcome, err)
	}
	if len(sim.Calls()) != 1 {
		t.Fatal("the second call reached the sandbox")
	}
}

func TestDescribeDealsByCondFindsOrders(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	ctx := context.Background()
	res, err := c.Send(ctx, creds, firewallOrder())
	if err != nil {
		t.Fatal(err)
	}
	orderID := tcapi.Deref(res.Response.(*tcapi.CreateInstanceResponse).OrderId)
	unpaid := tcbOrder()
	unpaid.CreateAndPay = nil // the service's default: order only
	if _, err := c.Send(ctx, creds, unpaid); err != nil {
		t.Fatal(err)
	}

	window := func(status *int64, id *string) *tcapi.DescribeDealsByCondRequest {
		return &tcapi.DescribeDealsByCondRequest{
			StartTime: new(tcapi.DealTime(time.Now().Add(-time.Hour))),
			EndTime:   new(tcapi.DealTime(time.Now().Add(time.Hour))),
			Limit:     new(int64(100)), Status: status, OrderId: id,
		}
	}
	deals, _, err := c.DescribeDealsByCond(ctx, creds, window(nil, &orderID))
	if err != nil || tcapi.Deref(deals.TotalCount) != 1 || tcapi.Deref(deals.Deals[0].Status) != tcapi.DealShipped {
		t.Fatalf("lookup by OrderId: %+v (%v)", deals, err)
	}
	// Without Status only shipped orders come back, as from the service.
	deals, _, _ = c.DescribeDealsByCond(ctx, creds, window(nil, nil))
	if tcapi.Deref(deals.TotalCount) != 1 {
		t.Fatalf("default status filter: %d deals, want the one shipped", tcapi.Deref(deals.TotalCount))
	}
	deals, _, _ = c.DescribeDealsByCond(ctx, creds, window(new(int64(tcapi.DealUnpaid)), nil))
	if tcapi.Deref(deals.TotalCount) != 1 || tcapi.Deref(deals.Deals[0].ProductCode) != "p_tcb" {
		t.Fatalf("unpaid orders: %+v", deals)
	}
	// Another account sees none of them.
	other := sandbox(t)
	deals, _, _ = client(t, other.URL).DescribeDealsByCond(ctx, creds, window(nil, &orderID))
	if tcapi.Deref(deals.TotalCount) != 0 {
		t.Fatal("a fresh sandbox knows the order")
	}
}

func TestCheckCredentials(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	sim.SetBalance(testID, 12345)
	bal, res, err := client(t, sim.URL).CheckCredentials(context.Background(), creds)
	if err != nil || tcapi.Deref(bal.Balance) != 12345 {
		t.Fatalf("%s %+v (%v)", res.Outcome, bal, err)
	}
	if bought(sim.Calls()) != 0 {
		t.Fatal("checking credentials bought something")
	}
}

func TestNewClientRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []tcapi.ClientConfig{
		{Endpoint: "127.0.0.1:9100"},
		{Endpoint: "ftp://127.0.0.1:9100"},
		{Endpoint: "http://127.0.0.1:9100/api"},
		{Endpoint: "http://user:pass@127.0.0.1:9100"},
		{Endpoint: "http://127.0.0.1:9100?x=1"},
		{Language: "fr-FR"},
		{Timeout: -time.Second},
	} {
		if _, err := tcapi.NewClient(cfg); err == nil {
			t.Errorf("NewClient(%+v) accepted", cfg)
		}
	}
	for _, cfg := range []tcapi.ClientConfig{{}, {Endpoint: "https://sandbox.example:9443/"}, {Language: "zh-CN"}} {
		if _, err := tcapi.NewClient(cfg); err != nil {
			t.Errorf("NewClient(%+v): %v", cfg, err)
		}
	}
}

func TestCredentialsNeverPrintTheirSecrets(t *testing.T) {
	t.Parallel()
	c := tcapi.Credentials{SecretID: "AKIDabcdefgh12345678", SecretKey: "the-secret-key", Token: "the-token"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("sending", "creds", c)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), fmt.Sprintf("%+v", struct{ C tcapi.Credentials }{c}), logged.String()} {
		if strings.Contains(s, "the-secret-key") || strings.Contains(s, "the-token") || strings.Contains(s, "AKIDabcdefgh12345678") {
			t.Errorf("printed a secret: %s", s)
		}
		mustContain(t, s, "AKID****5678")
	}
}

func TestClientTokens(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		tok := tcapi.NewClientToken()
		if len(tok) != 36 || strings.ToUpper(tok) != tok || tok[14] != '4' || seen[tok] {
			t.Fatalf("token %q: want a new upper-case version 4 UUID", tok)
		}
		seen[tok] = true
		order := firewallOrder()
		order.ClientToken = &tok
		if err := order.Validate(); err != nil {
			t.Fatalf("a generated token fails the rules: %v", err)
		}
	}
}

// A RenewInstance whose answer was lost is settled like a CreateInstance:
// resent with its token, it answers the first renewal's order and charges
// nothing more; an answer without OrderIdList needs a person.
func TestRenewInstanceTokenResendRenewsOnce(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	if _, err := sim.AddFault(tcsim.Fault{Action: "RenewInstance", Times: 1, Drop: true}); err != nil {
		t.Fatal(err)
	}
	renew := &tcapi.RenewInstanceRequest{
		ClientToken: new(tcapi.NewClientToken()), ProductCode: new("p_cloudfirewall"),
		SubProductCode: new("sp_cloudfirewall_svv1"), RegionCode: new("ap-guangzhou"),
		InstanceId: new("cfwi-0001"), Period: new(int64(1)), PeriodUnit: new("m"),
	}
	before := sim.Balance(testID)
	res, err := c.Send(context.Background(), creds, renew)
	if res.Outcome != tcapi.Unknown || !errors.Is(err, tcapi.ErrUnknownOutcome) {
		t.Fatalf("dropped renewal: %s (%v), want unknown", res.Outcome, err)
	}
	first := lastCall(t, sim)
	if !first.Bought || first.Action != "RenewInstance" {
		t.Fatalf("the sandbox should have renewed before dropping: %+v", first)
	}
	res, err = c.Send(context.Background(), creds, renew)
	if err != nil || res.Outcome != tcapi.Succeeded {
		t.Fatalf("resend: %s: %v", res.Outcome, err)
	}
	if got := res.Response.(*tcapi.RenewInstanceResponse).OrderIDs(); got != first.Orders[0] {
		t.Fatalf("resend answered orders %q, want the first call's %s", got, first.Orders[0])
	}
	if spent := before - sim.Balance(testID); spent != first.Charged || bought(sim.Calls()) != 1 {
		t.Fatalf("balance went down by %d in %d purchases, want one charge of %d", spent, bought(sim.Calls()), first.Charged)
	}

	if _, err := sim.AddFault(tcsim.Fault{Body: `{"Response":{"OrderIdList":[],"RequestId":"r"}}`}); err != nil {
		t.Fatal(err)
	}
	renew.ClientToken = new(tcapi.NewClientToken())
	res, err = c.Send(context.Background(), creds, renew)
	if res.Outcome != tcapi.NeedsReview || !errors.Is(err, tcapi.ErrNeedsReview) {
		t.Fatalf("answer without OrderIdList: %s (%v), want needs_review", res.Outcome, err)
	}
}
