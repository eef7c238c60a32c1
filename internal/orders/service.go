package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// Limits on the free-text fields, mirrored by the database's CHECKs.
const (
	MaxTitleLen         = 200
	MaxJustificationLen = 4000
)

// Service composes and moves orders. Every change is one transaction that
// also appends its audit event; every status change is one conditional
// update, so two people (or two replicas) can never both win.
type Service struct {
	pool db.Pool
	// accounts decides which accounts orders may use; nil means any enabled
	// account (tests that need no keys).
	accounts AccountGate
	// newClientToken is tcapi.NewClientToken; tests may replace it.
	newClientToken func() string
	// hooks queue sends and notifications (WithHooks, in hooks.go).
	hooks Hooks
	// duplicateWindow is how long a succeeded order flags the same purchase
	// (WithDuplicateWindow, in duplicates.go).
	duplicateWindow time.Duration
	// rules caches compiled rule conditions per policy version, and spend
	// reads cost centres and budgets for them (approval_rule.go).
	rules *ruleCache
	spend SpendReader
	// now is the clock expiries are counted from (WithClock, expiry.go).
	now func() time.Time
}

// NewService builds the service on a pool.
func NewService(pool db.Pool) *Service {
	return &Service{pool: pool, newClientToken: tcapi.NewClientToken, duplicateWindow: DefaultDuplicateWindow, rules: &ruleCache{},
		spend: spendOfBudgets{}, now: time.Now}
}

func subject(id int64) string { return "order:" + strconv.FormatInt(id, 10) }

// Get reads one order.
func (s *Service) Get(ctx context.Context, id int64) (Order, error) {
	o, err := db.GetOrder(ctx, s.pool, id)
	if errors.Is(err, db.ErrNotFound) {
		return Order{}, notFound("order.not_found", err)
	}
	if err != nil {
		return Order{}, err
	}
	return orderFrom(o), nil
}

// ListMine lists the actor's own orders, newest first; status "" means any.
func (s *Service) ListMine(ctx context.Context, a Actor, status Status, limit int) ([]Order, error) {
	rows, err := db.ListOrdersForRequester(ctx, s.pool, a.UserID, string(status), limit)
	if err != nil {
		return nil, err
	}
	return ordersFrom(rows), nil
}

// AccountGate says which Tencent Cloud accounts orders may use now (the
// accounts service: enabled, sandbox accounts only in sandbox mode, keys from
// the environment only while it holds them).
type AccountGate interface {
	OrderAccounts(ctx context.Context) ([]AccountChoice, error)
	// OrderAccountRefusal says why account id may not be used, or
	// returns the zero Msg.
	OrderAccountRefusal(ctx context.Context, id int64) (fault.Msg, error)
}

// WithAccounts returns a copy of the service that asks gate about accounts.
func (s *Service) WithAccounts(gate AccountGate) *Service {
	c := *s
	c.accounts = gate
	return &c
}

// Accounts lists the accounts an order may be composed for.
func (s *Service) Accounts(ctx context.Context) ([]AccountChoice, error) {
	if s.accounts != nil {
		return s.accounts.OrderAccounts(ctx)
	}
	return db.ListOrderAccounts(ctx, s.pool)
}

// accountRefusal says why an order may not use account id, or returns the
// zero Msg.
func (s *Service) accountRefusal(ctx context.Context, id int64) (fault.Msg, error) {
	if s.accounts != nil {
		return s.accounts.OrderAccountRefusal(ctx, id)
	}
	ok, err := db.OrderAccountUsable(ctx, s.pool, id)
	if err != nil || ok {
		return fault.Msg{}, err
	}
	return fault.M("order.account.unusable"), nil
}

// Compose validates a draft and stores it as a new order in draft status.
func (s *Service) Compose(ctx context.Context, a Actor, d Draft) (Order, error) {
	if !a.Has(auth.RoleRequester) {
		return Order{}, forbidden("order.compose.requesters_only")
	}
	token := s.clientTokenFor(d.Product)
	canon, err := s.check(ctx, d, token)
	if err != nil {
		return Order{}, err
	}
	return s.insert(ctx, a, d, canon, token, 0, 0, db.ActionOrderCreated)
}

// Update replaces an order's content. The order must be the actor's, still
// editable, and at the version they edited; any edit returns it to draft
// with a new version, which voids every approval of the old one.
func (s *Service) Update(ctx context.Context, a Actor, id int64, version int, d Draft) (Order, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return Order{}, err
	}
	if cur.RequesterID != a.UserID {
		return Order{}, forbidden("order.edit.own_only")
	}
	if !cur.Status.Editable() {
		return Order{}, conflict("order.edit.not_editable", "status", strings.ToLower(cur.Status.Label()))
	}
	if d.Product != cur.Product {
		return Order{}, fault.Fields{"product": fault.M("order.edit.product_fixed")}
	}
	canon, err := s.check(ctx, d, cur.ClientToken)
	if err != nil {
		return Order{}, err
	}
	key, err := PurchaseKeyOf(d.Product, canon)
	if err != nil {
		return Order{}, err
	}
	var out Order
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Re-read under the row lock: the audit must name the status the
		// edit really left (an approval may have landed since cur was read),
		// or the trail would say no approvals were voided when some were.
		locked, err := db.LockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		cur = orderFrom(locked)
		dups, err := s.duplicates(ctx, tx, id, cur.Product, d.AccountID, key)
		if err != nil {
			return err
		}
		if err := refuseInFlight(dups); err != nil {
			return err
		}
		editable := []string{string(StatusDraft), string(StatusPendingApproval), string(StatusApproved)}
		row, err := db.UpdateOrderContent(ctx, tx, id, version, editable, db.OrderContent{
			AccountID: d.AccountID, Region: d.Region, Title: strings.TrimSpace(d.Title),
			Justification: strings.TrimSpace(d.Justification), Params: canon, ParamsSHA256: Hash(canon),
			PurchaseKey: key.db(),
		})
		if errors.Is(err, db.ErrStale) {
			return stale(err)
		}
		if err != nil {
			return err
		}
		out = orderFrom(row)
		if err := s.estimateOrder(ctx, tx, out); err != nil {
			return err
		}
		ccs, err := db.ListOrderCostCentres(ctx, tx, []int64{id})
		if err != nil {
			return err
		}
		if err := setCostCentre(ctx, tx, id, ccs[id].ID, d.CostCentreID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, out, db.ActionOrderEdited, map[string]any{
			"cost_centre_id":     d.CostCentreID,
			"from_status":        string(cur.Status),
			"from_version":       cur.Version,
			"from_params_sha256": cur.ParamsSHA256,
			"approvals_voided":   cur.Status != StatusDraft,
			"duplicates_flagged": duplicateIDs(dups),
		})
	})
	return out, err
}

// Delete removes a draft of the actor's. The audit log keeps its history.
func (s *Service) Delete(ctx context.Context, a Actor, id int64) error {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if cur.RequesterID != a.UserID {
		return forbidden("order.delete.own_only")
	}
	if cur.Status != StatusDraft {
		return conflict("order.delete.not_draft")
	}
	if cur.Sent.SendAttempts > 0 {
		// A draft that was sent before (a throttled or unsent try, then an
		// edit) carries its attempts as evidence: they stay, and so does it.
		return conflict("order.delete.was_sent")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The event is written first: after the delete the order's row is
		// gone, but what it was stays on record.
		if err := s.audit(ctx, tx, a, cur, db.ActionOrderDeleted, nil); err != nil {
			return err
		}
		if err := db.UnlinkClones(ctx, tx, id); err != nil {
			return err
		}
		if err := db.DeleteDraftOrder(ctx, tx, id); errors.Is(err, db.ErrStale) {
			return stale(err)
		} else if err != nil {
			return err
		}
		return nil
	})
}

// Clone copies any order into a new draft of the actor's. A billing clone
// gets a token of its own: it is a new purchase.
func (s *Service) Clone(ctx context.Context, a Actor, id int64) (Order, error) {
	if !a.Has(auth.RoleRequester) {
		return Order{}, forbidden("order.compose.requesters_only")
	}
	src, err := s.Get(ctx, id)
	if err != nil {
		return Order{}, err
	}
	ccs, err := db.ListOrderCostCentres(ctx, s.pool, []int64{src.ID})
	if err != nil {
		return Order{}, err
	}
	d := Draft{Product: src.Product, AccountID: src.AccountID, Region: src.Region,
		Title: src.Title, Justification: src.Justification, Params: src.Params, CostCentreID: ccs[src.ID].ID}
	token := s.clientTokenFor(d.Product)
	canon, err := withClientToken(d.Product, src.Params, token)
	if err != nil {
		return Order{}, err
	}
	// A clone is a new order: Dealdesk's own rules hold for it even when
	// its source predates them.
	if req, err := d.Product.ParseParams(canon, d.Region); err == nil {
		if err := productRules(d.Product, req).OrNil(); err != nil {
			return Order{}, err
		}
	}
	return s.insert(ctx, a, d, canon, token, src.ID, 0, db.ActionOrderCloned)
}

// insert stores a new draft, unless an order that may buy the same is being
// sent or has an unknown outcome (duplicates.go); the matches that only
// flag it are named in the audit event.
func (s *Service) insert(ctx context.Context, a Actor, d Draft, canon []byte, token string, clonedFrom, renewalOf int64, action string) (Order, error) {
	return s.insertWith(ctx, a, d, canon, token, clonedFrom, renewalOf, action, nil)
}

// insertWith is insert that also runs claim on the new order inside its
// transaction (ComposeOnce claims the idempotency key there).
func (s *Service) insertWith(ctx context.Context, a Actor, d Draft, canon []byte, token string, clonedFrom, renewalOf int64, action string, claim func(tx pgx.Tx, o Order) error) (Order, error) {
	key, err := PurchaseKeyOf(d.Product, canon)
	if err != nil {
		return Order{}, err
	}
	var out Order
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		dups, err := s.duplicates(ctx, tx, 0, d.Product, d.AccountID, key)
		if err != nil {
			return err
		}
		if err := refuseInFlight(dups); err != nil {
			return err
		}
		row, err := db.InsertOrder(ctx, tx, db.NewOrder{
			Product: string(d.Product), AccountID: d.AccountID, Region: d.Region,
			Title: strings.TrimSpace(d.Title), Justification: strings.TrimSpace(d.Justification),
			Params: canon, ParamsSHA256: Hash(canon), PurchaseKey: key.db(), RequesterID: a.UserID, ClientToken: token,
			ClonedFromID: clonedFrom, RenewalOfID: renewalOf,
		})
		if err != nil {
			return err
		}
		out = orderFrom(row)
		if err := s.estimateOrder(ctx, tx, out); err != nil {
			return err
		}
		if err := setCostCentre(ctx, tx, out.ID, 0, d.CostCentreID); err != nil {
			return err
		}
		details := map[string]any{"duplicates_flagged": duplicateIDs(dups), "cost_centre_id": d.CostCentreID}
		if clonedFrom != 0 {
			details["cloned_from"] = clonedFrom
		}
		if renewalOf != 0 {
			details["renewal_of"] = renewalOf
		}
		if claim != nil {
			if err := claim(tx, out); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, out, action, details)
	})
	return out, err
}

// check validates a draft and returns its canonical parameters, with the
// order's ClientToken put in for billing.
func (s *Service) check(ctx context.Context, d Draft, token string) ([]byte, error) {
	fe := fault.Fields{}
	if !d.Product.Valid() {
		fe.Set("product", "order.product.missing")
		return nil, fe
	}
	title := strings.TrimSpace(d.Title)
	switch {
	case title == "":
		fe.Set("title", "order.title.missing")
	case utf8.RuneCountInString(title) > MaxTitleLen:
		fe.Set("title", "order.title.too_long", "max", strconv.Itoa(MaxTitleLen))
	}
	just := strings.TrimSpace(d.Justification)
	switch {
	case just == "":
		fe.Set("justification", "order.justification.missing")
	case utf8.RuneCountInString(just) > MaxJustificationLen:
		fe.Set("justification", "order.justification.too_long", "max", strconv.Itoa(MaxJustificationLen))
	}
	if d.AccountID == 0 {
		fe.Set("account", "order.account.missing")
	} else if why, err := s.accountRefusal(ctx, d.AccountID); err != nil {
		return nil, err
	} else if why.Key != "" {
		fe["account"] = why
	}
	if !d.Product.Spec().TakesRegion && d.Region != "" {
		fe.Set("Region", "order.region.not_taken")
	}
	canon, err := withClientToken(d.Product, d.Params, token)
	if err != nil {
		fe.Set("params", "order.params.not_object")
		return nil, fe
	}
	req, err := d.Product.ParseParams(canon, d.Region)
	if err != nil {
		var ve *tcapi.ValidationError
		if !errors.As(err, &ve) {
			return nil, fmt.Errorf("orders: validate parameters: %w", err)
		}
		for _, f := range ve.Fields {
			if _, seen := fe[f.Path]; !seen {
				fe[f.Path] = tcapiMsg(f)
			}
		}
	} else if !RoundTrips(req, canon) {
		fe.Set("params", "order.params.not_round_trip")
	}
	// Dealdesk's own rules also judge parameters the API's rules refused
	// (a decoded request comes back with its validation error), so every
	// problem is listed at once.
	if req != nil {
		for path, msg := range productRules(d.Product, req) {
			if _, seen := fe[path]; !seen {
				fe[path] = msg
			}
		}
	}
	if err := fe.OrNil(); err != nil {
		return nil, err
	}
	return canon, nil
}

// clientTokenFor is a new ClientToken for a product that uses one, else "".
func (s *Service) clientTokenFor(p Product) string {
	if !p.Spec().UsesClientToken {
		return ""
	}
	return s.newClientToken()
}

// withClientToken returns the canonical parameters, with ClientToken set to
// token for products that use one (a token typed by a person is never used).
func withClientToken(p Product, params []byte, token string) ([]byte, error) {
	canon, err := Canonical(params)
	if err != nil || !p.Spec().UsesClientToken {
		return canon, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(canon, &m); err != nil {
		return nil, fmt.Errorf("orders: parameters: %w", err)
	}
	t, _ := json.Marshal(token)
	m["ClientToken"] = t
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("orders: parameters: %w", err)
	}
	return Canonical(b)
}

// audit appends an event about an order in the caller's transaction.
func (s *Service) audit(ctx context.Context, tx db.DBTX, a Actor, o Order, action string, extra map[string]any) error {
	details := map[string]any{
		"product":       string(o.Product),
		"status":        string(o.Status),
		"version":       o.Version,
		"params_sha256": o.ParamsSHA256,
	}
	maps.Copy(details, extra)
	if a.Via != "" {
		details["via"] = a.Via
	}
	actor := "system"
	if a.UserID != 0 {
		actor = strconv.FormatInt(a.UserID, 10)
	}
	_, err := db.AppendAudit(ctx, tx, db.AuditEvent{
		Actor: actor, Action: action, Subject: o.Subject(),
		RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details,
	})
	return err
}

// Transition moves an order from one status to another inside tx, checking
// the state machine first and the database's conditional update second, and
// appends the audit event. The approval and sending code build on it.
func (s *Service) Transition(ctx context.Context, tx db.DBTX, a Actor, o Order, to Status, action string, details map[string]any) (Order, error) {
	if err := CheckTransition(o.Status, to); err != nil {
		return Order{}, fault.Wrap(fault.Conflict, err, "order.transition", "from", strings.ToLower(o.Status.Label()), "to", strings.ToLower(to.Label()))
	}
	row, err := db.TransitionOrder(ctx, tx, o.ID, string(o.Status), string(to))
	if errors.Is(err, db.ErrStale) {
		return Order{}, stale(err)
	}
	if err != nil {
		return Order{}, err
	}
	next := orderFrom(row)
	if details == nil {
		details = map[string]any{}
	}
	details["from_status"] = string(o.Status)
	return next, s.audit(ctx, tx, a, next, action, details)
}

// Lock reads an order inside tx and holds its row until tx ends, so nothing
// else can move it between the caller's check and its update. It reads
// through tx itself: asking the pool for a second connection while holding
// the lock could wait forever on a pool whose connections all wait for it.
func (s *Service) Lock(ctx context.Context, tx db.DBTX, id int64) (Order, error) {
	row, err := db.LockOrder(ctx, tx, id)
	if errors.Is(err, db.ErrNotFound) {
		return Order{}, notFound("order.not_found", err)
	}
	if err != nil {
		return Order{}, err
	}
	return orderFrom(row), nil
}

// ListByStatus lists the orders in one status, newest first. The home page
// uses it to put unknown outcomes in front of the people who settle them.
func (s *Service) ListByStatus(ctx context.Context, status Status, limit int) ([]Order, error) {
	rows, err := db.ListOrdersByStatus(ctx, s.pool, string(status), limit)
	if err != nil {
		return nil, err
	}
	return ordersFrom(rows), nil
}
