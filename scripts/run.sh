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

# A cold start takes minutes (modules, then a few hundred packages to
# compile): each step says what it is doing so it never looks hung.
step() { echo "run: [$1/5] $2" >&2; }

if [ -z "${DATABASE_URL:-}" ]; then
	step 1 "starting a private Postgres under .devdb/run"
	DATABASE_URL=$(scripts/devdb.sh start "$root/.devdb/run")
	export DATABASE_URL
	started_db=1
else
	step 1 "using the database in DATABASE_URL"
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

step 2 "downloading Go modules (once; silent when they are cached)"
go mod download -x 2>&1 | grep --line-buffered '^# get ' | sed -u 's/^# get /  get /' >&2 || true
step 3 "building bin/console (the first build compiles a few hundred packages; later ones take seconds)"
# go build -v names each package as it compiles it; a running count on one
# line shows progress without a screenful of names. The whole output stays
# in .dev/build.log for when the build fails.
if ! go build -v -o bin/console ./cmd/console 2>&1 | tee .dev/build.log | {
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf '\r  compiled %d packages: %-60.60s' "$n" "$line" >&2
	done
	[ "$n" -eq 0 ] || printf '\r  compiled %d packages%-72s\n' "$n" "" >&2
}; then
	echo "" >&2
	tail -n 20 .dev/build.log >&2
	echo "run: the build failed (all of its output is in .dev/build.log)" >&2
	exit 1
fi
step 4 "applying database migrations"
bin/console migrate >&2
# On an empty database this creates the user "admin" and prints its
# password once; afterwards it prints nothing.
first_admin=$(bin/console user ensure-admin)
step 5 "starting the console"
echo "" >&2
if [ -n "$first_admin" ]; then echo "$first_admin" >&2; echo "" >&2; fi
echo "Ctrl-C stops the console and its database." >&2
echo "" >&2
# The console itself says where to sign in and whether it runs the sandbox,
# in the language of LC_ALL, LC_MESSAGES or LANG (zh* is 简体中文).
# Not exec: the trap must stop the database after the console exits.
bin/console serve &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 130' INT TERM
wait $pid
