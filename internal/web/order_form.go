package web

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// The order forms. A request goes: form values → a product form of raw
// strings (kept as typed, so a refused form shows all its input again) →
// the typed tcapi request → its JSON body (unset optional fields are left
// out: an empty input is never sent) → orders.Draft → the service, which
// validates with exactly the client's rules and stores the canonical body.

// Form operations: the buttons of the form. Row buttons carry the row:
// "remove_goods:1", "remove_label:0:2".
const (
	opSave    = "save"
	opPreview = "preview"
)

type formOp struct {
	name string
	args []int
}

func parseOp(raw string) formOp {
	parts := strings.Split(raw, ":")
	op := formOp{name: parts[0]}
	for _, p := range parts[1:] {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return formOp{name: opPreview}
		}
		op.args = append(op.args, n)
	}
	if op.name == "" {
		// A form sent without pressing a button (by a script, say) is saved,
		// as the form's main button would.
		op.name = opSave
	}
	return op
}

func (op formOp) arg(i int) int {
	if i < len(op.args) {
		return op.args[i]
	}
	return -1
}

// productForm is one product's part of the form.
type productForm interface {
	// edit runs a row or preset button and the rules that keep the form
	// consistent (the WAF preset rule); the errors it returns block saving.
	edit(op formOp) map[string]string
	// request builds the typed request. The errors are inputs that could
	// not be read (a count that is not a number), by control id.
	request() (tcapi.Request, map[string]string)
	// fieldFor is the control showing the error of an API parameter path,
	// or "" when the form has none. It is valid after request.
	fieldFor(path string) string
	// fill puts the product's part into the view, in the reader's
	// language; v.Errors is final.
	fill(l *i18n.Localizer, v *templates.OrderFormView)
}

// focuser is a product form with row buttons: focus names the control a
// row button's page starts on (the acted-on row's first field), "" for
// any other button. The buttons' formaction carries the row's fragment.
type focuser interface {
	focus(op formOp) string
}

// orderForm is a submitted (or loaded) order form.
type orderForm struct {
	product       orders.Product
	op            formOp
	title         string
	justification string
	account       string
	accountID     int64
	costCentre    string // the select's value as sent ("" for none)
	costCentreID  int64
	version       string // the edit form's hidden version, as sent
	p             productForm
	blocking      map[string]string
	// input are the fields the input boundary refused; they block saving
	// and previewing alike, so refused text never reaches the service.
	input map[string]string
}

// orderFormFields are the order form's own fields; every other field is a
// product parameter, bounded by paramField.
var orderFormFields = map[string]field{
	"title":          line(orders.MaxTitleLen).named("the title"),
	"justification":  lines(orders.MaxJustificationLen).named("the justification"),
	"account":        line(maxShortText),
	"cost_centre_id": line(maxShortText),
	"op":             line(maxShortText),
	"version":        line(maxShortText),
	"_csrf":          line(maxShortText),
}

// paramField bounds a product parameter's input. The free JSON inputs take
// lines and a larger bound; every other parameter is one line of a code,
// an id or a number. ResourceTypes is TCB's one multi-select.
func paramField(name string) field {
	switch name {
	case "Parameter", "Extension":
		return lines(maxParamBlob)
	case "ResourceTypes":
		f := line(maxShortText)
		f.multi = true
		return f
	}
	return line(maxShortText)
}

func parseOrderForm(c echo.Context, product orders.Product) (*orderForm, error) {
	r, err := readForm(c)
	if err != nil {
		return nil, err
	}
	f := &orderForm{
		product:       product,
		op:            parseOp(r.text("op", orderFormFields["op"])),
		title:         r.text("title", orderFormFields["title"]),
		justification: r.text("justification", orderFormFields["justification"]),
		version:       r.text("version", orderFormFields["version"]),
	}
	var acct int64
	// An account that is not an id is no account: the service's own
	// words say what to do.
	acct, f.account = r.id("account", "Choose the Tencent Cloud account to buy with.")
	f.accountID = acct
	f.costCentreID, f.costCentre = r.id("cost_centre_id", msg(c, fault.M("cost_centre.not_found")))
	// Every product parameter passes the boundary too, under its own name
	// (the name is the control's id, so the message lands beside it).
	for name := range r.vals {
		if _, own := orderFormFields[name]; !own {
			if f := paramField(name); f.multi {
				r.texts(name, f, maxMultiValues)
			} else {
				r.text(name, f)
			}
		}
	}
	vals := r.vals
	if k, ok := formKinds[product]; ok {
		f.p = k.parse(vals, r)
	}
	f.input = r.errs
	return f, nil
}

// formKinds are the product forms, one per product, each in its own
// order_form_<product>.go: how a blank form starts, how a submitted one
// reads, and how a stored request fills one for editing.
var formKinds = map[orders.Product]formKind{
	orders.ProductWAF:          {blank: func() productForm { return newWAF() }, parse: parseWAFForm, from: wafFormFrom},
	orders.ProductBilling:      {blank: func() productForm { return newBilling() }, parse: parseBillingForm, from: billingFormFrom},
	orders.ProductBillingRenew: {blank: func() productForm { return newBillingRenew() }, parse: parseBillingRenewForm, from: billingRenewFormFrom},
	orders.ProductTCB:          {blank: func() productForm { return newTCB() }, parse: parseTCBForm, from: tcbFormFrom},
}

type formKind struct {
	blank func() productForm
	parse func(vals url.Values, r *fieldReader) productForm
	// from fills the form from the stored request (the product's own
	// type) and the order's region.
	from func(req tcapi.Request, region string) productForm
}

// newOrderForm is the blank form of a product.
func newOrderForm(product orders.Product) *orderForm {
	f := &orderForm{product: product}
	if k, ok := formKinds[product]; ok {
		f.p = k.blank()
	}
	return f
}

// orderFormFrom fills the form from a stored order, for editing.
func orderFormFrom(o orders.Order) (*orderForm, error) {
	a, err := o.Product.Action()
	if err != nil {
		return nil, err
	}
	req := a.NewRequest()
	if err := json.Unmarshal(o.Params, req); err != nil {
		return nil, fmt.Errorf("web: order %d parameters: %w", o.ID, err)
	}
	f := &orderForm{product: o.Product, title: o.Title, justification: o.Justification,
		account: strconv.FormatInt(o.AccountID, 10), accountID: o.AccountID}
	k, ok := formKinds[o.Product]
	if !ok {
		return nil, fmt.Errorf("web: order %d: no form for product %q", o.ID, o.Product)
	}
	f.p = k.from(req, o.Region)
	return f, nil
}

// draft builds the orders.Draft, with the inputs that could not be read.
func (f *orderForm) draft() (orders.Draft, map[string]string) {
	req, errs := f.p.request()
	for _, m := range []map[string]string{f.input, f.blocking} {
		for k, v := range m {
			if _, ok := errs[k]; !ok {
				errs[k] = v
			}
		}
	}
	body, err := json.Marshal(req)
	if err != nil {
		// Typed requests always encode; this would be a bug.
		panic("web: encode request: " + err.Error())
	}
	d := orders.Draft{Product: f.product, AccountID: f.accountID, Title: f.title, Justification: f.justification, Params: body, CostCentreID: f.costCentreID}
	// The region travels as X-TC-Region, outside the body: the request
	// names it for the products that take one.
	d.Region = req.Target().Region
	return d, errs
}

// The service's own fields, named as the form names its controls.
var serviceFields = map[string]bool{"title": true, "justification": true, "account": true, "cost_centre_id": true}

// placeErrors puts each refusal next to its control: a parameter path goes
// to the control that produced it. Whatever has no control on this page is
// returned to be listed at the top, so no message is ever lost.
func placeErrors(into map[string]string, fe map[string]string, p productForm) []string {
	var unplaced []string
	for _, path := range sortedKeys(fe) {
		msg := fe[path]
		id := path
		if !serviceFields[path] {
			id = p.fieldFor(path)
			msg = paramMessage(path, msg)
		}
		if id == "" {
			unplaced = append(unplaced, paramMessage(path, fe[path]))
			continue
		}
		if _, taken := into[id]; !taken {
			into[id] = msg
		}
	}
	return unplaced
}

var lastSegment = regexp.MustCompile(`[A-Za-z]+(\[\d+\])?$`)

// paramMessage names the parameter in front of a tcapi message ("is
// required" → "GoodsNum: is required"); messages that are sentences
// already (the service's own) are left alone.
func paramMessage(path, msg string) string {
	if msg == "" || unicode.IsUpper([]rune(msg)[0]) {
		return msg
	}
	name := lastSegment.FindString(path)
	if name == "" {
		name = path
	}
	return name + ": " + msg
}

// intInput reads an optional whole number: empty is not sent (nil); a
// value that is not a whole number is an error on the control.
func intInput(errs map[string]string, id, raw string) *int64 {
	if raw == "" {
		return nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		errs[id] = "order_form_words.whole_number"
		return nil
	}
	return &n
}

// strInput reads an optional text: empty is not sent.
func strInput(raw string) *string {
	if raw == "" {
		return nil
	}
	return &raw
}

func i64s(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// formValues reads a form's values trimmed of the spaces a paste brings
// along.
type formValues url.Values

func (v formValues) get(key string) string { return strings.TrimSpace(url.Values(v).Get(key)) }

func (v formValues) has(key string) bool {
	_, ok := v[key]
	return ok
}

// submitOrderForm answers a submitted form: row buttons re-render it,
// Preview shows the body and headers without saving, Save stores it through
// save and redirects to the order.
func (s *Server) submitOrderForm(c echo.Context, f *orderForm, v templates.OrderFormView, token string,
	save func(context.Context, orders.Draft) (orders.Order, error)) error {
	ctx := c.Request().Context()
	f.blocking = f.p.edit(f.op)
	v.Errors = map[string]string{}
	if fp, ok := f.p.(focuser); ok {
		v.Focus = fp.focus(f.op)
	}
	status := http.StatusOK
	switch f.op.name {
	case opSave, opPreview:
		d, errs := f.draft()
		maps.Copy(v.Errors, errs)
		var fe map[string]string
		var canon []byte
		var err error
		switch {
		case len(f.input) > 0:
			// Refused at the boundary: the service never sees it, not
			// even to preview.
		case f.op.name == opSave && len(errs) == 0:
			var o orders.Order
			o, err = save(ctx, d)
			if err == nil {
				if err := s.flash(c, "ok", tr(c, "flash.order_saved", "id", strconv.FormatInt(o.ID, 10), "version", strconv.Itoa(o.Version))); err != nil {
					return err
				}
				return c.Redirect(http.StatusSeeOther, templates.OrderPath(o.ID))
			}
		default:
			canon, err = s.composer.Check(ctx, d, token)
		}
		if msg, ok := movedOn(c, err); ok && f.op.name == opSave {
			// Such as the duplicate guard's refusal: the person keeps what
			// they typed and reads why it was not saved.
			v.Unplaced = []string{msg}
			f.fill(c, &v)
			return render(c, http.StatusConflict, templates.OrderForm(v))
		}
		if err != nil {
			if fe = fieldTexts(c, err); fe == nil {
				return err
			}
		}
		v.Unplaced = placeErrors(v.Errors, fe, f.p)
		if f.op.name == opPreview {
			v.Preview = previewOf(d, canon, len(v.Errors)+len(v.Unplaced) > 0, token == orders.PreviewClientToken)
			if len(errs) == 0 {
				// Priced as typed, by the list in force; a body that
				// does not parse has no estimate box at all.
				if e, err := s.composer.EstimateDraft(ctx, d); err == nil {
					ev := estimateView(c, e)
					v.Preview.Estimate = &ev
				} else {
					logger(c).Info("preview: no estimate", "err", err)
				}
			}
		} else {
			status = http.StatusUnprocessableEntity
		}
	}
	if len(f.input) > 0 {
		// Whatever button was pressed, refused input is shown and answered
		// as refused.
		for k, m := range f.input {
			if _, ok := v.Errors[k]; !ok {
				v.Errors[k] = m
			}
		}
		status = http.StatusUnprocessableEntity
	}
	f.fill(c, &v)
	return render(c, status, templates.OrderForm(v))
}

// fill puts the form's input into the view.
func (f *orderForm) fill(c echo.Context, v *templates.OrderFormView) {
	v.Product, v.ProductLabel = string(f.product), productLabel(c, f.product)
	v.Title, v.Justification, v.Account, v.CostCentre = f.title, f.justification, f.account, f.costCentre
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	l := i18n.From(c.Request().Context())
	translateFormWords(l, v.Errors)
	f.p.fill(l, v)
}

// previewOf is the body and headers the draft would be sent with: the
// canonical bytes the service would store when they pass its rules, else
// the canonical form of what the form built, marked refused.
func previewOf(d orders.Draft, canon []byte, refused, standIn bool) *templates.OrderPreview {
	a, _ := d.Product.Action()
	p := &templates.OrderPreview{Action: a.Name, Version: a.Version, Region: d.Region, Host: a.Host, Refused: refused}
	if canon != nil {
		p.Body, p.TokenStandIn = string(canon), standIn && d.Product.Spec().UsesClientToken
		p.AwaitsPayment = !refused && d.Product.AwaitsPayment(canon)
		return p
	}
	if b, err := orders.Canonical(d.Params); err == nil {
		p.Body = string(b)
	}
	return p
}

// costCentreOptions lists the cost centres an order may name (none
// first); nil when there are none, and the form then asks nothing.
func (s *Server) costCentreOptions(ctx context.Context) ([]templates.Option, error) {
	if s.deps.Orders == nil {
		return nil, nil
	}
	ccs, err := s.deps.Orders.CostCentres(ctx)
	if err != nil {
		return nil, err
	}
	var out []templates.Option
	for _, cc := range ccs {
		if !cc.Retired {
			out = append(out, templates.Option{Value: strconv.FormatInt(cc.ID, 10), Label: cc.Name})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return append([]templates.Option{{Value: "", Label: "—"}}, out...), nil
}

// accountOptions lists the accounts an order may be paid from.
func (s *Server) accountOptions(ctx context.Context) ([]templates.Option, error) {
	accts, err := s.composer.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]templates.Option, len(accts))
	for i, a := range accts {
		label := a.Name
		if a.Sandbox {
			label = i18n.From(ctx).T("order_form_words.sandbox_account", "name", a.Name)
		}
		out[i] = templates.Option{Value: strconv.FormatInt(a.ID, 10), Label: label}
	}
	return out, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
