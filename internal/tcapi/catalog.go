package tcapi

import (
	"sort"
	"strings"
)

// ErrorInfo explains one API error code to people, in English and Chinese.
type ErrorInfo struct {
	Code    string
	English string
	Chinese string
}

// Describe returns the explanation in the language asked for ("zh-CN" for
// Chinese; anything else gives English).
func (e ErrorInfo) Describe(language string) string {
	if strings.HasPrefix(language, "zh") {
		return e.Chinese
	}
	return e.English
}

// catalog holds the common codes of API 3.0 and every action's own codes
// (its errors: those in the three seed documents, WAF
// GenerateDealsAndPayNew, Billing CreateInstance, TCB CreateBillDeal, and
// the codes the TCB SDK and the intl SDK's Billing RenewInstance list).
var catalog = map[string]ErrorInfo{}

func init() {
	for _, a := range actions {
		for _, e := range a.errors {
			catalog[e.Code] = e
		}
	}
	for _, e := range []ErrorInfo{
		// Common error codes of API 3.0.
		{"ActionOffline", "This action has been taken offline.", "接口已下线。"},
		{"AuthFailure", "Signature or authentication (CAM) failed.", "CAM 签名/鉴权错误。"},
		{"AuthFailure.InvalidAuthorization", "The Authorization header is malformed.", "请求头部的 Authorization 不符合腾讯云标准。"},
		{"AuthFailure.InvalidSecretId", "The SecretId is invalid (it is not a cloud API key).", "密钥非法（不是云 API 密钥类型）。"},
		{"AuthFailure.MFAFailure", "Multi-factor authentication failed.", "MFA 错误。"},
		{"AuthFailure.SecretIdNotFound", "The SecretId does not exist or has been disabled.", "密钥不存在或已被禁用。"},
		{"AuthFailure.SignatureExpire", "The signature has expired: the request's timestamp is more than 5 minutes from the server's clock.", "签名过期：请求时间戳与服务器时间相差超过五分钟。"},
		{"AuthFailure.SignatureFailure", "The signature is wrong: check the SecretKey and how the request is signed.", "签名错误：请检查 SecretKey 与签名计算过程。"},
		{"AuthFailure.TokenFailure", "The temporary credential token is wrong or expired.", "token 错误或已过期。"},
		{"AuthFailure.UnauthorizedOperation", "The request is not authorized (CAM).", "请求未授权（CAM）。"},
		{"DryRunOperation", "The request would have succeeded, but DryRun was set.", "请求将会成功，但传入了 DryRun 参数。"},
		{"FailedOperation", "The operation failed.", "操作失败。"},
		{"InternalError", "The service had an internal error.", "内部错误。"},
		{"InvalidAction", "The action does not exist.", "接口不存在。"},
		{"InvalidParameter", "A parameter is wrong (wrong name, type or format).", "参数错误（名称、类型或格式不正确）。"},
		{"InvalidParameterValue", "A parameter's value is not allowed.", "参数取值错误。"},
		{"InvalidRequest", "The request body is malformed.", "请求体格式错误。"},
		{"IpInBlacklist", "The caller's IP address is on the blocklist.", "IP 地址在黑名单中。"},
		{"IpNotInWhitelist", "The caller's IP address is not on the allowlist.", "IP 地址不在白名单中。"},
		{"LimitExceeded", "A quota limit was exceeded.", "超过配额限制。"},
		{"MissingParameter", "A required parameter is missing.", "缺少参数。"},
		{"NoSuchProduct", "The product does not exist.", "产品不存在。"},
		{"NoSuchVersion", "The API version does not exist for this action.", "接口版本不存在。"},
		{"RequestLimitExceeded", "Too many requests: the rate limit was exceeded. Nothing was done; send again later.", "请求的次数超过了频率限制。请求未被处理，可稍后重试。"},
		{"RequestLimitExceeded.IPLimitExceeded", "Too many requests from this IP address.", "IP 限频。"},
		{"RequestLimitExceeded.UinLimitExceeded", "Too many requests from this account.", "主账号限频。"},
		{"RequestSizeLimitExceeded", "The request is too large.", "请求包超过限制大小。"},
		{"ResponseSizeLimitExceeded", "The response would be too large.", "返回包超过限制大小。"},
		{"ResourceInUse", "The resource is in use.", "资源被占用。"},
		{"ResourceInsufficient", "There are not enough resources.", "资源不足。"},
		{"ResourceNotFound", "The resource does not exist.", "资源不存在。"},
		{"ResourceUnavailable", "The resource is unavailable.", "资源不可用。"},
		{"ServiceUnavailable", "The service is unavailable right now.", "当前服务暂时不可用。"},
		{"UnauthorizedOperation", "The operation is not authorized.", "未授权操作。"},
		{"UnknownParameter", "A parameter is not known to this action.", "未知参数错误，用户多传未定义的参数会导致错误。"},
		{"UnsupportedOperation", "The operation is not supported.", "操作不支持。"},
		{"UnsupportedProtocol", "The request must use HTTPS (or the HTTP method is not supported).", "HTTP(S) 请求协议错误，只支持 GET 和 POST 请求。"},
		{"UnsupportedRegion", "The action is not offered in this region.", "接口不支持所传地域。"},
	} {
		catalog[e.Code] = e
	}
}

// LookupError explains code. A code the catalog lacks falls back to its
// parent ("FailedOperation.Foo" to "FailedOperation"), keeping the code
// itself; ok is false only when no ancestor is known either.
func LookupError(code string) (info ErrorInfo, ok bool) {
	for c := code; c != ""; {
		if e, found := catalog[c]; found {
			e.Code = code
			return e, true
		}
		i := strings.LastIndexByte(c, '.')
		if i < 0 {
			break
		}
		c = c[:i]
	}
	return ErrorInfo{Code: code}, false
}

// ErrorCodes lists every code in the catalog, sorted.
func ErrorCodes() []string {
	codes := make([]string, 0, len(catalog))
	for c := range catalog {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}
