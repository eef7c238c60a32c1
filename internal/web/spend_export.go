package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/history"
	"dealdesk/internal/orders"
)

// spendColumns are the spend export's columns: the orders the page counts.
var spendColumns = []string{"id", "title", "product", "cost_centre", "bought_at", "amount_fen", "amount_cny", "billed_fen", "estimate_fen", "billed_differently"}

// spendRecord is one order of the spend export (JSON Lines).
type spendRecord struct {
	ID                int64  `json:"id"`
	Title             string `json:"title"`
	Product           string `json:"product"`
	CostCentre        string `json:"cost_centre"`
	BoughtAt          string `json:"bought_at"`
	AmountFen         *int64 `json:"amount_fen"`
	BilledFen         *int64 `json:"billed_fen"`
	EstimateFen       *int64 `json:"estimate_fen"`
	BilledDifferently bool   `json:"billed_differently"`
}

func optFen(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func optYuan(p *int64) string {
	if p == nil {
		return ""
	}
	return yuan(*p)
}

// spendExportCSV downloads the spend page's orders as CSV: UTF-8 with a
// byte order mark, cells a spreadsheet would run neutralised (history.Cell).
func (s *Server) spendExportCSV(c echo.Context) error {
	return s.spendExport(c, "csv")
}

// spendExportJSONL downloads them as JSON Lines: a header naming the
// export and its filters, then one object per order.
func (s *Server) spendExportJSONL(c echo.Context) error {
	return s.spendExport(c, "jsonl")
}

func (s *Server) spendExport(c echo.Context, format string) error {
	f, err := readSpendFilter(c)
	if err != nil {
		return err
	}
	if f.account == 0 {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: msg(c, fault.M("budget.account.missing"))}
	}
	now := time.Now()
	sp, err := s.deps.Orders.SpendOf(c.Request().Context(), f.account, f.centre, now)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("spend-account-%d", f.account)
	if f.centre != 0 {
		name += fmt.Sprintf("-centre-%d", f.centre)
	}
	w := c.Response()
	if format == "csv" {
		w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		w.WriteHeader(http.StatusOK)
		// The byte order mark: Excel and WPS read a CSV as UTF-8 only then.
		if _, err := w.Write([]byte("\ufeff")); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(spendColumns); err != nil {
			return err
		}
		for _, o := range sp.Orders {
			if err := cw.Write([]string{strconv.FormatInt(o.ID, 10), history.Cell(o.Title), o.Product, history.Cell(o.CostCentre),
				o.BoughtAt.UTC().Format(time.RFC3339), optFen(o.AmountFen), optYuan(o.AmountFen), optFen(o.BilledFen),
				optFen(o.EstimateFen), strconv.FormatBool(o.Differs)}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	w.Header().Set(echo.HeaderContentType, "application/jsonl; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.jsonl"`)
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"export": "spend", "exported_at": now.UTC().Format(time.RFC3339),
		"filters": map[string]any{"account_id": f.account, "cost_centre_id": f.centre, "months": orders.SpendMonths}}); err != nil {
		return err
	}
	for _, o := range sp.Orders {
		if err := enc.Encode(spendRecord{ID: o.ID, Title: o.Title, Product: o.Product, CostCentre: o.CostCentre,
			BoughtAt: o.BoughtAt.UTC().Format(time.RFC3339), AmountFen: o.AmountFen, BilledFen: o.BilledFen,
			EstimateFen: o.EstimateFen, BilledDifferently: o.Differs}); err != nil {
			return err
		}
	}
	return nil
}
