package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Scope is what an API token may do, narrower than its owner's roles.
type Scope string

// The scopes.
const (
	// ScopeRead reads orders, their outcomes and (for auditors) the audit log.
	ScopeRead Scope = "read"
	// ScopeCompose creates, submits, withdraws, cancels and sends orders
	// (requesters).
	ScopeCompose Scope = "compose"
	// ScopeApprove approves and rejects orders and settles unknown
	// outcomes (approvers). Never on a service token.
	ScopeApprove Scope = "approve"
)

// AllScopes lists every scope in the order pages show them.
var AllScopes = []Scope{ScopeRead, ScopeCompose, ScopeApprove}

// TokenKind says whom a token acts for.
type TokenKind string

// The kinds of token.
const (
	// TokenPersonal acts for the person who made it.
	TokenPersonal TokenKind = "personal"
	// TokenService acts as a service user of its own, made by an admin.
	TokenService TokenKind = "service"
)

// TokenPrefix starts every token, so a leaked one is easy to recognise
// (secret scanners) and never mistaken for a password.
const TokenPrefix = "ddk_"

// Token expiry bounds, in days.
const (
	MinTokenDays = 1
	MaxTokenDays = 366
)

// ErrTokenInvalid is every refused bearer token: unknown, expired, revoked,
// or its user disabled. One error, so the answer never tells which.
var ErrTokenInvalid = errors.New("auth: api token refused")

var tokenNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$`)

// Token is an API token as people see it: never the secret.
type Token struct {
	ID         int64
	Kind       TokenKind
	UserID     int64
	CreatedBy  int64
	Name       string
	Prefix     string
	Scopes     []Scope
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Has reports whether the token carries a scope.
func (t Token) Has(s Scope) bool { return slices.Contains(t.Scopes, s) }

// Label names the token in the audit log and in logs: kind, id and name.
func (t Token) Label() string {
	return "api " + string(t.Kind) + " token " + strconv.FormatInt(t.ID, 10) + " (" + t.Name + ")"
}

func tokenFrom(t db.APIToken) Token {
	out := Token{
		ID: t.ID, Kind: TokenKind(t.Kind), UserID: t.UserID, CreatedBy: t.CreatedBy, Name: t.Name,
		Prefix: t.Prefix, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt,
	}
	for _, s := range t.Scopes {
		out.Scopes = append(out.Scopes, Scope(s))
	}
	return out
}

func tokensFrom(rows []db.APIToken) []Token {
	out := make([]Token, len(rows))
	for i, r := range rows {
		out[i] = tokenFrom(r)
	}
	return out
}

// Principal is who an API call acts as: the token and its user.
type Principal struct {
	Token Token
	User  User
}

// Roles are the roles the call may use: the user's, narrowed by the
// token's scopes. Requester needs compose; approver needs approve and a
// personal token (a service token never approves, whatever its user's
// roles say). Admin and auditor stay: every API route also demands a scope,
// so a read-only token of an admin still changes nothing.
func (p Principal) Roles() []Role {
	var out []Role
	for _, r := range p.User.Roles {
		switch {
		case r == RoleRequester && !p.Token.Has(ScopeCompose):
		case r == RoleApprover && (!p.Token.Has(ScopeApprove) || p.Token.Kind != TokenPersonal):
		default:
			out = append(out, r)
		}
	}
	return out
}

// NewToken is what a person asks for when they make a personal token.
type NewToken struct {
	Name   string
	Scopes []string
	// Days until it expires.
	Days int
}

// NewServiceToken is what an admin asks for when they make a service token.
type NewServiceToken struct {
	Name  string
	Roles []string
	Days  int
}

// IssuedToken is a token just made: Secret is shown once and never again.
type IssuedToken struct {
	Token  Token
	Secret string
}

func newTokenSecret() (secret string, sum []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(secret))
	return secret, h[:]
}

func checkTokenName(name string, fe fault.Fields) string {
	name = strings.TrimSpace(name)
	if !tokenNamePattern.MatchString(name) {
		fe["name"] = fault.Text("api_token.name", "Name the token with 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.")
	}
	return name
}

func checkTokenDays(days int, fe fault.Fields) {
	if days < MinTokenDays || days > MaxTokenDays {
		fe["days"] = fault.Text("api_token.days", fmt.Sprintf("Choose an expiry between %d and %d days.", MinTokenDays, MaxTokenDays))
	}
}

// CreatePersonalToken makes a token that acts for owner with the scopes
// asked, each of which must be one of the owner's powers: compose needs the
// requester role, approve the approver role.
func (s *Service) CreatePersonalToken(ctx context.Context, actor Actor, in NewToken) (IssuedToken, error) {
	fe := fault.Fields{}
	name := checkTokenName(in.Name, fe)
	checkTokenDays(in.Days, fe)
	owner, err := s.User(ctx, actor.UserID)
	if err != nil {
		return IssuedToken{}, err
	}
	var scopes []string
	for _, raw := range in.Scopes {
		sc := Scope(strings.TrimSpace(raw))
		switch {
		case !slices.Contains(AllScopes, sc):
			fe["scopes"] = fault.Text("api_token.scopes", "Choose among read, compose and approve.")
		case sc == ScopeCompose && !owner.HasAny(RoleRequester, RoleAdmin):
			fe["scopes"] = fault.Text("api_token.scopes", "Only requesters (or admins) may give a token the compose scope.")
		case sc == ScopeApprove && !owner.HasAny(RoleApprover, RoleAdmin):
			fe["scopes"] = fault.Text("api_token.scopes", "Only approvers (or admins) may give a token the approve scope.")
		case !slices.Contains(scopes, string(sc)):
			scopes = append(scopes, string(sc))
		}
	}
	if _, bad := fe["scopes"]; len(scopes) == 0 && !bad {
		fe["scopes"] = fault.Text("api_token.scopes", "Choose at least one scope.")
	}
	if err := fe.OrNil(); err != nil {
		return IssuedToken{}, err
	}
	return s.insertToken(ctx, actor, TokenPersonal, owner.ID, name, scopes, in.Days, nil)
}

// CreateServiceToken makes a service user holding roles (never approver)
// and a token acting as it. Only admins may call it (the route says so).
func (s *Service) CreateServiceToken(ctx context.Context, actor Actor, in NewServiceToken) (IssuedToken, error) {
	fe := fault.Fields{}
	name := checkTokenName(in.Name, fe)
	checkTokenDays(in.Days, fe)
	roles, err := RolesFromStrings(in.Roles)
	switch {
	case err != nil:
		fe["roles"] = fault.Text("api_token.roles", "Choose among requester, admin and auditor.")
	case slices.Contains(roles, RoleApprover):
		fe["roles"] = fault.Text("api_token.roles", "A service token can never approve: leave out the approver role.")
	case len(roles) == 0:
		fe["roles"] = fault.Text("api_token.roles", "Choose at least one role.")
	}
	if err := fe.OrNil(); err != nil {
		return IssuedToken{}, err
	}
	scopes := []string{string(ScopeRead)}
	if slices.Contains(roles, RoleRequester) || slices.Contains(roles, RoleAdmin) {
		scopes = append(scopes, string(ScopeCompose))
	}
	// The service user's password is random and thrown away: nobody signs
	// in as it; it exists so orders and the audit log name who acted.
	hash, err := HashPassword(GeneratePassword(), s.cfg.Hash)
	if err != nil {
		return IssuedToken{}, err
	}
	username := "service." + strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(name))
	if len(username) > 64 {
		username = username[:64]
	}
	return s.insertToken(ctx, actor, TokenService, 0, name, scopes, in.Days, func(tx pgx.Tx) (int64, error) {
		u, err := db.InsertUser(ctx, tx, db.NewUser{
			Username: username, DisplayName: "Service: " + name, PasswordHash: hash, Roles: roleStrings(roles),
		})
		if errors.Is(err, db.ErrConflict) {
			return 0, fault.Fields{"name": fault.Text("api_token.name", "A user or service token of that name exists; choose another name.")}
		}
		if err != nil {
			return 0, err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserCreated, userSubject(u.ID), map[string]any{
			"username": u.Username, "roles": u.Roles, "service": true,
		}))
		return u.ID, err
	})
}

// insertToken stores a new token for userID (or for the user newUser makes
// in the same transaction) and audits it.
func (s *Service) insertToken(ctx context.Context, actor Actor, kind TokenKind, userID int64, name string, scopes []string, days int, newUser func(pgx.Tx) (int64, error)) (IssuedToken, error) {
	secret, sum := newTokenSecret()
	var out Token
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if newUser != nil {
			id, err := newUser(tx)
			if err != nil {
				return err
			}
			userID = id
		}
		var expires time.Time
		if err := tx.QueryRow(ctx, "SELECT now() + make_interval(days => $1)", days).Scan(&expires); err != nil {
			return fmt.Errorf("auth: token expiry: %w", err)
		}
		row, err := db.InsertAPIToken(ctx, tx, db.NewAPIToken{
			Kind: string(kind), UserID: userID, CreatedBy: actor.UserID, Name: name, SHA256: sum,
			Prefix: secret[:12], Scopes: scopes, ExpiresAt: expires,
		})
		if errors.Is(err, db.ErrConflict) {
			return fault.Fields{"name": fault.Text("api_token.name", "You already have a live token of that name; choose another name.")}
		}
		if err != nil {
			return err
		}
		out = tokenFrom(row)
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionAPITokenCreated, tokenSubject(out.ID), map[string]any{
			"kind": string(kind), "name": name, "user_id": userID, "scopes": scopes,
			"prefix": out.Prefix, "expires_at": expires.UTC().Format(time.RFC3339),
		}))
		return err
	})
	if err != nil {
		return IssuedToken{}, fmt.Errorf("auth: create api token: %w", err)
	}
	return IssuedToken{Token: out, Secret: secret}, nil
}

func tokenSubject(id int64) string { return "api_token:" + strconv.FormatInt(id, 10) }

// PersonalTokens lists a person's own tokens, live ones first.
func (s *Service) PersonalTokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := db.ListPersonalAPITokens(ctx, s.pool, userID)
	return tokensFrom(rows), err
}

// ServiceTokens lists every service token, live ones first.
func (s *Service) ServiceTokens(ctx context.Context) ([]Token, error) {
	rows, err := db.ListServiceAPITokens(ctx, s.pool)
	return tokensFrom(rows), err
}

// RevokeToken revokes a token at once. A person revokes their own personal
// tokens; asAdmin (the admin pages) revokes service tokens. Anything else,
// like a token already revoked, is db.ErrNotFound: the answer never tells
// whose tokens exist.
func (s *Service) RevokeToken(ctx context.Context, actor Actor, id int64, asAdmin bool) (Token, error) {
	var out Token
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := db.GetAPIToken(ctx, tx, id)
		if err != nil {
			return err
		}
		mine := cur.Kind == string(TokenPersonal) && cur.UserID == actor.UserID
		service := cur.Kind == string(TokenService) && asAdmin
		if !mine && !service {
			return db.ErrNotFound
		}
		row, err := db.RevokeAPIToken(ctx, tx, id, actor.UserID)
		if err != nil {
			return err
		}
		out = tokenFrom(row)
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionAPITokenRevoked, tokenSubject(id), map[string]any{
			"kind": cur.Kind, "name": cur.Name, "user_id": cur.UserID, "prefix": cur.Prefix,
		}))
		return err
	})
	return out, err
}

// Authenticate finds the live token a bearer secret names and its user,
// and records its use. Every refusal is ErrTokenInvalid.
func (s *Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 128 {
		return Principal{}, ErrTokenInvalid
	}
	sum := sha256.Sum256([]byte(secret))
	t, u, err := db.LiveAPIToken(ctx, s.pool, sum[:])
	if errors.Is(err, db.ErrNotFound) {
		return Principal{}, ErrTokenInvalid
	}
	if err != nil {
		return Principal{}, err
	}
	if err := db.TouchAPIToken(ctx, s.pool, t.ID); err != nil {
		return Principal{}, err
	}
	return Principal{Token: tokenFrom(t), User: userFrom(u)}, nil
}

// ID64 is the token's id as text (rate-limit keys, logs).
func (t Token) ID64() string { return strconv.FormatInt(t.ID, 10) }
