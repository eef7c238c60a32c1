package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// accountCheck makes the harmless signed call with an account's keys and
// shows what came back. It changes nothing, so it answers with the result
// page itself rather than a redirect; sending the form again only checks
// again.
func (s *Server) accountCheck(c echo.Context) error {
	a, err := s.pathAccount(c)
	if err != nil {
		return err
	}
	if s.deps.TencentCloud == nil {
		return errors.New("web: Deps.TencentCloud is not set")
	}
	res, err := s.accounts.Check(c.Request().Context(), s.deps.TencentCloud, a.ID)
	if err != nil {
		return err
	}
	logger(c).Info("tencent cloud credentials checked", "account_id", a.ID, "secret_id", res.Account.MaskedSecretID,
		"ok", res.OK, "outcome", string(res.Outcome), "error_code", res.ErrorCode, "tc_request_id", res.RequestID)
	return render(c, http.StatusOK, templates.AccountCheck(templates.AccountCheckView{
		Page: s.page(c, tr(c, "title.check_account", "name", res.Account.Name)), Account: s.accountRow(res.Account),
		Result: templates.AccountCheckResult{
			OK: res.OK, Balance: res.Balance, Uin: res.Uin, RequestID: res.RequestID,
			ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage,
			Explanation: res.Explanation, ExplanationChinese: res.ExplanationChinese, Problem: res.Problem.String(),
		},
	}))
}
