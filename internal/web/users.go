package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// userAdmin is what the user pages need of auth: the people, their
// sessions, and the admin's moves on them. *auth.Service is one.
type userAdmin interface {
	Users(ctx context.Context) ([]auth.User, error)
	User(ctx context.Context, id int64) (auth.User, error)
	Sessions(ctx context.Context, userID int64) ([]auth.Session, error)
	CreateUser(ctx context.Context, actor auth.Actor, in auth.NewUser) (auth.User, string, error)
	UpdateProfile(ctx context.Context, actor auth.Actor, id int64, in auth.Profile) (auth.User, error)
	SetDisabled(ctx context.Context, actor auth.Actor, id int64, disabled bool) (auth.User, error)
	ResetPassword(ctx context.Context, actor auth.Actor, id int64) (string, error)
}

// roleDescriptions say in a few words what each role may do, beside its
// box: catalog keys, worded by the template in the reader's language.
var roleDescriptions = map[auth.Role]string{
	auth.RoleRequester: "role_desc.requester",
	auth.RoleApprover:  "role_desc.approver",
	auth.RoleAdmin:     "role_desc.admin",
	auth.RoleAuditor:   "role_desc.auditor",
}

// roleOptions are the role checkboxes with the given names ticked. It takes
// strings so a re-rendered form keeps exactly what was ticked.
func roleOptions(checked []string) []templates.RoleOption {
	out := make([]templates.RoleOption, len(auth.AllRoles))
	for i, r := range auth.AllRoles {
		out[i] = templates.RoleOption{
			Value: string(r), Label: string(r), Description: roleDescriptions[r],
			Checked: slices.Contains(checked, string(r)),
		}
	}
	return out
}

func roleNames(rs []auth.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// formRoles reads the ticked role boxes. Unknown names are kept so the
// service reports them instead of them vanishing silently.
func formRoles(r *fieldReader) ([]string, []auth.Role) {
	names := r.texts("roles", line(maxShortText), len(auth.AllRoles))
	roles := make([]auth.Role, len(names))
	for i, n := range names {
		roles[i] = auth.Role(n)
	}
	return names, roles
}

// profileFields reads the profile fields of the user forms.
func profileFields(r *fieldReader) (displayName, email string) {
	return r.text("display_name", line(auth.MaxDisplayNameLen)), r.text("email", line(auth.MaxEmailLen))
}

func userRow(u auth.User) templates.UserRow {
	return templates.UserRow{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		Roles: roleNames(u.Roles), Disabled: u.Disabled, CreatedAt: u.CreatedAt,
	}
}

// pathUser loads the user the :id in the path names. A malformed id is the
// same 404 as a missing user.
func (s *Server) pathUser(c echo.Context) (auth.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return auth.User{}, echo.ErrNotFound
	}
	return s.users.User(c.Request().Context(), id)
}

func userPath(id int64) string { return fmt.Sprintf("/admin/users/%d", id) }

// oneTimePassword shows a generated password. This is the one successful
// POST that answers with a page instead of a redirect: the password must not
// be kept anywhere (not even in the session) to survive a redirect.
func (s *Server) oneTimePassword(c echo.Context, u auth.User, password string, created bool) error {
	title := tr(c, "user_words.title_new_password")
	if created {
		title = tr(c, "user_words.title_user_created")
	}
	return render(c, http.StatusOK, templates.OneTimePassword(templates.OneTimePasswordView{
		Page: s.page(c, title), User: userRow(u), Password: password, Created: created,
	}))
}
