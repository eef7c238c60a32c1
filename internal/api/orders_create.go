package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// createBody is an order as a client composes it: the same fields as the
// order form, with the Tencent Cloud request parameters as a JSON object
// (validated by the same rules as the forms' preview).
type createBody struct {
	Product       string          `json:"product"`
	AccountID     int64           `json:"account_id"`
	Region        string          `json:"region"`
	Title         string          `json:"title"`
	Justification string          `json:"justification"`
	Params        json.RawMessage `json:"params"`
}

// orderCreate composes a draft. With an Idempotency-Key header, retries of
// the same request return the first order (200, Idempotent-Replayed: true)
// instead of making another.
func (s *Server) orderCreate(c echo.Context) error {
	var in createBody
	raw, err := decode(c, &in)
	if err != nil {
		return err
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if key != "" && !validKey(key) {
		return badRequest("The Idempotency-Key must be 1 to 200 printable ASCII characters without spaces.")
	}
	if p := bytes.TrimSpace(in.Params); len(p) == 0 || p[0] != '{' {
		return invalid(map[string]string{"params": "Give the Tencent Cloud request parameters as a JSON object."})
	}
	d := orders.Draft{
		Product: orders.Product(in.Product), AccountID: in.AccountID, Region: in.Region,
		Title: in.Title, Justification: in.Justification, Params: in.Params,
	}
	ctx := c.Request().Context()
	var (
		o        orders.Order
		replayed bool
	)
	if key == "" {
		o, err = s.deps.Orders.Compose(ctx, actor(c), d)
	} else {
		// The request's hash is of its canonical JSON, so a retry that
		// formats the body differently is still the same request.
		canon, cerr := orders.Canonical(raw)
		if cerr != nil {
			return badRequest("The request body is not a JSON object of the expected shape.")
		}
		o, replayed, err = s.deps.Orders.ComposeOnce(ctx, actor(c), d, key, orders.Hash(canon))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/orders/"+strconv.FormatInt(o.ID, 10))
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return reply(c, http.StatusOK, orderView(o))
	}
	return reply(c, http.StatusCreated, orderView(o))
}

func validKey(k string) bool {
	if len(k) > orders.MaxIdempotencyKeyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}
