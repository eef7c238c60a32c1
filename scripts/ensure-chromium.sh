#!/usr/bin/env bash
# ensure-chromium.sh: make sure Debian's Chromium is installed for the browser
# tests, and print its path. Browser tests fail (never skip) without it.
set -euo pipefail
# The pages in Chinese need a CJK font, or screenshots show boxes: Debian's
# fonts-noto-cjk, installed where fontconfig knows no Chinese font.
ensure_cjk_font() {
	if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n1)" ]; then return 0; fi
	local sudo="" log
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	log=$(mktemp)
	echo "ensure-chromium: installing Debian's fonts-noto-cjk for the Chinese pages" >&2
	{ $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-noto-cjk; } >"$log" 2>&1 ||
		{ cat "$log" >&2; exit 1; }
}
ensure_cjk_font
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then command -v "$c"; exit 0; fi
done
echo "ensure-chromium: installing Debian's chromium package" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
aptlog=$(mktemp)
{ $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >"$aptlog" 2>&1 ||
	{ cat "$aptlog" >&2; exit 1; }
command -v chromium
