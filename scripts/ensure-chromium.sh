#!/usr/bin/env bash
# ensure-chromium.sh: make sure Debian's Chromium is installed for the browser
# tests, and print its path. Browser tests fail (never skip) without it.
set -euo pipefail
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
