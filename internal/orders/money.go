package orders

import (
	"fmt"
	"strconv"
	"strings"
)

// FormatCNY writes an amount in fen as yuan with two decimals: 1234567 →
// "12,345.67 CNY". It is the one place money becomes text; amounts are
// integer fen everywhere else, never floats.
func FormatCNY(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	yuan := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	for i, r := range yuan {
		if i > 0 && (len(yuan)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s.%02d CNY", sign, b.String(), fen%100)
}

// ParseCNY reads yuan with at most two decimals ("3280", "3280.5",
// "3280.00") as fen, without floating point. ok is false for anything
// else, including negative amounts and amounts beyond MaxPriceFen.
func ParseCNY(s string) (fen int64, ok bool) {
	s = strings.TrimSpace(s)
	whole, frac, dotted := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (dotted && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	fen = y*100 + f
	return fen, fen <= MaxPriceFen
}

// formatYuan writes fen as a plain decimal for CSV: 328000 → "3280.00".
func formatYuan(fen int64) string {
	return fmt.Sprintf("%d.%02d", fen/100, fen%100)
}
