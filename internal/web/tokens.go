package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// The API token pages: people manage their own personal tokens on
// /account/tokens; admins manage service tokens on /admin/tokens. A new
// token's secret is rendered into the answer to the POST that made it and
// nowhere else (never a flash: those are stored in the session's row).

// scopeDescriptions say what each scope allows: catalog keys, worded by
// the template in the reader's language.
var scopeDescriptions = map[auth.Scope]string{
	auth.ScopeRead:    "scope_desc.read",
	auth.ScopeCompose: "scope_desc.compose",
	auth.ScopeApprove: "scope_desc.approve",
}

func scopeOptions(checked []string) []templates.ScopeOption {
	out := make([]templates.ScopeOption, len(auth.AllScopes))
	for i, sc := range auth.AllScopes {
		out[i] = templates.ScopeOption{Value: string(sc), Label: string(sc), Description: scopeDescriptions[sc],
			Checked: slices.Contains(checked, string(sc))}
	}
	return out
}

// serviceRoleOptions are the roles a service token may hold: never approver.
func serviceRoleOptions(checked []string) []templates.RoleOption {
	return slices.DeleteFunc(roleOptions(checked), func(o templates.RoleOption) bool { return o.Value == string(auth.RoleApprover) })
}

func tokenRows(ts []auth.Token, owners map[int64]string) []templates.TokenRow {
	now := time.Now()
	out := make([]templates.TokenRow, len(ts))
	for i, t := range ts {
		scopes := make([]string, len(t.Scopes))
		for j, sc := range t.Scopes {
			scopes[j] = string(sc)
		}
		out[i] = templates.TokenRow{
			ID: strconv.FormatInt(t.ID, 10), Name: t.Name, Prefix: t.Prefix, Scopes: strings.Join(scopes, ", "),
			Owner: owners[t.UserID], CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt,
			Revoked: t.RevokedAt != nil, Expired: !t.ExpiresAt.After(now),
		}
	}
	return out
}

// tokensView builds either page, with its list read fresh.
func (s *Server) tokensView(c echo.Context, service bool) (templates.TokensView, error) {
	ctx := c.Request().Context()
	v := templates.TokensView{Service: service, Days: "90", Errors: map[string]string{}}
	var (
		list []auth.Token
		err  error
	)
	if service {
		v.Page = s.page(c, tr(c, "title.service_tokens"))
		v.Roles = serviceRoleOptions([]string{string(auth.RoleRequester)})
		list, err = s.auth.ServiceTokens(ctx)
	} else {
		v.Page = s.page(c, tr(c, "title.api_tokens"))
		v.Scopes = scopeOptions([]string{string(auth.ScopeRead)})
		list, err = s.auth.PersonalTokens(ctx, s.user(c).ID)
	}
	if err != nil {
		return v, err
	}
	owners, err := s.tokenOwners(ctx, list, service)
	if err != nil {
		return v, err
	}
	v.Tokens = tokenRows(list, owners)
	return v, nil
}

// tokenOwners names the service users the service tokens act as.
func (s *Server) tokenOwners(ctx context.Context, ts []auth.Token, service bool) (map[int64]string, error) {
	out := map[int64]string{}
	if !service {
		return out, nil
	}
	for _, t := range ts {
		if _, seen := out[t.UserID]; seen {
			continue
		}
		u, err := s.auth.User(ctx, t.UserID)
		if err != nil {
			return nil, err
		}
		out[t.UserID] = u.Username
	}
	return out, nil
}

// tokenCreate makes a token from the form and shows its secret once.
func (s *Server) tokenCreate(c echo.Context, service bool) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	name := r.text("name", line(maxShortText))
	days, daysRaw := r.number("days", auth.MinTokenDays, auth.MaxTokenDays, "field.token_days")
	var picked []string
	if service {
		picked = r.texts("roles", line(maxShortText), len(auth.AllRoles))
	} else {
		picked = r.texts("scopes", line(maxShortText), len(auth.AllScopes))
	}
	v, err := s.tokensView(c, service)
	if err != nil {
		return err
	}
	v.Name, v.Days = name, daysRaw
	if service {
		v.Roles = serviceRoleOptions(picked)
	} else {
		v.Scopes = scopeOptions(picked)
	}
	fe := r.errs
	var issued auth.IssuedToken
	if r.ok() {
		ctx := c.Request().Context()
		if service {
			issued, err = s.auth.CreateServiceToken(ctx, s.actor(c), auth.NewServiceToken{Name: name, Roles: picked, Days: days})
		} else {
			issued, err = s.auth.CreatePersonalToken(ctx, s.actor(c), auth.NewToken{Name: name, Scopes: picked, Days: days})
		}
		fe = fieldTexts(c, err)
		if fe == nil && err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		v.Errors = fe
		return render(c, http.StatusUnprocessableEntity, templates.Tokens(v))
	}
	// Read the list again so it holds the new token.
	if v2, err := s.tokensView(c, service); err == nil {
		v.Tokens = v2.Tokens
	}
	v.NewSecret, v.NewName, v.Name, v.Days = issued.Secret, issued.Token.Name, "", "90"
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, templates.Tokens(v))
}

// tokenRevoke revokes one token: a person's own, or (admins) a service token.
func (s *Server) tokenRevoke(c echo.Context, service bool) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	t, err := s.auth.RevokeToken(c.Request().Context(), s.actor(c), id, service)
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.token_revoked", "name", t.Name)); err != nil {
		return err
	}
	if service {
		return c.Redirect(http.StatusSeeOther, "/admin/tokens")
	}
	return c.Redirect(http.StatusSeeOther, "/account/tokens")
}
