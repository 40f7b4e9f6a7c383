"""The wheel and the sdist carry what pip and pipx users need, built without warnings."""

from __future__ import annotations

import re
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import vrrptop
from tests.install.helpers import copy_checkout, run


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    pytest.importorskip("build")
    src = copy_checkout(tmp_path_factory.mktemp("dist") / "src")
    out = src.parent / "out"
    built = run([sys.executable, "-m", "build", "-o", str(out), str(src)], timeout=600)
    wheel = out / f"vrrptop-{vrrptop.__version__}-py3-none-any.whl"
    sdist = out / f"vrrptop-{vrrptop.__version__}.tar.gz"
    return wheel, sdist, built.stdout + built.stderr


def test_build_has_no_deprecation_warning(dists: tuple[Path, Path, str]) -> None:
    log = dists[2].lower()
    assert "deprecat" not in log, dists[2]


def test_wheel_has_package_data_licence_man_page_and_completions(
    dists: tuple[Path, Path, str],
) -> None:
    v = vrrptop.__version__
    with zipfile.ZipFile(dists[0]) as whl:
        names = set(whl.namelist())
    for name in (
        "vrrptop/demo/lab-failover.pcap",
        "vrrptop/demo/config.toml",
        "vrrptop/ui/vrrptop.tcss",
        "vrrptop/versions.py",
        f"vrrptop-{v}.dist-info/licenses/LICENSE",
        f"vrrptop-{v}.data/data/share/man/man1/vrrptop.1",
        f"vrrptop-{v}.data/data/share/bash-completion/completions/vrrptop",
        f"vrrptop-{v}.data/data/share/zsh/site-functions/_vrrptop",
    ):
        assert name in names, name
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_wheel_metadata(dists: tuple[Path, Path, str]) -> None:
    v = vrrptop.__version__
    with zipfile.ZipFile(dists[0]) as whl:
        text = whl.read(f"vrrptop-{v}.dist-info/METADATA").decode()
    meta = Parser().parsestr(text)
    assert meta["Version"] == v
    assert meta["License-Expression"] == "MIT"
    assert meta["License-File"] == "LICENSE"
    assert "vrrp" in meta["Keywords"]
    classifiers = meta.get_all("Classifier") or []
    assert "Topic :: System :: Networking :: Monitoring" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # SPDX says it
    requires = [r for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r]
    names = {re.split(r"[<>=!~; ]", r)[0].lower().replace("-", "_") for r in requires}
    assert names == {
        "textual",
        "scapy",
        "dnspython",
        "rich",
        "prometheus_client",
    }
    assert not [r for r in requires if "==" in r]


def test_sdist_has_contrib_licence_and_packaging(dists: tuple[Path, Path, str]) -> None:
    top = f"vrrptop-{vrrptop.__version__}"
    with tarfile.open(dists[1]) as tar:
        names = set(tar.getnames())
    for name in (
        "LICENSE",
        "CHANGELOG.md",
        "constraints.txt",
        "constraints-lowest.txt",
        "contrib/vrrptop.service",
        "contrib/vrrptop-alerts.yml",
        "contrib/vrrptop-alerts.test.yml",
        "contrib/vrrptop-grafana.json",
        "contrib/vrrptop-notify-mail",
        "contrib/man/vrrptop.1",
        "contrib/man/vrrptop.1.include",
        "contrib/completions/vrrptop",
        "contrib/completions/_vrrptop",
        "contrib/debian/control",
        "scripts/build-deb.sh",
        "scripts/build-offline.sh",
        "scripts/install.sh",
        "scripts/gen_docs.py",
        "scripts/compile.py",
        "vrrptop/demo/lab-failover.pcap",
        "vrrptop/ui/vrrptop.tcss",
    ):
        assert f"{top}/{name}" in names, name
