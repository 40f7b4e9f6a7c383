"""scripts/install.sh as a user would meet it: a checkout they cannot write, no
~/.local/bin on PATH, and (from the offline tarball) no network at all.

Both run as nobody from root-owned files (so the checkout is read-only for them) with a
PATH that lacks ~/.local/bin; the offline one in a network namespace of its own, which
has no route anywhere. Each checks the command, the man page and the completions, the
PATH warning, and that --uninstall leaves nothing behind.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

import vrrptop
from tests.install.helpers import ROOT, as_nobody, copy_checkout, needs_root_tools, run


def _check_user_install(home: Path, install_sh: Path, out: str) -> None:
    local = home / ".local"
    assert f"{local}/bin is not on your PATH" in out
    assert (local / "bin/vrrptop").is_symlink()
    versions = run(as_nobody(home, str(local / "bin/vrrptop"), "--version"), timeout=60).stdout
    assert versions.startswith(f"vrrptop {vrrptop.__version__}\n")
    assert "missing" not in versions
    man_env = {"MANPATH": "", "PATH": f"{local}/bin:/usr/bin:/bin"}
    found = run(as_nobody(home, "env", *(f"{k}={v}" for k, v in man_env.items()), "man", "-w",
                          "vrrptop"))  # fmt: skip
    assert found.stdout.strip() == f"{local}/share/vrrptop/share/man/man1/vrrptop.1"
    assert (local / "share/bash-completion/completions/vrrptop").resolve().is_file()
    assert (local / "share/zsh/site-functions/_vrrptop").resolve().is_file()

    run(as_nobody(home, "bash", str(install_sh), "--uninstall"), timeout=60)
    left = [p for p in local.rglob("*") if not p.is_dir()]
    assert left == []


def test_offline_tarball_installs_as_a_user_without_network(
    public_tmp: Path, nobody_home: Path, tmp_path: Path
) -> None:
    needs_root_tools("runuser", "unshare", "/usr/bin/python3")
    built = run(["bash", str(ROOT / "scripts/build-offline.sh")],
                env={**os.environ, "OUT": str(tmp_path)}, timeout=900)  # fmt: skip
    tarball = Path(built.stdout.strip().splitlines()[-1])
    assert tarball.name == f"vrrptop-{vrrptop.__version__}-offline.tar.gz"
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    run(["tar", "-C", str(public_tmp), "-xzf", str(tarball)])
    top = tarball.name.removesuffix(".tar.gz")
    wheels = [n for n in names if n.startswith(f"{top}/wheels/")]
    for dist in ("vrrptop", "textual", "scapy", "dnspython", "rich", "prometheus_client", "pip"):
        assert [w for w in wheels if Path(w).name.startswith(f"{dist}-")], dist

    install_sh = public_tmp / top / "scripts/install.sh"
    python = "/usr/bin/python3"
    out = run(as_nobody(nobody_home, "env", f"PYTHON={python}", "bash", str(install_sh),
                        network=False), timeout=600)  # fmt: skip
    _check_user_install(nobody_home, install_sh, out.stderr)


def test_install_from_a_read_only_checkout_as_a_user(public_tmp: Path, nobody_home: Path) -> None:
    needs_root_tools("runuser", "/usr/bin/python3")
    if subprocess.run(["/usr/bin/python3", "-c", "import ensurepip"]).returncode != 0:
        pytest.skip("python3-venv is not installed")
    checkout = copy_checkout(public_tmp / "checkout")
    install_sh = checkout / "scripts/install.sh"
    out = run(as_nobody(nobody_home, "env", "PYTHON=/usr/bin/python3", "bash", str(install_sh)),
              timeout=900)  # fmt: skip
    assert not list(checkout.glob("*.egg-info")) and not (checkout / "build").exists()
    _check_user_install(nobody_home, install_sh, out.stderr)


def test_pip_installs_from_a_read_only_checkout(public_tmp: Path, nobody_home: Path) -> None:
    """What ``pipx install .`` does: pip builds the checkout; nothing is written into it."""
    needs_root_tools("runuser", "/usr/bin/python3")
    if subprocess.run(["/usr/bin/python3", "-c", "import ensurepip"]).returncode != 0:
        pytest.skip("python3-venv is not installed")
    checkout = copy_checkout(public_tmp / "checkout")
    before = sorted(p.relative_to(checkout) for p in checkout.rglob("*"))
    venv = nobody_home / "venv"
    run(as_nobody(nobody_home, "/usr/bin/python3", "-m", "venv", str(venv)), timeout=120)
    run(as_nobody(nobody_home, str(venv / "bin/pip"), "install", "-q", "-c",
                  str(checkout / "constraints.txt"), str(checkout)), timeout=900)  # fmt: skip
    assert sorted(p.relative_to(checkout) for p in checkout.rglob("*")) == before
    versions = run(as_nobody(nobody_home, str(venv / "bin/vrrptop"), "--version")).stdout
    assert versions.startswith(f"vrrptop {vrrptop.__version__}\n")
    assert (venv / "share/man/man1/vrrptop.1").is_file()


def test_compiled_install_as_a_user_then_pure_again(public_tmp: Path, nobody_home: Path) -> None:
    """``install.sh --compiled``: the same output as pure Python; a later plain install
    removes the compiled modules (pip does not know them), and --uninstall leaves
    nothing behind."""
    needs_root_tools("runuser", "/usr/bin/python3", "gcc")
    if subprocess.run(["/usr/bin/python3", "-c", "import ensurepip"]).returncode != 0:
        pytest.skip("python3-venv is not installed")
    checkout = copy_checkout(public_tmp / "checkout")
    install_sh = checkout / "scripts/install.sh"
    demo = checkout / "vrrptop/demo/lab-failover.pcap"
    vrrptop_cmd = str(nobody_home / ".local/bin/vrrptop")

    def install(*flags: str) -> str:
        out = run(as_nobody(nobody_home, "env", "PYTHON=/usr/bin/python3", "bash",
                            str(install_sh), *flags), timeout=900)  # fmt: skip
        return out.stderr

    def replay() -> str:
        return run(as_nobody(nobody_home, vrrptop_cmd, "-r", str(demo), "--json", "-n",
                             "--no-probe"), timeout=120).stdout  # fmt: skip

    assert "vrrptop: compiled with mypyc" in install("--compiled")
    versions = run(as_nobody(nobody_home, vrrptop_cmd, "--version"), timeout=60).stdout
    assert versions.splitlines()[-1].startswith("build compiled with mypyc ("), versions
    compiled_lines = replay()
    assert compiled_lines.count('"type":"advert"') > 100

    assert "vrrptop: pure Python (no compiled modules)" in install()
    assert replay() == compiled_lines
    local = nobody_home / ".local"
    left = [p for p in local.rglob("*.so") if p.name.startswith("vrrptop_native__mypyc")
            or "/site-packages/vrrptop/" in str(p)]  # fmt: skip
    assert left == []

    run(as_nobody(nobody_home, "bash", str(install_sh), "--uninstall"), timeout=60)
    assert [p for p in local.rglob("*") if not p.is_dir()] == []
