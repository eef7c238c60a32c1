package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"time"

	"dealdesk/internal/auditanchor"
	"dealdesk/internal/config"
	"dealdesk/internal/db"
)

// errChainBroken makes `console audit verify` exit non-zero on a break, so
// a cron job or a monitor notices.
var errChainBroken = errors.New("the audit chain is broken")

func auditCommands() []command {
	return []command{
		{"verify", "check every link of the audit log's hash chain [-anchors FILE]", runAuditVerify},
	}
}

// runAudit dispatches `console audit SUBCOMMAND`.
func runAudit(ctx context.Context, e env, args []string) error {
	return runGroup(ctx, e, "audit", auditCommands(), args)
}

func runAuditVerify(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "audit verify", "audit verify [-anchors FILE]")
	anchorsFile := fs.String("anchors", "", "a file of signed anchors (CONSOLE_AUDIT_ANCHOR_FILE, or a JSON log): the chain must have each anchored hash at its place")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return err
	}
	var checkpoints []db.Checkpoint
	if *anchorsFile != "" {
		if checkpoints, err = readAnchors(e, cfg, *anchorsFile); err != nil {
			return err
		}
	}
	pool, err := openCurrent(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	rep, err := db.VerifyAuditChainWith(ctx, pool, db.VerifyOptions{Checkpoints: checkpoints})
	if err != nil {
		return err
	}
	if rep.Broken != nil {
		fmt.Fprintf(e.stdout, "BROKEN at chain entry %d (audit event id %d): %s\n", rep.Broken.ChainSeq, rep.Broken.ID, rep.Broken.Reason)
		fmt.Fprintf(e.stdout, "%d entries before it verified; the last good hash is %s\n", rep.Checked, rep.Head)
		return errChainBroken
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d entries verified; head hash %s\n", rep.Checked, rep.Head)
	if *anchorsFile != "" {
		fmt.Fprintf(e.stdout, "%d anchors from %s match the chain\n", len(checkpoints), *anchorsFile)
	}
	return nil
}

// readAnchors reads and checks the signature of every anchor in path, with
// CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY or else the key derived from
// CONSOLE_AUDIT_ANCHOR_KEY. One anchor that does not verify fails the
// whole check: a forged anchor is itself a sign of tampering.
func readAnchors(e env, cfg config.Config, path string) ([]db.Checkpoint, error) {
	var pub ed25519.PublicKey
	switch {
	case len(cfg.AuditAnchorPublicKey) > 0:
		pub = ed25519.PublicKey(cfg.AuditAnchorPublicKey)
	case len(cfg.AuditAnchorKey) > 0:
		signer, err := auditanchor.NewSigner(cfg.AuditAnchorKey)
		if err != nil {
			return nil, err
		}
		pub = signer.Public()
	default:
		return nil, errors.New("audit verify -anchors needs CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY (or CONSOLE_AUDIT_ANCHOR_KEY) to check the anchors' signatures")
	}
	f, err := os.Open(path) //nolint:gosec // G304: the operator names the file on the command line
	if err != nil {
		return nil, fmt.Errorf("audit verify: %w", err)
	}
	defer f.Close() //nolint:errcheck // read only
	anchors, err := auditanchor.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("audit verify: %s: %w", path, err)
	}
	if len(anchors) == 0 {
		return nil, fmt.Errorf("audit verify: %s holds no anchors", path)
	}
	out := make([]db.Checkpoint, 0, len(anchors))
	for _, a := range anchors {
		name := fmt.Sprintf("the anchor on line %d of %s (entry %d, signed %s)", a.Line, path, a.ChainSeq, a.SignedAt.Format(time.RFC3339))
		if err := auditanchor.Verify(pub, a.Anchor); err != nil {
			fmt.Fprintf(e.stdout, "BAD ANCHOR: %s: %v\n", name, err)
			return nil, errChainBroken
		}
		out = append(out, db.Checkpoint{ChainSeq: a.ChainSeq, Hash: a.Hash, Name: name})
	}
	return out, nil
}
