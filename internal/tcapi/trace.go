package tcapi

// Trace is what an answer names that people search orders by: the deals
// (DealNames, BigDealId), the billing order and the instances. Each
// purchase response type says what it carries (its Trace method, beside
// the type), so the sender reads any action's answer without knowing it.
type Trace struct {
	DealNames   []string
	BigDealID   string
	InstanceIDs []string
	// OrderID is the billing order (several joined by commas).
	OrderID string
	// NamesDeals marks an answer of the kind that names deals: when it
	// needs review, the deals may exist unpaid. ReturnMessage is the
	// service's own words beside them.
	NamesDeals    bool
	ReturnMessage string
}

// Traced is a response that names what it made.
type Traced interface {
	Trace() Trace
}

// TraceOf reads a response's trace; a response naming nothing (or none at
// all) is the zero Trace.
func TraceOf(resp any) Trace {
	if t, ok := resp.(Traced); ok {
		return t.Trace()
	}
	return Trace{}
}
