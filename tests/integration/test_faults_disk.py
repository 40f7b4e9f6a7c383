"""``-w`` on a full disk: writing stops (said once), monitoring never does.

The capture file is secondary to watching the segment. /dev/full fails every write
(no privileges needed); a 64 KiB tmpfs in a private mount namespace (root) fills up
half way through, and what was written must stay a valid pcap.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pcapgen as g
from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.capture.synthetic import RouterSpec, SyntheticSource
from vrrptop.capture.writer import PcapWriter
from vrrptop.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
FRAMES = 3000  # ~250 KB of pcap: four times the tmpfs


def _capture(path: Path) -> Path:
    records = [(1_700_000_000 + i * 0.01, g.advert4(vrid=1 + i % 5)) for i in range(FRAMES)]
    return g.write(path, g.pcap(records))


def _run(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "vrrptop", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_engine_keeps_monitoring_when_the_writer_fails():
    notices: list[str] = []
    writer = PcapWriter(Path("/dev/full"))
    source = SyntheticSource([RouterSpec(vrid=v) for v in (1, 2)], rate=100, count=2000)
    engine = Engine(source, writer=writer, on_notice=notices.append)
    snap = engine.run()
    assert snap.counters.adverts == 2000
    assert len(notices) == 1 and "stopped writing /dev/full" in notices[0], notices
    assert engine.write_error == notices[0]
    assert writer.failed


def test_headless_json_to_dev_full_reports_once_and_finishes(tmp_path):
    cap = _capture(tmp_path / "in.pcap")
    r = _run("-r", str(cap), "--json", "-w", "/dev/full")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.count("stopped writing /dev/full") == 1, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    notices = [x for x in lines if x["type"] == "notice"]
    assert len(notices) == 1 and notices[0]["kind"] == "write-failed"
    assert lines[-1]["type"] == "snapshot"
    assert lines[-1]["counters"]["adverts"] == FRAMES


@pytest.mark.netns
def test_full_tmpfs_leaves_a_valid_pcap(tmp_path):
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare (private mount namespace with a tiny tmpfs)")
    cap = _capture(tmp_path / "in.pcap")
    mnt = tmp_path / "small"
    mnt.mkdir()
    out = mnt / "out.pcap"
    # Everything that must see the tmpfs runs inside the one private mount namespace.
    check = (
        "import sys; from vrrptop.capture.pcapfile import PcapFileSource as S;"
        " s = S(sys.argv[1]); n = sum(1 for f in s.frames() if f is not None);"
        " print(n, repr(s.status().message), oct(__import__('os').stat(sys.argv[1]).st_mode))"
    )
    script = (
        f"mount -t tmpfs -o size=64k tmpfs {mnt} && "
        f"{sys.executable} -m vrrptop -r {cap} --json -w {out} > {tmp_path}/stdout; "
        f'echo rc=$? >&2; {sys.executable} -c "{check}" {out}'
    )
    r = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "rc=0" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.count("stopped writing") == 1, r.stderr
    lines = [json.loads(x) for x in (tmp_path / "stdout").read_text().splitlines()]
    assert lines[-1]["type"] == "snapshot" and lines[-1]["counters"]["adverts"] == FRAMES
    written, message, mode = r.stdout.split(maxsplit=2)
    # Some frames made it, the file ends on a record boundary, and it is private.
    assert 0 < int(written) < FRAMES
    assert message == "''", message
    assert mode.strip() == "0o100600"
    assert not out.exists()  # the tmpfs was private to the namespace


def test_reader_of_partial_file_is_clean(tmp_path):
    # Sanity for the check above: a file we cut on a record boundary reads cleanly.
    cap = _capture(tmp_path / "in.pcap")
    data = cap.read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[: 24 + 10 * (16 + len(g.advert4()))])
    src = PcapFileSource(cut)
    assert sum(1 for f in src.frames() if f is not None) == 10
    assert src.status().message == ""
