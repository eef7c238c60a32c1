package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"
)

// startPprof serves Go's runtime profiles on addr (CONSOLE_PPROF_ADDR, a
// loopback address the configuration checked) until ctx ends: `make bench`
// takes the CPU profile of the slowest page from it. A mux of its own, never
// http.DefaultServeMux, so the profiles are on no other listener. Mutex and
// block profiles are sampled too (one event in 100; one block per
// millisecond), so a lock that serialises work shows there.
func startPprof(ctx context.Context, log *slog.Logger, addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s (CONSOLE_PPROF_ADDR): %w", addr, err)
	}
	runtime.SetMutexProfileFraction(100)
	runtime.SetBlockProfileRate(int(time.Millisecond))
	// A CPU profile runs for the seconds the caller asks; no write timeout.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	log.Info("profiles", "addr", ln.Addr().String())
	return nil
}
