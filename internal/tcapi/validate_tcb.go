package tcapi

import (
	"regexp"
	"slices"
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
	c.texts(r)
	if c.requiredString("DealType", r.DealType) {
		c.oneOf("DealType", r.DealType, allowed("CreateBillDeal", "DealType")...)
	}
	if c.requiredString("ProductType", r.ProductType) {
		c.oneOf("ProductType", r.ProductType, allowed("CreateBillDeal", "ProductType")...)
	}
	if c.requiredString("PackageId", r.PackageId) {
		c.code("PackageId", r.PackageId)
	}

	deal, product := Deref(r.DealType), Deref(r.ProductType)
	newEnv := deal == "purchase" && product == "tcb-baas"

	c.timeSpan("TimeSpan", r.TimeSpan, Deref(r.TimeUnit))
	c.oneOf("TimeUnit", r.TimeUnit, allowed("CreateBillDeal", "TimeUnit")...)
	if tu := Deref(r.TimeUnit); product == "tcb-baas" && (deal == "purchase" || deal == "renew") && tu != "" && tu != "m" {
		c.invalid("TimeUnit", "must be m (months) to buy or renew a tcb-baas plan, not %q", clip(tu))
	}
	if (deal == "renew" || deal == "modify") && Deref(r.ResourceId) == "" {
		c.add("ResourceId", CodeMissingParameter, "is required to renew or modify: it names the environment")
	}
	c.ident("ResourceId", r.ResourceId)
	c.oneOf("Source", r.Source, allowed("CreateBillDeal", "Source")...)
	if r.Alias != nil {
		switch {
		case !newEnv:
			c.invalid("Alias", "is only for a new tcb-baas purchase")
		case !validAlias(*r.Alias):
			c.invalid("Alias", "must be 1 to %d characters of a-z, 0-9 and -, not starting or ending with - and without --, not %q", MaxAliasLen, clip(*r.Alias))
		}
	}
	if (product == "tcb-promotion" || product == "tcb-package") && Deref(r.EnvId) == "" {
		c.add("EnvId", CodeMissingParameter, "is required for a %s: it names the environment", product)
	}
	c.ident("EnvId", r.EnvId)
	if deal == "modify" && Deref(r.ModifyPackageId) == "" {
		c.add("ModifyPackageId", CodeMissingParameter, "is required to modify: it names the plan to change to")
	}
	c.code("ModifyPackageId", r.ModifyPackageId)
	c.jsonString("Extension", r.Extension)
	if len(r.ResourceTypes) > 0 && !newEnv {
		c.invalid("ResourceTypes", "is only for a new tcb-baas purchase")
	}
	for i := range r.ResourceTypes {
		c.oneOf(idx("ResourceTypes", i), &r.ResourceTypes[i], allowed("CreateBillDeal", "ResourceTypes")...)
		// Four kinds exist, so four entries at most: a repeat is a mistake.
		if slices.Contains(r.ResourceTypes[:i], r.ResourceTypes[i]) {
			c.invalid(idx("ResourceTypes", i), "repeats %q", clip(r.ResourceTypes[i]))
		}
	}
	validateEnvTags(c, r.EnvTags, newEnv)
	return c.err()
}

func validAlias(s string) bool {
	return len(s) <= MaxAliasLen && aliasChars.MatchString(s) &&
		!strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-") && !strings.Contains(s, "--")
}

// validateEnvTags checks the tags of a new environment: only there, at most
// MaxEnvTags, each key once.
func validateEnvTags(c *checker, tags []Tag, newEnv bool) {
	if len(tags) > 0 && !newEnv {
		c.invalid("EnvTags", "is only for a new tcb-baas purchase")
	}
	if len(tags) > MaxEnvTags {
		c.invalid("EnvTags", "must hold at most %d tags, not %d", MaxEnvTags, len(tags))
	}
	keys := map[string]bool{}
	for i, t := range tags {
		p := idx("EnvTags", i)
		if c.requiredString(p+".Key", t.Key) {
			c.maxLen(p+".Key", t.Key, MaxTagKeyLen)
			if keys[*t.Key] {
				c.invalid(p+".Key", "repeats a key: a resource has one value per tag key")
			}
			keys[*t.Key] = true
		}
		if c.requiredString(p+".Value", t.Value) {
			c.maxLen(p+".Value", t.Value, MaxTagValueLen)
		}
	}
}
