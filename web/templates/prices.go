package templates

import "strings"

// PriceListView is the price list page: the version in force, its rows,
// and (for admins) the CSV import form with any refused rows.
type PriceListView struct {
	Page
	Version   int64
	CreatedAt string
	CreatedBy string
	Note      string
	Rows      []PriceRow
	// CanImport is true for admins.
	CanImport bool
	// Input kept and problems found after a refused import.
	ImportNote string
	FormError  string
	RowErrors  []PriceRowError
}

// PriceRow is one price as the page lists it.
type PriceRow struct {
	Line, Item, Monthly, EffectiveFrom string
	// Per is what one unit of the item is, worded (an instance, an
	// edition, a unit of a Billing Parameter member…).
	Per string
	// InForce is false for a row replaced by a later one already in force,
	// or one that takes effect later.
	InForce bool
}

// ItemHead and ItemTail split an item where a line may break: after the
// ProductCode of a Billing Parameter member ("p_cloudfirewall." and
// "sv_cloudfirewall_basic_ueps"); ItemTail is "" for any other item.
func (r PriceRow) ItemHead() string {
	if i := strings.IndexByte(r.Item, '.'); i >= 0 {
		return r.Item[:i+1]
	}
	return r.Item
}

// ItemTail: see ItemHead.
func (r PriceRow) ItemTail() string {
	if i := strings.IndexByte(r.Item, '.'); i >= 0 {
		return r.Item[i+1:]
	}
	return ""
}

// PriceRowError is one refused row of an import.
type PriceRowError struct {
	Row     string // "row 3", or "header"
	Message string
}
