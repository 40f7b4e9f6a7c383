#!/usr/bin/env bash
# Install everything the test suite needs (Debian packages, a virtualenv with the
# package and its test extras) and run the whole suite. Idempotent; run as root
# (the lab and live-capture tests need network namespaces) or with sudo available.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m "not lab"`.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# keepalived + dnsmasq: the failover lab; dnsutils: dig in named_check; iproute2: netns;
# tcpdump: benchmark oracle; libpcap: BPF filter compilation; tmux: console tests;
# prometheus: promtool, which checks and unit-tests contrib/'s alert rules.
PACKAGES="keepalived dnsmasq-base dnsutils iproute2 tcpdump libpcap0.8 tmux procps prometheus"
missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    missing="$missing python3-venv"
fi
if [ -n "$missing" ]; then
    echo "installing:$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

VENV=".venv"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'

# Lint, format and types first: a failure here is as real as a failing test.
"$VENV/bin/ruff" check vrrptop tests benchmarks
"$VENV/bin/ruff" format --check --quiet vrrptop tests benchmarks
"$VENV/bin/mypy" vrrptop

exec "$VENV/bin/python" -m pytest -ra "$@"
