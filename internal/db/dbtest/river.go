package dbtest

import (
	"strconv"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// riverMarker changes when River ships a new migration.
var riverMarker = func() string {
	m, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		return "river?"
	}
	all := m.AllVersions()
	return "river:" + strconv.Itoa(all[len(all)-1].Version)
}()
