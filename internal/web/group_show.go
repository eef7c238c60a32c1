package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// groupShow shows a group, its members and the forms that change them.
func (s *Server) groupShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.groupView(c, id, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.GroupPage(v))
}

func (s *Server) groupView(c echo.Context, id int64, errs map[string]string) (templates.GroupView, error) {
	g, members, err := s.groups.Group(c.Request().Context(), id)
	if err != nil {
		return templates.GroupView{}, err
	}
	v := templates.GroupView{Page: s.page(c, "Group "+g.Name), ID: g.ID, Name: g.Name, Description: g.Description, Errors: errs}
	for _, m := range members {
		v.Members = append(v.Members, templates.GroupMemberRow{UserID: m.UserID, Username: m.Username, DisplayName: m.DisplayName, Disabled: m.Disabled})
	}
	return v, nil
}

// groupUpdate renames a group.
func (s *Server) groupUpdate(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	name, description, errs, err := groupForm(c)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		_, err = s.groups.SaveGroup(c.Request().Context(), s.ordersActor(c), id, name, description)
		errs = fieldTexts(c, err)
	}
	if len(errs) > 0 {
		v, verr := s.groupView(c, id, errs)
		if verr != nil {
			return verr
		}
		v.Name, v.Description = name, description
		return render(c, http.StatusUnprocessableEntity, templates.GroupPage(v))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.group_saved", "name", name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+strconv.FormatInt(id, 10))
}

// groupDelete removes a group no rule names.
func (s *Server) groupDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.groups.DeleteGroup(c.Request().Context(), s.ordersActor(c), id); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.group_deleted")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/groups")
}
