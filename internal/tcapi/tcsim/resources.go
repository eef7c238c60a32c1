package tcsim

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Resource is something an account owns because a purchase created it (or
// because the sandbox was told it does): a WAF instance, a billing instance
// (Cloud Firewall) or a CloudBase environment, with its expiry. Renewals,
// changes of configuration and add-ons are accepted only for an account's
// own resources, and renewals move Expiry, as the real service judges them.
type Resource struct {
	// SecretID names the account (each SecretId is its own account, Uin).
	// In Options.Resources an empty SecretID gives the resource to every
	// account in Options.Keys.
	SecretID string `json:"SecretId,omitempty"`
	Uin      string `json:"Uin,omitempty"`
	// ID is the instance or environment id (waf_…, cfw-…, cloud-…).
	ID string `json:"Id"`
	// Product is the product code: p_waf, p_tcb or the billing product
	// (p_cloudfirewall).
	Product        string    `json:"Product"`
	SubProductCode string    `json:"SubProductCode,omitempty"`
	Created        time.Time `json:"Created"`
	Expiry         time.Time `json:"Expiry"`
	// Deals are the orders (deal names) that bought, renewed or changed it.
	Deals []string `json:"Deals,omitempty"`
}

type resourceKey struct{ uin, id string }

// OwnResource gives a resource to the account of r.SecretID (the admin
// API's POST /__sim/resources). A zero Created or Expiry is now, or a year
// from now.
func (s *Sim) OwnResource(r Resource) error {
	if r.SecretID == "" || r.ID == "" || r.Product == "" {
		return fmt.Errorf("tcsim: a resource needs SecretId, Id and Product")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ownLocked(r, s.opts.Now())
	return nil
}

func (s *Sim) ownLocked(r Resource, now time.Time) {
	r.Uin = uin(r.SecretID)
	if r.Created.IsZero() {
		r.Created = now
	}
	if r.Expiry.IsZero() {
		r.Expiry = r.Created.AddDate(1, 0, 0)
	}
	r.Deals = slices.Clone(r.Deals)
	s.resources[resourceKey{r.Uin, r.ID}] = &r
}

// seedResources gives Options.Resources to their accounts. The caller holds s.mu.
func (s *Sim) seedResources(now time.Time) {
	for _, r := range s.opts.Resources {
		if r.SecretID != "" {
			s.ownLocked(r, now)
			continue
		}
		for id := range s.opts.Keys {
			r.SecretID = id
			s.ownLocked(r, now)
		}
	}
}

// Resources lists what the account of secretID owns (every account's when
// secretID is empty), by account and id.
func (s *Sim) Resources(secretID string) []Resource {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Resource{}
	for k, r := range s.resources {
		if secretID == "" || k.uin == uin(secretID) {
			c := *r
			c.Deals = slices.Clone(r.Deals)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Resource) int { return cmp.Or(cmp.Compare(a.Uin, b.Uin), cmp.Compare(a.ID, b.ID)) })
	return out
}

// owned finds the account's resource id of product. The caller holds s.mu.
func (s *Sim) owned(secretID, id, product string) (*Resource, bool) {
	r, ok := s.resources[resourceKey{uin(secretID), id}]
	if !ok || r.Product != product {
		return nil, false
	}
	return r, true
}

// notOwned is the answer to a renewal, change or add-on of an id the
// account does not own: ResourceNotFound, in the WAF document's error list
// ("Resources do not exist.") and the common codes.
func notOwned(path, id string) *apiError {
	return fail(codeResourceNotFound, "%s: the resource %s does not exist in this account", path, id)
}

// extend adds span units of time to t: d days, m months, y years; p (once)
// and anything else adds nothing.
func extend(t time.Time, span int64, unit string) time.Time {
	n := int(max(span, 1))
	switch unit {
	case "d":
		return t.AddDate(0, 0, n)
	case "m", "":
		return t.AddDate(0, n, 0)
	case "y":
		return t.AddDate(n, 0, 0)
	}
	return t
}

// renewFrom is where a renewal starts counting: the expiry, or now if the
// resource has already expired.
func renewFrom(r *Resource, now time.Time) time.Time {
	if r.Expiry.Before(now) {
		return now
	}
	return r.Expiry
}

// ExampleResources are the environments the CloudBase document's examples
// change, renew and add packs to (cloud-0g6kw62kbda53cb6,
// cloud2-3gn8d5ah836cac09, cloud-2g248wj43786d54d), for every account. The
// built-in sandbox of `console serve` and `console sim` owns them, so the
// nine examples of the three documents can be sent as written and succeed.
func ExampleResources() []Resource {
	return []Resource{
		{ID: "cloud-0g6kw62kbda53cb6", Product: "p_tcb", SubProductCode: "baas_personal"},
		{ID: "cloud2-3gn8d5ah836cac09", Product: "p_tcb", SubProductCode: "baas_personal"},
		{ID: "cloud-2g248wj43786d54d", Product: "p_tcb", SubProductCode: "baas_personal"},
	}
}
