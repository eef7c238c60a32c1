package web

import (
	"errors"
	"maps"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// loginForm is what the sign-in form posts.
type loginForm struct {
	Username string
	Password string
	Next     string
}

func (f loginForm) validate(c echo.Context) map[string]string {
	errs := map[string]string{}
	if f.Username == "" {
		errs["username"] = tr(c, "login.enter_username")
	}
	if f.Password == "" {
		errs["password"] = tr(c, "login.enter_password")
	}
	return errs
}

// loginSubmit signs a person in. Every failure shows the same message with
// the same status, whatever the reason, and keeps the username typed.
func (s *Server) loginSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	if s.deps.NoPasswordLogin {
		return &SafeError{Status: http.StatusForbidden, Safe: tr(c, "error.password_login_off", "provider", s.deps.OIDCName)}
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	// The bounds are the longest username and password that can exist;
	// what is longer cannot match, so it is refused before any lookup.
	f := loginForm{
		Username: r.text("username", line(auth.MaxUsernameLen)),
		Password: r.text("password", lines(auth.MaxPasswordLen)),
		Next:     safeNext(r.vals.Get("next")), // safeNext turns anything odd into "/"
	}
	v := templates.LoginView{Page: s.page(c, tr(c, "title.sign_in")), Username: f.Username, Next: f.Next}
	v.Errors = f.validate(c)
	maps.Copy(v.Errors, r.errs)
	if len(v.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, templates.Login(v))
	}
	var previous []byte
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	if info, ok := auth.SessionInfo(sess); ok {
		previous = info.ID
	}
	user, issued, err := s.auth.Login(ctx, auth.LoginInput{
		Username: f.Username, Password: f.Password, Client: s.client(c), PreviousSession: previous,
	})
	if errors.Is(err, auth.ErrLoginFailed) {
		v.Error = auth.LoginFailedMessage
		return render(c, http.StatusUnprocessableEntity, templates.Login(v))
	}
	if err != nil {
		return err
	}
	newSess, err := s.sessions.Issue(c.Response(), c.Request(), issued, user)
	if err != nil {
		return err
	}
	s.setSession(c, newSess)
	s.rotateCSRF(c)
	return c.Redirect(http.StatusSeeOther, f.Next)
}
