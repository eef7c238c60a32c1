package web

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderShow shows one order to anyone signed in: approvers and auditors
// read orders too, and any requester may clone one.
func (s *Server) orderShow(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	v, err := s.showView(c, o)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.OrderShow(v))
}

// showView is the order page's view model: the order, its exact request,
// its approval, its sending, and the actions the viewer may take.
func (s *Server) showView(c echo.Context, o orders.Order) (templates.OrderShowView, error) {
	ctx := c.Request().Context()
	u := s.user(c)
	a, err := o.Product.Action()
	if err != nil {
		return templates.OrderShowView{}, err
	}
	v := templates.OrderShowView{
		Page: s.page(c, "Order #"+strconv.FormatInt(o.ID, 10)), ID: o.ID, Title: o.Title, Justification: o.Justification,
		ProductLabel: o.Product.Label(), Status: string(o.Status), StatusLabel: o.Status.Label(), Version: o.Version,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, ClonedFromID: o.ClonedFromID, RenewalOfID: o.RenewalOfID,
		Body: string(o.Params), SHA256: o.ParamsSHA256, Summary: orderSummary(o),
		Action: a.Name, APIVersion: a.Version, Region: o.Region, Host: a.Host,
		CanEdit:   o.RequesterID == u.ID && o.Status.Editable(),
		CanDelete: o.RequesterID == u.ID && o.Status == orders.StatusDraft,
		CanClone:  u.Has(auth.RoleRequester),
		CanRenew:  u.Has(auth.RoleRequester) && o.Status == orders.StatusSucceeded,
	}
	v.Account = "account #" + strconv.FormatInt(o.AccountID, 10) + " (disabled)"
	accts, err := s.deps.Orders.Accounts(ctx)
	if err != nil {
		return v, err
	}
	if i := slices.IndexFunc(accts, func(a orders.AccountChoice) bool { return a.ID == o.AccountID }); i >= 0 {
		v.Account = accts[i].Name
	}
	v.Requester = "user #" + strconv.FormatInt(o.RequesterID, 10)
	if r, err := s.auth.User(ctx, o.RequesterID); err == nil {
		v.Requester = r.DisplayName + " (" + r.Username + ")"
	} else if !errors.Is(err, db.ErrNotFound) {
		return v, err
	}
	st, err := s.deps.Orders.ApprovalState(ctx, s.ordersActor(c), o.ID)
	if err != nil {
		return v, err
	}
	panel := approvalPanel(st, v.CSRFToken, approvalForm{})
	v.Approval = &panel
	if v.Send, err = s.sendView(c, st, v.CSRFToken); err != nil {
		return v, err
	}
	if v.CanRenew {
		gaps, err := orders.RenewalGaps(o)
		switch {
		case fault.KindOf(err) != 0:
			v.RenewError = refusalText(err)
		case err != nil:
			return v, err
		}
		for _, path := range gaps {
			v.RenewFields = append(v.RenewFields, renewControl(o, path))
		}
	}
	return v, nil
}

var renewGoodsPath = regexp.MustCompile(`^Goods\[(\d+)\]\.GoodsDetail\.InstanceId$`)

// renewControl is the input that asks for one identifier of a renewal of o.
func renewControl(o orders.Order, path string) templates.FormControl {
	f := templates.FormControl{ID: renewFieldID(path), Label: path, Required: true, Mono: true}
	if path == "InstanceId" {
		// A Billing purchase: RenewInstance renews one instance, so a
		// purchase of several is renewed one draft per instance, chosen
		// here; an answer that named none leaves the id to be typed.
		f.Label = "Instance to renew (InstanceId)"
		f.Hint = "Such as cfwi-1a2b3c4d: copy it from the Cloud Firewall console."
		if ids := o.Sent.InstanceIDs; len(ids) > 1 {
			f.Hint = "This purchase bought " + strconv.Itoa(len(ids)) + " instances; each renewal renews one. Renew again for each of the others."
			f.Options = []templates.Option{{Value: "", Label: "Choose an instance"}}
			for _, id := range ids {
				f.Options = append(f.Options, templates.Option{Value: id, Label: id})
			}
		}
		return f
	}
	if m := renewGoodsPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		f.Label = "Instance of Goods entry " + strconv.Itoa(i+1) + " (InstanceId)"
		f.Hint = "Such as waf_000001."
	} else if path == "ResourceId" {
		f.Label = "Environment to renew (ResourceId)"
		f.Hint = "Such as cloud-0g6kw62kbda53cb6."
	}
	return f
}

// renewFieldID is the control id of a renewal's identifier:
// "renew-ResourceId", "renew-g0-InstanceId".
func renewFieldID(path string) string {
	if m := renewGoodsPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		return "renew-" + templates.WAFRowID(i, "InstanceId")
	}
	return "renew-" + path
}
