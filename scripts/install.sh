#!/usr/bin/env bash
# Install vrrptop into its own virtualenv, put `vrrptop` on the PATH, then run it
# with the arguments given (e.g. `scripts/install.sh --demo`).
# As root: /opt/vrrptop and /usr/local/bin, plus libpcap/tcpdump from Debian.
# As a user: ~/.local/share/vrrptop and ~/.local/bin (no system packages).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$(id -u)" = 0 ]; then
    prefix=/opt/vrrptop bindir=/usr/local/bin
    need=""
    for pkg in libpcap0.8 python3-venv; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need="$need $pkg"
    done
    if [ -n "$need" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
    fi
else
    prefix="$HOME/.local/share/vrrptop" bindir="$HOME/.local/bin"
    if ! python3 -c 'import ensurepip' 2>/dev/null; then
        echo "vrrptop: python3-venv is missing: ask root to run 'apt-get install python3-venv'" >&2
        exit 69
    fi
fi

if [ ! -x "$prefix/bin/python" ]; then python3 -m venv "$prefix"; fi
"$prefix/bin/python" -m pip install -q --disable-pip-version-check "$here"
mkdir -p "$bindir"
ln -sf "$prefix/bin/vrrptop" "$bindir/vrrptop"
echo "vrrptop installed: $bindir/vrrptop" >&2
if [ "$#" -gt 0 ]; then exec "$prefix/bin/vrrptop" "$@"; fi
