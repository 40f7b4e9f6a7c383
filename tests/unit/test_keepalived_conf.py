"""The configuration keepalived reads, checked against what it runs (its dump)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.lab.configs import PROFILES, Quirk, keepalived_conf
from tests.lab.topology import node_host
from vrrptop.config.keepalived import parse_keepalived_text
from vrrptop.keepalived.conf import compare, read_conf, summary
from vrrptop.keepalived.dumps import merge, parse_data, parse_json
from vrrptop.keepalived.locate import Keepalived
from vrrptop.model.node import LocalInstance

DATA = Path(__file__).resolve().parents[1] / "data" / "keepalived" / "2.2.7"


def running() -> tuple[LocalInstance, ...]:
    data = parse_data((DATA / "seed.data").read_text()).instances
    return merge(parse_json((DATA / "seed.json").read_text()), data)


def lab_conf() -> str:
    """The lab's recdns-wcdc keepalived.conf, as the recordings' keepalived read it."""
    return keepalived_conf(node_host("wcdc"), PROFILES["default"],
                           named_check=Path("/bin/named_check"), notify=Path("/bin/notify"),
                           quirk=Quirk(auth_pass="x"))  # fmt: skip


def test_lab_config_agrees_with_what_keepalived_runs() -> None:
    assert compare(parse_keepalived_text(lab_conf(), "keepalived.conf"), running()) == []


def test_differences_are_said() -> None:
    text = lab_conf().replace("priority 50", "priority 60", 1)
    text = text.replace("vrrp_instance testdns1_v6 {", "@other vrrp_instance testdns1_v6 {")
    found = compare(parse_keepalived_text(text, "keepalived.conf"), running())
    assert any("vrrptop read priority 60, keepalived runs 50" in f for f in found)
    assert any("keepalived runs instance testdns1_v6 (VRID 211) that vrrptop did not find" in f
               for f in found)  # fmt: skip


def test_the_file_keepalived_was_started_with_is_read(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(lab_conf())
    ka = Keepalived(os.getpid(), tmp_path / "pid", ("keepalived", "-f", str(conf)), None)
    read = read_conf(ka)
    assert read.files == (str(conf),) and read.findings == ()
    assert summary(read, running()) == ()
    missing = Keepalived(os.getpid(), tmp_path / "pid", ("keepalived", "-f", str(tmp_path)), None)
    (finding,) = summary(read_conf(missing), running())
    assert "cannot read" in finding and "instances are known only from its dump" in finding
