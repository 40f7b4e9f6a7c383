#!/usr/bin/env bash
# Build the offline artefact: dist/vrrptop-VERSION-offline.tar.gz, one file for an
# air-gapped machine that has Python 3.11+ and no vrrptop package.
#
#   scripts/build-offline.sh
#   scp dist/vrrptop-*-offline.tar.gz dns1:  # then, on dns1 (no network needed):
#   tar xzf vrrptop-*-offline.tar.gz && vrrptop-*-offline/scripts/install.sh --demo
#
# Inside: wheels/ holds vrrptop's wheel and a wheel of every dependency at the
# versions CI tests (constraints.txt), all pure Python (py3-none-any), plus pip's own
# wheel, so the target needs neither PyPI nor python3-venv; scripts/install.sh (the
# same script as in the repository) sees wheels/ and installs from it alone, into
# /opt/vrrptop as root or ~/.local as a user, with the man page and completions.
# Live capture also needs Debian's libpcap0.8 on the target (the installer warns).
set -euo pipefail
umask 022
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$here/dist}"
version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$here/vrrptop/__init__.py")"
name="vrrptop-$version-offline"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/$name/wheels" "$work/$name/scripts" "$out"
tar -C "$here" --exclude=./.git --exclude=./.venv --exclude='./.venv-*' --exclude=./build \
    --exclude=./dist --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$work/src" -xf -

/usr/bin/python3 -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip -q --disable-pip-version-check)
"${pip[@]}" wheel -w "$work/$name/wheels" -c "$here/constraints.txt" "$work/src"
"${pip[@]}" download --only-binary=:all: -d "$work/$name/wheels" -c "$here/constraints.txt" pip
for whl in "$work/$name/wheels"/*; do
    case "$whl" in
        *-py3-none-any.whl | *-py2.py3-none-any.whl) ;;
        *) echo "build-offline: $(basename "$whl") is not pure Python" >&2 && exit 1 ;;
    esac
done

install -m 0755 "$here/scripts/install.sh" "$work/$name/scripts/install.sh"
install -m 0644 "$here/LICENSE" "$here/CHANGELOG.md" "$work/$name/"
cat >"$work/$name/README" <<EOF
vrrptop $version, offline installer (no network needed on this machine).

    scripts/install.sh            # root: /opt/vrrptop + /usr/local/bin; user: ~/.local
    scripts/install.sh --demo     # the same, then replay a recorded failover
    scripts/install.sh --uninstall

Needs Python 3.11 or newer (Debian 12: /usr/bin/python3, used as root). Live
capture also needs libpcap (Debian: libpcap0.8). To upgrade, run the install script
of a newer tarball. wheels/ has every dependency; LICENSE is vrrptop's, each wheel
carries its own licence.
EOF
tarball="$out/$name.tar.gz"
tar -C "$work" --owner=0 --group=0 --sort=name -czf "$tarball" "$name"
echo "$tarball"
