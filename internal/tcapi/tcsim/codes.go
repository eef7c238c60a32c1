package tcsim

// codeText describes the codes a fault is most often asked to answer, in
// both languages, as the documents' error tables and the common error codes
// describe them. Other codes get a plain sentence naming the code.
var codeText = map[string][2]string{
	"InternalError":                       {"Internal error.", "内部错误。"},
	"FailedOperation":                     {"Operation failed.", "操作失败。"},
	"FailedOperation.BalanceInsufficient": {"The account balance is insufficient.", "账户余额不足。"},
	"FailedOperation.NumLimitError":       {"The quantity exceeds the maximum limit.", "数量超过上限。"},
	"InvalidParameter":                    {"Parameter error.", "参数错误。"},
	"InvalidParameterValue":               {"Invalid parameter value.", "参数取值错误。"},
	"MissingParameter":                    {"Parameters are missing.", "缺少参数错误。"},
	"RequestLimitExceeded":                {"Too frequent requests.", "请求的次数超过了频率限制。"},
	"ResourcesSoldOut":                    {"The resources are sold out.", "资源售罄。"},
	"ResourceNotFound":                    {"Resources do not exist.", "资源不存在。"},
	"ResourceUnavailable":                 {"Resources are unavailable.", "资源不可用。"},
	"ResourceInUse":                       {"The resource is in use.", "资源被占用。"},
	"ServiceUnavailable":                  {"The service is unavailable now.", "当前服务暂时不可用。"},
	"UnauthorizedOperation":               {"Unauthorized operation.", "未授权操作。"},
	"OperationDenied":                     {"Operation denied.", "操作被拒绝。"},
	"LimitExceeded":                       {"The quota limit is exceeded.", "超过配额限制。"},
	"AuthFailure":                         {"CAM signature/authentication error.", "CAM签名/鉴权错误。"},
}

// describeCode is code's description in lang (zh-CN, or English otherwise).
func describeCode(code, lang string) string {
	t, ok := codeText[code]
	switch {
	case !ok && lang == "zh-CN":
		return "沙箱按要求返回了错误 " + code + "。"
	case !ok:
		return "The sandbox answered the error " + code + " as asked."
	case lang == "zh-CN":
		return t[1]
	}
	return t[0]
}
