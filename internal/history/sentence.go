package history

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"dealdesk/internal/db"
)

// How the audit log reads to a person: one sentence per entry ("Alice
// approved order #12 version 3"), built here from the entry's action, actor,
// subject and a few of its details, so every page and export words an
// action alike. The patterns below are the English; each is a key of the
// i18n catalogs (CatalogPrefix + action), so a reader sees the sentence in
// their language. The JSON details stay beside the sentence, folded; the
// sentence only ever quotes details the catalog names for its action.

// phrase is how one action reads: Pattern with its placeholders filled.
//
//	{actor}   who did it ("Alice (alice)", "The console", "Someone not signed in")
//	{subject} what it was done to ("order #12", "user #3")
//	{version} " version N" when the details carry the order's version
//	{name}    the details' "name" or "username", quoted, when present
//	{why}     ": “…”" from the details' "comment" or "reason", when present
//	{funds}   " at …: the balance (…) is less than …" from a delivery's
//	          funds check ("at", "balance", "estimate", "committed")
type phrase struct{ Pattern string }

// Patterns used by many actions.
const (
	orderDid = "{actor} %s {subject}{version}"
	sysOrder = "{subject}{version}: %s"
)

func did(verb string) phrase   { return phrase{strings.Replace(orderDid, "%s", verb, 1)} }
func noted(what string) phrase { return phrase{strings.Replace(sysOrder, "%s", what, 1)} }

// phrases is the catalog: every action of db's vocabulary has one (a test
// parses internal/db/audit_actions.go to hold that).
var phrases = map[string]phrase{
	db.ActionOrderAnswerAfterSettlement:       noted("Tencent Cloud answered after the order was settled"),
	db.ActionOrderAnswerReplayed:              noted("Tencent Cloud's recorded answer was read again"),
	db.ActionOrderAwaitingPayment:             noted("bought, waiting for payment"),
	db.ActionOrderApprovalGiven:               did("approved"),
	db.ActionOrderApproved:                    noted("every approval needed is given"),
	db.ActionOrderApprovalExpired:             noted("its approval expired before it was sent; it waits for approval again"),
	db.ActionOrderDeliverySet:                 did("set the delivery date of"),
	db.ActionOrderDeliveryCleared:             did("cleared the delivery date of"),
	db.ActionOrderDeliveryCancelled:           did("cancelled the scheduled delivery of"),
	db.ActionOrderDeliveryShortOfFunds:        noted("not delivered{funds}; nothing was sent and it stays approved, to be sent again"),
	db.ActionOrderApprovalExpiring:            noted("its approval expires soon; the requester and approvers were told"),
	db.ActionOrderBillLookedUp:                did("looked up the bill of"),
	db.ActionOrderCancelled:                   phrase{"{actor} cancelled {subject}{version}{why}"},
	db.ActionOrderCloned:                      phrase{"{actor} drafted {subject}{version} as a copy of another order"},
	db.ActionOrderCreated:                     did("drafted"),
	db.ActionOrderDeleted:                     did("deleted"),
	db.ActionOrderEdited:                      did("edited"),
	db.ActionOrderFailed:                      noted("failed"),
	db.ActionOrderOutcomeUnknown:              noted("outcome unknown; someone must settle it"),
	db.ActionOrderPaymentAbandoned:            did("marked the payment abandoned for"),
	db.ActionOrderPaymentConfirmed:            did("confirmed the payment of"),
	db.ActionOrderRejected:                    phrase{"{actor} rejected {subject}{version}{why}"},
	db.ActionOrderRenewalDrafted:              phrase{"{actor} drafted {subject}{version} to renew an earlier purchase"},
	db.ActionOrderRenewalDue:                  noted("drafted by the console to renew what expires soon"),
	db.ActionInstanceExpiryRecorded:           phrase{"{actor} recorded when {subject} expires"},
	db.ActionOrderResendAnswerAfterSettlement: noted("a resend was answered after the order was settled"),
	db.ActionOrderResendInconclusive:          noted("a resend did not settle it"),
	db.ActionOrderResendingWithClientToken:    noted("sent again with the same ClientToken"),
	db.ActionOrderSendDeferred:                noted("sending put off for now"),
	db.ActionOrderSendFailed:                  noted("sending failed"),
	db.ActionOrderSendInterrupted:             noted("sending was interrupted"),
	db.ActionOrderSendRequested:               did("asked to send"),
	db.ActionOrderSendResumed:                 noted("sending resumed"),
	db.ActionOrderSending:                     noted("sending to Tencent Cloud"),
	db.ActionOrderSettledByLateAnswer:         noted("settled by Tencent Cloud's late answer"),
	db.ActionOrderSettledAwaitingPayment:      phrase{"{actor} settled {subject}{version} as waiting for payment"},
	db.ActionOrderSettledByResend:             noted("settled by sending again"),
	db.ActionOrderSettledFailed:               phrase{"{actor} settled {subject}{version} as failed"},
	db.ActionOrderSettledSucceeded:            phrase{"{actor} settled {subject}{version} as bought"},
	db.ActionOrderSubmitted:                   did("submitted for approval"),
	db.ActionOrderSucceeded:                   noted("bought"),
	db.ActionOrderWithdrawn:                   did("withdrew"),
	db.ActionOrderEstimateChanged:             noted("the estimated cost changed"),

	db.ActionUserCreated:              phrase{"{actor} created {subject}{name}"},
	db.ActionUserDisabled:             did("disabled"),
	db.ActionUserEnabled:              did("enabled"),
	db.ActionUserPasswordChangeFailed: phrase{"{actor} failed to change the password of {subject}"},
	db.ActionUserPasswordChanged:      phrase{"{actor} changed the password of {subject}"},
	db.ActionUserPasswordReset:        phrase{"{actor} reset the password of {subject}"},
	db.ActionUserPasswordSet:          phrase{"{actor} set the password of {subject}"},
	db.ActionUserUpdated:              did("updated"),
	db.ActionUserPreferencesChanged:   phrase{"{actor} changed the language or time zone of {subject}"},

	db.ActionSessionEnded:    phrase{"{actor} ended a session of {subject}"},
	db.ActionSessionEndedAll: phrase{"{actor} ended every session of {subject}"},

	db.ActionLogin:          phrase{"{actor} signed in as {subject}"},
	db.ActionLoginFailed:    phrase{"{actor} failed to sign in as {subject}{why}"},
	db.ActionLoginThrottled: phrase{"{actor} was held back from signing in as {subject}"},
	db.ActionLogout:         phrase{"{actor} signed out of {subject}"},

	db.ActionAccountCreated:            phrase{"{actor} added {subject}{name}"},
	db.ActionAccountDisabled:           did("disabled"),
	db.ActionAccountEnabled:            did("enabled"),
	db.ActionAccountKeysReplaced:       phrase{"{actor} replaced the keys of {subject}"},
	db.ActionAccountResealed:           phrase{"{actor} resealed the keys of {subject}"},
	db.ActionAccountRenewalLeadDaysSet: phrase{"{actor} changed how long before expiry the renewals of {subject} are drafted"},

	db.ActionPolicyCreated: did("created"),
	db.ActionPolicyDeleted: did("deleted"),
	db.ActionPolicyUpdated: did("updated"),

	db.ActionAuditVerificationFailed:    noted("could not finish"),
	db.ActionAuditVerificationFinished:  noted("finished"),
	db.ActionAuditVerificationRequested: did("asked for"),
	db.ActionAuditVerificationStarted:   noted("started"),

	db.ActionAPITokenCreated: phrase{"{actor} created {subject}{name}"},
	db.ActionAPITokenRevoked: did("revoked"),

	db.ActionPriceListChanged: did("changed"),

	db.ActionCostCentreCreated:  phrase{"{actor} created {subject}{name}"},
	db.ActionCostCentreRetired:  did("retired"),
	db.ActionCostCentreRestored: did("restored"),
	db.ActionBudgetCreated:      did("created"),
	db.ActionBudgetUpdated:      did("updated"),
	db.ActionBudgetDeleted:      did("deleted"),
	db.ActionOrderCostCentreSet: phrase{"{actor} set the cost centre of {subject}{version}"},
	db.ActionOrderBilled:        noted("the bill's amount was recorded"),
	db.ActionOrderBillDifferent: noted("the bill differs from the estimate"),

	db.ActionRuleCreated: did("created"),
	db.ActionRuleUpdated: did("updated"),
	db.ActionRuleDeleted: did("deleted"),
	db.ActionRuleMoved:   did("moved"),

	db.ActionGroupCreated:       phrase{"{actor} created {subject}{name}"},
	db.ActionGroupUpdated:       did("updated"),
	db.ActionGroupDeleted:       did("deleted"),
	db.ActionGroupMemberAdded:   phrase{"{actor} added a member to {subject}"},
	db.ActionGroupMemberRemoved: phrase{"{actor} removed a member from {subject}"},

	db.ActionWebhookSecretSet:         phrase{"{actor} set the webhook signing secret of {subject}"},
	db.ActionWebhookSecretRemoved:     phrase{"{actor} removed the webhook signing secret of {subject}"},
	db.ActionWebhookSecretResealed:    phrase{"{actor} resealed the webhook signing secret of {subject}"},
	db.ActionNotificationPrefsUpdated: phrase{"{actor} changed the notification preferences of {subject}"},
	db.ActionDeliveryResent:           phrase{"{actor} sent {subject} again"},
}

// subjectWords names what an entry's subject is, by its prefix.
var subjectWords = map[string]string{
	"order":                "order",
	"user":                 "user",
	"tencentcloud_account": "Tencent Cloud account",
	"approval_policy":      "approval policy",
	"price_list":           "price list",
	"api_token":            "API token",
	"audit_verification":   "audit chain check",
	"addr":                 "address",
	"approver_group":       "approver group",
	"approval_rule":        "approval rule",
	"cost_centre":          "cost centre",
	"budget":               "budget",
	"delivery":             "notification delivery",
}

// The words sentences are made of besides the actions' patterns.
var pieces = map[string]string{
	"actor.named":     "{name} ({username})",
	"actor.system":    "The console",
	"actor.anonymous": "Someone not signed in",
	"actor.user":      "user #{id}",
	"subject.number":  "{kind} #{id}",
	"subject.named":   "{kind} {id}",
	"version":         " version {version}",
	"name":            " “{name}”",
	"why":             ": “{why}”",
	"funds":           " at {at}: the balance ({balance}) is less than the order's estimate ({estimate}) plus what is approved and waiting ({committed})",
	"unknown":         "{actor}: {action} {subject}",
}

// CatalogPrefix is the prefix of the sentences' keys in the i18n catalogs.
const CatalogPrefix = "audit."

// Catalog is the sentences' English by key (without CatalogPrefix): an
// action's pattern under its own name, a subject's kind under "kind.", and
// the pieces. The console registers it with i18n.AddEnglish under
// CatalogPrefix; its Chinese is in internal/i18n/locales/zh-CN.toml.
func Catalog() map[string]string {
	out := make(map[string]string, len(phrases)+len(subjectWords)+len(pieces))
	for a, p := range phrases {
		out[a] = p.Pattern
	}
	for k, w := range subjectWords {
		out["kind."+k] = w
	}
	maps.Copy(out, pieces)
	return out
}

// Say is the text of a catalog key (with CatalogPrefix) in the reader's
// language, its {name}s filled from args: i18n.Localizer's TArgs.
type Say func(key string, args map[string]string) string

// English says a key in English from Catalog, for a reader with no
// language (tests, logs).
func English(key string, args map[string]string) string {
	t := Catalog()[strings.TrimPrefix(key, CatalogPrefix)]
	pairs := make([]string, 0, 2*len(args))
	for _, k := range slices.Sorted(maps.Keys(args)) {
		pairs = append(pairs, "{"+k+"}", args[k])
	}
	return strings.NewReplacer(pairs...).Replace(t)
}

// Sentence words one audit entry in the language of say. An action missing
// from the catalog (one written by a newer console) reads as its code,
// never as nothing.
func Sentence(e AuditEntry, say Say) string {
	var details map[string]any
	_ = json.Unmarshal([]byte(e.DetailsText), &details) // unreadable details quote nothing
	key := CatalogPrefix + e.Action
	p, ok := phrases[e.Action]
	if !ok {
		key = CatalogPrefix + "unknown"
	}
	subject := SubjectWords(e.Subject, say)
	if ok && strings.HasPrefix(p.Pattern, "{subject}") && subject != "" {
		// A sentence that starts with what it is about starts with a
		// capital (in the languages that have them).
		r, n := utf8.DecodeRuneInString(subject)
		subject = string(unicode.ToUpper(r)) + subject[n:]
	}
	return say(key, map[string]string{
		"actor":   actorWords(e, say),
		"action":  e.Action,
		"subject": subject,
		"version": versionWords(details, say),
		"name":    nameWords(details, say),
		"why":     whyWords(details, say),
		"funds":   fundsWords(details, say),
	})
}

func actorWords(e AuditEntry, say Say) string {
	switch {
	case e.ActorName != "":
		return say(CatalogPrefix+"actor.named", map[string]string{"name": e.ActorName, "username": e.ActorUsername})
	case e.ActorUsername != "":
		return e.ActorUsername
	case e.Actor == "system":
		return say(CatalogPrefix+"actor.system", nil)
	case e.Actor == "anonymous" || e.Actor == "":
		return say(CatalogPrefix+"actor.anonymous", nil)
	}
	return say(CatalogPrefix+"actor.user", map[string]string{"id": e.Actor})
}

// SubjectWords names a subject in the language of say ("order:12" is
// "order #12"); one it does not know is shown as stored.
func SubjectWords(subject string, say Say) string {
	kind, id, ok := strings.Cut(subject, ":")
	_, known := subjectWords[kind]
	if !ok || !known {
		return subject
	}
	args := map[string]string{"kind": say(CatalogPrefix+"kind."+kind, nil), "id": id}
	if _, err := strconv.ParseInt(id, 10, 64); err == nil {
		return say(CatalogPrefix+"subject.number", args)
	}
	return say(CatalogPrefix+"subject.named", args)
}

func versionWords(d map[string]any, say Say) string {
	if v, ok := d["version"].(float64); ok && v > 0 {
		return say(CatalogPrefix+"version", map[string]string{"version": strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ""
}

func nameWords(d map[string]any, say Say) string {
	for _, k := range []string{"name", "username"} {
		if v, ok := d[k].(string); ok && v != "" {
			return say(CatalogPrefix+"name", map[string]string{"name": v})
		}
	}
	return ""
}

func whyWords(d map[string]any, say Say) string {
	for _, k := range []string{"comment", "reason"} {
		if v, ok := d[k].(string); ok && strings.TrimSpace(v) != "" {
			return say(CatalogPrefix+"why", map[string]string{"why": strings.TrimSpace(v)})
		}
	}
	return ""
}

// fundsWords quotes a delivery's funds check: when, the balance and what it
// fell short of.
func fundsWords(d map[string]any, say Say) string {
	args := map[string]string{}
	for _, k := range []string{"at", "balance", "estimate", "committed"} {
		v, ok := d[k].(string)
		if !ok || v == "" {
			return ""
		}
		args[k] = v
	}
	return say(CatalogPrefix+"funds", args)
}
