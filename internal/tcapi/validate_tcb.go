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
		c.invalid("TimeUnit", "tcb_time_unit", "value", quote(tu))
	}
	if (deal == "renew" || deal == "modify") && Deref(r.ResourceId) == "" {
		c.add("ResourceId", CodeMissingParameter, "tcb_resource_id")
	}
	c.ident("ResourceId", r.ResourceId)
	c.oneOf("Source", r.Source, allowed("CreateBillDeal", "Source")...)
	if r.Alias != nil {
		switch {
		case !newEnv:
			c.invalid("Alias", "tcb_new_only")
		case !validAlias(*r.Alias):
			c.invalid("Alias", "tcb_alias", "max", num(MaxAliasLen), "value", quote(*r.Alias))
		}
	}
	if (product == "tcb-promotion" || product == "tcb-package") && Deref(r.EnvId) == "" {
		c.add("EnvId", CodeMissingParameter, "tcb_env_id", "product", product)
	}
	c.ident("EnvId", r.EnvId)
	if deal == "modify" && Deref(r.ModifyPackageId) == "" {
		c.add("ModifyPackageId", CodeMissingParameter, "tcb_modify_package")
	}
	c.code("ModifyPackageId", r.ModifyPackageId)
	c.jsonString("Extension", r.Extension)
	if len(r.ResourceTypes) > 0 && !newEnv {
		c.invalid("ResourceTypes", "tcb_new_only")
	}
	for i := range r.ResourceTypes {
		c.oneOf(idx("ResourceTypes", i), &r.ResourceTypes[i], allowed("CreateBillDeal", "ResourceTypes")...)
		// Four kinds exist, so four entries at most: a repeat is a mistake.
		if slices.Contains(r.ResourceTypes[:i], r.ResourceTypes[i]) {
			c.invalid(idx("ResourceTypes", i), "repeats", "value", quote(r.ResourceTypes[i]))
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
		c.invalid("EnvTags", "tcb_new_only")
	}
	if len(tags) > MaxEnvTags {
		c.invalid("EnvTags", "tags_at_most", "max", num(MaxEnvTags), "got", num(len(tags)))
	}
	keys := map[string]bool{}
	for i, t := range tags {
		p := idx("EnvTags", i)
		if c.requiredString(p+".Key", t.Key) {
			c.maxLen(p+".Key", t.Key, MaxTagKeyLen)
			if keys[*t.Key] {
				c.invalid(p+".Key", "tag_key_repeated")
			}
			keys[*t.Key] = true
		}
		if c.requiredString(p+".Value", t.Value) {
			c.maxLen(p+".Value", t.Value, MaxTagValueLen)
		}
	}
}
