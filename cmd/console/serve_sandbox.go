package main

import (
	"context"
	"log/slog"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
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
func startSandbox(ctx context.Context, log *slog.Logger, svc *accounts.Service) (*sandbox, error) {
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
	srv, err := tcsim.Start(simCtx, "127.0.0.1:0", tcsim.Options{Keys: keys, Tokens: tokens, Resources: tcsim.ExampleResources(), Log: log.With("component", "tcsim")})
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
