package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// groupMemberAdd puts a user, named by username, in a group.
func (s *Server) groupMemberAdd(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	username := r.text("username", line(maxShortText).named("field.what.username"))
	errs := r.errs
	if len(errs) == 0 {
		err = s.groups.AddGroupMember(c.Request().Context(), s.ordersActor(c), id, username)
		errs = fieldTexts(c, err)
	}
	if len(errs) > 0 {
		v, verr := s.groupView(c, id, errs)
		if verr != nil {
			return verr
		}
		v.Username = username
		return render(c, http.StatusUnprocessableEntity, templates.GroupPage(v))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.member_added", "name", username)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+strconv.FormatInt(id, 10))
}

// groupMemberRemove takes a user out of a group.
func (s *Server) groupMemberRemove(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	user, err := pathID(c, "user")
	if err != nil {
		return err
	}
	if err := s.groups.RemoveGroupMember(c.Request().Context(), s.ordersActor(c), id, user); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.member_removed")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+strconv.FormatInt(id, 10))
}
