// Package oidc signs people in through an OpenID Connect identity provider
// (Keycloak, Tencent Cloud CAM or IDaaS, …): the authorization code flow with
// PKCE, state and nonce, the ID token verified against the provider's keys,
// and the roles read from a claim through a configured map. It knows no
// HTTP framework and no storage: web carries the pending sign-in in a
// sealed cookie and auth signs the person in.
package oidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config is the provider and how its claims become a console user.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the console's callback, such as
	// https://dealdesk.example.com/login/oidc/callback, registered with the
	// provider.
	RedirectURL string
	// Scopes asked for besides openid (profile, email, groups, …).
	Scopes []string
	// RolesClaim names the ID token claim holding groups or roles (a string
	// or a list of strings); RoleMap maps its values to console roles.
	RolesClaim string
	RoleMap    map[string][]string
	// UsernameClaim names the claim a first sign-in takes its username from
	// (preferred_username by default; email falls back).
	UsernameClaim string
}

// Provider is a discovered identity provider.
type Provider struct {
	cfg      Config
	oauth    oauth2.Config
	verifier *gooidc.IDTokenVerifier
}

// New discovers the provider (its /.well-known/openid-configuration) and
// its keys.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	p, err := gooidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	scopes := []string{gooidc.ScopeOpenID}
	for _, s := range cfg.Scopes {
		if s != "" && !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	if cfg.UsernameClaim == "" {
		cfg.UsernameClaim = "preferred_username"
	}
	return &Provider{
		cfg: cfg,
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: scopes,
		},
		verifier: p.Verifier(&gooidc.Config{ClientID: cfg.ClientID}),
	}, nil
}

// Issuer is the provider's issuer URL, as users are linked to it.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// Pending is a sign-in between the redirect to the provider and its
// answer: the browser keeps it (sealed) and the callback checks it.
type Pending struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
}

// Begin starts a sign-in: the provider's URL to send the browser to, and
// what the callback must find again.
func (p *Provider) Begin(next string) (string, Pending) {
	pd := Pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: next}
	u := p.oauth.AuthCodeURL(pd.State, gooidc.Nonce(pd.Nonce), oauth2.S256ChallengeOption(pd.Verifier))
	return u, pd
}

// Identity is who the provider vouched for.
type Identity struct {
	Issuer, Subject string
	Username        string
	DisplayName     string
	Email           string
	// Roles are the console roles the claim maps to (maybe none).
	Roles []string
}

// Refusal is a sign-in the provider's answer does not allow; Reason is for
// the log and the audit, never more than the page needs.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return "oidc: sign-in refused: " + r.Reason }

func refuse(format string, args ...any) error { return &Refusal{Reason: fmt.Sprintf(format, args...)} }

// Finish completes a sign-in: the state must be the pending one, the code
// is exchanged with the PKCE verifier, the ID token verified (signature,
// issuer, audience, expiry) and its nonce must be the pending one.
func (p *Provider) Finish(ctx context.Context, pd Pending, state, code string) (Identity, error) {
	if pd.State == "" || state != pd.State {
		return Identity{}, refuse("state does not match the sign-in this browser started")
	}
	if code == "" {
		return Identity{}, refuse("no code in the provider's answer")
	}
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(pd.Verifier))
	if err != nil {
		return Identity{}, refuse("code exchange: %v", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, refuse("no id_token in the token response")
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, refuse("id token: %v", err)
	}
	if idt.Nonce == "" || idt.Nonce != pd.Nonce {
		return Identity{}, refuse("nonce does not match the sign-in this browser started")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, refuse("claims: %v", err)
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: str(claims["email"]), DisplayName: str(claims["name"])}
	id.Username = str(claims[p.cfg.UsernameClaim])
	if id.Username == "" {
		id.Username = id.Email
	}
	id.Roles = p.roles(claims[p.cfg.RolesClaim])
	return id, nil
}

// roles maps a claim's values (a string or a list) through RoleMap.
func (p *Provider) roles(v any) []string {
	var values []string
	switch c := v.(type) {
	case string:
		values = strings.Fields(strings.ReplaceAll(c, ",", " "))
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	var out []string
	for _, val := range values {
		for _, r := range p.cfg.RoleMap[val] {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseRoleMap reads "group=role,group2=role2" (a value may map to several
// roles, one pair each). validRole says which roles exist.
func ParseRoleMap(s string, validRole func(string) bool) (map[string][]string, error) {
	out := map[string][]string{}
	for pair := range strings.SplitSeq(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || !validRole(v) {
			return nil, errors.New("oidc: the role map takes claim=role pairs separated by commas, with roles requester, approver, admin or auditor")
		}
		if !slices.Contains(out[k], v) {
			out[k] = append(out[k], v)
		}
	}
	return out, nil
}
