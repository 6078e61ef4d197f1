#!/usr/bin/env bash
# deb.sh BUILD_DIR [OUT_DIR] - builds kefu_VERSION_amd64.deb from BUILD_DIR/kefu (the UI is
# embedded in the binary by the normal build) with dpkg-deb; prints the .deb's path.
#
# Depends is computed by dpkg-shlibdeps from the libraries the binary links (it needs a
# debian/control to run in, so one is made in a scratch directory); without dpkg-shlibdeps
# it falls back to `ldd` + `dpkg -S` (the packages owning the linked libraries, unversioned).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/deb.sh BUILD_DIR [OUT_DIR]}
out=${2:-$build}
bin=$build/kefu
[ -x "$bin" ] || { echo "deb.sh: $bin not built" >&2; exit 1; }
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -1)
arch=$(dpkg --print-architecture)

stage=$(mktemp -d /tmp/kefu-deb.XXXXXX)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
install -d "$root/DEBIAN" "$root/usr/bin" "$root/etc/kefu" "$root/lib/systemd/system" \
	"$root/usr/share/doc/kefu"
install -m 0755 "$bin" "$root/usr/bin/kefu"
strip --strip-unneeded "$root/usr/bin/kefu"
install -m 0640 etc/kefu.conf "$root/etc/kefu/kefu.conf"
install -m 0644 packaging/deb/kefu.service "$root/lib/systemd/system/kefu.service"
for s in postinst prerm postrm; do install -m 0755 "packaging/deb/$s" "$root/DEBIAN/$s"; done
echo /etc/kefu/kefu.conf >"$root/DEBIAN/conffiles"
install -D -m 0644 etc/nginx/kefu.conf "$root/usr/share/doc/kefu/examples/nginx-kefu.conf"
for d in docs/deploy.md docs/deploy.zh-CN.md; do
	[ -f "$d" ] && install -m 0644 "$d" "$root/usr/share/doc/kefu/"
done

depends() {
	if command -v dpkg-shlibdeps >/dev/null; then
		mkdir -p "$stage/src/debian"
		printf 'Source: kefu\n\nPackage: kefu\nArchitecture: any\n' >"$stage/src/debian/control"
		(cd "$stage/src" && dpkg-shlibdeps -O "$root/usr/bin/kefu" 2>/dev/null) |
			sed -n 's/^shlibs:Depends=//p'
	else
		ldd "$root/usr/bin/kefu" | awk '/=> \//{print $3}' | xargs -r realpath |
			xargs -r dpkg -S 2>/dev/null | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g'
	fi
}
deps=$(depends)
[ -n "$deps" ] || { echo "deb.sh: could not compute Depends" >&2; exit 1; }
size=$(du -sk "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: kefu
Version: $version
Architecture: $arch
Maintainer: kefu <kefu@localhost>
Installed-Size: $size
Depends: $deps, passwd
Section: net
Priority: optional
Description: customer-service management (客服管理系统)
 One binary serving the HTTP/JSON API and the web UI: customers, cases with
 SLA, follow-ups, calls, knowledge base, reports. SQLite by default,
 PostgreSQL for several instances. Configuration in /etc/kefu/kefu.conf,
 data in /var/lib/kefu.
CONTROL
mkdir -p "$out"
deb=$out/kefu_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
