// Package tcsimtest runs the Tencent Cloud sandbox on an httptest server for
// the length of one test. It stays out of the console binary.
package tcsimtest

import (
	"net/http/httptest"
	"testing"

	"dealdesk/internal/tcapi/tcsim"
)

// Server is a sandbox on a local httptest server. Its Sim methods set faults
// and read calls; URL is the client's Endpoint.
type Server struct {
	*tcsim.Sim
	URL string
}

// Start serves a new sandbox with opts until the test ends.
func Start(t testing.TB, opts tcsim.Options) *Server {
	t.Helper()
	sim := tcsim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return &Server{Sim: sim, URL: srv.URL}
}
