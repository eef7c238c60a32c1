package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// groupKeeper is what the approver-group pages need of the domain.
// *orders.Service is one.
type groupKeeper interface {
	Groups(ctx context.Context) ([]orders.Group, error)
	Group(ctx context.Context, id int64) (orders.Group, []orders.GroupMember, error)
	SaveGroup(ctx context.Context, a orders.Actor, id int64, name, description string) (int64, error)
	DeleteGroup(ctx context.Context, a orders.Actor, id int64) error
	AddGroupMember(ctx context.Context, a orders.Actor, groupID int64, username string) error
	RemoveGroupMember(ctx context.Context, a orders.Actor, groupID, userID int64) error
}

// maxGroupName bounds the group name field; the domain checks the form.
const maxGroupName = 40

// pathID reads a positive id from the path; a malformed one is a 404.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// groupList lists the approver groups with the form that adds one.
func (s *Server) groupList(c echo.Context) error {
	v, err := s.groupListView(c, "", "", nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.GroupList(v))
}

func (s *Server) groupListView(c echo.Context, name, description string, errs map[string]string) (templates.GroupListView, error) {
	groups, err := s.groups.Groups(c.Request().Context())
	if err != nil {
		return templates.GroupListView{}, err
	}
	v := templates.GroupListView{Page: s.page(c, "Approver groups"), Name: name, Description: description, Errors: errs}
	for _, g := range groups {
		v.Groups = append(v.Groups, templates.GroupRow{ID: g.ID, Name: g.Name, Description: g.Description, Members: g.Members})
	}
	return v, nil
}

// groupForm reads the group form through the input boundary.
func groupForm(c echo.Context) (name, description string, errs map[string]string, err error) {
	r, err := readForm(c)
	if err != nil {
		return "", "", nil, err
	}
	name = r.text("name", line(maxGroupName).named("field.what.name"))
	description = r.text("description", line(orders.MaxGroupDescriptionLen).named("field.what.description"))
	return name, description, r.errs, nil
}

// groupCreate adds a group.
func (s *Server) groupCreate(c echo.Context) error {
	name, description, errs, err := groupForm(c)
	if err != nil {
		return err
	}
	var id int64
	if len(errs) == 0 {
		id, err = s.groups.SaveGroup(c.Request().Context(), s.ordersActor(c), 0, name, description)
		errs = fieldTexts(c, err)
	}
	if len(errs) > 0 {
		v, verr := s.groupListView(c, name, description, errs)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, templates.GroupList(v))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.group_added", "name", name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+strconv.FormatInt(id, 10))
}
