package sending

import (
	"context"

	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// What the two readers of the bill share: the unknown orders' lookups
// (reconcile.go) and the succeeded orders' billed amounts (billed.go) both
// pass over a list of orders, one failure not stopping the others, and
// both read DescribeDealsByCond page by page.

// eachOrder runs look on every id, stopping only when ctx ends; a failed
// look is logged under what and skipped. It returns how many succeeded.
func (s *Sender) eachOrder(ctx context.Context, ids []int64, what string, look func(id int64) error) (int, error) {
	n := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if err := look(id); err != nil {
			s.log.Warn(what, "order_id", id, "err", err)
			continue
		}
		n++
	}
	return n, nil
}

// orderIn reads an order for a lookup, refusing with wrong unless it is
// in status (an unknown order's lookup, a succeeded order's bill).
func (s *Sender) orderIn(ctx context.Context, id int64, status orders.Status, wrong error) (orders.Order, error) {
	o, err := s.orders.Get(ctx, id)
	if err != nil {
		return orders.Order{}, err
	}
	if o.Status != status {
		return orders.Order{}, wrong
	}
	return o, nil
}

// dealPages is one reading of the bill: the deals kept, the calls made,
// and the last call's result (its error code when a call failed).
type dealPages struct {
	deals  []tcapi.Deal
	calls  int
	result tcapi.Result
}

// fetchDeals reads the account's deals created between start and end (the
// bill's Beijing time), for each status in turn, page by page up to
// cfg.MaxPages, keeping those keep accepts (nil keeps all). ok is false
// when a call did not answer with deals: what was read is incomplete.
func fetchDeals(ctx context.Context, bill BillAPI, creds tcapi.Credentials, start, end string, statuses []int64,
	cfg ReconcileConfig, keep func(tcapi.Deal) bool) (out dealPages, ok bool) {
	for _, status := range statuses {
		for page := int64(0); page < cfg.MaxPages; page++ {
			resp, res, err := bill.DescribeDealsByCond(ctx, creds, &tcapi.DescribeDealsByCondRequest{
				StartTime: new(start), EndTime: new(end),
				Limit: new(int64(cfg.PageSize)), Offset: new(int64(page)), Status: new(int64(status)),
			})
			out.calls++
			out.result = res
			if err != nil || resp == nil {
				return out, false
			}
			for _, d := range resp.Deals {
				if keep == nil || keep(d) {
					out.deals = append(out.deals, d)
				}
			}
			if int64(len(resp.Deals)) < cfg.PageSize || (page+1)*cfg.PageSize >= tcapi.Deref(resp.TotalCount) {
				break
			}
		}
	}
	return out, true
}

// orderIDs are the ids of list.
func orderIDs(list []orders.Order) []int64 {
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.ID
	}
	return ids
}
