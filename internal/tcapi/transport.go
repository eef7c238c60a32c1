package tcapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// maxAnswerBytes bounds how much of an answer is read. Real answers to these
// actions are a few kilobytes; DescribeDealsByCond at its 1000-deal page size
// stays well under this.
const maxAnswerBytes = 8 << 20

// exchange records what one call put on and got off the wire. The SDK hides
// both: it re-encodes the body and reads the answer itself, and on an
// answered error it returns before any response object sees the body. The
// exchange travels in the request's context to captureTransport.
type exchange struct {
	// connOpened is set once a connection is obtained for the request.
	// Before that nothing can have reached the service; after it, anything
	// may have. httptrace callbacks may run on other goroutines, hence atomic.
	connOpened atomic.Bool
	sent       []byte
	status     int
	received   []byte
	readErr    error
	// guard, when set, checks the body and lets the caller record the
	// moment before it is written; refused is why it stopped the request.
	guard   *wireGuard
	refused error
}

// wireGuard is what SendStored checks at the last moment.
type wireGuard struct {
	sha256      string
	secretID    string
	beforeWrite func(ctx context.Context, secretID string) error
}

type exchangeKey struct{}

func withExchange(ctx context.Context, ex *exchange) context.Context {
	ctx = context.WithValue(ctx, exchangeKey{}, ex)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { ex.connOpened.Store(true) },
	})
}

// captureTransport copies the request body and buffers the answer of every
// request whose context carries an exchange.
type captureTransport struct {
	base http.RoundTripper
}

func (t captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ex, _ := r.Context().Value(exchangeKey{}).(*exchange)
	if ex == nil {
		return t.base.RoundTrip(r)
	}
	if ex.status != 0 {
		// A second round trip in one exchange is http.Client following a
		// redirect, which for 307 and 308 would send the purchase again.
		// The service never redirects; the first answer stands (and, not
		// being HTTP 200, classifies as Unknown).
		return nil, errors.New("tcapi: refusing to follow a redirect")
	}
	if r.GetBody != nil {
		if b, err := r.GetBody(); err == nil {
			ex.sent, _ = io.ReadAll(b)
			_ = b.Close() // a copy of the body in memory: nothing to report
		}
	}
	if g := ex.guard; g != nil {
		// The SDK has encoded and signed the body: these are the bytes
		// about to be written. Nothing is written unless they are the
		// approved ones and the caller has recorded that the call starts.
		if sha256Hex(ex.sent) != g.sha256 {
			ex.refused = ErrWireMismatch
			return nil, ex.refused
		}
		if g.beforeWrite != nil {
			if err := g.beforeWrite(r.Context(), g.secretID); err != nil {
				ex.refused = fmt.Errorf("%w: %w", ErrNotCalled, err)
				return nil, ex.refused
			}
		}
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }() // read to the end or to the limit below
	ex.status = resp.StatusCode
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err == nil && len(body) > maxAnswerBytes {
		err = fmt.Errorf("tcapi: the answer is larger than %d bytes", maxAnswerBytes)
	}
	if err != nil {
		ex.readErr = err
		return nil, err
	}
	ex.received = body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// newTransport gives each Client its own connection pool, so no setting the
// SDK changes on a shared client can reach it and closing it affects no one
// else. Proxy settings from the environment still apply, as they would to
// any outbound HTTPS (loopback addresses are never proxied).
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// Bursts of calls to one host are the normal case (a batch of orders).
	t.MaxIdleConnsPerHost = 32
	return t
}
