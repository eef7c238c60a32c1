package main

import (
	"context"
	"log/slog"
	"time"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/web"
)

// sandbox is the Tencent Cloud sandbox `serve -sandbox` runs in-process.
type sandbox struct {
	*tcsim.Server
	cancel context.CancelFunc
}

// startSandbox makes sure the sandbox account exists and starts the
// sandbox on a random loopback port, accepting the keys of every enabled
// sandbox account. It logs where it listens, never a key.
func startSandbox(ctx context.Context, log *slog.Logger, svc *accounts.Service, prices func() tcsim.PriceTable) (*sandbox, error) {
	acct, created, err := svc.EnsureSandboxAccount(ctx, auth.SystemActor("serve"))
	if err != nil {
		return nil, err
	}
	keys, tokens, err := svc.SandboxKeys(ctx)
	if err != nil {
		return nil, err
	}
	// The sandbox outlives ctx: requests still in flight when shutdown
	// begins may be calling it. stop ends it after the console has stopped.
	simCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	srv, err := tcsim.Start(simCtx, "127.0.0.1:0", tcsim.Options{Keys: keys, Tokens: tokens, Resources: tcsim.ExampleResources(), Log: log.With("component", "tcsim"), Prices: prices})
	if err != nil {
		cancel()
		return nil, err
	}
	log.Info("sandbox: Tencent Cloud calls go to the in-process sandbox", "url", srv.URL,
		"account", acct.Name, "account_id", acct.ID, "secret_id", acct.MaskedSecretID, "account_created", created,
		"keys_accepted", len(keys))
	if acct.Disabled {
		log.Warn("sandbox: the sandbox account is disabled; enable it under Accounts and restart to use it", "account_id", acct.ID)
	}
	return &sandbox{Server: srv, cancel: cancel}, nil
}

// sandboxPrices is the sandbox's price table: the console's own price
// list as it prices today, read at each purchase, so what the sandbox
// charges is what the console estimated (issue 16). The sandbox imports no
// domain or database: it gets a plain table. If the list cannot be read
// the sandbox charges its defaults (the seed of that same list) and says so.
func sandboxPrices(log *slog.Logger, svc *orders.Service) func() tcsim.PriceTable {
	return func() tcsim.PriceTable {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		list, err := svc.CurrentPriceList(ctx)
		if err != nil {
			log.Warn("sandbox: price list unreadable; charging the default prices", "err", err)
			return nil
		}
		return tcsim.PriceTable(list.InForce(time.Now()))
	}
}

// stop shuts the sandbox down and waits for it.
func (s *sandbox) stop(log *slog.Logger) {
	s.cancel()
	if err := s.Wait(); err != nil {
		log.Warn("sandbox: stopping", "err", err)
	}
}

// webCalls is what the sandbox has received, as the order pages read it
// (web.Deps.SandboxCalls): web declares its own type so that production
// pages do not import the sandbox.
func (s *sandbox) webCalls() []web.SandboxCall {
	calls := s.Calls()
	out := make([]web.SandboxCall, len(calls))
	for i, c := range calls {
		out[i] = web.SandboxCall{
			Seq: c.Seq, Time: c.Time, Action: c.Action, SecretID: c.SecretID, Params: c.Params,
			Outcome: c.Outcome, RequestID: c.RequestID, Bought: c.Bought, Orders: c.Orders,
		}
	}
	return out
}
