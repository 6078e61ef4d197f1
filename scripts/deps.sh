#!/bin/sh
# Installs the Debian 12 packages kefu needs that are missing.
#   scripts/deps.sh        what `make run` needs (build + run)
#   scripts/deps.sh test   plus what `make test` needs (PostgreSQL, Node.js, valgrind, wrk,
#                          clang for the fuzzing pass, nginx for the TLS proxy test,
#                          debootstrap and systemd-nspawn for the clean-root package test)
# Only installs; never upgrades or removes.  Needs root (or sudo) when
# something is missing.
set -eu

build_pkgs="gcc make pkg-config meson ninja-build python3 git curl ca-certificates
libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libcmocka-dev libxlsxwriter-dev
libminizip-dev libexpat1-dev libgmime-3.0-dev libcurl4-openssl-dev libicu-dev"
test_pkgs="postgresql sqlite3 openssl valgrind wrk procps chromium fonts-noto-cjk dovecot-imapd python3-aiosmtpd
python3-icalendar clang nginx-light debootstrap systemd-container"

pkgs=$build_pkgs
[ "${1:-}" = test ] && pkgs="$pkgs $test_pkgs"
# Node.js runs the end-to-end tests; any node >= 18 already on PATH will do.
if [ "${1:-}" = test ] && ! command -v node >/dev/null 2>&1; then
	pkgs="$pkgs nodejs"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "kefu: these Debian packages are missing:$missing" >&2
	echo "      run as root: apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
