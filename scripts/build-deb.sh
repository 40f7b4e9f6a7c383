#!/usr/bin/env bash
# Build the Debian package: dist/vrrptop_VERSION-1_all.deb, one command, as any user.
#
#   scripts/build-deb.sh            # then: sudo apt install ./dist/vrrptop_*_all.deb
#
# What it depends on and what it vendors (README "Installing"): Debian 12's own
# python3, python3-scapy (2.5) and python3-dnspython (2.3) are new enough and are
# Depends; Debian 12 has no textual that vrrptop can use (0.1), its rich (13.3),
# pygments (2.14) and platformdirs (2.6) are older than textual 8 needs, and its
# prometheus_client (0.16) predates the start_http_server vrrptop calls (0.20). So
# textual with everything it needs, and prometheus_client, are vendored at the
# versions CI tests (constraints.txt) in /usr/lib/vrrptop, with vrrptop itself; the
# /usr/bin/vrrptop launcher puts that directory first on sys.path.
#
# Needs: /usr/bin/python3 with venv (python3-venv), dpkg-deb, gzip, and PyPI to fetch
# the vendored wheels (pip's cache makes a rebuild offline-capable). The package is
# pure Python (Architecture: all). Set OUT=DIR to put the .deb elsewhere.
set -euo pipefail
umask 022
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$here/dist}"
version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$here/vrrptop/__init__.py")"
debversion="$version-1"
deb="$out/vrrptop_${debversion}_all.deb"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/root" src="$work/src"
mkdir -p "$src" "$out"
# Build from a copy of the checkout (which may be read-only), without venvs and caches.
tar -C "$here" --exclude=./.git --exclude=./.venv --exclude='./.venv-*' --exclude=./build \
    --exclude=./dist --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$src" -xf -

/usr/bin/python3 -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip -q --disable-pip-version-check)
lib="$stage/usr/lib/vrrptop"
"${pip[@]}" install --no-compile --target "$lib" -c "$here/constraints.txt" \
    textual rich prometheus_client
"${pip[@]}" install --no-compile --no-deps --target "$work/self" "$src"
cp -a "$work/self/vrrptop" "$work/self"/vrrptop-*.dist-info "$lib/"
# pip --target leaves console scripts (pygmentize, markdown-it) and data files there.
rm -rf "$lib/bin" "$lib/share"
find "$lib" -name __pycache__ -prune -exec rm -rf {} +
find "$lib" -type f -exec chmod 0644 {} +
find "$lib" -name 'direct_url.json' -delete
# Vendored modules are not scripts: their "#!/usr/bin/env python" lines only confuse
# lintian (the line stays, as a comment, so that tracebacks keep their line numbers).
find "$lib" -name "*.py" -exec sed -i "1s/^#!.*$/#/" {} +
# Every vendored top-level module must be in the copyright file.
for entry in "$lib"/*; do
    name="$(basename "$entry")"
    case "$name" in vrrptop | *.dist-info) continue ;; esac
    if ! grep -q "usr/lib/vrrptop/$name" "$here/contrib/debian/copyright"; then
        echo "build-deb: vendored $name is not in contrib/debian/copyright" >&2
        exit 1
    fi
done

install -D -m 0755 "$here/contrib/debian/launcher" "$stage/usr/bin/vrrptop"
install -d "$stage/usr/share/man/man1"
gzip -9n <"$here/contrib/man/vrrptop.1" >"$stage/usr/share/man/man1/vrrptop.1.gz"
install -D -m 0644 "$here/contrib/completions/vrrptop" \
    "$stage/usr/share/bash-completion/completions/vrrptop"
install -D -m 0644 "$here/contrib/completions/_vrrptop" \
    "$stage/usr/share/zsh/vendor-completions/_vrrptop"
install -D -m 0644 "$here/contrib/debian/default" "$stage/etc/default/vrrptop"
install -d "$stage/lib/systemd/system"
sed -e 's|^ExecStart=/usr/local/bin/vrrptop .*|ExecStart=/usr/bin/vrrptop $VRRPTOP_ARGS|' \
    -e 's|^# SupplementaryGroups=vrrptop$|SupplementaryGroups=vrrptop|' \
    -e 's|^Description=.*|Description=vrrptop VRRP monitor (Prometheus exporter)|' \
    -e '/^ExecStart=/i EnvironmentFile=-/etc/default/vrrptop' \
    "$here/contrib/vrrptop.service" >"$stage/lib/systemd/system/vrrptop.service"
grep -q '^ExecStart=/usr/bin/vrrptop \$VRRPTOP_ARGS$' "$stage/lib/systemd/system/vrrptop.service"
grep -q '^SupplementaryGroups=vrrptop$' "$stage/lib/systemd/system/vrrptop.service"

doc="$stage/usr/share/doc/vrrptop"
install -d "$doc"
install -m 0644 "$here/contrib/debian/copyright" "$doc/copyright"
# Prometheus alert rules (and their promtool tests), the Grafana dashboard, and the
# --notify mail script as an example to copy (README "Feeding Prometheus").
install -m 0644 "$here"/contrib/vrrptop-alerts*.yml "$here"/contrib/*.json "$doc/"
install -D -m 0644 "$here/contrib/vrrptop-notify-mail" "$doc/examples/vrrptop-notify-mail"
gzip -9n <"$here/CHANGELOG.md" >"$doc/changelog.gz"
gzip -9n <"$here/README.md" >"$doc/README.md.gz"
date="$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}")"
sed -e "s/@VERSION@/$debversion/" -e "s/@UPSTREAM@/$version/" -e "s/@DATE@/$date/" \
    "$here/contrib/debian/changelog" | gzip -9n >"$doc/changelog.Debian.gz"

install -d "$stage/DEBIAN"
for script in postinst prerm postrm; do
    install -m 0755 "$here/contrib/debian/$script" "$stage/DEBIAN/$script"
done
echo /etc/default/vrrptop >"$stage/DEBIAN/conffiles"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$debversion/" -e "s/@INSTALLED_SIZE@/$size/" \
    "$here/contrib/debian/control" >"$stage/DEBIAN/control"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
    xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/control"

dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
