package tcsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// maxBody is the sandbox's request size limit (the service's for TC3 POST).
const maxBody = 10 << 20

// maxSkew is how far X-TC-Timestamp may be from the sandbox's clock.
const maxSkew = 5 * time.Minute

// Handler answers API calls on every path but /__sim/, and the admin API
// under /__sim/:
//
//	GET    /__sim/calls    every call received, as JSON
//	POST   /__sim/reset    forget calls, orders, faults, rate counts, balances, resources
//	GET    /__sim/faults   the faults in force
//	POST   /__sim/faults   add a fault (a Fault as JSON); answers it with its Id
//	DELETE /__sim/faults   remove every fault
//	GET    /__sim/balance?SecretId=ID   a balance, in cents
//	POST   /__sim/balance  {"SecretId": ID, "Balance": cents}
//	GET    /__sim/resources[?SecretId=ID]   what each account owns (Resource)
//	POST   /__sim/resources  own a Resource ({"SecretId", "Id", "Product", …})
//
// It accepts any Host: the signature covers whatever Host was sent.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	s.registerAdmin(mux)
	mux.HandleFunc("/", s.serveAPI)
	return mux
}

// apiError is an answered error.
type apiError struct {
	Code    string
	Message string
}

func fail(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

type bucketKey struct{ secretID, service, action string }

func (s *Sim) serveAPI(w http.ResponseWriter, r *http.Request) {
	call := Call{
		Time:      s.opts.Now(),
		Action:    r.Header.Get("X-TC-Action"),
		Version:   r.Header.Get("X-TC-Version"),
		Region:    r.Header.Get("X-TC-Region"),
		RequestID: newUUID(),
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var answer any
	var fault *Fault
	switch {
	case err != nil:
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			answer = fail("RequestSizeLimitExceeded", "the request body is larger than %d bytes", maxBody)
		} else {
			answer = fail("InvalidRequest", "the request body could not be read")
		}
	default:
		call.Params = paramsForRecord(body)
		answer, fault = s.handle(r, body, &call)
	}
	s.finish(w, r, &call, answer, fault)
}

// handle runs one call through the service's checks in order, processes it,
// and returns the answer (a payload or an *apiError) and the fault to apply.
func (s *Sim) handle(r *http.Request, body []byte, call *Call) (any, *Fault) {
	if r.Method != http.MethodPost {
		return fail("UnsupportedProtocol", "the sandbox answers POST requests only, not %s", r.Method), nil
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return fail("InvalidRequest", "Content-Type must be application/json"), nil
	}
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return fail("AuthFailure.InvalidAuthorization", "%v", err), nil
	}
	call.SecretID = auth.SecretID

	tsText := r.Header.Get("X-TC-Timestamp")
	if tsText == "" {
		return fail(codeMissingParameter, "the request is missing the X-TC-Timestamp header"), nil
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || ts < 0 {
		return fail(codeInvalidParameter, "X-TC-Timestamp must be a Unix time in seconds"), nil
	}
	now := s.opts.Now()
	if skew := now.Sub(time.Unix(ts, 0)); math.Abs(float64(skew)) > float64(maxSkew) {
		return fail("AuthFailure.SignatureExpire", "the signature has expired: X-TC-Timestamp is %v from the server's time %s (at most %v allowed)",
			skew.Round(time.Second), now.UTC().Format(time.RFC3339), maxSkew), nil
	}
	secretKey, ok := s.opts.Keys[auth.SecretID]
	if !ok {
		return fail("AuthFailure.SecretIdNotFound", "the SecretId is not found; check that it exists and is enabled"), nil
	}

	action, aerr := findRoute(call.Action, call.Version)
	if aerr != nil {
		return aerr, nil
	}
	call.Service = action.Service
	if auth.Service != action.Service {
		return fail("AuthFailure.SignatureFailure", "the credential scope names service %q, but %s belongs to %q", auth.Service, action.Name, action.Service), nil
	}
	if date := time.Unix(ts, 0).UTC().Format(time.DateOnly); auth.Date != date {
		return fail("AuthFailure.SignatureFailure", "the credential scope's date %s is not the UTC date of X-TC-Timestamp (%s)", auth.Date, date), nil
	}
	if !verifySignature(r, body, auth, secretKey) {
		return fail("AuthFailure.SignatureFailure", "the request signature we calculated does not match the signature you provided; check your SecretKey and signing method"), nil
	}
	if want, got := s.opts.Tokens[auth.SecretID], r.Header.Get("X-TC-Token"); want != got {
		return fail("AuthFailure.TokenFailure", "the X-TC-Token is wrong, expired or not expected for this SecretId"), nil
	}
	if lang := r.Header.Get("X-TC-Language"); lang != "" && lang != "zh-CN" && lang != "en-US" {
		return fail(codeInvalidParameterValue, "X-TC-Language must be zh-CN or en-US"), nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.allow(bucketKey{auth.SecretID, action.Service, action.Name}, now) {
		return fail("RequestLimitExceeded", "your current request rate exceeds the limit of %v requests per second for %s; please retry later", s.opts.RatePerSecond, action.Name), nil
	}
	fault := s.takeFault(action.Name, auth.SecretID)
	if fault != nil {
		call.FaultID = fault.ID
		if !fault.AfterProcessing {
			switch {
			case fault.ErrorCode != "":
				return fault.errorAnswer(r), nil
			case fault.HTTPStatus != 0 || fault.Body != "":
				return nil, fault
			}
		}
	}

	answer := s.processBody(action, body, auth.SecretID, now, call)
	if fault != nil && fault.AfterProcessing {
		// Processed (and bought, if it buys); the answer is lost.
		if fault.ErrorCode != "" {
			return fault.errorAnswer(r), fault
		}
		return nil, fault
	}
	return answer, fault
}

// processBody decodes and validates the body with the sandbox's own rules
// (decode.go, the route's validate) and carries the call out, returning its answer:
// a payload or an *apiError. The caller holds s.mu.
func (s *Sim) processBody(action route, body []byte, secretID string, now time.Time, call *Call) any {
	req := action.newRequest()
	if aerr := decodeStrict(body, req); aerr != nil {
		return aerr
	}
	region := ""
	if w, ok := req.(interface{ setRegion(string) }); ok {
		w.setRegion(call.Region)
		region = call.Region
	}
	if aerr := action.validate(req, region); aerr != nil {
		return aerr
	}
	payload, aerr := action.process(s, req, secretID, now, call)
	if aerr != nil {
		return aerr
	}
	return payload
}

// errorAnswer is the error an ErrorCode fault answers, with the code's
// description in the call's language unless the fault gives a message.
func (f *Fault) errorAnswer(r *http.Request) *apiError {
	msg := f.ErrorMessage
	if msg == "" {
		msg = describeCode(f.ErrorCode, r.Header.Get("X-TC-Language"))
	}
	return fail(f.ErrorCode, "%s", msg)
}

// allow takes one call from the (SecretId, service, action) bucket. The
// bucket holds a second's worth of calls and refills continuously: the
// documented 20 per second, with bursts up to 20. The caller holds s.mu.
func (s *Sim) allow(k bucketKey, now time.Time) bool {
	b, ok := s.buckets[k]
	if !ok {
		burst := int(math.Ceil(s.opts.RatePerSecond))
		b = rate.NewLimiter(rate.Limit(s.opts.RatePerSecond), max(burst, 1))
		s.buckets[k] = b
	}
	return b.AllowN(now, 1)
}

// finish records the call and answers it, applying the fault.
func (s *Sim) finish(w http.ResponseWriter, r *http.Request, call *Call, answer any, fault *Fault) {
	var out []byte
	status := http.StatusOK
	contentType := "application/json"
	switch a := answer.(type) {
	case *apiError:
		call.Outcome = a.Code
		out = envelope(map[string]any{"Error": map[string]string{"Code": a.Code, "Message": a.Message}, "RequestId": call.RequestID})
	case nil:
		// A fault answers in place of the service.
		if fault.HTTPStatus != 0 {
			status = fault.HTTPStatus
			call.Outcome = "HTTP " + strconv.Itoa(status)
			contentType = "text/plain; charset=utf-8"
			out = []byte(fmt.Sprintf("sandbox: injected HTTP %d\n", status))
		} else {
			call.Outcome = "CustomBody"
		}
		if fault.Body != "" {
			out = []byte(fault.Body)
		}
	default:
		call.Outcome = "Success"
		out = envelope(a)
	}
	if fault != nil && fault.Drop {
		call.Outcome = "ConnectionDropped"
	}
	s.record(call)

	if fault != nil && fault.Latency > 0 {
		t := time.NewTimer(fault.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if fault != nil && fault.Drop {
		dropConnection(w)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// maxCalls bounds the call log of a long-running sandbox; past it the oldest
// half is forgotten (Seq keeps counting, so the gap shows).
const maxCalls = 100_000

func (s *Sim) record(call *Call) {
	s.mu.Lock()
	s.callSeq++
	call.Seq = s.callSeq
	if len(s.calls) >= maxCalls {
		s.calls = append([]Call(nil), s.calls[len(s.calls)-maxCalls/2:]...)
	}
	s.calls = append(s.calls, *call)
	s.mu.Unlock()
	s.opts.Log.Info("tcsim call", "action", call.Action, "secret_id", maskSecretID(call.SecretID),
		"outcome", call.Outcome, "bought", call.Bought, "request_id", call.RequestID)
}

// dropConnection closes the connection without a byte of answer. Hijacking
// works for HTTP/1; ErrAbortHandler makes net/http abort any other kind.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close() // dropping it is the point; how it closes does not matter
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func envelope(response any) []byte {
	b, err := json.Marshal(map[string]any{"Response": response})
	if err != nil {
		// Only our own payload types reach here; they always encode.
		panic(fmt.Sprintf("tcsim: encoding an answer: %v", err))
	}
	return b
}

// paramsForRecord keeps the body for /__sim/calls: as JSON when it is JSON,
// as a JSON string otherwise.
func paramsForRecord(body []byte) json.RawMessage {
	if json.Valid(body) {
		return slices.Clone(body)
	}
	b, _ := json.Marshal(string(body))
	return b
}
