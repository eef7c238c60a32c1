package templates

import (
	"context"
	"time"

	"dealdesk/internal/i18n"
)

// T is the reader's words for key, with {name} arguments given as name,
// value pairs. Every word a page shows comes through here (or N), from the
// catalogs in internal/i18n/locales.
func T(ctx context.Context, key string, pairs ...string) string {
	return i18n.From(ctx).T(key, pairs...)
}

// N is the plural words of key for count n.
func N(ctx context.Context, key string, n int, pairs ...string) string {
	return i18n.From(ctx).N(key, n, pairs...)
}

// lang is the reader's language for <html lang>.
func lang(ctx context.Context) string { return i18n.From(ctx).Lang() }

// zoneName names the reader's time zone, which every time on the page is in.
func zoneName(ctx context.Context) string { return i18n.From(ctx).ZoneName() }

// when shows a time the same way on every page: in the reader's zone, to
// the minute, with the zone's abbreviation.
func when(ctx context.Context, t time.Time) string { return i18n.From(ctx).Time(t) }

// zoneOptions are the time zones a person may choose, the console's
// default first.
func zoneOptions(ctx context.Context, def string, zones []string) []Option {
	out := []Option{{Value: "", Label: T(ctx, "profile.time_zone_default", "zone", def)}}
	for _, z := range zones {
		out = append(out, Option{Value: z, Label: z})
	}
	return out
}
