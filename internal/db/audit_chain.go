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
	// Head is the hash of the last entry verified: written down elsewhere,
	// it lets a later check prove the log did not lose its tail.
	Head string
	// Broken is nil when every link holds.
	Broken *ChainBreak
}

// VerifyAuditChain walks the whole audit log in chain order, page by page,
// recomputing every entry's hash from its fields in Go (not with the
// database's own function, which a tamperer could change too) and checking
// that each entry names the hash of the one before it.
func VerifyAuditChain(ctx context.Context, q DBTX, pageSize int) (ChainReport, error) {
	if pageSize <= 0 {
		pageSize = 5000
	}
	rep := ChainReport{Head: genesisHash}
	var last int64
	for {
		rows, err := queries.AuditChainPage(ctx, q, sqlcgen.AuditChainPageParams{AfterSeq: last, PageSize: int32(pageSize)})
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
			if rep.Broken != nil {
				return rep, nil
			}
			rep.Checked++
			rep.Head = r.Hash
			last = r.ChainSeq
		}
		if len(rows) < pageSize {
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
