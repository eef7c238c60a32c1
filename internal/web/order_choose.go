package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

var productDescriptions = map[orders.Product]string{
	orders.ProductWAF:     "Web Application Firewall editions, packs and add-ons: new purchases, renewals and changes of configuration, one or more entries per order.",
	orders.ProductBilling: "Cloud Firewall (and other products sold through the international billing service), paid upfront from the account balance.",
	orders.ProductTCB:     "CloudBase plans, promotion packs and resource packs: new purchases, renewals and changes of plan.",
}

// orderChoose is the first step of a new order: what to buy.
func (s *Server) orderChoose(c echo.Context) error {
	v := templates.OrderChooseView{Page: s.page(c, "New order")}
	for _, p := range orders.Products {
		a, err := p.Action()
		if err != nil {
			return err
		}
		v.Products = append(v.Products, templates.ProductChoice{Value: string(p), Label: p.Label(), Action: a.Name, Description: productDescriptions[p]})
	}
	return render(c, http.StatusOK, templates.OrderChoose(v))
}
