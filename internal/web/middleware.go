package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"
)

// requestIDPattern accepts an upstream proxy's id only when it is harmless to
// echo into logs and headers.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestContext gives every request an id and a logger that carries it, so
// every log line of the request can be found together, and logs the outcome.
func (s *Server) requestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		c.Set("request_id", id)
		log := s.log.With("request_id", id)
		c.Set("logger", log)

		err := next(c)
		if err != nil {
			// The error handler writes the response; logging after it
			// records the status the client really got.
			c.Error(err)
		}
		log.Info("request",
			"method", req.Method,
			"path", req.URL.Path,
			"status", c.Response().Status,
			"bytes", c.Response().Size,
			"duration_ms", time.Since(start).Milliseconds(),
			"remote", c.RealIP(),
		)
		if s.deps.Metrics != nil {
			// c.Path is the route's pattern: "/orders/:id", "/*" for
			// every unknown path, never the path the client wrote.
			s.deps.Metrics.ObserveRequest(req.Method, c.Path(), c.Response().Status, time.Since(start))
		}
		return nil
	}
}

// recoverPanics turns a panic into a 500 page and a logged stack, never a
// stack trace in the browser.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == errAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("web: panic: %v", r)
				logger(c).Error("panic", "panic", r, "stack", stack())
			}
		}()
		return next(c)
	}
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
