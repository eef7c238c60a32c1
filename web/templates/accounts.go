package templates

import (
	"strconv"
	"strings"
	"time"
)

// AccountRow is a Tencent Cloud account as the admin pages show one: the
// SecretId masked, no secret at all.
type AccountRow struct {
	ID   int64
	Name string
	// KeySource is "stored" or "environment".
	KeySource string
	// MaskedSecretID is empty for an environment-keyed account whose
	// variables are unset.
	MaskedSecretID string
	HasToken       bool
	Disabled       bool
	Sandbox        bool
	CreatedAt      time.Time
	KeysChangedAt  time.Time
	// Unusable says why orders cannot be sent with it now; empty when they can.
	Unusable string
	// RenewalLeadDays is how many days before expiry its renewals are drafted.
	RenewalLeadDays int
}

func (a AccountRow) path() string { return "/admin/accounts/" + i64(a.ID) }

func (a AccountRow) fromEnvironment() bool { return a.KeySource == "environment" }

// keySourceText says where the keys come from in a few words.
func (a AccountRow) keySourceText() string {
	if a.fromEnvironment() {
		return "environment (TENCENTCLOUD_SECRET_ID/KEY)"
	}
	if a.HasToken {
		return "stored, with STS token"
	}
	return "stored"
}

func (a AccountRow) secretIDText() string {
	if a.MaskedSecretID == "" {
		return "not set"
	}
	return a.MaskedSecretID
}

// KeySourceOption is one radio button of the key source field.
type KeySourceOption struct {
	Value       string
	Label       string
	Description string
	Checked     bool
}

// AccountCheckResult is a credentials check as the page shows it.
type AccountCheckResult struct {
	OK bool
	// Balance is in cents; nil when the service did not say.
	Balance   *int64
	Uin       *int64
	RequestID string
	// ErrorCode and ErrorMessage are what the service answered.
	ErrorCode    string
	ErrorMessage string
	// Explanation and ExplanationChinese come from the console's catalog.
	Explanation        string
	ExplanationChinese string
	// Problem is why nothing judged the keys (not sent, no answer, unusable).
	Problem string
}

// money shows cents as "1,234.56".
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + b.String() + "." + strconv.FormatInt(cents%100+100, 10)[1:]
}
