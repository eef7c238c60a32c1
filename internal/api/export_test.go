package api

import "strings"

// RouteInfo is a route as the black-box tests walk it.
type RouteInfo struct {
	Method, Path, Scopes string
	Public               bool
}

// Routes lists the route table for tests.
func Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range (&Server{}).routes() {
		var sc []string
		for _, s := range r.Scopes {
			sc = append(sc, string(s))
		}
		out = append(out, RouteInfo{Method: r.Method, Path: r.Path, Scopes: strings.Join(sc, ","), Public: r.Public})
	}
	return out
}
