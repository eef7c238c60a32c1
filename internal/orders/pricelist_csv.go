package orders

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"dealdesk/internal/fault"
)

// PriceCSVHeader is the header of the price list's CSV form: one row per
// price, the amount in yuan with at most two decimals (read into fen
// without floating point), the date as YYYY-MM-DD.
var PriceCSVHeader = []string{"line", "item", "monthly_cny", "effective_from"}

// MaxPriceRows bounds an imported list.
const MaxPriceRows = 5000

// WritePriceCSV writes a list in the form ParsePriceCSV reads back.
func WritePriceCSV(w io.Writer, entries []PriceEntry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(PriceCSVHeader); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Write([]string{e.Line, e.Item, formatYuan(e.MonthlyFen), e.EffectiveFrom.Format(time.DateOnly)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ParsePriceCSV reads a whole list. Every bad row is reported (its data row
// number, 1 for the first row after the header, and what is wrong), and a
// list with any bad row is refused whole: the caller imports nothing.
func ParsePriceCSV(r io.Reader) ([]PriceEntry, []RowError) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, []RowError{{Row: 0, Msg: fault.M("price_list.csv.header", "header", strings.Join(PriceCSVHeader, ","))}}
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff") // a spreadsheet's byte order mark
	}
	if !equalFold(head, PriceCSVHeader) {
		return nil, []RowError{{Row: 0, Msg: fault.M("price_list.csv.header", "header", strings.Join(PriceCSVHeader, ","))}}
	}
	var entries []PriceEntry
	var errs []RowError
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if row > MaxPriceRows {
			return nil, append(errs, RowError{Row: row, Msg: fault.M("price_list.csv.too_many", "max", strconv.Itoa(MaxPriceRows))})
		}
		if err != nil {
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.csv.syntax", "problem", pe.Err.Error())})
				continue
			}
			return nil, append(errs, RowError{Row: row, Msg: fault.M("price_list.csv.unreadable")})
		}
		if len(rec) != len(PriceCSVHeader) {
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.csv.columns", "want", strconv.Itoa(len(PriceCSVHeader)), "got", strconv.Itoa(len(rec)))})
			continue
		}
		fen, ok := ParseCNY(rec[2])
		if !ok {
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.csv.monthly_cny")})
			continue
		}
		day, err := time.Parse(time.DateOnly, strings.TrimSpace(rec[3]))
		if err != nil {
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.csv.date")})
			continue
		}
		entries = append(entries, PriceEntry{
			Line: strings.TrimSpace(rec[0]), Item: strings.TrimSpace(rec[1]), MonthlyFen: fen, EffectiveFrom: day,
		})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(entries) == 0 {
		return nil, []RowError{{Row: 1, Msg: fault.M("price_list.csv.empty")}}
	}
	// Rows that parsed are checked as a list; their numbers are still the
	// file's, since every row parsed.
	if errs := checkPriceEntries(entries); len(errs) > 0 {
		return nil, errs
	}
	return entries, nil
}

func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}
