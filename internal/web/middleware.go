package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// requestIDPattern accepts an upstream proxy's id only when it is harmless to
// echo into logs and headers.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// observe is the outer middleware, in order: the request's id and logger,
// its log line (which has the error handler answer any error), and panics
// turned into errors.
func (s *Server) observe() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{s.requestContext, s.requestLog(), recoverPanics()}
}

// requestContext gives every request an id and a logger that carries it, so
// every log line of the request can be found together. Echo's RequestID
// middleware is not used: it echoes whatever X-Request-ID a client sent into
// logs and headers, and this accepts an upstream id only when it is harmless.
func (s *Server) requestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		c.Set("request_id", id)
		c.Set("logger", s.log.With("request_id", id))
		// requestLog (HandleError) has had the error handler answer any
		// error already; handing it up would answer it twice.
		_ = next(c)
		return nil
	}
}

// requestLog is echo's request logger writing one line per request with the
// request's logger, after the error handler has answered, so the status is
// the one the client got; the same figures go to the metrics.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError: true,
		LogMethod:   true, LogURIPath: true, LogStatus: true, LogResponseSize: true, LogLatency: true, LogRemoteIP: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			logger(c).Info("request",
				"method", v.Method,
				"path", v.URIPath,
				"status", v.Status,
				"bytes", v.ResponseSize,
				"duration_ms", v.Latency.Milliseconds(),
				"remote", v.RemoteIP,
			)
			if s.deps.Metrics != nil {
				// c.Path is the route's pattern: "/orders/:id", "/*" for
				// every unknown path, never the path the client wrote.
				s.deps.Metrics.ObserveRequest(v.Method, c.Path(), v.Status, v.Latency)
			}
			return nil
		},
	})
}

// recoverPanics is echo's Recover turning a panic into an error (so a 500
// page, never a stack trace in the browser) and a logged stack. It re-panics
// http.ErrAbortHandler, which net/http uses to abort a response on purpose.
func recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		StackSize:           64 << 10,
		DisableStackAll:     true, // this request's goroutine only
		DisableErrorHandler: true, // return it: requestLog has it answered
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			logger(c).Error("panic", "panic", err, "stack", string(stack))
			return fmt.Errorf("web: panic: %w", err)
		},
	})
}

// securityHeaders sets the headers every response carries. The CSP forbids
// inline script and style: every script and stylesheet is a static file.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secureRequest(c.Request()) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// logger returns the request's logger.
func logger(c echo.Context) *slog.Logger {
	if l, ok := c.Get("logger").(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

func requestID(c echo.Context) string {
	id, _ := c.Get("request_id").(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
