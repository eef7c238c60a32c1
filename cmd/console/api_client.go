package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"dealdesk/internal/api"
)

// apiClient calls a console's JSON API with a token, for `console api`.
// The token comes from the environment only (DEALDESK_TOKEN): a flag would
// show it to everyone who can list processes.
type apiClient struct {
	base  string
	token string
	hc    *http.Client
}

func newAPIClient(e env) (*apiClient, error) {
	base := strings.TrimRight(e.getenv("DEALDESK_URL"), "/")
	token := e.getenv("DEALDESK_TOKEN")
	if base == "" || token == "" {
		return nil, fmt.Errorf("%w: set DEALDESK_URL (such as https://dealdesk.example.com) and DEALDESK_TOKEN (a token from /account/tokens)", errUsage)
	}
	return &apiClient{base: base + api.Prefix, token: token, hc: &http.Client{Timeout: 60 * time.Second}}, nil
}

// problemError is an API refusal, printed as the problem says it.
type problemError struct{ p api.Problem }

func (e *problemError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s: %s", e.p.Status, e.p.Kind, e.p.Detail)
	for _, f := range e.p.Errors {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Detail)
	}
	return b.String()
}

// do sends one call and decodes a JSON answer into out (when not nil).
func (c *apiClient) do(ctx context.Context, method, path string, body []byte, headers map[string]string, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode >= 400 {
		var p api.Problem
		if json.Unmarshal(raw, &p) == nil && p.Status != 0 {
			return res.StatusCode, &problemError{p}
		}
		return res.StatusCode, fmt.Errorf("the console answered %s", res.Status)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return res.StatusCode, fmt.Errorf("reading the answer: %w", err)
		}
	}
	return res.StatusCode, nil
}

// isRetryable is a refusal worth waiting out (the rate limit, a restart).
func isRetryable(err error) bool {
	var pe *problemError
	return errors.As(err, &pe) && (pe.p.Status == http.StatusTooManyRequests || pe.p.Status >= 500)
}
