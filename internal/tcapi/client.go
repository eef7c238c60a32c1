package tcapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// DefaultTimeout bounds one call's HTTP exchange when ClientConfig.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// ClientConfig configures a Client. The zero value talks to the real
// endpoints in English with the default timeout and a LocalLimiter.
type ClientConfig struct {
	// Endpoint, when set, sends every service to this base URL instead of
	// its real host: "http://127.0.0.1:9100" for the sandbox
	// (CONSOLE_TENCENTCLOUD_ENDPOINT). http is allowed.
	Endpoint string
	// Language is the X-TC-Language of every call: "en-US" (default) or "zh-CN".
	Language string
	// Timeout bounds each call from the first byte sent to the last byte of
	// the answer; waiting for the rate limiter does not count.
	Timeout time.Duration
	// Limiter spaces calls out; nil means NewLocalLimiter(DefaultRatePerSecond).
	Limiter Limiter
}

// Client sends calls through the official SDK's common client. It is safe
// for concurrent use.
type Client struct {
	scheme    string // "" with host "": the real hosts over HTTPS
	host      string
	language  string
	timeout   time.Duration
	limiter   Limiter
	pool      *http.Transport
	transport http.RoundTripper
}

// NewClient checks cfg and builds a Client with its own connection pool.
func NewClient(cfg ClientConfig) (*Client, error) {
	c := &Client{language: cfg.Language, timeout: cfg.Timeout, limiter: cfg.Limiter, pool: newTransport()}
	c.transport = captureTransport{base: c.pool}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("tcapi: endpoint %q must be a base URL such as http://127.0.0.1:9100", cfg.Endpoint)
		}
		c.scheme, c.host = u.Scheme, u.Host
	}
	switch c.language {
	case "":
		c.language = "en-US"
	case "en-US", "zh-CN":
	default:
		return nil, fmt.Errorf("tcapi: language %q must be en-US or zh-CN", cfg.Language)
	}
	if c.timeout < 0 {
		return nil, fmt.Errorf("tcapi: timeout %v must not be negative", cfg.Timeout)
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.limiter == nil {
		c.limiter = NewLocalLimiter(DefaultRatePerSecond)
	}
	return c, nil
}

// CloseIdleConnections closes the client's idle connections.
func (c *Client) CloseIdleConnections() { c.pool.CloseIdleConnections() }

// Result is everything known about one call. Outcome is always set.
type Result struct {
	Outcome Outcome
	Target  Target
	// RequestID is the service's RequestId, when an answer carried one.
	RequestID string
	// ErrorCode and ErrorMessage are the answered error, if any.
	ErrorCode    string
	ErrorMessage string
	// Response is the typed answer (*CreateInstanceResponse and so on) when
	// the service answered without an error and the action is one this
	// package models; nil otherwise.
	Response any
	// Sent is the request body exactly as it went on the wire: what to keep
	// as evidence of what was sent. Nil when nothing was sent.
	Sent []byte
	// HTTPStatus and Received are the answer exactly as it came back; zero
	// and nil when none came.
	HTTPStatus int
	Received   []byte
}

// Send validates req and, if it is valid, sends it signed with creds. The
// error is nil only for Succeeded; for every other outcome it says why, and
// errors.As finds a *ValidationError (invalid request, NotSent) or an
// *APIError (answered error). The Result is filled in either case.
func (c *Client) Send(ctx context.Context, creds Credentials, req Request) (Result, error) {
	t := req.Target()
	if err := req.Validate(); err != nil {
		return Result{Outcome: NotSent, Target: t}, err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return Result{Outcome: NotSent, Target: t}, fmt.Errorf("tcapi: encoding %s: %w", t.Action, err)
	}
	return c.send(ctx, creds, t, body, nil)
}

// Stored is a purchase to send exactly as it was approved: its stored
// canonical bytes, not a re-encoding of the typed request.
type Stored struct {
	// Request is the typed request decoded from Body. It names the target
	// and is validated once more before anything is sent.
	Request Request
	// Body is the approved canonical parameters. They go on the wire as
	// they are.
	Body []byte
	// SHA256 is the hex sha256 of the approved parameters. The body about
	// to be written is hashed after the SDK has encoded it, immediately
	// before the request is written; if it differs, nothing is sent and the
	// error wraps ErrWireMismatch.
	SHA256 string
	// BeforeWrite, when set, runs after the rate-limit wait and the byte
	// check, immediately before the request is written, with the SecretId
	// that signs it. It is where a caller records that the call may now
	// reach the service. If it fails, nothing is sent (Outcome NotSent) and
	// the error wraps ErrNotCalled and its error.
	BeforeWrite func(ctx context.Context, secretID string) error
}

// ErrWireMismatch is wrapped by SendStored's error when the bytes about to
// be sent do not hash to the approved hash. Nothing was sent.
var ErrWireMismatch = errors.New("tcapi: the request body does not hash to the approved parameters; nothing was sent")

// ErrNotCalled is wrapped by SendStored's error when BeforeWrite refused the
// call. Nothing was sent.
var ErrNotCalled = errors.New("tcapi: the call was not made")

// SendStored sends s.Body, signed with creds, to s.Request's target after
// checking that the bytes on the wire are the approved bytes. Errors are as
// for Send, plus ErrWireMismatch and ErrNotCalled (both with Outcome NotSent).
func (c *Client) SendStored(ctx context.Context, creds Credentials, s Stored) (Result, error) {
	t := s.Request.Target()
	if err := s.Request.Validate(); err != nil {
		return Result{Outcome: NotSent, Target: t}, err
	}
	if s.SHA256 == "" || sha256Hex(s.Body) != s.SHA256 {
		return Result{Outcome: NotSent, Target: t}, fmt.Errorf("%w (the stored body)", ErrWireMismatch)
	}
	return c.send(ctx, creds, t, s.Body, &wireGuard{sha256: s.SHA256, beforeWrite: s.BeforeWrite, secretID: creds.SecretID})
}

// SendRaw sends body, which must be a JSON object, to t without validating
// it. It exists so tests can send what Send would refuse and see how the
// service answers; the console sends orders through Send only.
func (c *Client) SendRaw(ctx context.Context, creds Credentials, t Target, body []byte) (Result, error) {
	return c.send(ctx, creds, t, body, nil)
}

// DescribeDealsByCond looks orders up; see DescribeDealsByCondRequest for
// its traps.
func (c *Client) DescribeDealsByCond(ctx context.Context, creds Credentials, req *DescribeDealsByCondRequest) (*DescribeDealsByCondResponse, Result, error) {
	res, err := c.Send(ctx, creds, req)
	resp, _ := res.Response.(*DescribeDealsByCondResponse)
	return resp, res, err
}

// CheckCredentials proves that creds sign calls the service accepts, with a
// call that changes nothing: DescribeAccountBalance. It also returns the
// balance.
func (c *Client) CheckCredentials(ctx context.Context, creds Credentials) (*DescribeAccountBalanceResponse, Result, error) {
	res, err := c.Send(ctx, creds, &DescribeAccountBalanceRequest{})
	resp, _ := res.Response.(*DescribeAccountBalanceResponse)
	return resp, res, err
}

func (c *Client) send(ctx context.Context, creds Credentials, t Target, body []byte, guard *wireGuard) (Result, error) {
	res := Result{Outcome: NotSent, Target: t}
	if creds.SecretID == "" || creds.SecretKey == "" {
		return res, fmt.Errorf("tcapi: %s not sent: the credentials need a SecretId and a SecretKey", t.Action)
	}
	if common.DefaultHttpClient != nil {
		// The SDK would hand every client that shared http.Client and
		// change its timeout and transport under other users' feet.
		return res, fmt.Errorf("tcapi: %s not sent: common.DefaultHttpClient is set; tcapi needs its own transport", t.Action)
	}
	params, err := actionParameters(body)
	if err != nil {
		return res, fmt.Errorf("tcapi: %s not sent: %w", t.Action, err)
	}
	if err := c.limiter.Wait(ctx, LimitKey{SecretID: creds.SecretID, Service: t.Service, Action: t.Action}); err != nil {
		return res, err
	}

	scheme, host := c.scheme, c.host
	if host == "" {
		scheme, host = "https", hostFor(t.Service)
	}
	prof := profile.NewClientProfile()
	prof.HttpProfile.Endpoint = host
	prof.HttpProfile.Scheme = scheme
	prof.HttpProfile.ReqMethod = http.MethodPost
	// The context carries the deadline; a second timer (whole seconds
	// only) would just blur which one fired.
	prof.HttpProfile.ReqTimeout = 0
	prof.Language = c.language
	prof.SignMethod = "TC3-HMAC-SHA256"
	// Debug would print the Authorization and X-TC-Token headers.
	prof.Debug = false
	// The region breaker would send calls to a backup host, away from the
	// endpoint configured (and away from the sandbox).
	prof.DisableRegionBreaker = true
	// The SDK's retries sleep without honouring the context, and the
	// network retry could resend a purchase. Every resend is the caller's
	// decision, made from the outcome.
	prof.NetworkFailureMaxRetries = 0
	prof.RateLimitExceededMaxRetries = 0
	prof.UnsafeRetryOnConnectionFailure = false

	cred := common.NewTokenCredential(creds.SecretID, creds.SecretKey, creds.Token)
	// A client per call: credentials and region belong to the call, and the
	// SDK client holds both. The pool underneath is shared.
	sdk := common.NewCommonClient(cred, t.Region, prof).WithHttpTransport(c.transport)
	creq := tchttp.NewCommonRequest(t.Service, t.Version, t.Action)
	if err := creq.SetActionParameters(params); err != nil {
		return res, fmt.Errorf("tcapi: %s not sent: %w", t.Action, err)
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ex := &exchange{guard: guard}
	creq.SetContext(withExchange(callCtx, ex))
	sdkErr := sdk.Send(creq, tchttp.NewCommonResponse())

	if ex.refused != nil {
		// The guard stopped the request before it was written.
		return res, fmt.Errorf("tcapi: %s not sent: %w", t.Action, ex.refused)
	}
	res.Sent, res.HTTPStatus, res.Received = ex.sent, ex.status, ex.received
	if sdkErr == nil {
		sdkErr = errors.New("no answer")
	}
	switch {
	case ex.status == 0 && !ex.connOpened.Load():
		res.Sent = nil
		return res, fmt.Errorf("tcapi: %s not sent: no connection to %s: %w", t.Action, host, sdkErr)
	case ex.status == 0 || ex.readErr != nil:
		res.Outcome = Unknown
		return res, fmt.Errorf("%w: %s to %s: %w", ErrUnknownOutcome, t.Action, host, sdkErr)
	case ex.status != http.StatusOK:
		// The service answers everything with 200; anything else came from
		// something in between, after the request may have been handled.
		res.Outcome = Unknown
		return res, fmt.Errorf("%w: %s to %s answered HTTP %d", ErrUnknownOutcome, t.Action, host, ex.status)
	}
	a, ok := LookupAction(t.Action, t.Version)
	if !ok || a.Service != t.Service {
		a = Action{}
	}
	return res, judge(a, ex.received, &res)
}

// actionParameters turns a JSON object into what CommonRequest takes. The
// values stay json.RawMessage: decoding them into interface{} would turn
// every number into a float64, and the SDK re-encodes what it is given. As
// raw messages they reach the wire with the same meaning, numbers digit for
// digit; the SDK only sorts the top-level names and escapes <, > and &.
func actionParameters(body []byte) (map[string]any, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, errors.New("the body must be a JSON object")
	}
	params := make(map[string]any, len(obj))
	for k, v := range obj {
		params[k] = v
	}
	return params, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
