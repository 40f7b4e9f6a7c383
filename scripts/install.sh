#!/usr/bin/env bash
# Install vrrptop into its own virtualenv, put `vrrptop`, its man page and its bash/zsh
# completions where the system looks for them, then run it with the arguments given
# (e.g. `scripts/install.sh --demo`). `scripts/install.sh --uninstall` removes it all.
# `scripts/install.sh --compiled [ARGS]` also compiles the per-frame modules with mypyc
# (vrrptop.native, scripts/compile.py: gcc, python3-dev and mypy in a throw-away venv);
# without it every install is pure Python, and removes a compiled build left earlier.
#
# As root: /opt/vrrptop, /usr/local/bin, /usr/local/share/{man,bash-completion,zsh};
#   the venv is built on the *system* interpreter /usr/bin/python3, never on root's
#   PATH python (a pyenv build under /root is unreadable by other users and by the
#   systemd unit's DynamicUser: "bad interpreter: Permission denied").
#   libpcap0.8 and python3-venv come from Debian.
# As a user: ~/.local/share/vrrptop, ~/.local/bin, ~/.local/share/{man,...}; python3
#   from PATH (PYTHON=/path/to/python3.X overrides, for root too).
#
# The source is copied to a temporary directory and built there, so a checkout the
# user cannot write (or a read-only mount) works. Next to a `wheels/` directory (the
# offline tarball from scripts/build-offline.sh) nothing is downloaded: pip installs
# from those wheels only, and needs no python3-venv (the tarball carries pip).
set -euo pipefail
umask 022  # everything installed must be readable by every user and by the service
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$(id -u)" = 0 ]; then
    python="${PYTHON:-/usr/bin/python3}"
    prefix=/opt/vrrptop bindir=/usr/local/bin share=/usr/local/share
else
    python="${PYTHON:-python3}"
    prefix="$HOME/.local/share/vrrptop" bindir="$HOME/.local/bin" share="$HOME/.local/share"
fi
links=("$bindir/vrrptop" "$share/man/man1/vrrptop.1"
    "$share/bash-completion/completions/vrrptop" "$share/zsh/site-functions/_vrrptop")
targets=("bin/vrrptop" "share/man/man1/vrrptop.1"
    "share/bash-completion/completions/vrrptop" "share/zsh/site-functions/_vrrptop")

compiled=""
if [ "${1-}" = "--compiled" ]; then compiled=1; shift; fi

if [ "${1-}" = "--uninstall" ]; then
    for link in "${links[@]}"; do
        case "$(readlink "$link" 2>/dev/null)" in "$prefix"/*) rm -f "$link" ;; esac
    done
    rm -rf "$prefix"
    echo "vrrptop uninstalled from $prefix" >&2
    exit 0
fi

wheels=""
if [ -d "$here/wheels" ]; then wheels="$here/wheels"; fi
if [ -n "$compiled" ] && [ -n "$wheels" ]; then
    echo "vrrptop: --compiled needs mypy from the package index; the offline tarball" \
        "installs pure Python only" >&2
    exit 69
fi

if ! command -v "$python" >/dev/null 2>&1; then
    echo "vrrptop: no Python interpreter '$python' (apt-get install python3)" >&2
    exit 69
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "vrrptop: needs Python 3.11 or newer; $python is $("$python" -V 2>&1)" >&2
    exit 69
fi

has_ensurepip() { "$python" -c 'import ensurepip' 2>/dev/null; }
if [ "$(id -u)" = 0 ] && [ -z "$wheels" ]; then
    need=""
    for pkg in libpcap0.8 python3-venv ${compiled:+gcc python3-dev}; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need="$need $pkg"
    done
    if [ -n "$need" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
    fi
elif [ -z "$wheels" ] && ! has_ensurepip; then
    echo "vrrptop: python3-venv is missing: ask root to run 'apt-get install python3-venv'" >&2
    exit 69
fi
if [ -n "$wheels" ] && ! "$python" -c 'import ctypes.util as u, sys; sys.exit(not u.find_library("pcap"))'; then
    echo "vrrptop: warning: libpcap is not installed; live capture needs it" \
        "(apt-get install libpcap0.8), replays and --demo do not" >&2
fi

# A venv made by another interpreter (e.g. an old /opt/vrrptop on root's pyenv) is
# rebuilt: it is the interpreter every user and the service will run.
want_home="$(dirname "$("$python" -c 'import os, sys; print(os.path.realpath(sys.executable))')")"
clear=""
if [ -f "$prefix/pyvenv.cfg" ]; then
    have_home="$(sed -n 's/^home *= *//p' "$prefix/pyvenv.cfg")"
    if [ "$(realpath -m "$have_home")" != "$want_home" ] || [ ! -x "$prefix/bin/python" ]; then
        echo "vrrptop: rebuilding $prefix on $python (it was made by $have_home)" >&2
        clear="--clear"
    fi
fi

if [ -n "$wheels" ]; then
    # Offline: a venv without pip (no python3-venv needed) and the tarball's own pip.
    if [ -n "$clear" ] || [ ! -x "$prefix/bin/python" ]; then
        "$python" -m venv --without-pip $clear "$prefix"
    fi
    pip_whl="$(ls "$wheels"/pip-*.whl | head -n 1)"
    "$prefix/bin/python" "$pip_whl/pip" install -q --disable-pip-version-check \
        --no-index --find-links "$wheels" --upgrade vrrptop
else
    if [ -n "$clear" ] || [ ! -x "$prefix/bin/python" ]; then "$python" -m venv $clear "$prefix"; fi
    # Build from a private copy: whatever a build backend writes next to the source
    # (setuptools: vrrptop.egg-info, build/) then never touches the user's checkout.
    src="$(mktemp -d)"
    trap 'rm -rf "$src"' EXIT
    tar -C "$here" --exclude=./.git --exclude=./.venv --exclude='./.venv-*' --exclude=./build \
        --exclude=./dist --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$src" -xf -
    "$prefix/bin/python" -m pip install -q --disable-pip-version-check --upgrade "$src"
fi

# pip does not know the compiled modules: drop any, so the new sources run (or are
# compiled again below, from exactly the sources just installed). -I: the installed
# vrrptop, never one in the current directory.
"$prefix/bin/python" -I -m vrrptop.native --clean >/dev/null
if [ -n "$compiled" ]; then
    "$python" -m venv "$src/build-venv"
    "$src/build-venv/bin/python" -m pip install -q --disable-pip-version-check \
        -c "$src/constraints.txt" mypy setuptools
    site="$("$prefix/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    "$src/build-venv/bin/python" "$src/scripts/compile.py" --into "$site"
fi
echo "vrrptop: $("$prefix/bin/python" -I -m vrrptop.native)" >&2

for i in "${!links[@]}"; do
    mkdir -p "$(dirname "${links[$i]}")"
    ln -sfn "$prefix/${targets[$i]}" "${links[$i]}"
done
echo "vrrptop installed: $bindir/vrrptop (man vrrptop; uninstall: $0 --uninstall)" >&2

case ":$PATH:" in
    *":$bindir:"*) ;;
    *) echo "vrrptop: warning: $bindir is not on your PATH; add it, e.g." \
        "echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.profile" >&2 ;;
esac
if [ "$(id -u)" != 0 ] && [ "${SHELL##*/}" = zsh ]; then
    echo "vrrptop: zsh completion: add 'fpath+=($share/zsh/site-functions)' before compinit" >&2
fi
if [ "$#" -gt 0 ]; then exec "$prefix/bin/vrrptop" "$@"; fi
