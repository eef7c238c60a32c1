package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
)

// The generic webhook's signature headers. The receiver recomputes
// HMAC-SHA256(secret, timestamp + "." + body) and compares it, in constant
// time, with the hex after "sha256=", and refuses a timestamp too far from
// its own clock (README, "Verifying a webhook").
const (
	HeaderTimestamp = "X-Dealdesk-Timestamp"
	HeaderSignature = "X-Dealdesk-Signature"
)

// SignGeneric is the generic webhook's X-Dealdesk-Signature value for a
// body sent at unix second ts.
func SignGeneric(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// SignDingTalk is a DingTalk robot's "sign" query parameter (before URL
// encoding) for unix millisecond tsMillis: base64 of HMAC-SHA256 keyed by
// the secret over "timestamp\nsecret".
// https://open.dingtalk.com/document/robots/customize-robot-security-settings
func SignDingTalk(secret string, tsMillis int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(tsMillis, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignFeishu is a Feishu robot's "sign" body field for unix second ts:
// base64 of HMAC-SHA256 keyed by "timestamp\nsecret" over nothing.
// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
func SignFeishu(secret string, ts int64) string {
	mac := hmac.New(sha256.New, []byte(strconv.FormatInt(ts, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
