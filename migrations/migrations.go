// Package migrations embeds the numbered SQL migrations. A migration that has
// shipped is never edited: add a new one.
package migrations

import "embed"

// FS holds every migration, named NNN_what.sql (tern's format).
//
//go:embed *.sql
var FS embed.FS
