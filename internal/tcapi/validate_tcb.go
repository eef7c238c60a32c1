package tcapi

import (
	"encoding/json"
	"regexp"
	"strings"
)

// MaxAliasLen is the documented limit on a CloudBase environment alias.
const MaxAliasLen = 20

var aliasChars = regexp.MustCompile(`^[a-z0-9-]+$`)

// Validate implements Request. Several rules depend on DealType and
// ProductType together: Alias, ResourceTypes and EnvTags describe a new
// environment and belong only to a tcb-baas purchase.
func (r *CreateBillDealRequest) Validate() error {
	c := &checker{action: "CreateBillDeal"}
	if c.requiredString("DealType", r.DealType) {
		c.oneOf("DealType", r.DealType, choice{"purchase", "new purchase"}, choice{"renew", "renewal"}, choice{"modify", "change of plan"})
	}
	if c.requiredString("ProductType", r.ProductType) {
		c.oneOf("ProductType", r.ProductType,
			choice{"tcb-baas", "plan"}, choice{"tcb-promotion", "promotion pack"}, choice{"tcb-package", "resource pack"})
	}
	c.requiredString("PackageId", r.PackageId)

	deal, product := Deref(r.DealType), Deref(r.ProductType)
	newEnv := deal == "purchase" && product == "tcb-baas"

	c.atLeast("TimeSpan", r.TimeSpan, 1)
	c.oneOf("TimeUnit", r.TimeUnit, choice{"d", "days"}, choice{"m", "months"}, choice{"y", "years"}, choice{"p", "once"})
	if tu := Deref(r.TimeUnit); product == "tcb-baas" && (deal == "purchase" || deal == "renew") && tu != "" && tu != "m" {
		c.invalid("TimeUnit", "must be m (months) to buy or renew a tcb-baas plan, not %q", tu)
	}
	if (deal == "renew" || deal == "modify") && Deref(r.ResourceId) == "" {
		c.add("ResourceId", CodeMissingParameter, "is required to renew or modify: it names the environment")
	}
	c.oneOf("Source", r.Source, choice{"qcloud", "Tencent Cloud"}, choice{"miniapp", "mini program"})
	if r.Alias != nil {
		switch {
		case !newEnv:
			c.invalid("Alias", "is only for a new tcb-baas purchase")
		case !validAlias(*r.Alias):
			c.invalid("Alias", "must be 1 to %d characters of a-z, 0-9 and -, not starting or ending with - and without --, not %q", MaxAliasLen, *r.Alias)
		}
	}
	if (product == "tcb-promotion" || product == "tcb-package") && Deref(r.EnvId) == "" {
		c.add("EnvId", CodeMissingParameter, "is required for a %s: it names the environment", product)
	}
	if deal == "modify" && Deref(r.ModifyPackageId) == "" {
		c.add("ModifyPackageId", CodeMissingParameter, "is required to modify: it names the plan to change to")
	}
	if r.Extension != nil && !json.Valid([]byte(*r.Extension)) {
		c.invalid("Extension", "must be JSON text, such as {}")
	}
	if len(r.ResourceTypes) > 0 && !newEnv {
		c.invalid("ResourceTypes", "is only for a new tcb-baas purchase")
	}
	for i := range r.ResourceTypes {
		c.oneOf(idx("ResourceTypes", i), &r.ResourceTypes[i],
			choice{"flexdb", "database"}, choice{"cos", "storage"}, choice{"cdn", "CDN"}, choice{"scf", "functions"})
	}
	if len(r.EnvTags) > 0 && !newEnv {
		c.invalid("EnvTags", "is only for a new tcb-baas purchase")
	}
	for i, t := range r.EnvTags {
		p := idx("EnvTags", i)
		c.requiredString(p+".Key", t.Key)
		c.requiredString(p+".Value", t.Value)
	}
	return c.err()
}

func validAlias(s string) bool {
	return len(s) <= MaxAliasLen && aliasChars.MatchString(s) &&
		!strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-") && !strings.Contains(s, "--")
}
