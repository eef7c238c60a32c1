package accounts

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"dealdesk/internal/fault"
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
func validateName(name string, errs fault.Fields) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		errs.Set("name", "account.name.missing")
	case len([]rune(name)) > MaxNameLen:
		errs.Set("name", "text.too_long", "max", strconv.Itoa(MaxNameLen))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		errs.Set("name", "name.control_chars")
	}
	return name
}

// validateKeys trims and checks stored keys. Surrounding spaces and line
// breaks are dropped (they come with copying), inner ones refused. No
// message repeats what was typed for a secret.
func validateKeys(k Keys, errs fault.Fields) Keys {
	k.SecretID = strings.TrimSpace(k.SecretID)
	switch {
	case k.SecretID == "":
		errs.Set("secret_id", "account.secret_id.missing")
	case len(k.SecretID) > MaxSecretIDLen:
		errs.Set("secret_id", "account.secret_id.too_long")
	case !secretIDPattern.MatchString(k.SecretID):
		errs.Set("secret_id", "account.secret_id.pattern")
	}
	key := strings.TrimSpace(k.SecretKey.Reveal())
	if msg := checkSecret(key, "SecretKey", MaxSecretKeyLen); msg.Key != "" {
		errs["secret_key"] = msg
	} else if key == "" {
		errs.Set("secret_key", "account.secret_key.missing")
	}
	k.SecretKey = secrets.NewString(key)
	token := strings.TrimSpace(k.Token.Reveal())
	if msg := checkSecret(token, "token", MaxTokenLen); msg.Key != "" {
		errs["token"] = msg
	}
	k.Token = secrets.NewString(token)
	return k
}

// checkSecret describes what is wrong with a secret, without quoting it.
func checkSecret(v, what string, maxLen int) fault.Msg {
	switch {
	case len(v) > maxLen:
		return fault.M("account.secret.too_long", "what", what)
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		return fault.M("account.secret.space", "what", what)
	case strings.IndexFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0:
		return fault.M("account.secret.not_printable", "what", what)
	}
	return fault.Msg{}
}

// validateNew checks a new account's input.
func validateNew(in NewAccount) (NewAccount, fault.Fields) {
	errs := fault.Fields{}
	in.Name = validateName(in.Name, errs)
	switch in.KeySource {
	case KeysStored:
		in.Keys = validateKeys(in.Keys, errs)
	case KeysFromEnvironment:
		// Keys typed in for an account that will not use them are a
		// misclick, not something to drop silently.
		msg := fault.M("account.keys.from_environment")
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
		errs.Set("key_source", "account.key_source.missing")
	}
	return in, errs
}
