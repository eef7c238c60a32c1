package accounts

import (
	"regexp"
	"strings"
	"unicode"

	"dealdesk/internal/secrets"
)

// Keys are the credentials an admin types in. SecretKey and Token are
// secrets.String so that a stray %v or log attribute of the input cannot
// print them.
type Keys struct {
	SecretID  string
	SecretKey secrets.String
	// Token is the STS token of temporary credentials; zero for permanent keys.
	Token secrets.String
}

// NewAccount is what Create needs. With KeySource KeysFromEnvironment the
// Keys must be empty.
type NewAccount struct {
	Name      string
	KeySource KeySource
	Keys      Keys
}

// Limits on what is typed in. Real SecretIds are "AKID" and 32 more
// characters and SecretKeys 32; STS tokens run to a few kilobytes. The
// limits leave room without letting a form post fill a row.
const (
	MaxNameLen      = 100 // the table's CHECK
	MaxSecretIDLen  = 128
	MaxSecretKeyLen = 128
	MaxTokenLen     = 8192
)

// secretIDPattern: "AKID" and printable ASCII without spaces, long enough
// that the masked form (first and last four) hides something.
var secretIDPattern = regexp.MustCompile(`^AKID[\x21-\x7e]{8,}$`)

// validateName trims and checks an account's name.
func validateName(name string, errs FieldErrors) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		errs["name"] = "Enter a name, such as the team or purpose the account pays for."
	case len([]rune(name)) > MaxNameLen:
		errs["name"] = "Use at most 100 characters."
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		errs["name"] = "The name contains invisible control characters."
	}
	return name
}

// validateKeys trims and checks stored keys. Surrounding spaces and line
// breaks are dropped (they come with copying), inner ones refused. No
// message repeats what was typed for a secret.
func validateKeys(k Keys, errs FieldErrors) Keys {
	k.SecretID = strings.TrimSpace(k.SecretID)
	switch {
	case k.SecretID == "":
		errs["secret_id"] = "Enter the SecretId."
	case len(k.SecretID) > MaxSecretIDLen:
		errs["secret_id"] = "A SecretId is at most 128 characters."
	case !secretIDPattern.MatchString(k.SecretID):
		errs["secret_id"] = "A SecretId starts with AKID and holds only letters, digits and punctuation, without spaces (at least 12 characters)."
	}
	key := strings.TrimSpace(k.SecretKey.Reveal())
	if msg := checkSecret(key, "SecretKey", MaxSecretKeyLen); msg != "" {
		errs["secret_key"] = msg
	} else if key == "" {
		errs["secret_key"] = "Enter the SecretKey."
	}
	k.SecretKey = secrets.NewString(key)
	token := strings.TrimSpace(k.Token.Reveal())
	if msg := checkSecret(token, "token", MaxTokenLen); msg != "" {
		errs["token"] = msg
	}
	k.Token = secrets.NewString(token)
	return k
}

// checkSecret describes what is wrong with a secret, without quoting it.
func checkSecret(v, what string, maxLen int) string {
	switch {
	case len(v) > maxLen:
		return "The " + what + " is longer than any Tencent Cloud issues; check that only it was pasted."
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		return "The " + what + " holds a space or line break; copy it again without them."
	case strings.IndexFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0:
		return "The " + what + " holds characters other than letters, digits and punctuation; copy it again."
	}
	return ""
}

// validateNew checks a new account's input.
func validateNew(in NewAccount) (NewAccount, FieldErrors) {
	errs := FieldErrors{}
	in.Name = validateName(in.Name, errs)
	switch in.KeySource {
	case KeysStored:
		in.Keys = validateKeys(in.Keys, errs)
	case KeysFromEnvironment:
		// Keys typed in for an account that will not use them are a
		// misclick, not something to drop silently.
		const msg = "Leave this empty: the account reads its keys from the environment."
		if strings.TrimSpace(in.Keys.SecretID) != "" {
			errs["secret_id"] = msg
		}
		if strings.TrimSpace(in.Keys.SecretKey.Reveal()) != "" {
			errs["secret_key"] = msg
		}
		if strings.TrimSpace(in.Keys.Token.Reveal()) != "" {
			errs["token"] = msg
		}
		in.Keys = Keys{}
	default:
		errs["key_source"] = "Choose where the keys come from."
	}
	return in, errs
}
