package tcsim

import (
	"slices"
	"strings"
	"time"
)

// route is one action the sandbox answers: the X-TC-Action and
// X-TC-Version it is called with, the service its signature must be scoped
// to, whether it needs X-TC-Region ("Region | Yes" in its document), its
// wire type, its rules and what it does. Each action's file declares its
// route (newRoute); routes lists them.
type route struct {
	Service        string
	Version        string
	Name           string
	RegionRequired bool
	newRequest     func() any
	// validate checks a decoded request with the sandbox's own rules;
	// region is X-TC-Region.
	validate func(req any, region string) *apiError
	// process carries out a valid call. The caller holds s.mu.
	process func(s *Sim, req any, secretID string, now time.Time, call *Call) (any, *apiError)
}

// routes is every action the sandbox answers, one line each.
var routes = []route{
	generateDealsRoute,
	createInstanceRoute,
	renewInstanceRoute,
	describeDealsRoute,
	describeBalanceRoute,
	createBillDealRoute,
}

// newRoute makes an action's route from its typed wire request R, its
// rules (nil when the action has none) and its handler.
func newRoute[R any](service, version, name string, regionRequired bool,
	check func(r *R, region string) *apiError,
	handle func(s *Sim, r *R, secretID string, now time.Time, call *Call) (any, *apiError),
) route {
	return route{
		Service: service, Version: version, Name: name, RegionRequired: regionRequired,
		newRequest: func() any { return new(R) },
		validate: func(req any, region string) *apiError {
			if check == nil {
				return nil
			}
			return check(req.(*R), region)
		},
		process: func(s *Sim, req any, secretID string, now time.Time, call *Call) (any, *apiError) {
			return handle(s, req.(*R), secretID, now, call)
		},
	}
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
