package tcapi

import (
	"regexp"
	"slices"
	"strings"
)

// knownRegions are the Tencent Cloud regions Dealdesk knows by name
// (Billing RegionCode). The seeds document only ap-guangzhou; the rest are
// Tencent Cloud's published region list.
var knownRegions = []string{
	"ap-guangzhou", "ap-shanghai", "ap-nanjing", "ap-beijing", "ap-chengdu", "ap-chongqing",
	"ap-hongkong", "ap-taipei", "ap-singapore", "ap-jakarta", "ap-bangkok", "ap-seoul", "ap-tokyo", "ap-mumbai",
	"na-siliconvalley", "na-ashburn", "na-toronto", "sa-saopaulo", "eu-frankfurt",
	"ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-beijing-fsi",
}

// otherRegion is the "other" path: a region not in knownRegions is
// accepted when it has the shape every known one has (area, city, and an
// optional tag such as -fsi), so that a region Tencent Cloud opens after
// this list was written can still be bought in without a release, while
// "nowhere", "AP-GUANGZHOU" or a pasted sentence cannot. The service itself
// refuses a well-shaped region that does not exist.
var otherRegion = regexp.MustCompile(`^[a-z]{2}-[a-z]{3,20}(-[a-z]{3,8})?$`)

// zoneSuffix is what a zone adds to its region: "-" and a number from 1 to
// 99 (ap-guangzhou-1, ap-guangzhou-6).
var zoneSuffix = regexp.MustCompile(`^-[1-9][0-9]?$`)

// KnownRegions returns the regions Dealdesk knows by name.
func KnownRegions() []string { return slices.Clone(knownRegions) }

// ValidRegionCode reports whether s is a known region or has the shape of one.
func ValidRegionCode(s string) bool {
	return slices.Contains(knownRegions, s) || otherRegion.MatchString(s)
}

// regionZone checks Billing's RegionCode and ZoneCode: the region known or
// well-shaped, the zone the region followed by -N.
func (c *checker) regionZone(region, zone *string) {
	regionOK := false
	if r := Deref(region); r != "" {
		regionOK = ValidRegionCode(r)
		if !regionOK {
			c.invalid("RegionCode", "region", "value", quote(r))
		}
	}
	z := Deref(zone)
	if z == "" {
		return
	}
	r := Deref(region)
	switch {
	case regionOK && !zoneOf(z, r):
		c.invalid("ZoneCode", "zone_of_region", "region", r, "value", quote(z))
	case !regionOK && !looksLikeZone(z):
		c.invalid("ZoneCode", "zone", "value", quote(z))
	}
}

// zoneOf reports whether z is a zone of region r: r, "-" and a number.
func zoneOf(z, r string) bool {
	rest, ok := strings.CutPrefix(z, r)
	return ok && zoneSuffix.MatchString(rest)
}

func looksLikeZone(z string) bool {
	i := strings.LastIndexByte(z, '-')
	return i > 0 && ValidRegionCode(z[:i]) && zoneSuffix.MatchString(z[i:])
}

// clip shortens a value quoted in a message: a 900 KB parameter should not
// come back 900 KB long.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
