package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// Each move reads its body, calls the same domain method as the page's
// button, and answers the order as it stands after the move.

type submitBody struct {
	Version *int `json:"version"`
}

type cancelBody struct {
	Reason string `json:"reason"`
}

type decideBody struct {
	Version      *int    `json:"version"`
	ParamsSHA256 string  `json:"params_sha256"`
	Comment      string  `json:"comment"`
	NotDuplicate bool    `json:"not_duplicate"`
	Checked      []int64 `json:"duplicates_checked"`
}

type sendBody struct {
	ParamsSHA256 string `json:"params_sha256"`
}

type settleBody struct {
	Succeeded *bool    `json:"succeeded"`
	Note      string   `json:"note"`
	DealNames []string `json:"deal_names"`
}

// move runs one move on the order in the path and answers the order.
func move[B any](c echo.Context, check func(B) map[string]string, do func(id int64, a orders.Actor, b B) (orders.Order, error)) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var b B
	if _, err := decode(c, &b); err != nil {
		return err
	}
	if check != nil {
		if fe := check(b); len(fe) > 0 {
			return invalid(fe)
		}
	}
	o, err := do(id, actor(c), b)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, orderView(o))
}

func needVersion(v *int) map[string]string {
	if v == nil || *v <= 0 {
		return map[string]string{"version": "Give the version you saw (the order's version)."}
	}
	return nil
}

func needHash(h string, fe map[string]string) map[string]string {
	if len(h) != 64 {
		if fe == nil {
			fe = map[string]string{}
		}
		fe["params_sha256"] = "Give the params_sha256 you saw (64 hex digits)."
	}
	return fe
}

func (s *Server) orderSubmit(c echo.Context) error {
	return move(c, func(b submitBody) map[string]string { return needVersion(b.Version) },
		func(id int64, a orders.Actor, b submitBody) (orders.Order, error) {
			return s.deps.Orders.Submit(c.Request().Context(), a, id, *b.Version)
		})
}

func (s *Server) orderWithdraw(c echo.Context) error {
	return move(c, nil, func(id int64, a orders.Actor, _ struct{}) (orders.Order, error) {
		return s.deps.Orders.Withdraw(c.Request().Context(), a, id)
	})
}

func (s *Server) orderCancel(c echo.Context) error {
	return move(c, nil, func(id int64, a orders.Actor, b cancelBody) (orders.Order, error) {
		return s.deps.Orders.Cancel(c.Request().Context(), a, id, b.Reason)
	})
}

// orderApprove approves exactly the version and hash the client saw. When
// other orders may buy the same, not_duplicate must be true and
// duplicates_checked must name every one of them (as the page's list does).
func (s *Server) orderApprove(c echo.Context) error {
	return move(c, func(b decideBody) map[string]string { return needHash(b.ParamsSHA256, needVersion(b.Version)) },
		func(id int64, a orders.Actor, b decideBody) (orders.Order, error) {
			shown := b.Checked
			if shown == nil {
				shown = []int64{}
			}
			return s.deps.Orders.Approve(c.Request().Context(), a, id, *b.Version, b.ParamsSHA256, b.Comment,
				orders.ApproveOptions{NotDuplicate: b.NotDuplicate, Shown: shown})
		})
}

func (s *Server) orderReject(c echo.Context) error {
	return move(c, func(b decideBody) map[string]string { return needHash(b.ParamsSHA256, needVersion(b.Version)) },
		func(id int64, a orders.Actor, b decideBody) (orders.Order, error) {
			return s.deps.Orders.Reject(c.Request().Context(), a, id, *b.Version, b.ParamsSHA256, b.Comment)
		})
}

// orderSend queues the send of an approved order ("Send now"); the answer
// is the order before the send, which runs in the job queue: poll it.
func (s *Server) orderSend(c echo.Context) error {
	return move(c, func(b sendBody) map[string]string { return needHash(b.ParamsSHA256, nil) },
		func(id int64, a orders.Actor, b sendBody) (orders.Order, error) {
			return s.deps.Orders.RequestSend(c.Request().Context(), a, id, b.ParamsSHA256)
		})
}

// orderSettle records what a person found about an unknown outcome.
func (s *Server) orderSettle(c echo.Context) error {
	if s.deps.Sender == nil {
		return &refusal{kind: "unavailable", detail: "This console cannot settle orders."}
	}
	return move(c, func(b settleBody) map[string]string {
		if b.Succeeded == nil {
			return map[string]string{"succeeded": "Say whether the purchase happened (true) or not (false)."}
		}
		return nil
	}, func(id int64, a orders.Actor, b settleBody) (orders.Order, error) {
		return s.deps.Sender.SettleByHand(c.Request().Context(), a, id, sending.Settlement{
			Succeeded: *b.Succeeded, Note: b.Note, DealNames: b.DealNames,
		})
	})
}
