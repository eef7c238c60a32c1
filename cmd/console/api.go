package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"dealdesk/internal/api"
)

func apiCommands() []command {
	return []command{
		{"list", "list orders [-status S] [-product P] [-q TEXT]", runAPIList},
		{"create", "compose an order from a JSON file -file F [-key K]", runAPICreate},
		{"submit", "submit a draft for approval -id N", runAPISubmit},
		{"watch", "follow an order until it ends -id N [-every 5s] [-timeout 30m]", runAPIWatch},
	}
}

// runAPI dispatches `console api SUBCOMMAND`: a client of another console's
// JSON API (DEALDESK_URL, DEALDESK_TOKEN), for scripts.
func runAPI(ctx context.Context, e env, args []string) error {
	return runGroup(ctx, e, "api", apiCommands(), args)
}

func runAPIList(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "api list", "api list [-status S] [-product P] [-q TEXT]")
	status := fs.String("status", "", "only orders in this status")
	product := fs.String("product", "", "waf, billing or tcb")
	search := fs.String("q", "", "a title fragment or one of Tencent Cloud's ids")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	c, err := newAPIClient(e)
	if err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range map[string]string{"status": *status, "product": *product, "q": *search} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var page struct {
		Orders     []api.OrderSummary `json:"orders"`
		NextCursor *string            `json:"next_cursor"`
	}
	for {
		if _, err := c.do(ctx, "GET", "/orders?"+q.Encode(), nil, nil, &page); err != nil {
			return err
		}
		for _, o := range page.Orders {
			fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", o.ID, o.Status, o.Product, o.RequesterUsername, o.Title)
		}
		if page.NextCursor == nil {
			return nil
		}
		q.Set("cursor", *page.NextCursor)
	}
}

func runAPICreate(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "api create", "api create -file ORDER.json [-key KEY]")
	file := fs.String("file", "", "the order as POST /api/v1/orders takes it (product, account_id, region, title, justification, params)")
	key := fs.String("key", "", "the Idempotency-Key; by default one derived from the file, so running the same create again returns the same order")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("%w: -file is required", errUsage)
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	if *key == "" {
		sum := sha256.Sum256(body)
		*key = "file-" + hex.EncodeToString(sum[:16])
	}
	c, err := newAPIClient(e)
	if err != nil {
		return err
	}
	var o api.Order
	// Retried through throttling and restarts: the key makes it one order.
	for attempt := 1; ; attempt++ {
		_, err = c.do(ctx, "POST", "/orders", body, map[string]string{"Idempotency-Key": *key}, &o)
		if err == nil || !isRetryable(err) || attempt == 5 {
			break
		}
		select {
		case <-time.After(time.Duration(attempt) * 2 * time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "order %d\t%s\tversion %d\tparams_sha256 %s\n", o.ID, o.Status, o.Version, o.ParamsSHA256)
	return nil
}

func runAPISubmit(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "api submit", "api submit -id N")
	id := fs.Int64("id", 0, "the order's id")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return fmt.Errorf("%w: -id is required", errUsage)
	}
	c, err := newAPIClient(e)
	if err != nil {
		return err
	}
	path := "/orders/" + strconv.FormatInt(*id, 10)
	var o api.Order
	if _, err := c.do(ctx, "GET", path, nil, nil, &o); err != nil {
		return err
	}
	// Submit exactly the version read: an edit in between is a conflict.
	body := []byte(`{"version":` + strconv.Itoa(o.Version) + `}`)
	if _, err := c.do(ctx, "POST", path+"/submit", body, nil, &o); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "order %d\t%s\tversion %d\n", o.ID, o.Status, o.Version)
	return nil
}

// errOrderDidNotSucceed makes `console api watch` exit non-zero when the
// order ends any other way than succeeded.
type errOrderDidNotSucceed struct{ status string }

func (e errOrderDidNotSucceed) Error() string { return "the order ended " + e.status }

func runAPIWatch(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "api watch", "api watch -id N [-every 5s] [-timeout 30m]")
	id := fs.Int64("id", 0, "the order's id")
	every := fs.Duration("every", 5*time.Second, "how often to look")
	timeout := fs.Duration("timeout", 30*time.Minute, "give up after this long (exit non-zero)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *id <= 0 || *every <= 0 {
		return fmt.Errorf("%w: -id is required and -every must be positive", errUsage)
	}
	c, err := newAPIClient(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	path := "/orders/" + strconv.FormatInt(*id, 10)
	last := ""
	for {
		var o api.Order
		_, err := c.do(ctx, "GET", path, nil, nil, &o)
		switch {
		case err != nil && !isRetryable(err):
			return err
		case err == nil && o.Status != last:
			last = o.Status
			line := fmt.Sprintf("%s\torder %d\t%s", time.Now().UTC().Format(time.RFC3339), o.ID, o.Status)
			if o.Outcome != nil && o.Outcome.RequestID != "" {
				line += "\tRequestId " + o.Outcome.RequestID
			}
			fmt.Fprintln(e.stdout, line)
		}
		switch last {
		case "succeeded":
			return nil
		case "failed", "rejected", "cancelled", "unknown", "awaiting_payment":
			// unknown and awaiting_payment wait for a person: a script
			// should stop and say so.
			return errOrderDidNotSucceed{last}
		}
		select {
		case <-time.After(*every):
		case <-ctx.Done():
			return fmt.Errorf("gave up watching order %d (still %s): %w", *id, last, ctx.Err())
		}
	}
}
