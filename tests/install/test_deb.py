"""The Debian package: built by one command, lintian-clean, installed, used, purged.

The install half runs as root on a machine without vrrptop already packaged (CI's):
dpkg installs the .deb and Debian's python3-scapy, python3-dnspython and libpcap0.8
(fetched beforehand) with no network, as on an air-gapped server; then the
installed vrrptop is run as nobody (--version, a replay report, --demo in tmux),
`man vrrptop` finds the page, systemd-analyze verifies the unit, and after
`dpkg --purge` none of the package's files is left.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import vrrptop
from tests.install.helpers import ROOT, needs_root_tools, run

DEB_NAME = f"vrrptop_{vrrptop.__version__}-1_all.deb"
#: The Depends that a fresh Debian 12 may lack (python3 and adduser it has).
DEBIAN_DEPENDS = ("python3-scapy", "python3-dnspython", "libpcap0.8")


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool in ("dpkg-deb", "/usr/bin/python3"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not available")
    out = tmp_path_factory.mktemp("deb")
    built = run(["bash", str(ROOT / "scripts/build-deb.sh")], env={**os.environ, "OUT": str(out)},
                timeout=900)  # fmt: skip
    path = Path(built.stdout.strip().splitlines()[-1])
    assert path == out / DEB_NAME
    return path


def _contents(deb: Path) -> dict[str, str]:
    listing = run(["dpkg-deb", "-c", str(deb)]).stdout.splitlines()
    return {line.split()[-1].removeprefix("."): line.split()[0] for line in listing}


def test_deb_contents(deb: Path) -> None:
    files = _contents(deb)
    for path in (
        "/usr/bin/vrrptop",
        "/usr/share/man/man1/vrrptop.1.gz",
        "/usr/share/bash-completion/completions/vrrptop",
        "/usr/share/zsh/vendor-completions/_vrrptop",
        "/lib/systemd/system/vrrptop.service",
        "/etc/default/vrrptop",
        "/usr/share/doc/vrrptop/copyright",
        "/usr/share/doc/vrrptop/changelog.Debian.gz",
        "/usr/share/doc/vrrptop/vrrptop-alerts.yml",
        "/usr/share/doc/vrrptop/vrrptop-alerts-instances.yml",
        "/usr/share/doc/vrrptop/vrrptop-grafana.json",
        "/usr/share/doc/vrrptop/examples/vrrptop-notify-mail",
        "/usr/lib/vrrptop/vrrptop/demo/lab-failover.pcap",
        "/usr/lib/vrrptop/textual/__init__.py",
        "/usr/lib/vrrptop/prometheus_client/__init__.py",
    ):
        assert path in files, path
    assert files["/usr/bin/vrrptop"].startswith("-rwxr-xr-x")
    # Debian's own packages are used where they work: not vendored.
    assert not [
        p for p in files if p.startswith(("/usr/lib/vrrptop/scapy", "/usr/lib/vrrptop/dns"))
    ]
    assert not [p for p in files if "__pycache__" in p or p.startswith("/usr/lib/vrrptop/bin")]


def test_deb_control_and_unit(deb: Path, tmp_path: Path) -> None:
    control = run(["dpkg-deb", "-f", str(deb)]).stdout
    assert re.search(r"^Architecture: all$", control, re.M)
    depends = re.search(r"^Depends: (.*)$", control, re.M)
    assert depends is not None
    for dep in ("python3 (>= 3.11)", "python3-scapy (>= 2.5)", "python3-dnspython (>= 2.3)"):
        assert dep in depends.group(1)
    run(["dpkg-deb", "-x", str(deb), str(tmp_path)])
    unit = (tmp_path / "lib/systemd/system/vrrptop.service").read_text()
    assert "ExecStart=/usr/bin/vrrptop $VRRPTOP_ARGS" in unit
    assert "AmbientCapabilities=CAP_NET_RAW" in unit
    assert "SupplementaryGroups=vrrptop" in unit


def test_lintian_reports_no_error(deb: Path) -> None:
    if shutil.which("lintian") is None:
        pytest.skip("lintian is not installed")
    out = subprocess.run(["lintian", "--tag-display-limit", "0", str(deb)], capture_output=True,
                         text=True, timeout=600)  # fmt: skip
    errors = [line for line in out.stdout.splitlines() if line.startswith("E:")]
    assert errors == [], out.stdout


@pytest.fixture
def installed(deb: Path, tmp_path: Path) -> Iterator[list[str]]:
    """The package installed with apt; purged afterwards. Yields its file list."""
    needs_root_tools("apt-get", "runuser", "tmux", "unshare")
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "vrrptop"],
                            capture_output=True, text=True)  # fmt: skip
    if "installed" in status.stdout or Path("/usr/bin/vrrptop").exists():
        pytest.skip("vrrptop is already installed on this machine: not touching it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # What an air-gapped Debian 12 gets: the .deb and Debian's packages it depends on,
    # fetched elsewhere, installed by dpkg in a network namespace with no route out.
    deps = tmp_path / "deps"
    deps.mkdir()
    deps.chmod(0o777)  # apt-get download drops to the _apt user
    run(["apt-get", "download", "-qq", *DEBIAN_DEPENDS], cwd=deps, env=env, timeout=600)
    debs = sorted(str(p) for p in deps.glob("*.deb"))
    run(["unshare", "--net", "dpkg", "-i", str(deb), *debs], env=env, timeout=900)
    files = run(["dpkg-query", "-L", "vrrptop"]).stdout.splitlines()
    try:
        yield files
    finally:
        run(["dpkg", "--purge", "vrrptop"], env=env, timeout=300)


def _as_nobody(*cmd: str) -> list[str]:
    return ["runuser", "-u", "nobody", "--", "env", "-i", "HOME=/tmp", "PATH=/usr/bin:/bin",
            "LC_ALL=C.UTF-8", *cmd]  # fmt: skip


def test_install_use_and_purge(installed: list[str], public_tmp: Path) -> None:
    version = run(_as_nobody("vrrptop", "--version"), timeout=60).stdout.splitlines()
    assert version[0] == f"vrrptop {vrrptop.__version__}"
    assert version[1].startswith("Python 3.") and "(/usr/bin/python3)" in version[1]
    assert not [line for line in version if "missing" in line], version

    report = run(_as_nobody("vrrptop", "-r", "/usr/lib/vrrptop/vrrptop/demo/lab-failover.pcap",
                            "--report", "-n", "--no-probe"), timeout=120)  # fmt: skip
    assert "Virtual routers" in report.stdout

    assert run(["man", "-w", "vrrptop"]).stdout.strip() == "/usr/share/man/man1/vrrptop.1.gz"
    page = run(["man", "-P", "cat", "vrrptop"], env={**os.environ, "MANWIDTH": "80"}).stdout
    assert "EXIT STATUS" in page

    if shutil.which("systemd-analyze"):
        run(["systemd-analyze", "verify", "/lib/systemd/system/vrrptop.service"], timeout=120)
    assert run(["getent", "group", "vrrptop"]).stdout.startswith("vrrptop:")

    session = f"vrrptop-deb-{os.getpid()}"
    demo = " ".join(_as_nobody("TERM=xterm-256color", "vrrptop", "--demo", "--no-probe"))
    run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", demo])
    try:
        screen = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "END OF CAPTURE" not in screen:
            time.sleep(0.5)
            screen = run(["tmux", "capture-pane", "-p", "-t", session]).stdout
        assert "END OF CAPTURE" in screen and "recdns-wcdc" in screen, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

    # The bytecode postinst compiled is the package's too; purge takes it.
    assert list(Path("/usr/lib/vrrptop/vrrptop").glob("__pycache__/*.pyc"))
    run(["dpkg", "--purge", "vrrptop"], timeout=300)
    dirs_shared_with_others = {"/.", "/etc", "/etc/default", "/lib", "/usr", "/usr/bin"}
    left = [
        f
        for f in installed
        if Path(f).exists() and f not in dirs_shared_with_others and not Path(f).is_dir()
    ]
    assert left == []
    assert not Path("/usr/lib/vrrptop").exists()
    assert not Path("/etc/default/vrrptop").exists()
    assert not Path("/usr/share/doc/vrrptop").exists()
