"""Resolving the configuration: an unreadable keepalived.conf is said, an explicit
--priority-file wins over the derived one, the rank script name is configurable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vrrptop.config.derive import resolve_config

ROOT = Path(__file__).resolve().parents[2]
SEED_CONF = ROOT / "tests" / "data" / "keepalived-seed.conf"


def test_unreadable_default_keepalived_conf_is_said_with_what_it_disables(
    tmp_path: Path,
) -> None:
    conf = tmp_path / "keepalived.conf"
    shutil.copy(SEED_CONF, conf)
    conf.chmod(0o600)
    code = (
        "import sys; from pathlib import Path; from vrrptop.config.derive import "
        "resolve_config; c, k = resolve_config(default_keepalived=Path(sys.argv[1]), "
        "search=()); print(k is None, len(c.instances)); print(*c.warnings, sep='\\n')"
    )
    if os.geteuid() == 0:
        # Root reads anything: a file of another user's, read without any capability
        # (setpriv), is what an unprivileged vrrptop sees of a 0600 keepalived.conf.
        if not shutil.which("setpriv"):
            pytest.skip("needs setpriv (util-linux) to drop root's capabilities")
        os.chown(conf, 65534, 65534)
        prefix = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]
    else:
        conf.chmod(0)
        prefix = []
    out = subprocess.run(
        [*prefix, sys.executable, "-c", code, str(conf)], cwd=ROOT, capture_output=True,
        text=True, check=True, timeout=60,
    ).stdout.splitlines()  # fmt: skip
    assert out[0] == "True 0"
    (warning,) = out[1:]
    assert warning.startswith(f"{conf}: cannot read (")
    assert "priority files from it are unknown" in warning


def test_missing_default_keepalived_conf_is_silent(tmp_path: Path) -> None:
    config, kconf = resolve_config(default_keepalived=tmp_path / "nope.conf", search=())
    assert kconf is None and not config.warnings


def test_explicit_priority_file_overrides_the_derived_path(tmp_path: Path) -> None:
    mine = tmp_path / "elsewhere" / "prio.list"
    config, _ = resolve_config(keepalived_path=SEED_CONF, search=(), priority_files=[mine])
    assert {i.priority_file for i in config.instances} == {mine}
    # Two files: the one named like the derived path wins; the other is no instance's.
    named = tmp_path / "priority.testdns"
    config, _ = resolve_config(keepalived_path=SEED_CONF, search=(), priority_files=[mine, named])
    assert {i.priority_file for i in config.instances} == {named}
    # None of that name and the derived one absent: dropped, said, not fatal.
    other = tmp_path / "x"
    config, _ = resolve_config(keepalived_path=SEED_CONF, search=(), priority_files=[mine, other])
    assert {i.priority_file for i in config.instances} == {None}
    assert any("does not exist" in w and "--priority-file" in w for w in config.warnings)


def test_explicit_priority_file_runs_end_to_end(tmp_path: Path) -> None:
    pfile = tmp_path / "prio"
    pfile.write_text("recdns-cnh\nrecdns-rnb\n")
    run = subprocess.run(
        [sys.executable, "-m", "vrrptop", "-r", str(ROOT / "tests/data/tcpdump_vrrp.pcap"),
         "--json", "--keepalived-conf", str(SEED_CONF), "--priority-file", str(pfile)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr


def test_rank_script_name_is_configurable(tmp_path: Path) -> None:
    kconf = tmp_path / "keepalived.conf"
    kconf.write_text(
        SEED_CONF.read_text().replace("/etc/keepalived/named_check", "/usr/local/bin/rank")
    )
    toml = tmp_path / "vrrptop.toml"
    config, _ = resolve_config(keepalived_path=kconf, search=())
    assert {i.scripts for i in config.instances} == {0}  # not recognised by default
    toml.write_text('rank_scripts = ["rank"]\n')
    config, _ = resolve_config(toml, kconf, search=())
    assert {(i.scripts, i.step) for i in config.instances} == {(4, 50)}
    assert {i.priority_file for i in config.instances} == {tmp_path / "priority.testdns"}
