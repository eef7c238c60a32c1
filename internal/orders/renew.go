package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// RenewInput carries the identifiers a renewal needs that the console does
// not record yet. Orders reach "succeeded" without the answer's instance ids
// being stored, so a renewal of a purchase cannot know which instance or
// environment it renews: the requester supplies them, and the renewal draft
// is not made until they have.
type RenewInput struct {
	// ResourceID names the CloudBase environment to renew (TCB), used when
	// the order does not name one itself.
	ResourceID string
	// InstanceIDs name the WAF instance of each Goods line, by line index,
	// used for lines that do not name one themselves.
	InstanceIDs map[int]string
	// InstanceID names the one instance a Billing renewal (RenewInstance)
	// renews, when the purchase's answer did not name exactly one.
	InstanceID string
}

// RenewalGaps lists the parameter paths (such as "ResourceId" or
// "Goods[0].GoodsDetail.InstanceId") a renewal of o needs from the
// requester, in order. An error means o cannot be renewed at all.
func RenewalGaps(o Order) ([]string, error) {
	_, err := renewalParams(o, RenewInput{})
	if fe, ok := fault.AsFields(err); ok {
		return slices.SortedFunc(maps.Keys(fe), comparePaths), nil
	}
	return nil, err
}

// comparePaths orders "Goods[2]..." before "Goods[10]...".
func comparePaths(a, b string) int {
	ia, ib := lineIndex(a), lineIndex(b)
	if ia != ib {
		return ia - ib
	}
	return strings.Compare(a, b)
}

func lineIndex(path string) int {
	rest, ok := strings.CutPrefix(path, "Goods[")
	if !ok {
		return -1
	}
	n, _, _ := strings.Cut(rest, "]")
	i, _ := strconv.Atoi(n)
	return i
}

// Renew builds a renewal of a succeeded order as a new draft of the actor's:
// WAF lines switch to their product's renewal category (keeping Pid,
// SubProductCode and labels), a TCB deal becomes DealType renew for the same
// environment, and a Billing CreateInstance becomes a RenewInstance of one
// of the instances it bought (never another CreateInstance, which would buy
// a second instance), with a ClientToken of its own. A purchase of several
// instances is renewed one instance per draft: RenewInstance takes one
// InstanceId, and each draft's title names its instance. The draft records
// which order it renews.
func (s *Service) Renew(ctx context.Context, a Actor, id int64, in RenewInput) (Order, error) {
	if !a.Has(auth.RoleRequester) {
		return Order{}, forbidden("order.compose.requesters_only")
	}
	src, err := s.Get(ctx, id)
	if err != nil {
		return Order{}, err
	}
	return s.renew(ctx, a, src, in, db.ActionOrderRenewalDrafted, nil)
}

// renew drafts the renewal of src for a; claim runs inside the draft's
// transaction (the renewals job claims the instance's expiry there).
func (s *Service) renew(ctx context.Context, a Actor, src Order, in RenewInput, action string, claim func(tx pgx.Tx, o Order) error) (Order, error) {
	if src.Status != StatusSucceeded {
		return Order{}, conflict("order.renew.not_succeeded", "status", strings.ToLower(src.Status.Label()))
	}
	params, err := renewalParams(src, in)
	if err != nil {
		return Order{}, err
	}
	product := src.Product.Spec().renewalProduct()
	// A renewal that renews one thing names it, so a person sees which
	// instance or environment each draft is for.
	title := "Renewal: " + src.Title
	if key, err := PurchaseKeyOf(product, params); err == nil && len(key.Targets) == 1 {
		title = "Renewal of " + key.Targets[0] + ": " + src.Title
	}
	d := Draft{
		Product: product, AccountID: src.AccountID, Region: src.Region,
		Title:         clip(title, MaxTitleLen),
		Justification: clip(fmt.Sprintf("Renewal of order #%d. %s", src.ID, src.Justification), MaxJustificationLen),
		Params:        params,
	}
	token := s.clientTokenFor(d.Product)
	canon, err := s.check(ctx, d, token)
	if err != nil {
		return Order{}, err
	}
	return s.insertWith(ctx, a, d, canon, token, 0, src.ID, action, claim)
}

// clip keeps s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// renewalParams turns a succeeded order's parameters into a renewal's. A
// missing identifier is a fault.Fields entry on its parameter path.
func renewalParams(o Order, in RenewInput) ([]byte, error) {
	renew := o.Product.Spec().renew
	if renew == nil {
		return nil, fmt.Errorf("orders: renew: unknown product %q", o.Product)
	}
	return renew(o, in)
}

// renewSame renews by sending the same again: a RenewInstance renews the
// same instance for another term. check puts a new ClientToken in, so the
// renewal can never be mistaken for a resend of the original.
func renewSame(o Order, _ RenewInput) ([]byte, error) { return o.Params, nil }

// renewBilling turns a CreateInstance into a RenewInstance of one instance
// it bought: the same product codes, region and term. The instance is the
// answer's only one, or the one the requester chose among several (or,
// when the answer named none, typed).
func renewBilling(o Order, in RenewInput) ([]byte, error) {
	var req tcapi.CreateInstanceRequest
	if err := json.Unmarshal(o.Params, &req); err != nil {
		return nil, fmt.Errorf("orders: renew order %d: %w", o.ID, err)
	}
	bought := o.Sent.InstanceIDs
	id := strings.TrimSpace(in.InstanceID)
	switch {
	case id == "" && len(bought) == 1:
		id = bought[0]
	case id == "" && len(bought) == 0:
		return nil, fault.Fields{"InstanceId": fault.M("order.renew.needs_billing_instance")}
	case id == "":
		return nil, fault.Fields{"InstanceId": fault.M("order.renew.choose_billing_instance", "count", strconv.Itoa(len(bought)))}
	case len(bought) > 0 && !slices.Contains(bought, id):
		return nil, fault.Fields{"InstanceId": fault.M("order.renew.not_bought", "bought", strings.Join(bought, ", "))}
	}
	return json.Marshal(&tcapi.RenewInstanceRequest{
		ProductCode: req.ProductCode, SubProductCode: req.SubProductCode, RegionCode: req.RegionCode,
		InstanceId: new(id), Period: req.Period, PeriodUnit: req.PeriodUnit,
	})
}

func renewWAF(o Order, in RenewInput) ([]byte, error) {
	var req tcapi.GenerateDealsAndPayNewRequest
	if err := json.Unmarshal(o.Params, &req); err != nil {
		return nil, fmt.Errorf("orders: renew order %d: %w", o.ID, err)
	}
	fe := fault.Fields{}
	for i := range req.Goods {
		g := &req.Goods[i]
		if g.GoodsDetail == nil {
			g.GoodsDetail = &tcapi.GoodsDetailNew{}
		}
		d := g.GoodsDetail
		p, ok := wafLineProduct(g)
		if !ok {
			return nil, conflict("order.renew.unknown_line", "line", strconv.Itoa(i+1))
		}
		if p.AddOn() {
			return nil, conflict("order.renew.add_on", "line", strconv.Itoa(i+1), "code", p.SubProductCode)
		}
		g.GoodsCategoryId = new(int64(p.RenewCategory))
		d.Pid = new(int64(p.Pid))
		d.SubProductCode = new(p.SubProductCode)
		// CurDeadline prices a change of configuration; a renewal has none.
		d.CurDeadline = nil
		if id := strings.TrimSpace(in.InstanceIDs[i]); id != "" {
			d.InstanceId = new(id)
		}
		// A new purchase names no instance in its parameters, but the answer
		// did: it carries the one instance bought. That settles the line
		// only when there was one line; with several, whose it is is unknown.
		if tcapi.Deref(d.InstanceId) == "" && len(req.Goods) == 1 && len(o.Sent.InstanceIDs) == 1 {
			d.InstanceId = new(o.Sent.InstanceIDs[0])
		}
		if tcapi.Deref(d.InstanceId) == "" {
			fe.Set(fmt.Sprintf("Goods[%d].GoodsDetail.InstanceId", i), "order.renew.needs_instance")
		}
	}
	if err := fe.OrNil(); err != nil {
		return nil, err
	}
	return json.Marshal(&req)
}

// wafLineProduct finds the product a line buys: by its category, else by its
// SubProductCode, else by its Pid.
func wafLineProduct(g *tcapi.GoodNews) (tcapi.WAFProduct, bool) {
	if g.GoodsCategoryId != nil {
		p, _, ok := tcapi.LookupWAFCategory(*g.GoodsCategoryId)
		return p, ok
	}
	code, pid := tcapi.Deref(g.GoodsDetail.SubProductCode), tcapi.Deref(g.GoodsDetail.Pid)
	for _, p := range tcapi.WAFProducts() {
		if (code != "" && p.SubProductCode == code) || (code == "" && pid != 0 && p.Pid == pid) {
			return p, true
		}
	}
	return tcapi.WAFProduct{}, false
}

func renewTCB(o Order, in RenewInput) ([]byte, error) {
	var req tcapi.CreateBillDealRequest
	if err := json.Unmarshal(o.Params, &req); err != nil {
		return nil, fmt.Errorf("orders: renew order %d: %w", o.ID, err)
	}
	req.DealType = new("renew")
	// A change of plan renews the plan it changed to.
	if tcapi.Deref(req.ModifyPackageId) != "" {
		req.PackageId = req.ModifyPackageId
	}
	req.ModifyPackageId = nil
	// These describe a new environment and are refused on a renewal.
	req.Alias, req.ResourceTypes, req.EnvTags = nil, nil, nil
	if id := strings.TrimSpace(in.ResourceID); id != "" {
		req.ResourceId = new(id)
	}
	if tcapi.Deref(req.ResourceId) == "" {
		return nil, fault.Fields{"ResourceId": fault.M("order.renew.needs_resource")}
	}
	return json.Marshal(&req)
}

// RenewalAsk is one identifier a renewal asks the requester for, as the
// registry's renewal of the product names it: its parameter path, the goods
// line it belongs to (-1 for the whole order), the parameter's name, and
// words for a form.
type RenewalAsk struct {
	Path  string
	Line  int
	Param string
	Label string
	Hint  string
	// Choices are the values to choose from, when the order's answer named
	// several (a purchase of several instances renews one per draft).
	Choices []string
}

// renewalAsks describes each parameter path a renewal may ask for.
var renewalAsks = []struct {
	param, label, hint string
	perLine            bool
}{
	{"InstanceId", "Instance of Goods entry %d (InstanceId)", "Such as waf_000001.", true},
	{"ResourceId", "Environment to renew (ResourceId)", "Such as cloud-0g6kw62kbda53cb6.", false},
	// A Billing purchase: RenewInstance renews one instance, so a purchase
	// of several is renewed one draft per instance, chosen from those its
	// answer named; an answer that named none leaves the id to be typed.
	{"InstanceId", "Instance to renew (InstanceId)", "Such as cfwi-1a2b3c4d: copy it from the Cloud Firewall console.", false},
}

// RenewalAsks lists what a renewal of o asks the requester for
// (RenewalGaps, described). An error means o cannot be renewed at all.
func RenewalAsks(o Order) ([]RenewalAsk, error) {
	gaps, err := RenewalGaps(o)
	if err != nil {
		return nil, err
	}
	out := make([]RenewalAsk, 0, len(gaps))
	for _, path := range gaps {
		a := RenewalAsk{Path: path, Line: lineIndex(path), Param: path, Label: path}
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			a.Param = path[i+1:]
		}
		for _, d := range renewalAsks {
			if d.param == a.Param && d.perLine == (a.Line >= 0) {
				a.Label, a.Hint = d.label, d.hint
				if d.perLine {
					a.Label = fmt.Sprintf(d.label, a.Line+1)
				}
			}
		}
		if a.Line < 0 && a.Param == "InstanceId" && len(o.Sent.InstanceIDs) > 1 {
			a.Choices = slices.Clone(o.Sent.InstanceIDs)
			a.Hint = fmt.Sprintf("This purchase bought %d instances; each renewal renews one. Renew again for each of the others.", len(a.Choices))
		}
		out = append(out, a)
	}
	return out, nil
}

// Answer records the requester's value for what a asks.
func (in *RenewInput) Answer(a RenewalAsk, value string) {
	switch {
	case a.Line >= 0 && a.Param == "InstanceId":
		if in.InstanceIDs == nil {
			in.InstanceIDs = map[int]string{}
		}
		in.InstanceIDs[a.Line] = value
	case a.Line < 0 && a.Param == "ResourceId":
		in.ResourceID = value
	case a.Line < 0 && a.Param == "InstanceId":
		in.InstanceID = value
	}
}
