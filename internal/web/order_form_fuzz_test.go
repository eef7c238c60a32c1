package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// FuzzOrderForms feeds arbitrary form bodies to the three order forms'
// decoders. Whatever arrives, decoding must not panic, and a form the
// decoder takes without a complaint must give parameters the domain can
// read: canonical JSON that either validates or is refused field by field.
func FuzzOrderForms(f *testing.F) {
	for _, seed := range []string{
		"",
		"title=t&justification=j&account=1&Goods.0.GoodsNum=1&Goods.0.preset=premium-saas-new&Region=ap-guangzhou",
		"account=x&Quantity=9223372036854775807&Period=-1&PeriodUnit=q&Parameter=%7B%7D",
		"DealType=purchase&ProductType=tcb-baas&PackageId=baas_personal&TimeSpan=99999&TimeUnit=m&CreateAndPay=maybe",
		"op=add-goods&op=remove-goods.7&Goods.99999.GoodsNum=1",
		"title=%00&justification=%ff%fe&account=1e9",
	} {
		f.Add(seed)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range orders.Products {
			req := httptest.NewRequest(http.MethodPost, "/orders/new/"+string(p), strings.NewReader(body))
			req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
			c := e.NewContext(req, httptest.NewRecorder())
			form, err := parseOrderForm(c, p)
			if err != nil {
				continue // a body that is not a form at all is refused as such
			}
			d, errs := form.draft()
			if len(errs) > 0 {
				continue
			}
			canon, err := orders.Canonical(d.Params)
			if err != nil {
				t.Fatalf("%s: the form gave parameters that are not a JSON object: %s", p, d.Params)
			}
			if _, err := p.ParseParams(canon, d.Region); err != nil {
				if _, ok := errors.AsType[*tcapi.ValidationError](err); !ok {
					t.Fatalf("%s: parameters %s refused without a field: %v", p, canon, err)
				}
			}
		}
	})
}
