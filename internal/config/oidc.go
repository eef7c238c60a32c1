package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// oidcRoles are the console's roles, as the OIDC role map may name them.
var oidcRoles = []string{"requester", "approver", "admin", "auditor"}

// parseRoleMap reads CONSOLE_OIDC_ROLE_MAP: claim-value=role pairs, comma
// separated; a value may map to several roles, one pair each.
func parseRoleMap(s string) (map[string][]string, error) {
	out := map[string][]string{}
	for pair := range strings.SplitSeq(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || !slices.Contains(oidcRoles, v) {
			return nil, errors.New("config: CONSOLE_OIDC_ROLE_MAP takes claim-value=role pairs separated by commas, such as dealdesk-approvers=approver; roles are requester, approver, admin, auditor")
		}
		if !slices.Contains(out[k], v) {
			out[k] = append(out[k], v)
		}
	}
	return out, nil
}

// checkAPIAndOIDC applies the bounds of the API's rate limit and the rules
// of single sign-on.
func (c Config) checkAPIAndOIDC(failed map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("config: "+format, args...)) }
	if !failed["CONSOLE_API_RATE"] && !(c.APIRate >= 0.01 && c.APIRate <= 1000) {
		bad("CONSOLE_API_RATE must be a number of calls a second from 0.01 to 1000, not %v", c.APIRate)
	}
	if !failed["CONSOLE_API_BURST"] && (c.APIBurst < 1 || c.APIBurst > 10000) {
		bad("CONSOLE_API_BURST must be a whole number from 1 to 10000, not %d", c.APIBurst)
	}
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("CONSOLE_OIDC_ISSUER must be the provider's issuer URL, such as https://sso.example.com/realms/staff")
		}
		if c.OIDCClientID == "" {
			bad("CONSOLE_OIDC_ISSUER is set but CONSOLE_OIDC_CLIENT_ID is not")
		}
		if u, err := url.Parse(c.OIDCRedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "/login/oidc/callback" {
			bad("CONSOLE_OIDC_REDIRECT_URL must be this console's https://…/login/oidc/callback, as registered with the provider")
		}
	}
	if !failed["CONSOLE_PASSWORD_LOGIN"] && !c.PasswordLogin && c.OIDCIssuer == "" {
		bad("CONSOLE_PASSWORD_LOGIN=false needs CONSOLE_OIDC_ISSUER: nobody could sign in")
	}
	return errs
}
