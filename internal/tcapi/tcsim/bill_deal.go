package tcsim

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// createBillDealRoute is tcb 2018-06-08 CreateBillDeal.
var createBillDealRoute = newRoute("tcb", "2018-06-08", "CreateBillDeal", false,
	func(r *billDealRequest, _ string) *apiError { return validateBillDeal(r) }, (*Sim).createBillDeal)

// billDealRequest is tcb 2018-06-08 CreateBillDeal.
type billDealRequest struct {
	DealType        *string  `json:"DealType"`
	ProductType     *string  `json:"ProductType"`
	PackageId       *string  `json:"PackageId"`
	CreateAndPay    *bool    `json:"CreateAndPay"`
	TimeSpan        *int64   `json:"TimeSpan"`
	TimeUnit        *string  `json:"TimeUnit"`
	ResourceId      *string  `json:"ResourceId"`
	Source          *string  `json:"Source"`
	Alias           *string  `json:"Alias"`
	EnvId           *string  `json:"EnvId"`
	EnableExcess    *bool    `json:"EnableExcess"`
	ModifyPackageId *string  `json:"ModifyPackageId"`
	Extension       *string  `json:"Extension"`
	AutoVoucher     *bool    `json:"AutoVoucher"`
	ResourceTypes   []string `json:"ResourceTypes"`
	EnvTags         []envTag `json:"EnvTags"`
}

type envTag struct {
	Key   *string `json:"Key"`
	Value *string `json:"Value"`
}

type requestIDOnly struct {
	RequestId string `json:"RequestId"`
}

// createBillDeal creates the order and, with CreateAndPay, pays it. An
// order left unpaid (the service's default) buys nothing yet. A renewal or
// change names its environment in ResourceId, a promotion or resource pack
// in EnvId; either must be the account's own.
func (s *Sim) createBillDeal(r *billDealRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	env, path := "", ""
	switch {
	case *r.DealType == "renew" || *r.DealType == "modify":
		env, path = *r.ResourceId, "ResourceId"
	case *r.ProductType != "tcb-baas":
		env, path = *r.EnvId, "EnvId"
	}
	if env != "" {
		if _, ok := s.owned(secretID, env, "p_tcb"); !ok {
			return nil, notOwned(path, env)
		}
	}
	cost := tcbPrice(s.prices(), r)
	status := int64(dealUnpaid)
	paid := deref(r.CreateAndPay)
	if paid {
		if err := s.charge(secretID, cost); err != nil {
			return nil, err
		}
		status = dealShipped
		call.Bought, call.Charged = true, cost
	}
	o := &order{
		id: s.nextID(now), secretID: secretID, status: status, created: now,
		productCode: "p_tcb", subProductCode: *r.ProductType, timeSpan: deref(r.TimeSpan), timeUnit: deref(r.TimeUnit),
		cost: cost, action: *r.DealType,
	}
	if env == "" {
		env = "cloud-" + randomID(16)
		if paid {
			s.ownLocked(Resource{SecretID: secretID, ID: env, Product: "p_tcb", SubProductCode: *r.PackageId,
				Created: now, Expiry: extend(now, deref(r.TimeSpan), deref(r.TimeUnit))}, now)
		}
	} else if paid && *r.DealType == "renew" {
		res, _ := s.owned(secretID, env, "p_tcb")
		res.Expiry = extend(renewFrom(res, now), deref(r.TimeSpan), deref(r.TimeUnit))
	}
	if res, ok := s.owned(secretID, env, "p_tcb"); ok && paid {
		res.Deals = append(res.Deals, o.id)
	}
	o.resourceIDs = []string{env}
	o.bigDealID = o.id
	s.orders = append(s.orders, o)
	call.Orders = []string{o.id}
	return &requestIDOnly{RequestId: call.RequestID}, nil
}

// validateBillDeal follows CreateBillDeal's parameter table: DealType
// [purchase,renew,modify], ProductType [tcb-baas,tcb-promotion,tcb-package]
// and PackageId required; TimeUnit d, m, y, p (a plan bought or renewed by
// the month only); ResourceId to renew or modify; EnvId for a promotion or
// resource pack; ModifyPackageId to modify; Source [qcloud,miniapp]; Alias,
// ResourceTypes (flexdb, cos, cdn, scf) and EnvTags only "when DealType=purchase
// and ProductType=tcb-baas"; Extension JSON.
func validateBillDeal(r *billDealRequest) *apiError {
	switch {
	case deref(r.DealType) == "":
		return missing("DealType", "is required")
	case !slices.Contains([]string{"purchase", "renew", "modify"}, *r.DealType):
		return invalid("DealType", "must be purchase, renew or modify")
	case deref(r.ProductType) == "":
		return missing("ProductType", "is required")
	case !slices.Contains([]string{"tcb-baas", "tcb-promotion", "tcb-package"}, *r.ProductType):
		return invalid("ProductType", "must be tcb-baas, tcb-promotion or tcb-package")
	case deref(r.PackageId) == "":
		return missing("PackageId", "is required")
	}
	deal, product := *r.DealType, *r.ProductType
	newEnv := deal == "purchase" && product == "tcb-baas"
	if e := term("", r.TimeSpan, r.TimeUnit, "d", "m", "y", "p"); e != nil {
		return e
	}
	if u := deref(r.TimeUnit); product == "tcb-baas" && deal != "modify" && u != "" && u != "m" {
		return invalid("TimeUnit", "must be m to buy or renew an environment")
	}
	if (deal == "renew" || deal == "modify") && deref(r.ResourceId) == "" {
		return missing("ResourceId", "is required to renew or modify: it names the environment")
	}
	if v := r.Source; v != nil && *v != "qcloud" && *v != "miniapp" {
		return invalid("Source", "must be qcloud or miniapp")
	}
	if (product == "tcb-promotion" || product == "tcb-package") && deref(r.EnvId) == "" {
		return missing("EnvId", "is required for a "+product)
	}
	if deal == "modify" && deref(r.ModifyPackageId) == "" {
		return missing("ModifyPackageId", "is required to modify: it names the new plan")
	}
	if v := r.Extension; v != nil && !json.Valid([]byte(*v)) {
		return invalid("Extension", "must be JSON")
	}
	return validateNewEnv(r, newEnv)
}

// validateNewEnv checks what describes a new environment (Alias,
// ResourceTypes, EnvTags): only "when DealType=purchase and
// ProductType=tcb-baas".
func validateNewEnv(r *billDealRequest, newEnv bool) *apiError {
	if v := r.Alias; v != nil {
		switch {
		case !newEnv:
			return invalid("Alias", "names a new environment: only for a tcb-baas purchase")
		case utf8.RuneCountInString(*v) > 20 || !aliasShape.MatchString(*v):
			return invalid("Alias", "must be 1 to 20 characters of a-z, 0-9 and single hyphens inside")
		}
	}
	if len(r.ResourceTypes) > 0 && !newEnv {
		return invalid("ResourceTypes", "is only for a new tcb-baas purchase")
	}
	for i, t := range r.ResourceTypes {
		if !slices.Contains([]string{"flexdb", "cos", "cdn", "scf"}, t) || slices.Contains(r.ResourceTypes[:i], t) {
			return invalid(fmt.Sprintf("ResourceTypes[%d]", i), "must be one of flexdb, cos, cdn and scf, each once")
		}
	}
	if len(r.EnvTags) > 0 && !newEnv {
		return invalid("EnvTags", "is only for a new tcb-baas purchase")
	}
	keys := map[string]bool{}
	for i, t := range r.EnvTags {
		p := fmt.Sprintf("EnvTags[%d]", i)
		switch {
		case deref(t.Key) == "":
			return missing(p+".Key", "is required")
		case deref(t.Value) == "":
			return missing(p+".Value", "is required")
		case keys[*t.Key]:
			return invalid(p+".Key", "repeats a tag key")
		}
		keys[*t.Key] = true
	}
	return nil
}
