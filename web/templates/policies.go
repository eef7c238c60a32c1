package templates

import (
	"strconv"

	"github.com/a-h/templ"
)

// PolicyRow is an approval policy as the admin list shows it.
type PolicyRow struct {
	ID       int64
	Product  string
	Account  string // "" for every account
	Required int
	AutoSend bool
	// Webhook is the format and host, never the URL: the URL holds a key.
	Webhook string
}

func (p PolicyRow) path() string { return "/admin/policies/" + strconv.FormatInt(p.ID, 10) }

// PolicyListView is the admins' list of approval policies.
type PolicyListView struct {
	Page
	Policies []PolicyRow
	// Default is the built-in policy (no row stores it, so it has no page):
	// listed last, as what applies where no policy above does.
	Default PolicyRow
}

// PolicyOption is one choice of a select.
type PolicyOption struct {
	Value, Label string
}

// PolicyFormView creates (ID 0) or edits an approval policy.
type PolicyFormView struct {
	Page
	ID            int64
	Product       string
	AccountID     string
	Required      string
	AutoSend      bool
	WebhookURL    string
	WebhookFormat string
	Products      []PolicyOption
	Accounts      []PolicyOption
	Formats       []PolicyOption
	// SecretSet says the webhook has a signing secret (never the secret).
	SecretSet bool
	Errors    map[string]string
}

func (v PolicyFormView) action() string {
	if v.ID == 0 {
		return "/admin/policies"
	}
	return "/admin/policies/" + strconv.FormatInt(v.ID, 10)
}

// invalid returns the attributes that tie a select to its error.
func (v PolicyFormView) invalid(field string) templ.Attributes {
	if v.Errors[field] == "" {
		return nil
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": field + "-error"}
}
