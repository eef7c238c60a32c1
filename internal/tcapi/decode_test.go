package tcapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dealdesk/internal/tcapi"
)

func TestDecodeParamsIsStrict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		path, code string
	}{
		{"valid", `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"p"}`, "", ""},
		{"null leaves a parameter unset", `{"DealType":null}`, "", ""},
		{"whitespace around", " \n{}\t", "", ""},
		{"empty body", ``, "", tcapi.CodeInvalidParameter},
		{"null body", `null`, "", tcapi.CodeInvalidParameter},
		{"array body", `[]`, "", tcapi.CodeInvalidParameter},
		{"not JSON", `{"DealType":}`, "", tcapi.CodeInvalidParameter},
		{"truncated", `{"DealType":"purchase"`, "", tcapi.CodeInvalidParameter},
		{"trailing data", `{}{}`, "", tcapi.CodeInvalidParameter},
		{"name in another case", `{"dealType":"purchase"}`, "dealType", tcapi.CodeUnknownParameter},
		{"given twice", `{"DealType":"purchase","DealType":"renew"}`, "DealType", tcapi.CodeInvalidParameter},
		{"string for a bool", `{"CreateAndPay":"true"}`, "CreateAndPay", tcapi.CodeInvalidParameter},
		{"number for a string", `{"PackageId":1}`, "PackageId", tcapi.CodeInvalidParameter},
		{"float for an integer", `{"TimeSpan":1.0}`, "TimeSpan", tcapi.CodeInvalidParameter},
		{"integer too large", `{"TimeSpan":9223372036854775808}`, "TimeSpan", tcapi.CodeInvalidParameter},
		{"object for an array", `{"ResourceTypes":{"a":1}}`, "ResourceTypes", tcapi.CodeInvalidParameter},
		{"number in a string array", `{"ResourceTypes":["cos",1]}`, "ResourceTypes[1]", tcapi.CodeInvalidParameter},
		{"unknown field in an element", `{"EnvTags":[{"Key":"k","Value":"v"},{"Key":"k","Colour":"red"}]}`, "EnvTags[1].Colour", tcapi.CodeUnknownParameter},
		{"array for an object", `{"EnvTags":[[]]}`, "EnvTags[0]", tcapi.CodeInvalidParameter},
		{"invalid UTF-8 in a string", "{\"PackageId\":\"baas\xff\"}", "", tcapi.CodeInvalidParameter},
	}
	for _, tt := range tests {
		err := tcapi.DecodeParams([]byte(tt.body), new(tcapi.CreateBillDealRequest))
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ve *tcapi.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.First().Path != tt.path || ve.First().Code != tt.code {
			t.Errorf("%s: %v, want %s on %q", tt.name, err, tt.code, tt.path)
		}
	}
}

// Requests built in Go (forms, the orders service) can hold any bytes:
// Validate refuses what is not text in every string parameter.
func TestValidateRefusesNonText(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"baas\xff", "a\x00", "a\x7f", "a\u0085", "a\u2028", "a\u202e", "\u2066x"} {
		req := tcbOrder()
		req.PackageId = new("baas_personal")
		req.EnvTags = []tcapi.Tag{{Key: new("team"), Value: new(s)}}
		var ve *tcapi.ValidationError
		if err := req.Validate(); !errors.As(err, &ve) || ve.First().Path != "EnvTags[0].Value" {
			t.Errorf("%q: %v, want an error on EnvTags[0].Value", s, err)
		}
	}
	for _, s := range []string{"名字", "dealdesk env", "emoji 🚀", "tab-free"} {
		if !tcapi.ValidText(s) {
			t.Errorf("ValidText(%q) = false", s)
		}
	}
}

func TestValidationErrorReadsWell(t *testing.T) {
	t.Parallel()
	req := wafOrder()
	req.Goods = append(req.Goods, req.Goods[0])
	req.Goods[1].GoodsDetail = &tcapi.GoodsDetailNew{TimeUnit: new("w")}
	err := req.Validate()
	want := `tcapi: invalid GenerateDealsAndPayNew request: Goods[1].GoodsDetail.TimeUnit: must be d (days), m (months) or y (years), not "w"; ` +
		`Goods[1].GoodsDetail.SubProductCode: is required for a new purchase or a renewal`
	if err == nil || err.Error() != want {
		t.Fatalf("error reads\n%v\nwant\n%s", err, want)
	}
}

func TestLookupErrorFallsBackToTheParentCode(t *testing.T) {
	t.Parallel()
	info, ok := tcapi.LookupError("FailedOperation.SomethingNew")
	if !ok || info.Code != "FailedOperation.SomethingNew" || info.English != "The operation failed." {
		t.Fatalf("fallback: %+v %v", info, ok)
	}
	if _, ok := tcapi.LookupError("NoSuchCodeAnywhere"); ok {
		t.Fatal("an unknown code was found")
	}
	for _, code := range tcapi.ErrorCodes() {
		info, _ := tcapi.LookupError(code)
		if info.Describe("en-US") == "" || info.Describe("zh-CN") == "" || info.Describe("zh-CN") == info.English {
			t.Errorf("%s lacks a description in one language", code)
		}
	}
}

func TestLocalLimiterSeparatesKeysAndHonoursContext(t *testing.T) {
	t.Parallel()
	l := tcapi.NewLocalLimiter(1.0 / 3600) // one call an hour
	a := tcapi.LimitKey{SecretID: "A", Service: "billing", Action: "CreateInstance"}
	b := tcapi.LimitKey{SecretID: "B", Service: "billing", Action: "CreateInstance"}
	c := tcapi.LimitKey{SecretID: "A", Service: "tcb", Action: "CreateBillDeal"}
	for _, k := range []tcapi.LimitKey{a, b, c} {
		if err := l.Wait(context.Background(), k); err != nil {
			t.Fatalf("first call for %v waited: %v", k, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx, a); err == nil {
		t.Fatal("a second call within the hour was let through")
	}
}
