package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// loginShow shows the sign-in form, or sends a signed-in user on their way.
func (s *Server) loginShow(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	if u != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return render(c, http.StatusOK, templates.Login(templates.LoginView{
		Page:      s.page(c, tr(c, "title.sign_in")),
		Next:      next,
		SignedOut: c.QueryParam("signed_out") == "1",
		SSOName:   s.ssoName(), PasswordOff: s.deps.NoPasswordLogin,
	}))
}

// ssoName is the identity provider's button label, or "" without one.
func (s *Server) ssoName() string {
	if s.deps.OIDC == nil {
		return ""
	}
	return s.deps.OIDCName
}
