#!/usr/bin/env bash
# chroot-test.sh DEB - proves the kefu package on a clean Debian 12 (bookworm) root.
#
#   1. a root made by debootstrap (--variant=minbase plus systemd), cached as a tarball in
#      $KEFU_TEST_CACHE (default /var/cache/kefu-test) under the day's date, unpacked afresh
#      for every run; the downloaded .debs are cached there too (archives/)
#   2. `apt-get install --no-install-recommends ./kefu_*.deb` in that root: the package's
#      Depends are resolved from Debian alone (the mirror: $KEFU_TEST_MIRROR)
#   3. the root booted with systemd-nspawn --boot (its own loopback network): the package is
#      installed there, so its postinst enables and starts the unit under real systemd;
#      `systemctl is-active`, /healthz and the embedded UI on the port kefu.conf names, data
#      written, the port changed in kefu.conf, `systemctl restart kefu`, the data still there
#      and the admin not re-created, `kefu doctor` all good; `dpkg -r` keeps /var/lib/kefu,
#      `dpkg -P` removes it, the user and the unit's links.
#      When the root cannot be booted (no systemd-nspawn, or it fails here, or
#      KEFU_TEST_NSPAWN=no), the unit's ExecStartPre/ExecStart are run by hand as the kefu
#      user inside the chroot (chroot + runuser), and the output says so.
#
# Needs root and the network (the first run of a day: about 60 MB). `make test-deb`.
# shellcheck disable=SC2016 # dpkg-query formats and bash -c scripts are single-quoted
set -euo pipefail
deb=${1:?usage: tests/deb/chroot-test.sh DEB}
deb=$(realpath "$deb")
[ "$(id -u)" = 0 ] || { echo "chroot-test: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "chroot-test: debootstrap is not installed" >&2; exit 2; }

CACHE=${KEFU_TEST_CACHE:-/var/cache/kefu-test}
MIRROR=${KEFU_TEST_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
t0=$SECONDS
pass=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
note() { echo "     $*"; }
fail() {
	echo "chroot-test: FAIL: $*" >&2
	[ -n "${log_cmd:-}" ] && { echo "---- kefu's log:" >&2; $log_cmd >&2 || true; }
	exit 1
}

work=
nspawn_pid=
leader=
mode=
run_pid=
umount_all() { # every mount under the root, deepest first
	[ -n "$work" ] || return 0
	local m _
	for _ in 1 2 3; do
		for m in $(findmnt -rn -o TARGET | grep -F "$work/" | sort -r); do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		done
		findmnt -rn -o TARGET | grep -qF "$work/" || return 0
		sleep 1
	done
}
stop_container() {
	[ -n "$nspawn_pid" ] || return 0
	kill -TERM "$nspawn_pid" 2>/dev/null || true # nspawn powers the container off
	local _
	for _ in $(seq 150); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$nspawn_pid" 2>/dev/null || true
	wait "$nspawn_pid" 2>/dev/null || true
	nspawn_pid=
	leader=
}
stop_by_hand() { # kefu serve (the pid its shell wrote before exec), then the chroot around it
	[ -n "$run_pid" ] || return 0
	kill "$(cat "$root/tmp/kefu-test.pid" 2>/dev/null)" 2>/dev/null || true
	wait "$run_pid" 2>/dev/null || true
	rm -f "$root/tmp/kefu-test.pid"
	run_pid=
}
cleanup() {
	local rc=$?
	stop_by_hand
	stop_container
	umount_all
	if [ -n "$work" ]; then
		if findmnt -rn -o TARGET | grep -qF "$work/"; then
			echo "chroot-test: mounts left under $work; not removing it" >&2
		else
			rm -rf --one-file-system "$work"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ the clean root
mkdir -p "$CACHE/archives"
base=$CACHE/$SUITE-minbase-systemd-$(date -u +%Y%m%d).tar
if [ ! -f "$base" ]; then
	echo "chroot-test: debootstrap $SUITE from $MIRROR (cached as $base)"
	tmp=$CACHE/build.$$
	rm -rf --one-file-system "$tmp"
	debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
		"$SUITE" "$tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
		{ tail -20 "$CACHE/debootstrap.log" >&2; rm -rf --one-file-system "$tmp"; fail "debootstrap"; }
	echo "deb $MIRROR $SUITE main" >"$tmp/etc/apt/sources.list"
	chroot "$tmp" apt-get -qq update || { rm -rf --one-file-system "$tmp"; fail "apt-get update in the new root"; }
	chroot "$tmp" apt-get -qq clean
	tar -C "$tmp" -cf "$base.part" . && mv "$base.part" "$base"
	rm -rf --one-file-system "$tmp"
	find "$CACHE" -maxdepth 1 -name "$SUITE-minbase-systemd-*.tar" ! -path "$base" -delete
	find "$CACHE/archives" -maxdepth 1 -name '*.deb' -mtime +30 -delete
fi
work=$(mktemp -d /var/tmp/kefu-chroot.XXXXXX)
root=$work/root
mkdir "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf"
install -m 0644 "$deb" "$root/root/kefu.deb"
chroot "$root" dpkg-query -W kefu >/dev/null 2>&1 && fail "the clean root already has kefu"
ok "clean $SUITE root ($(du -sm "$root" | cut -f1) MB, from $(basename "$base")) in $((SECONDS - t0)) s"

# Depends resolved from Debian: what apt would install, downloaded into the cache (the host's
# network; the booted root has none).
mount -t proc proc "$root/proc"
mount --bind "$CACHE/archives" "$root/var/cache/apt/archives"
plan=$(chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	--download-only /root/kefu.deb 2>&1) || { echo "$plan" >&2; fail "apt-get cannot resolve kefu's Depends"; }
umount_all
npkg=$(echo "$plan" | sed -n 's/^.* \([0-9]*\) newly installed.*$/\1/p')
if [ -z "$npkg" ] || [ "$npkg" -lt 2 ]; then echo "$plan" >&2; fail "no install plan from apt-get"; fi
ok "apt-get resolves kefu's Depends from Debian $SUITE ($npkg packages, --no-install-recommends)"

# ------------------------------------------------------------------ boot (or not)
if [ "${KEFU_TEST_NSPAWN:-yes}" != no ] && command -v systemd-nspawn >/dev/null; then
	systemd-nspawn -q -D "$root" --boot --register=no --keep-unit --private-network \
		--console=passive --bind="$CACHE/archives:/var/cache/apt/archives" \
		>"$work/boot.log" 2>&1 &
	nspawn_pid=$!
	for _ in $(seq 100); do # the container's PID 1, once it is systemd
		leader=$(pgrep -P "$nspawn_pid" -x systemd 2>/dev/null | head -1) || true
		[ -n "$leader" ] && break
		kill -0 "$nspawn_pid" 2>/dev/null || break
		sleep 0.1
	done
	state=
	if [ -n "$leader" ]; then # (the bus answers only some way into the boot)
		for _ in $(seq 300); do
			state=$(nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null) || true
			case $state in running | degraded | maintenance | stopping | offline) break ;; esac
			kill -0 "$nspawn_pid" 2>/dev/null || break
			sleep 0.2
		done
	fi
	case $state in
	running | degraded) mode=nspawn ;;
	*)
		echo "chroot-test: systemd-nspawn --boot did not come up here (state '${state:-none}'):" >&2
		tail -5 "$work/boot.log" >&2 || true
		stop_container
		;;
	esac
fi
if [ "$mode" = nspawn ]; then
	ok "root booted with systemd-nspawn --boot: systemd is PID 1 ($state)"
	inside() { nsenter -t "$leader" -a "$@"; }
	log_cmd="inside journalctl -u kefu --no-pager -n 30"
else
	mode=chroot
	echo "NOTE chroot-test: NOT booting systemd: the unit's ExecStartPre/ExecStart are run by hand as"
	echo "     the kefu user (chroot + runuser), with the unit's environment; systemctl is not tested."
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	mount --bind "$CACHE/archives" "$root/var/cache/apt/archives"
	inside() { chroot "$root" "$@"; }
	log_cmd="cat $root/var/log/kefu-test.log"
fi

# ------------------------------------------------------------------ install and start
out=$(inside env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	/root/kefu.deb 2>&1) || { echo "$out" >&2; fail "apt-get install ./kefu.deb"; }
inside dpkg-query -W -f='${Status}' kefu | grep -q 'install ok installed' || fail "kefu not installed"
inside dpkg-query -W -f='${Conffiles}\n' kefu | grep -q /etc/kefu/kefu.conf || fail "kefu.conf is not a conffile"
inside getent passwd kefu >/dev/null || fail "no kefu user"
[ "$(inside stat -c %U /var/lib/kefu)" = kefu ] || fail "/var/lib/kefu not owned by kefu"
[ -L "$root/etc/systemd/system/multi-user.target.wants/kefu.service" ] || fail "kefu.service not enabled"
ok "apt-get install ./kefu.deb (offline, from the cache): kefu user, /var/lib/kefu, conffile, unit enabled"

# The listen address kefu.conf names.
conf_port() { sed -n 's/^ *listen *= *[^:]*:\([0-9]*\).*$/\1/p' "$root/etc/kefu/kefu.conf"; }
# http PORT PATH: the response (headers and body), fetched inside the root (bash's /dev/tcp).
http() {
	inside timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" >&3 && cat <&3' \
		http "$1" "$2" 2>/dev/null
}
wait_healthz() { # PORT
	local _
	for _ in $(seq 100); do
		http "$1" /healthz | grep -q '"status":"ok"' && return 0
		sleep 0.1
	done
	return 1
}
start_by_hand() { # the unit's commands and environment, as its user
	inside runuser -u kefu -- env -i PATH=/usr/bin:/bin KEFU_CONFIG=/etc/kefu/kefu.conf \
		sh -c 'echo $$ >/tmp/kefu-test.pid && cd /var/lib/kefu && umask 0027 && /usr/bin/kefu init &&
			exec /usr/bin/kefu serve' >>"$root/var/log/kefu-test.log" 2>&1 &
	run_pid=$!
}

if [ "$mode" = nspawn ]; then
	[ "$(inside systemctl is-enabled kefu)" = enabled ] || fail "the postinst did not enable kefu.service"
	for _ in $(seq 50); do [ "$(inside systemctl is-active kefu)" = active ] && break; sleep 0.2; done
	[ "$(inside systemctl is-active kefu)" = active ] || fail "kefu.service is not active after install"
	ok "postinst enabled and started kefu.service: systemctl is-active = active"
else
	# The shipped port may be taken on this machine (no network namespace of its own).
	sed -i "s/^ *listen *=.*/listen = 127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')/" \
		"$root/etc/kefu/kefu.conf"
	start_by_hand
	note "started by hand: runuser -u kefu -- kefu init && kefu serve (KEFU_CONFIG=/etc/kefu/kefu.conf)"
fi
port=$(conf_port)
[ -n "$port" ] || fail "no listen line in /etc/kefu/kefu.conf"
wait_healthz "$port" || fail "no /healthz on 127.0.0.1:$port (the listen of kefu.conf)"
ok "/healthz answers status ok on 127.0.0.1:$port, the port of /etc/kefu/kefu.conf"
http "$port" / | grep -qi '<div id="app"' || fail "/ is not the embedded UI"
ok "/ serves the embedded web UI"
[ "$(inside stat -c %U /var/lib/kefu/kefu.db)" = kefu ] || fail "kefu.db not created by the kefu user"
ok "kefu.db initialised under /var/lib/kefu by the kefu user"

# Data written while it runs, then a new port and a restart.
as_kefu() { inside runuser -u kefu -- env KEFU_CONFIG=/etc/kefu/kefu.conf "$@"; }
as_kefu kefu user add probe --role agent --display 'Probe Agent' >/dev/null || fail "kefu user add"
port2=$((port == 18093 ? 18094 : 18093))
if [ "$mode" = chroot ]; then
	port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fi
sed -i "s/^ *listen *=.*/listen = 127.0.0.1:$port2/" "$root/etc/kefu/kefu.conf"
if [ "$mode" = nspawn ]; then
	inside systemctl restart kefu || fail "systemctl restart kefu"
	[ "$(inside systemctl is-active kefu)" = active ] || fail "kefu.service not active after restart"
else
	stop_by_hand
	start_by_hand
fi
wait_healthz "$port2" || fail "no /healthz on the new port $port2 after the restart"
! http "$port" /healthz | grep -q status || fail "the old port $port still answers"
as_kefu kefu user list | grep -q probe || fail "the user added before the restart is gone"
if [ "$mode" = nspawn ]; then
	n=$(inside journalctl -u kefu --no-pager | grep -c 'admin account:') || true
	inside journalctl -u kefu --no-pager | grep -q 'already exists' || fail "no second init in the journal"
else
	n=$(grep -c 'admin account:' "$root/var/log/kefu-test.log") || true
	grep -q 'already exists' "$root/var/log/kefu-test.log" || fail "no second init in the log"
fi
[ "$n" = 1 ] || fail "the admin account was created $n times"
how="systemctl restart kefu"; [ "$mode" = chroot ] && how="restart by hand"
ok "$how on the new port $port2 keeps the data (user added before it, admin created once)"
doc=$(as_kefu kefu doctor 2>&1) || { echo "$doc" >&2; fail "kefu doctor"; }
ok "kefu doctor --config /etc/kefu/kefu.conf as the kefu user: all good"
echo "$doc" | sed 's/^/     /'

# ------------------------------------------------------------------ remove, purge
[ "$mode" = chroot ] && stop_by_hand
inside dpkg -r kefu >/dev/null 2>&1 || fail "dpkg -r kefu"
if [ "$mode" = nspawn ]; then
	[ "$(inside systemctl is-active kefu)" != active ] || fail "kefu still running after dpkg -r"
fi
[ ! -e "$root/usr/bin/kefu" ] || fail "dpkg -r left /usr/bin/kefu"
[ -f "$root/var/lib/kefu/kefu.db" ] || fail "dpkg -r removed /var/lib/kefu/kefu.db"
ok "dpkg -r kefu: the service stopped, the binary gone, /var/lib/kefu/kefu.db kept"
inside dpkg -P kefu >/dev/null 2>&1 || fail "dpkg -P kefu"
[ ! -e "$root/var/lib/kefu" ] || fail "dpkg -P left /var/lib/kefu"
[ ! -e "$root/etc/kefu" ] || fail "dpkg -P left /etc/kefu"
! inside getent passwd kefu >/dev/null || fail "dpkg -P left the kefu user"
left=$(find "$root/etc/systemd" -name 'kefu.service*' 2>/dev/null)
[ -z "$left" ] || fail "dpkg -P left $left"
ok "dpkg -P kefu: /var/lib/kefu, /etc/kefu, the kefu user and the unit's links removed"

echo "chroot-test: $pass checks passed ($mode) in $((SECONDS - t0)) s"
