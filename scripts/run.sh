#!/usr/bin/env bash
# run.sh (make run): start the console for a newcomer.
#
# With no DATABASE_URL it starts a private Postgres under .devdb/run; with no
# keys it makes development keys under .dev/ (kept, so restarts keep sessions
# and stored secrets readable); with no Tencent Cloud credentials or endpoint
# it runs the built-in sandbox. On an empty database it creates a first admin
# and prints the login. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

started_db=""
cleanup() {
	if [ -n "$started_db" ]; then scripts/devdb.sh stop "$root/.devdb/run" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(scripts/devdb.sh start "$root/.devdb/run")
	export DATABASE_URL
	started_db=1
fi

mkdir -p .dev && chmod 700 .dev
if [ ! -f .dev/keys.env ]; then
	umask 077
	{
		echo "CONSOLE_SESSION_KEY=$(head -c 32 /dev/urandom | base64 -w0)"
		echo "CONSOLE_MASTER_KEY=$(head -c 32 /dev/urandom | base64 -w0)"
	} >.dev/keys.env
fi
# Keys already in the environment win over the development keys.
session_key=${CONSOLE_SESSION_KEY:-}
master_key=${CONSOLE_MASTER_KEY:-}
set -a
# shellcheck disable=SC1091
. .dev/keys.env
set +a
if [ -n "$session_key" ]; then CONSOLE_SESSION_KEY=$session_key; fi
if [ -n "$master_key" ]; then CONSOLE_MASTER_KEY=$master_key; fi

if [ -z "${CONSOLE_SANDBOX:-}" ] && [ -z "${CONSOLE_TENCENTCLOUD_ENDPOINT:-}" ] &&
	[ -z "${TENCENTCLOUD_SECRET_ID:-}" ]; then
	export CONSOLE_SANDBOX=1
fi

echo "run: building the console" >&2
go build -o bin/console ./cmd/console
bin/console migrate >&2
# On an empty database this creates the user "admin" and prints its
# password once; afterwards it prints nothing.
first_admin=$(bin/console user ensure-admin)
addr=${CONSOLE_ADDR:-127.0.0.1:8080}
echo "" >&2
if [ -n "$first_admin" ]; then echo "$first_admin" >&2; echo "" >&2; fi
echo "Dealdesk: open http://$addr/ to log in (Ctrl-C stops the console and its database)." >&2
[ "${CONSOLE_SANDBOX:-}" = 1 ] && echo "Sandbox mode: Tencent Cloud calls go to the built-in sandbox; nothing is bought. The \"Sandbox\" account under Accounts has keys it accepts." >&2
echo "" >&2
# Not exec: the trap must stop the database after the console exits.
bin/console serve &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 130' INT TERM
wait $pid
