package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// priceKeeper reads and replaces the price list. *orders.Service is one.
type priceKeeper interface {
	CurrentPriceList(ctx context.Context) (orders.PriceList, error)
	SetPriceList(ctx context.Context, a orders.Actor, note string, entries []orders.PriceEntry) (orders.PriceChange, error)
}

// maxPriceCSV bounds an uploaded list (well above MaxPriceRows rows).
const maxPriceCSV = 512 << 10

// priceList shows the list in force.
func (s *Server) priceList(c echo.Context) error {
	return s.renderPrices(c, http.StatusOK, templates.PriceListView{})
}

func (s *Server) renderPrices(c echo.Context, status int, v templates.PriceListView) error {
	list, err := s.prices.CurrentPriceList(c.Request().Context())
	if err != nil {
		return err
	}
	v.Page = s.page(c, tr(c, "title.price_list"))
	v.Version, v.Note, v.CanImport = list.Version, list.Note, s.user(c).Has(auth.RoleAdmin)
	v.CreatedAt = i18n.From(c.Request().Context()).Time(list.CreatedAt)
	v.CreatedBy = tr(c, "prices.by_console")
	if list.CreatedBy != 0 {
		v.CreatedBy = tr(c, "prices.by_user", "id", strconv.FormatInt(list.CreatedBy, 10))
	}
	now := time.Now()
	for _, e := range list.Entries {
		fen, ok := list.Monthly(e.Line, e.Item, now)
		inForce := ok && fen == e.MonthlyFen && !e.EffectiveFrom.After(now)
		if inForce {
			// Of two rows at the same price, only the later one is in force.
			for _, o := range list.Entries {
				if o.Line == e.Line && o.Item == e.Item && o.EffectiveFrom.After(e.EffectiveFrom) && !o.EffectiveFrom.After(now) {
					inForce = false
				}
			}
		}
		v.Rows = append(v.Rows, templates.PriceRow{
			Line: e.Line, Item: e.Item, Per: tr(c, priceBasisKeys[orders.PriceBasis(e.Line, e.Item)]), Monthly: orders.FormatCNY(e.MonthlyFen),
			EffectiveFrom: e.EffectiveFrom.Format(time.DateOnly), InForce: inForce,
		})
	}
	return render(c, status, templates.PriceList(v))
}

// priceBasisKeys words orders.PriceBasis.
var priceBasisKeys = map[string]string{
	"goods": "prices.per_goods", "package": "prices.per_package", "instance": "prices.per_instance",
	string(orders.DimensionEdition): "prices.per_edition", string(orders.DimensionUnit): "prices.per_unit",
}

// priceExport downloads the list in force as CSV, in the form the import
// reads.
func (s *Server) priceExport(c echo.Context) error {
	list, err := s.prices.CurrentPriceList(c.Request().Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := orders.WritePriceCSV(&buf, list.Entries); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="prices-v%d.csv"`, list.Version))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// priceImport replaces the list with an uploaded CSV file, as a new
// version; any bad row refuses the whole file (422, each row's problem
// listed).
func (s *Server) priceImport(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	note := r.text("note", line(500))
	v := templates.PriceListView{ImportNote: note}
	if !r.ok() {
		v.FormError = tr(c, "prices.note_invalid")
		return s.renderPrices(c, http.StatusUnprocessableEntity, v)
	}
	fh, err := c.FormFile("csv_file")
	if err != nil {
		v.FormError = tr(c, "prices.choose_csv")
		return s.renderPrices(c, http.StatusUnprocessableEntity, v)
	}
	if fh.Size > maxPriceCSV {
		v.FormError = tr(c, "prices.file_too_large", "kib", strconv.Itoa(maxPriceCSV>>10))
		return s.renderPrices(c, http.StatusUnprocessableEntity, v)
	}
	f, err := fh.Open()
	if err != nil {
		return &SafeError{Status: http.StatusBadRequest, Safe: "error.upload_unreadable", Err: err}
	}
	defer func() { _ = f.Close() }()
	entries, rowErrs := orders.ParsePriceCSV(io.LimitReader(f, maxPriceCSV))
	if len(rowErrs) == 0 {
		var ch orders.PriceChange
		ch, err = s.prices.SetPriceList(c.Request().Context(), s.ordersActor(c), note, entries)
		if err == nil {
			msg := tr(c, "prices.saved_flash", "version", strconv.FormatInt(ch.Version, 10), "repriced", strconv.Itoa(len(ch.Repriced)),
				"returned", strconv.Itoa(len(ch.Returned)))
			if err := s.flash(c, "ok", msg); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, "/admin/prices")
		}
		var pe *orders.PriceListErrors
		if !errors.As(err, &pe) {
			if fe, ok := fault.AsFields(err); ok {
				v.FormError = msg(c, fe["note"])
				return s.renderPrices(c, http.StatusUnprocessableEntity, v)
			}
			return err
		}
		rowErrs = pe.Rows
	}
	v.FormError = tr(c, "prices.nothing_imported")
	for _, e := range rowErrs {
		row := tr(c, "price_words.row", "n", strconv.Itoa(e.Row))
		if e.Row == 0 {
			row = tr(c, "price_words.header")
		}
		v.RowErrors = append(v.RowErrors, templates.PriceRowError{Row: row, Message: msg(c, e.Msg)})
	}
	return s.renderPrices(c, http.StatusUnprocessableEntity, v)
}
