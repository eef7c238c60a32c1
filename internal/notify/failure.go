package notify

import (
	"regexp"
	"strconv"
	"strings"

	"dealdesk/internal/fault"
)

// Why a delivery failed, as the delivery log keeps it: a kind, and for some
// kinds a number (an HTTP status, an SMTP reply code, a robot's error
// code), "http_status:503". Never an error's text: that may carry a
// webhook's URL with its key, or an SMTP server's words. The worker logs
// the text; the page words the kind (FailureMessage).
const (
	FailTimeout       = "timeout"        // no answer in time
	FailUnreachable   = "unreachable"    // no connection (DNS, refused, TLS)
	FailHTTPStatus    = "http_status"    // the webhook answered a non-2xx status: number
	FailRobotRefused  = "robot_refused"  // WeCom, DingTalk, Feishu answered an error code: number
	FailRobotAnswer   = "robot_answer"   // a robot's answer was not its JSON
	FailAddress       = "address"        // the webhook's address cannot be used
	FailPolicyGone    = "policy_gone"    // the policy, or its webhook, was removed
	FailSecret        = "secret"         // the signing secret does not open
	FailRecipientGone = "recipient_gone" // the person is gone, disabled or has no address
	FailBadAddress    = "bad_address"    // the person's e-mail address does not parse
	FailSMTPTLS       = "smtp_tls"       // STARTTLS failed
	FailSMTPSignIn    = "smtp_signin"    // the SMTP server refused the sign-in: number
	FailSMTPRefused   = "smtp_refused"   // the SMTP server refused the message: number
	FailOther         = "other"          // anything else (see the server's log)
)

// failureCode is what the deliveries table's CHECK accepts (migration 029).
var failureCode = regexp.MustCompile(`^[a-z_]{1,40}(:[0-9]{1,6})?$`)

// FailureCode is the delivery log's record of a failure of kind, with its
// number when n > 0.
func FailureCode(kind string, n int) string {
	if n > 0 && n < 1_000_000 {
		return kind + ":" + strconv.Itoa(n)
	}
	return kind
}

// FailureMessage words a delivery's recorded failure for the log's page:
// its kind's message, with the number. "" is no failure; anything the
// console does not know (a code from a newer version, say) is "other".
func FailureMessage(code string) (fault.Msg, bool) {
	if code == "" {
		return fault.Msg{}, false
	}
	kind, n, _ := strings.Cut(code, ":")
	key := "delivery.error." + kind
	if _, known := fault.Catalog[key]; !known || !failureCode.MatchString(code) {
		return fault.M("delivery.error." + FailOther), true
	}
	return fault.M(key, "n", n), true
}
