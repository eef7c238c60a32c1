#!/usr/bin/env bash
# devdb.sh: a private PostgreSQL cluster for development and tests.
#
#   scripts/devdb.sh start DIR [fast|crashsafe]
#                                start (or reuse) the cluster in DIR; prints its URL on
#                                stdout. "fast" turns off fsync: for throwaway test data only.
#                                "crashsafe" is fast, but a commit survives a Postgres crash
#                                (not the machine's): for tests that restart -m immediate.
#   scripts/devdb.sh stop DIR    stop it
#   scripts/devdb.sh restart DIR crash and restart it: `pg_ctl restart -m immediate`
#                                (no checkpoint; crash recovery on start), for fault tests
#   scripts/devdb.sh url DIR     print the URL of a running cluster
#
# It installs Debian's postgresql package when no initdb can be found. initdb
# refuses to run as root, so as root the cluster belongs to the 'postgres'
# user (created by the package). Everything else goes to stderr so callers can
# capture the URL with $(...).
set -euo pipefail

log() { printf 'devdb: %s\n' "$*" >&2; }

find_bin() {
	local name=$1 dir
	if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
	for dir in /usr/lib/postgresql/*/bin; do
		if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
	done
	return 1
}

ensure_postgres() {
	if find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null; then return 0; fi
	log "initdb not found; installing Debian's postgresql package"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	aptlog=$(mktemp)
	{ $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } >"$aptlog" 2>&1 ||
		{ cat "$aptlog" >&2; exit 1; }
	find_bin initdb >/dev/null || { log "initdb still not found after installing postgresql"; exit 1; }
}

# as_owner runs a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# free_port prints the first port from $1 (default 54329) nothing listens
# on. It can only test for a listener: a port some connection uses as its
# local (ephemeral) port looks free here but cannot be bound.
free_port() {
	local p
	for p in $(seq "${1:-54329}" 54499); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
	done
	log "no free port between 54329 and 54499"; exit 1
}

url_for() {
	local dir=$1
	echo "postgres://dealdesk@127.0.0.1:$(cat "$dir/port")/dealdesk?sslmode=disable"
}

running() {
	local dir=$1
	[ -f "$dir/data/postmaster.pid" ] && [ -f "$dir/port" ] &&
		as_owner "$(find_bin pg_ctl)" -D "$dir/data" status >/dev/null 2>&1
}

start() {
	local dir=$1
	ensure_postgres
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		if ! runuser -u postgres -- test -w "$dir"; then
			log "the postgres user cannot write $dir (is a parent folder private?)"; exit 1
		fi
	fi
	if running "$dir"; then
		url_for "$dir"; return 0
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		log "creating a private cluster in $dir/data"
		as_owner "$(find_bin initdb)" -D "$dir/data" -A trust -U dealdesk -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; exit 1; }
	fi
	local port durability=""
	case "${2:-}" in
	fast) durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" ;;
	# With synchronous_commit off a commit returns before its WAL leaves
	# Postgres's memory, so an immediate stop forgets it; with it on (and
	# fsync off) the WAL is written to the OS, which outlives a crash.
	crashsafe) durability="-c fsync=off -c synchronous_commit=on -c full_page_writes=off" ;;
	"") ;;
	*) log "unknown mode $2: want fast or crashsafe"; exit 2 ;;
	esac
	# The port may be taken between free_port and the bind (another
	# worktree's tests), or be some connection's local port: then try the
	# next free one.
	local try
	port=54328
	for try in 1 2 3 4 5; do
		port=$(free_port $((port + 1)))
		as_owner sh -c "echo $port > '$dir/port'"
		if as_owner "$(find_bin pg_ctl)" -D "$dir/data" -l "$dir/log" -w -t 30 \
			-o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=300 $durability" \
			start >&2; then
			break
		fi
		if [ "$try" -lt 5 ] && tail -n 5 "$dir/log" | grep -q "Address already in use"; then
			log "port $port was taken meanwhile; trying another"
			continue
		fi
		tail -n 30 "$dir/log" >&2; exit 1
	done
	# The first start creates the database the URL names.
	if ! as_owner "$(find_bin psql)" -h "$dir" -p "$port" -U dealdesk -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'dealdesk'" | grep -q 1; then
		as_owner "$(find_bin psql)" -h "$dir" -p "$port" -U dealdesk -d postgres -qc "CREATE DATABASE dealdesk" >&2
	fi
	log "postgres listening on 127.0.0.1:$port"
	url_for "$dir"
}

stop() {
	local dir=$1
	[ -d "$dir/data" ] || return 0
	if running "$dir"; then
		as_owner "$(find_bin pg_ctl)" -D "$dir/data" -m fast -w stop >&2
	fi
}

# restart stops the cluster the way a crash would (immediate: every backend
# is killed, nothing is checkpointed) and starts it again with the same
# options; -l again, or the new server would write to our stderr.
restart() {
	local dir=$1
	running "$dir" || { log "no cluster runs in $dir"; exit 1; }
	as_owner "$(find_bin pg_ctl)" -D "$dir/data" -l "$dir/log" -m immediate -w -t 60 restart >&2 ||
		{ tail -n 30 "$dir/log" >&2; exit 1; }
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|restart|url DIR" >&2; exit 2; }
case "$cmd" in
start) start "$dir" "${3:-}" ;;
stop) stop "$dir" ;;
restart) restart "$dir" ;;
url) running "$dir" && url_for "$dir" ;;
*) echo "usage: $0 start|stop|restart|url DIR" >&2; exit 2 ;;
esac
