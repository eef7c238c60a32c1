package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderChoose is the first step of a new order: what to buy.
func (s *Server) orderChoose(c echo.Context) error {
	v := templates.OrderChooseView{Page: s.page(c, tr(c, "title.new_order"))}
	for _, p := range orders.Products {
		a, err := p.Action()
		if err != nil {
			return err
		}
		v.Products = append(v.Products, templates.ProductChoice{Value: string(p), Label: productLabel(c, p), Action: a.Name, Description: productDescription(c, p)})
	}
	return render(c, http.StatusOK, templates.OrderChoose(v))
}
