// Package tcsim is a sandbox that answers the Tencent Cloud API calls
// Dealdesk makes, as strictly as the real service: it verifies TC3
// signatures, decodes and validates parameters with its own types and rules
// written from the API documents (wire.go, decode.go, validate.go; it does
// not import the client, tcapi, so a mistake there cannot pass both),
// answers the documented errors in the documented envelope, throttles at 20
// calls per second per SecretId and action, keeps CreateInstance idempotent
// on ClientToken, and charges a per-SecretId balance that can run out.
// It remembers what each account (SecretId) bought (resources.go): a
// renewal, change or add-on of an instance or environment the account does
// not own is ResourceNotFound, and renewals move the expiry.
// Tests, `console sim` and the sandbox mode of `console serve` use it.
//
// Faults can be injected (latency, error answers, HTTP 5xx, either instead
// of processing the call or after it bought, a connection dropped after the
// call was processed), alone or mixed at random per call, and every call is
// recorded with whether it bought something and the fault applied to it, so
// tests can prove nothing was bought twice.
// The admin API lives under /__sim/ (see Handler); the same operations are
// methods on Sim.
//
// Prices are a small made-up table (prices.go): sandbox-only, never a quote.
package tcsim

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultBalance is each SecretId's starting balance, in cents (1,000,000.00).
const DefaultBalance = 100_000_000

// Options configure a Sim.
type Options struct {
	// Keys maps each SecretId the sandbox knows to its SecretKey.
	Keys map[string]string
	// Tokens maps a SecretId to the X-TC-Token its calls must carry, for
	// temporary credentials. Calls with a SecretId not listed must carry none.
	Tokens map[string]string
	// InitialBalance is each SecretId's starting balance in cents; 0 means
	// DefaultBalance.
	InitialBalance int64
	// RatePerSecond is the limit per SecretId and action; 0 means 20, the
	// documented limit.
	RatePerSecond float64
	// Now is the sandbox's clock (signature expiry, rate limits, order
	// times); nil means time.Now.
	Now func() time.Time
	// Log receives one line per call (never a secret); nil discards.
	Log *slog.Logger
	// Resources are owned from the start and again after every Reset (an
	// empty SecretID: by every account in Keys), so that renewals of known
	// ids, such as the API documents' examples, have something to renew.
	Resources []Resource
	// Seed seeds the draws of faults with a Probability, so a test can
	// replay a campaign's draws; 0 means a random seed.
	Seed uint64
	// Prices returns the table to charge from, asked at each purchase; nil
	// means DefaultPrices. Items it does not list cost defaultMonthly.
	Prices func() PriceTable
}

// Sim is the sandbox's state. It is safe for concurrent use.
type Sim struct {
	opts Options

	mu       sync.Mutex
	calls    []Call
	balances map[string]int64
	orders   []*order
	tokens   map[tokenKey]*order
	// resources is what each account owns, by account (Uin) and id.
	resources map[resourceKey]*Resource
	buckets   map[bucketKey]*rate.Limiter
	faults    []*faultState
	faultSeq  int
	rand      *rand.Rand // fault draws; used under mu
	callSeq   int
	// idSeq numbers orders and deals. Reset leaves it alone so ids stay
	// unique for the sandbox's whole life.
	idSeq int64
}

// Call is one call the sandbox received, as GET /__sim/calls reports it.
// It holds the SecretId but never the SecretKey, the signature or a token.
type Call struct {
	Seq      int       `json:"Seq"`
	Time     time.Time `json:"Time"`
	Service  string    `json:"Service,omitempty"`
	Version  string    `json:"Version,omitempty"`
	Action   string    `json:"Action"`
	Region   string    `json:"Region,omitempty"`
	SecretID string    `json:"SecretId,omitempty"`
	// Params is the body as received (as a JSON string when it is not JSON).
	Params json.RawMessage `json:"Params,omitempty"`
	// Outcome is "Success", the error code answered, "ConnectionDropped",
	// "CustomBody" or "HTTP <status>".
	Outcome   string `json:"Outcome"`
	RequestID string `json:"RequestId"`
	// Bought is true when the call charged the balance.
	Bought bool `json:"Bought"`
	// Charged is what the call cost, in cents.
	Charged int64 `json:"Charged,omitempty"`
	// FaultID is the Id of the fault applied to the call, if any.
	FaultID int `json:"FaultId,omitempty"`
	// Orders names the orders (or WAF deals) the call created or, for a
	// repeated ClientToken, returned again.
	Orders []string `json:"Orders,omitempty"`
}

// New returns a sandbox with opts.
func New(opts Options) *Sim {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RatePerSecond == 0 {
		opts.RatePerSecond = 20
	}
	if opts.InitialBalance == 0 {
		opts.InitialBalance = DefaultBalance
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	// Copies, so a caller changing its maps later cannot race the handler.
	opts.Keys = maps.Clone(opts.Keys)
	opts.Tokens = maps.Clone(opts.Tokens)
	opts.Resources = slices.Clone(opts.Resources)
	if opts.Seed == 0 {
		var b [8]byte
		_, _ = crand.Read(b[:]) // never fails (crypto/rand panics instead)
		opts.Seed = binary.LittleEndian.Uint64(b[:]) | 1
	}
	s := &Sim{opts: opts, rand: rand.New(rand.NewPCG(opts.Seed, opts.Seed))}
	s.resetLocked()
	return s
}

// Reset forgets every call, order, fault, rate count, balance change and
// resource bought, and owns Options.Resources again.
func (s *Sim) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

func (s *Sim) resetLocked() {
	s.calls = nil
	s.balances = map[string]int64{}
	s.orders = nil
	s.tokens = map[tokenKey]*order{}
	s.resources = map[resourceKey]*Resource{}
	s.seedResources(s.opts.Now())
	s.buckets = map[bucketKey]*rate.Limiter{}
	s.faults = nil
}

// Calls returns every call received since the last Reset, in order (a
// sandbox that has run past 100,000 calls keeps the latest 50,000 or more).
func (s *Sim) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// SetBalance sets a SecretId's balance in cents.
func (s *Sim) SetBalance(secretID string, cents int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balances[secretID] = cents
}

// Balance returns a SecretId's balance in cents.
func (s *Sim) Balance(secretID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balanceLocked(secretID)
}

func (s *Sim) balanceLocked(secretID string) int64 {
	b, ok := s.balances[secretID]
	if !ok {
		return s.opts.InitialBalance
	}
	return b
}

// Server is a sandbox listening on a TCP address.
type Server struct {
	*Sim
	// Addr is the address it listens on (with the real port when asked for port 0).
	Addr string
	// URL is the base URL to give the client: http://Addr.
	URL  string
	done chan struct{}
	err  error
}

// Start runs a new sandbox with opts on addr until ctx ends.
func Start(ctx context.Context, addr string, opts Options) (*Server, error) {
	return New(opts).Start(ctx, addr)
}

// Start serves the sandbox on addr until ctx ends; Wait reports how it ended.
func (s *Sim) Start(ctx context.Context, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("tcsim: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// Requests end with ctx, so injected latency does not hold up shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	out := &Server{Sim: s, Addr: ln.Addr().String(), URL: "http://" + ln.Addr().String(), done: make(chan struct{})}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	go func() {
		defer close(out.done)
		select {
		case err := <-serveErr:
			out.err = fmt.Errorf("tcsim: serve: %w", err)
			return
		case <-ctx.Done():
		}
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			out.err = fmt.Errorf("tcsim: shutdown: %w", err)
		}
		if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) && out.err == nil {
			out.err = fmt.Errorf("tcsim: serve: %w", err)
		}
	}()
	return out, nil
}

// Wait blocks until the server has stopped and reports why, if not because
// its context ended.
func (s *Server) Wait() error {
	<-s.done
	return s.err
}
