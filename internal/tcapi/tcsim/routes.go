package tcsim

import (
	"slices"
	"strings"
)

// route is one action the sandbox answers: the X-TC-Action and
// X-TC-Version it is called with, the service its signature must be scoped
// to, and whether it needs X-TC-Region ("Region | Yes" in its document).
type route struct {
	Service        string
	Version        string
	Name           string
	RegionRequired bool
	newRequest     func() any
}

var routes = []route{
	{"waf", "2018-01-25", "GenerateDealsAndPayNew", true, func() any { return new(wafRequest) }},
	{"billing", "2018-07-09", "CreateInstance", false, func() any { return new(createInstanceRequest) }},
	{"billing", "2018-07-09", "RenewInstance", false, func() any { return new(renewInstanceRequest) }},
	{"billing", "2018-07-09", "DescribeDealsByCond", false, func() any { return new(dealsRequest) }},
	{"billing", "2018-07-09", "DescribeAccountBalance", false, func() any { return new(balanceRequest) }},
	{"tcb", "2018-06-08", "CreateBillDeal", false, func() any { return new(billDealRequest) }},
}

// findRoute finds the action named by X-TC-Action in the version named by
// X-TC-Version, telling an unknown action (InvalidAction) from a wrong
// version (NoSuchVersion) as the service does.
func findRoute(name, version string) (route, *apiError) {
	if name == "" {
		return route{}, fail(codeMissingParameter, "the request is missing the X-TC-Action header")
	}
	var versions []string
	for _, r := range routes {
		if r.Name != name {
			continue
		}
		if r.Version == version {
			return r, nil
		}
		versions = append(versions, r.Version)
	}
	if len(versions) == 0 {
		return route{}, fail("InvalidAction", "the action %q does not exist", name)
	}
	slices.Sort(versions)
	if version == "" {
		return route{}, fail("NoSuchVersion", "the request is missing the X-TC-Version header; %s exists in version %s", name, strings.Join(versions, ", "))
	}
	return route{}, fail("NoSuchVersion", "version %q of %s does not exist; it exists in version %s", version, name, strings.Join(versions, ", "))
}
