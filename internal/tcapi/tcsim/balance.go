package tcsim

import (
	"fmt"
	"time"
)

// describeBalanceRoute is billing 2018-07-09 DescribeAccountBalance: no
// parameters, so no rules.
var describeBalanceRoute = newRoute("billing", "2018-07-09", "DescribeAccountBalance", false, nil,
	func(s *Sim, _ *balanceRequest, secretID string, _ time.Time, call *Call) (any, *apiError) {
		return s.describeBalance(secretID, call), nil
	})

// balanceRequest is billing 2018-07-09 DescribeAccountBalance: no parameters.
type balanceRequest struct{}

type balanceResponse struct {
	Balance                  int64   `json:"Balance"`
	Uin                      int64   `json:"Uin"`
	RealBalance              float64 `json:"RealBalance"`
	CashAccountBalance       float64 `json:"CashAccountBalance"`
	IncomeIntoAccountBalance float64 `json:"IncomeIntoAccountBalance"`
	PresentAccountBalance    float64 `json:"PresentAccountBalance"`
	FreezeAmount             float64 `json:"FreezeAmount"`
	OweAmount                float64 `json:"OweAmount"`
	IsAllowArrears           bool    `json:"IsAllowArrears"`
	IsCreditLimited          bool    `json:"IsCreditLimited"`
	CreditAmount             float64 `json:"CreditAmount"`
	CreditBalance            float64 `json:"CreditBalance"`
	RealCreditBalance        float64 `json:"RealCreditBalance"`
	RequestId                string  `json:"RequestId"`
}

func (s *Sim) describeBalance(secretID string, call *Call) any {
	bal := s.balanceLocked(secretID)
	f := float64(bal)
	var id int64
	// uin is made of digits; a failed scan leaves 0, a fine sandbox Uin.
	_, _ = fmt.Sscan(uin(secretID), &id)
	return &balanceResponse{
		Balance: bal, Uin: id, RealBalance: f, CashAccountBalance: f, RealCreditBalance: f,
		RequestId: call.RequestID,
	}
}
