package accounts

import (
	"context"
	"errors"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// OrderAccounts lists the accounts an order may be composed for: exactly the
// usable ones, so nobody composes an order that cannot be sent.
func (s *Service) OrderAccounts(ctx context.Context) ([]db.OrderAccount, error) {
	usable, err := s.Usable(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]db.OrderAccount, len(usable))
	for i, a := range usable {
		out[i] = db.OrderAccount{ID: a.ID, Name: a.Name, Sandbox: a.Sandbox}
	}
	return out, nil
}

// OrderAccountRefusal says, in words fit to show, why an order may not use
// account id now; the zero Msg when it may.
func (s *Service) OrderAccountRefusal(ctx context.Context, id int64) (fault.Msg, error) {
	a, err := s.Get(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return fault.M("account.not_found"), nil
	}
	if err != nil {
		return fault.Msg{}, err
	}
	if err := s.Unusable(a); err != nil {
		if r, ok := fault.As(err); ok {
			return r.Msg, nil
		}
		return fault.Msg{}, err
	}
	return fault.Msg{}, nil
}
