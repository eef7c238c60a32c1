package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"dealdesk/internal/db/sqlcgen"
)

// genesisHash is the previous hash of the first entry.
var genesisHash = strings.Repeat("0", 64)

// ChainBreak is the first place the audit chain does not hold.
type ChainBreak struct {
	// ChainSeq is the place in the chain where the break was found, and ID
	// the entry there (0 when the entry is missing).
	ChainSeq int64
	ID       int64
	Reason   string
}

// ChainReport is what verifying the audit chain found.
type ChainReport struct {
	// Checked is how many entries were verified before the end or a break.
	Checked int64
	// Head is the hash of the last entry verified, and HeadSeq its place:
	// written down elsewhere (an anchor), they let a later check prove the
	// log did not lose its tail and was not rebuilt.
	Head    string
	HeadSeq int64
	// Broken is nil when every link holds.
	Broken *ChainBreak
}

// Checkpoint is a place in the chain and the hash it must have, written
// down outside the database (an anchor). Name says where it came from, for
// the report.
type Checkpoint struct {
	ChainSeq int64
	Hash     string
	Name     string
}

// VerifyOptions tunes VerifyAuditChainWith.
type VerifyOptions struct {
	// PageSize is how many entries are read at a time; 0 means 5000.
	PageSize int
	// Progress, when set, is called after each page with the report so
	// far; an error it returns stops the walk and is returned.
	Progress func(ChainReport) error
	// Checkpoints are hashes the chain must have at their places. A chain
	// rebuilt from a break onwards holds together link by link, but no
	// longer has the hash an earlier anchor recorded.
	Checkpoints []Checkpoint
}

// VerifyAuditChain walks the whole audit log in chain order, page by page,
// recomputing every entry's hash from its fields in Go (not with the
// database's own function, which a tamperer could change too) and checking
// that each entry names the hash of the one before it.
func VerifyAuditChain(ctx context.Context, q DBTX, pageSize int) (ChainReport, error) {
	return VerifyAuditChainWith(ctx, q, VerifyOptions{PageSize: pageSize})
}

// VerifyAuditChainWith is VerifyAuditChain with progress reports and
// checkpoints. A checkpoint past the end of the chain is a break too: the
// chain lost entries that were once there.
func VerifyAuditChainWith(ctx context.Context, q DBTX, opts VerifyOptions) (ChainReport, error) {
	pageSize := opts.PageSize
	if pageSize <= 0 || pageSize > 1_000_000 {
		pageSize = 5000
	}
	marks := map[int64][]Checkpoint{}
	var lastMark *Checkpoint
	for i, c := range opts.Checkpoints {
		marks[c.ChainSeq] = append(marks[c.ChainSeq], c)
		if lastMark == nil || c.ChainSeq > lastMark.ChainSeq {
			lastMark = &opts.Checkpoints[i]
		}
	}
	rep := ChainReport{Head: genesisHash}
	var last int64
	for {
		rows, err := queries.AuditChainPage(ctx, q, sqlcgen.AuditChainPageParams{AfterSeq: last, PageSize: int32Of(pageSize)})
		if err != nil {
			return rep, fmt.Errorf("db: read the audit chain after %d: %w", last, Translate(err))
		}
		for _, r := range rows {
			switch {
			case r.ChainSeq != last+1:
				rep.Broken = &ChainBreak{ChainSeq: last + 1, Reason: fmt.Sprintf("entry %d of the chain is missing (the next one present is %d)", last+1, r.ChainSeq)}
			case r.PrevHash != rep.Head:
				rep.Broken = &ChainBreak{ChainSeq: r.ChainSeq, ID: r.ID, Reason: "it does not name the hash of the entry before it: an entry before it was changed, removed or inserted"}
			case auditHash(r) != r.Hash:
				rep.Broken = &ChainBreak{ChainSeq: r.ChainSeq, ID: r.ID, Reason: "its content does not match its hash: the entry was altered"}
			}
			for _, c := range marks[r.ChainSeq] {
				if rep.Broken == nil && c.Hash != r.Hash {
					rep.Broken = &ChainBreak{ChainSeq: r.ChainSeq, ID: r.ID, Reason: fmt.Sprintf(
						"its hash is not the one %s recorded: the chain was rebuilt from this entry or an earlier one", c.Name)}
				}
			}
			if rep.Broken != nil {
				return rep, nil
			}
			rep.Checked++
			rep.Head, rep.HeadSeq = r.Hash, r.ChainSeq
			last = r.ChainSeq
		}
		if opts.Progress != nil && len(rows) > 0 {
			if err := opts.Progress(rep); err != nil {
				return rep, err
			}
		}
		if len(rows) < pageSize {
			if lastMark != nil && lastMark.ChainSeq > last {
				rep.Broken = &ChainBreak{ChainSeq: lastMark.ChainSeq, Reason: fmt.Sprintf(
					"%s recorded entry %d, but the chain ends at entry %d: entries were removed from its end", lastMark.Name, lastMark.ChainSeq, last)}
			}
			return rep, nil
		}
	}
}

// auditHash is audit_event_hash (migration 008) in Go.
func auditHash(r sqlcgen.AuditChainPageRow) string {
	h := sha256.New()
	for _, f := range []string{
		r.PrevHash, strconv.FormatInt(r.ChainSeq, 10), strconv.FormatInt(r.ID, 10), r.OccurredAtText,
		r.Actor, r.Action, r.Subject, r.RemoteAddr, r.RequestID, r.DetailsText,
	} {
		h.Write([]byte(strconv.Itoa(len(f)) + ":" + f))
	}
	return hex.EncodeToString(h.Sum(nil))
}
