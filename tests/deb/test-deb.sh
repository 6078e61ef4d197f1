#!/usr/bin/env bash
# test-deb.sh DEB - installs the kefu package on this machine, checks it, purges it.
# For CI (root on a throwaway machine): `make test-deb-host`.  Not part of scripts/test.sh: it
# changes the machine (a package, a system user) while it runs; tests/deb/chroot-test.sh
# (`make test-deb`, a phase of scripts/test.sh) proves the same on a clean Debian root instead.
#
# Checks: the files and the conffile, the kefu user, the unit (systemctl cat when systemd
# runs; otherwise its ExecStartPre/ExecStart run by hand as the kefu user, with the unit's
# environment), /healthz and the embedded UI on the listen address, a restart keeps the data
# (init does not re-create the admin), `dpkg -r` keeps /var/lib/kefu, `dpkg -P` removes it
# and the user.
set -euo pipefail
deb=${1:?usage: tests/deb/test-deb.sh DEB}
[ "$(id -u)" = 0 ] || { echo "test-deb: needs root (it installs the package)" >&2; exit 2; }
if dpkg-query -W kefu >/dev/null 2>&1 && dpkg-query -W -f='${Status}' kefu | grep -q installed; then
	echo "test-deb: a kefu package is already installed here; refusing to touch it" >&2
	exit 2
fi
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
pass=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	dpkg -P kefu >/dev/null 2>&1 || true
}
trap cleanup EXIT

dpkg -i "$deb" >/dev/null || fail "dpkg -i"
ok "dpkg -i $(basename "$deb")"
for f in /usr/bin/kefu /etc/kefu/kefu.conf /lib/systemd/system/kefu.service; do
	[ -e "$f" ] || fail "$f missing"
done
dpkg-query -W -f='${Conffiles}\n' kefu | grep -q /etc/kefu/kefu.conf || fail "kefu.conf is not a conffile"
ok "files installed, /etc/kefu/kefu.conf a conffile"
getent passwd kefu >/dev/null || fail "no kefu user"
[ "$(stat -c %U /var/lib/kefu)" = kefu ] || fail "/var/lib/kefu not owned by kefu"
ok "system user kefu owns /var/lib/kefu"
/usr/bin/kefu config check /etc/kefu/kefu.conf >/dev/null || fail "the shipped kefu.conf does not check"
ok "kefu config check /etc/kefu/kefu.conf"
unit=/lib/systemd/system/kefu.service
for k in ProtectSystem=strict StateDirectory=kefu User=kefu ExecStartPre=/usr/bin/kefu; do
	grep -q "^$k" "$unit" || fail "unit lacks $k"
done
ok "unit hardened (ProtectSystem=strict, StateDirectory, User=kefu, ExecStartPre init)"
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
	ok "systemd-analyze verify: the unit is valid"
	systemd-analyze security --offline=yes "$unit" 2>/dev/null | tail -1 | grep -q ' OK ' ||
		fail "systemd-analyze security does not rate the unit OK"
	ok "systemd-analyze security: $(systemd-analyze security --offline=yes "$unit" 2>/dev/null | tail -1 | sed 's/^→ //')"
fi

# Starts the service: through systemd when it runs, else the unit's commands by hand.
start() {
	if [ -d /run/systemd/system ]; then
		systemctl cat kefu >/dev/null || fail "systemctl cat kefu"
		mkdir -p /etc/systemd/system/kefu.service.d
		printf '[Service]\nEnvironment=KEFU_LISTEN=127.0.0.1:%s\n' "$port" >/etc/systemd/system/kefu.service.d/test.conf
		systemctl daemon-reload
		systemctl restart kefu
	else
		(cd /var/lib/kefu && runuser -u kefu -- env -i PATH=/usr/bin:/bin KEFU_CONFIG=/etc/kefu/kefu.conf \
			KEFU_LISTEN=127.0.0.1:$port sh -c '/usr/bin/kefu init && exec /usr/bin/kefu serve') \
			>>/tmp/kefu-test-deb.log 2>&1 &
		pid=$!
	fi
	for _ in $(seq 100); do
		curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat /tmp/kefu-test-deb.log >&2 || true
	fail "no /healthz on 127.0.0.1:$port"
}
stop() {
	if [ -d /run/systemd/system ]; then systemctl stop kefu; else kill "$pid"; wait "$pid" || true; pid=; fi
}

rm -f /tmp/kefu-test-deb.log
start
curl -fsS "http://127.0.0.1:$port/healthz" | grep -q '"status":"ok"' || fail "healthz not ok"
ok "service answers /healthz (KEFU_LISTEN overriding kefu.conf's listen)"
curl -fsS "http://127.0.0.1:$port/" | grep -qi '<html' || fail "no UI index"
ok "UI index served from the binary"
[ "$(stat -c %U /var/lib/kefu/kefu.db)" = kefu ] || fail "kefu.db not created by the kefu user"
ok "kefu.db initialised under /var/lib/kefu on first start"
stop
start
if [ ! -d /run/systemd/system ]; then
	grep -q "already exists" /tmp/kefu-test-deb.log || fail "second start re-created the admin"
fi
ok "restart keeps the data (admin left alone)"
stop
dpkg -r kefu >/dev/null || fail "dpkg -r"
[ -f /var/lib/kefu/kefu.db ] || fail "dpkg -r removed the data"
ok "dpkg -r keeps /var/lib/kefu"
dpkg -P kefu >/dev/null || fail "dpkg -P"
[ ! -e /var/lib/kefu ] || fail "purge left /var/lib/kefu"
! getent passwd kefu >/dev/null || fail "purge left the kefu user"
ok "dpkg -P removes /var/lib/kefu and the user"
rm -rf /etc/systemd/system/kefu.service.d
echo "test-deb: $pass checks passed"
