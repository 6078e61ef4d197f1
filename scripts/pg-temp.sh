#!/usr/bin/env bash
# pg-temp.sh - a throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pg-temp.sh start DIR PORT     create a cluster in DIR (must not exist or be
#                                         empty), start it on a unix socket in DIR (no TCP),
#                                         create database kefu_test, print its URL
#   scripts/pg-temp.sh stop DIR [--keep]  stop the cluster and remove DIR (unless --keep)
#   scripts/pg-temp.sh url DIR PORT [DB]  print the URL of database DB (default kefu_test)
#   scripts/pg-temp.sh createdb URL NAME  create database NAME on the server of URL (any
#                                         database URL of that server); print its URL
#   scripts/pg-temp.sh dropdb URL NAME    drop database NAME (if it exists)
#
# URLs look like postgresql://kefu@/kefu_test?host=DIR&port=PORT (libpq URI, the host is the
# socket directory).  The superuser is "kefu", authentication is "trust": never use this for
# anything but tests.  When run as root, the cluster runs as the "postgres" user (initdb and
# postgres refuse to run as root) and DIR is owned by it.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SUPERUSER=kefu

die() { echo "pg-temp: $*" >&2; exit 1; }

# Runs a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

url_of() { # DIR PORT DB
	printf 'postgresql://%s@/%s?host=%s&port=%s\n' "$SUPERUSER" "$3" "$1" "$2"
}

# Replaces the database name in a libpq URI of the form postgresql://user@/DB?query.
url_with_db() { # URL DB
	local url=$1 db=$2 scheme rest query=
	case $url in
	postgresql://*) scheme=postgresql:// ;;
	postgres://*) scheme=postgres:// ;;
	*) die "not a PostgreSQL URL: $url" ;;
	esac
	rest=${url#"$scheme"}
	case $rest in *\?*) query="?${rest#*\?}"; rest=${rest%%\?*} ;; esac
	case $rest in
	*/*) rest=${rest%%/*} ;;
	esac
	printf '%s%s/%s%s\n' "$scheme" "$rest" "$db" "$query"
}

check_name() {
	[[ $1 =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad database name: $1 (use [a-z0-9_], at most 63)"
}

cmd_start() {
	local dir=$1 port=$2
	[[ $port =~ ^[0-9]+$ ]] || die "bad port: $port"
	[ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb not found (apt-get install postgresql-15)"
	case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
	# A unix socket path must fit in sun_path (107 bytes).
	[ $((${#dir} + 20)) -lt 107 ] || die "DIR too long for a unix socket path: $dir"
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
		die "$dir exists and is not empty"
	fi
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir"
	fi
	chmod 0700 "$dir"
	# The owner must reach DIR: every parent must be traversable by it.
	as_owner test -w "$dir" || die "the postgres user cannot reach $dir (check the parents' permissions)"
	as_owner "$PGBIN/initdb" -D "$dir" -E UTF8 --locale=C.UTF-8 -A trust -U "$SUPERUSER" \
		>"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; die "initdb failed"; }
	rm -f "$dir.initdb.log"
	# Throwaway: durability off makes the tests fast.
	as_owner "$PGBIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
		-o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2 || true; die "pg_ctl start failed"; }
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$(url_of "$dir" "$port" postgres)" \
		-c 'CREATE DATABASE kefu_test' >/dev/null || die "could not create kefu_test"
	url_of "$dir" "$port" kefu_test
}

cmd_stop() {
	local dir=$1 keep=${2:-}
	case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
	if [ -f "$dir/postmaster.pid" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null ||
			as_owner "$PGBIN/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null || true
	fi
	if [ "$keep" != --keep ] && [ -f "$dir/PG_VERSION" ]; then
		rm -rf "$dir"
	fi
}

cmd_createdb() {
	local url=$1 name=$2
	check_name "$name"
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$(url_with_db "$url" postgres)" \
		-c "CREATE DATABASE \"$name\"" >/dev/null
	url_with_db "$url" "$name"
}

cmd_dropdb() {
	local url=$1 name=$2
	check_name "$name"
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$(url_with_db "$url" postgres)" \
		-c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
}

case ${1:-} in
start) [ $# = 3 ] || die "usage: $0 start DIR PORT"; cmd_start "$2" "$3" ;;
stop) [ $# -ge 2 ] || die "usage: $0 stop DIR [--keep]"; cmd_stop "$2" "${3:-}" ;;
url) [ $# -ge 3 ] || die "usage: $0 url DIR PORT [DB]"; url_of "$2" "$3" "${4:-kefu_test}" ;;
createdb) [ $# = 3 ] || die "usage: $0 createdb URL NAME"; cmd_createdb "$2" "$3" ;;
dropdb) [ $# = 3 ] || die "usage: $0 dropdb URL NAME"; cmd_dropdb "$2" "$3" ;;
*) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
