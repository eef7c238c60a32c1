package tcsim

import (
	"fmt"
	"time"
)

// order is one order (or WAF deal) the sandbox created, as
// DescribeDealsByCond reports it.
type order struct {
	id             string
	secretID       string
	bigDealID      string
	status         int64
	created        time.Time
	productCode    string
	subProductCode string
	categoryID     int64
	timeSpan       int64
	timeUnit       string
	cost           int64
	action         string // purchase, renew or modify
	resourceIDs    []string
	// params is the CreateInstance or RenewInstance request as decoded and re-encoded, to
	// compare a repeated ClientToken's parameters with the first call's.
	params []byte
}

type tokenKey struct{ secretID, token string }

// beijing is the zone billing reads and writes times in.
var beijing = time.FixedZone("UTC+8", 8*60*60)

// charge takes cost from the balance, or says why it cannot.
func (s *Sim) charge(secretID string, cost int64) *apiError {
	bal := s.balanceLocked(secretID)
	if cost > bal {
		return fail("FailedOperation.BalanceInsufficient", "the account balance (%s) is less than the price (%s)", yuan(bal), yuan(cost))
	}
	s.balances[secretID] = bal - cost
	return nil
}

// nextID numbers orders and deals the way billing does: the Beijing date
// and a sequence, "2025120100000001". The caller holds s.mu.
func (s *Sim) nextID(now time.Time) string {
	s.idSeq++
	return fmt.Sprintf("%s%08d", now.In(beijing).Format("20060102"), s.idSeq)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
