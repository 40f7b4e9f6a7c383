"""Command-line parsing: tcpdump habits and one-line usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vrrptop.cli import parse_args

ROOT = Path(__file__).resolve().parents[2]


def test_positional_interface_and_flags():
    o = parse_args(["em1", "-c", "5", "-n", "--json", "-w", "out.pcap"])
    assert o.interface == "em1"
    assert o.count == 5 and o.numeric and o.json
    assert str(o.write_file) == "out.pcap"


def test_dash_i_and_read_file_are_exclusive(capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args(["-i", "em1", "-r", "x.pcap"])
    assert exc.value.code == 2
    assert "choose one source" in capsys.readouterr().err


def test_nothing_to_watch(capsys):
    with pytest.raises(SystemExit):
        parse_args([])
    assert "nothing to watch" in capsys.readouterr().err


@pytest.mark.parametrize("bad", [["-r", "x", "-c", "0"], ["-r", "x", "--speed", "-1"]])
def test_bad_numbers_rejected(bad, capsys):
    with pytest.raises(SystemExit):
        parse_args(bad)
    assert "error" in capsys.readouterr().err


def test_priority_file_repeatable():
    o = parse_args(["--demo", "--priority-file", "a", "--priority-file", "b"])
    assert [str(p) for p in o.priority_files] == ["a", "b"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vrrptop", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unreadable_pcap_is_one_line_error(tmp_path):
    missing = tmp_path / "nope.pcap"
    r = _run("-r", str(missing), "--json")
    assert r.returncode == 66
    assert r.stderr.strip().splitlines() == [f"vrrptop: cannot read {missing}: no such file"]


def test_corrupt_pcap_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(b"this is not a capture file at all")
    r = _run("-r", str(bad), "--report")
    assert r.returncode == 65
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a pcap or pcapng capture" in lines[0]


def test_unwritable_w_file_is_one_line_error(tmp_path, data_dir):
    capture = next(data_dir.glob("*.pcap"), None)
    if capture is None:
        pytest.skip("no capture in tests/data")
    r = _run("-r", str(capture), "--json", "-w", str(tmp_path / "no" / "such" / "dir.pcap"))
    assert r.returncode == 73
    assert len(r.stderr.strip().splitlines()) == 1


def test_broken_priority_file_is_one_line_error(tmp_path, data_dir):
    bad = tmp_path / "priority.testdns"
    bad.write_bytes(b"recdns-cnh\n\x00\xff\xfe binary junk\n")
    r = _run("-r", str(data_dir / "tcpdump_vrrp.pcap"), "--report", "--priority-file", str(bad))
    assert r.returncode == 65
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vrrptop: ") and str(bad) in lines[0]
    assert bad.read_bytes() == b"recdns-cnh\n\x00\xff\xfe binary junk\n"  # untouched


def test_broken_config_is_one_line_error(tmp_path, data_dir):
    conf = tmp_path / "vrrptop.toml"
    conf.write_text("[instances.testdns0]\nvrid = 'not a number'\n")
    r = _run("-r", str(data_dir / "tcpdump_vrrp.pcap"), "--report", "--config", str(conf))
    assert r.returncode == 78
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(conf) in lines[0]
