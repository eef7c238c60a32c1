package tcapi

// Target says where one call goes: the service and its API version, the
// action, and the region (the X-TC-Region common parameter; empty for the
// actions that take none).
type Target struct {
	Service string
	Version string
	Action  string
	Region  string
}

// Request is one typed API request. Its JSON encoding is the request body,
// exactly as sent; parameters the caller did not set are left out.
type Request interface {
	// Target names the action and, where the action takes one, the region.
	Target() Target
	// Validate checks every documented rule and returns a *ValidationError
	// listing each problem, or nil.
	Validate() error
}

// Action describes one action this package knows: what the sandbox routes
// on and what the client needs to decode the answer.
type Action struct {
	Service string
	Version string
	Name    string
	// Host is the real endpoint's host name.
	Host string
	// RegionRequired marks actions that refuse a call without X-TC-Region.
	RegionRequired bool
	// NewRequest returns an empty request to decode a body into.
	NewRequest func() Request
	// newResponse returns an empty typed response to decode an answer into.
	newResponse func() any
	// judge decides the outcome of an answer that carried no Error; nil
	// means such an answer is a success.
	judge func(resp any) (Outcome, string)
	// choices are the allowed values of each enumerated string parameter,
	// by parameter path (array indexes left out), in the order the
	// validator's messages list them (read through Choices).
	choices map[string][]Choice
	// errors are the error codes the action's document lists beyond the
	// common codes of API 3.0 (read through LookupError).
	errors []ErrorInfo
	// deals is what deals a request would create on the bill (read through
	// DealPatterns); nil for actions that buy nothing.
	deals func(Request) []DealPattern
}

// Hosts of the real endpoints, from the API documents.
const (
	HostWAF     = "waf.tencentcloudapi.com"
	HostBilling = "billing.intl.tencentcloudapi.com"
	HostTCB     = "tcb.tencentcloudapi.com"
)

// Service versions, one per service: every action a service has here shares it.
const (
	VersionWAF     = "2018-01-25"
	VersionBilling = "2018-07-09"
	VersionTCB     = "2018-06-08"
)

// actions is every action this package knows, one line each. Everything
// about an action (its target, choices, error codes, deal pattern) is its
// own Action value, declared beside its request type.
var actions = []Action{
	actionGenerateDealsAndPayNew,
	actionCreateInstance,
	actionRenewInstance,
	actionDescribeDealsByCond,
	actionDescribeAccountBalance,
	actionCreateBillDeal,
}

// Actions lists every action this package knows.
func Actions() []Action {
	return append([]Action(nil), actions...)
}

// LookupAction finds an action by its name and version, the two headers a
// server routes on. ok is false when no action has that name and version.
func LookupAction(name, version string) (a Action, ok bool) {
	for _, a := range actions {
		if a.Name == name && a.Version == version {
			return a, true
		}
	}
	return Action{}, false
}

// ActionVersions lists the versions in which an action exists, so a server
// can tell an unknown action (InvalidAction) from a wrong version
// (NoSuchVersion).
func ActionVersions(name string) []string {
	var vs []string
	for _, a := range actions {
		if a.Name == name {
			vs = append(vs, a.Version)
		}
	}
	return vs
}

// hostFor is the real host of a service.
func hostFor(service string) string {
	for _, a := range actions {
		if a.Service == service {
			return a.Host
		}
	}
	return service + ".tencentcloudapi.com"
}
