#!/usr/bin/env bash
# Install everything the test suite needs (Debian packages, a virtualenv with the
# package and its test extras at the exact versions of constraints.txt) and run the
# whole suite; then run the unit and UI tests again on the compiled build (a copy of
# the checkout whose per-frame modules scripts/compile.py compiled with mypyc), and
# the unit and UI behaviour tests in .venv-lowest, on the lowest dependency versions
# pyproject.toml admits (constraints-lowest.txt). Idempotent;
# run as root (the lab and live-capture tests need network namespaces, the packaging
# tests install the .deb and run it as another user) or with sudo available.
# Extra arguments go to pytest and skip the lowest-versions run, e.g.
# `scripts/test.sh -m "not lab"`; `scripts/test.sh --lowest [ARGS]` and
# `scripts/test.sh --compiled [ARGS]` run only that.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# keepalived + dnsmasq: the failover lab; dnsutils: dig in named_check; iproute2: netns;
# tcpdump: benchmark oracle; libpcap: BPF filter compilation; tmux: console tests;
# prometheus: promtool, which checks and unit-tests contrib/'s alert rules;
# packaging tests: man-db/groff-base render the man page, zsh parses its completion,
# lintian checks the .deb, systemd's systemd-analyze verifies the unit.
PACKAGES="keepalived dnsmasq-base dnsutils iproute2 tcpdump libpcap0.8 tmux procps prometheus"
PACKAGES="$PACKAGES man-db groff-base zsh lintian systemd"
# chromium: renders the --report-html file headless and screenshots it.
PACKAGES="$PACKAGES chromium"
# gcc, python3-dev: the compiled build (mypyc's C extensions).
PACKAGES="$PACKAGES gcc python3-dev"
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

# A venv with the package and its test extras; CONSTRAINTS pins every version.
setup_venv() {  # VENV CONSTRAINTS
    if [ ! -x "$1/bin/python" ]; then python3 -m venv "$1"; fi
    "$1/bin/python" -m pip install -q --disable-pip-version-check -c "$2" -e '.[test]'
}

# The lowest supported runtime versions, the test tools as pinned: the unit tests and
# the UI behaviour tests (not the snapshots, drawn with the pinned textual).
lowest() {
    local merged names
    merged="$(mktemp)"
    names="$(sed -n 's/^\([A-Za-z0-9_.-]*\)==.*/\1/p' constraints-lowest.txt | tr '\n_' '|-')"
    tr '_' '-' <constraints.txt | grep -viE "^(${names%|})==" >"$merged"
    grep -v '^#' constraints-lowest.txt >>"$merged"
    setup_venv .venv-lowest "$merged"
    rm -f "$merged"
    .venv-lowest/bin/python -m pytest -ra -m "not lab and not netns" \
        --ignore-glob='tests/ui/*snapshot*' "$@" tests/unit tests/ui
}

# The compiled build (vrrptop.native): the unit and UI tests on a compiled copy of the
# checkout, and live capture and a keepalived failover in network namespaces (root);
# test_native.py proves every listed module is the compiled one there.
compiled() {
    local tmp
    tmp="$(mktemp -d)"
    "$VENV/bin/python" scripts/compile.py --tree "$tmp/vrrptop"
    # the third-party captures beside the checkout (tests/conftest.py), if there are any
    if [ -d ../shared ]; then ln -s "$(cd ../shared && pwd)" "$tmp/shared"; fi
    # PYTHONPATH: a test's own `python -m vrrptop`, from any directory, runs the compiled
    # copy too, not the checkout the venv's editable install points at.
    (cd "$tmp/vrrptop" && VRRPTOP_TEST_BUILD=compiled PYTHONPATH="$tmp/vrrptop" \
        "$here/$VENV/bin/python" -m pytest -ra \
        -p no:cacheprovider "$@" tests/unit tests/ui tests/integration/test_capture_live.py \
        tests/integration/test_capture_counts.py tests/integration/test_lab_failover.py) || {
        rm -rf "$tmp"
        return 1
    }
    rm -rf "$tmp"
}

if [ "${1-}" = "--lowest" ]; then
    shift
    lowest "$@"
    exit
fi

here="$(pwd)"
VENV=".venv"
setup_venv "$VENV" constraints.txt

if [ "${1-}" = "--compiled" ]; then
    shift
    compiled "$@"
    exit
fi

# Lint, format and types first: a failure here is as real as a failing test.
"$VENV/bin/ruff" check vrrptop tests benchmarks scripts
"$VENV/bin/ruff" format --check --quiet vrrptop tests benchmarks scripts
"$VENV/bin/mypy" vrrptop

if [ "$#" -gt 0 ]; then exec "$VENV/bin/python" -m pytest -ra "$@"; fi
"$VENV/bin/python" -m pytest -ra
compiled
lowest
