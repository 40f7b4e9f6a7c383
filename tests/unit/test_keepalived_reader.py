"""Finding keepalived, asking it for dumps, and the poller's change detection.

The "keepalived" here answers signals the way the real one does: it writes its dump
files (the lab's recordings) into its /tmp when signalled. Freshness matters: a
dump left over from an earlier request must never be taken for the answer.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from vrrptop.keepalived.dumps import DumpError, merge, parse_data, parse_json
from vrrptop.keepalived.locate import (
    Keepalived,
    NotKeepalived,
    Signals,
    choose,
    config_from_argv,
    find,
    option_value,
)
from vrrptop.keepalived.poller import KeepalivedPoller, changed
from vrrptop.keepalived.reader import DumpReader
from vrrptop.model.node import NodeState, ScriptState

DATA = Path(__file__).resolve().parents[1] / "data" / "keepalived" / "2.2.7"
SIGS = Signals(json=36, data=10, stats=12)
FILES = {36: "keepalived.json", 10: "keepalived.data", 12: "keepalived.stats"}


class FakeKeepalived:
    """Writes the recorded dump of ``scenario`` when signalled (after ``delay``)."""

    def __init__(self, tmp: Path, scenario: str = "seed", delay: float = 0.0) -> None:
        self.tmp, self.scenario, self.delay = tmp, scenario, delay
        self.signals: list[int] = []

    def kill(self, pid: int, signum: int) -> None:
        self.signals.append(signum)
        name = FILES[signum]
        text = (DATA / f"{self.scenario}.{name.split('.', 1)[1]}").read_text()

        def write() -> None:
            (self.tmp / name).write_text(text)

        if self.delay:
            threading.Timer(self.delay, write).start()
        else:
            write()


def _ka(tmp: Path) -> Keepalived:
    return Keepalived(os.getpid(), tmp / "pid", ("keepalived",), None, tmp_dir=tmp)


def test_json_and_data_are_requested_and_merged(tmp_path: Path) -> None:
    fake = FakeKeepalived(tmp_path, delay=0.1)
    state = DumpReader(_ka(tmp_path), SIGS, kill=fake.kill).read(1000.0)
    assert sorted(fake.signals) == [10, 36]  # JSON + data; stats only without JSON
    assert state.sources == ("json", "data") and state.router_id == "recdns-wcdc"
    assert [i.state for i in state.instances] == ["MASTER", "MASTER", "BACKUP", "BACKUP"]
    assert state.instances[0].scripts[3].ok is True


def test_data_dump_only_when_json_shows_a_change(tmp_path: Path) -> None:
    """keepalived logs a line per dump: the data dump is asked again only when the
    JSON's state or priorities moved (or it is DATA_REFRESH_S old)."""
    fake = FakeKeepalived(tmp_path)
    reader = DumpReader(_ka(tmp_path), SIGS, kill=fake.kill)
    reader.read(1000.0)
    fake.signals.clear()
    again = reader.read(1005.0)
    assert fake.signals == [36]  # nothing moved: JSON only, scripts from the last data
    assert again.instances[0].scripts[3].ok is True
    fake.scenario = "dns-stopped"
    moved = reader.read(1010.0)
    assert fake.signals == [36, 36, 10]
    assert all(s.ok is False for s in moved.instances[0].scripts)
    fake.signals.clear()
    reader.read(1010.0 + 31)
    assert fake.signals == [36, 10]  # refreshed after DATA_REFRESH_S anyway


def test_without_json_data_and_stats_are_requested(tmp_path: Path) -> None:
    fake = FakeKeepalived(tmp_path, "auth-mismatch")
    sigs = replace(SIGS, json=None)
    state = DumpReader(_ka(tmp_path), sigs, kill=fake.kill).read(1000.0)
    assert sorted(fake.signals) == [10, 12] and state.sources == ("data", "stats")
    assert (state.instances[0].counter("auth_failure") or 0) > 0


def test_a_stale_dump_is_not_an_answer(tmp_path: Path) -> None:
    FakeKeepalived(tmp_path).kill(0, 36)
    FakeKeepalived(tmp_path).kill(0, 10)  # files from an earlier request
    silent = DumpReader(_ka(tmp_path), SIGS, kill=lambda pid, sig: None, timeout=0.3)
    with pytest.raises(DumpError, match="wrote no fresh keepalived.json in .* within 0.3s"):
        silent.read(1000.0)


def test_only_a_live_keepalived_is_found(tmp_path: Path) -> None:
    pidfile = tmp_path / "keepalived.pid"
    with pytest.raises(NotKeepalived, match="no keepalived pid file"):
        find(pidfile)
    pidfile.write_text("garbage\n")
    with pytest.raises(NotKeepalived, match="does not hold a pid"):
        find(pidfile)
    pidfile.write_text(f"{os.getpid()}\n")  # a live process that is not keepalived
    with pytest.raises(NotKeepalived, match="not keepalived \\(stale pid file\\)"):
        find(pidfile)


def test_poller_says_why_it_reads_nothing(tmp_path: Path) -> None:
    pidfile = tmp_path / "keepalived.pid"
    pidfile.write_text(f"{os.getpid()}\n")
    state = KeepalivedPoller(pidfile, clock=lambda: 5.0).poll()
    assert state.instances == () and state.error is not None
    assert "is 'python" in state.error or "not keepalived" in state.error


def test_command_line_options() -> None:
    argv = ("keepalived", "-n", "--vrrp", "-f", "/etc/ka/main.conf", "-i", "cnh", "-D")
    assert config_from_argv(argv) == Path("/etc/ka/main.conf")
    assert option_value(argv, "-i", "--config-id") == "cnh"
    assert config_from_argv(("keepalived", "--use-file=/x.conf")) == Path("/x.conf")
    assert config_from_argv(("keepalived", "-f/y.conf")) == Path("/y.conf")
    assert config_from_argv(("keepalived", "-D")) == Path("/etc/keepalived/keepalived.conf")


def test_on_by_default_only_live_as_root_with_a_pid_file(tmp_path: Path) -> None:
    present = tmp_path / "keepalived.pid"
    present.write_text("1\n")
    absent = tmp_path / "none.pid"
    assert choose(present, off=False, live=True, root=True) == (present, "")
    assert choose(present, off=True, live=True, root=True) == (None, "")
    assert choose(present, off=False, live=False, root=True) == (None, "")
    path, why = choose(present, off=False, live=True, root=False)
    assert path is None and "only as root" in why
    path, why = choose(absent, off=False, live=True, root=True)
    assert path is None and "no such file" in why


def test_changes_ignore_advert_counters_but_not_scripts_or_errors() -> None:
    def node(scenario: str) -> NodeState:
        inst = merge(
            parse_json((DATA / f"{scenario}.json").read_text()),
            parse_data((DATA / f"{scenario}.data").read_text()).instances,
        )
        return NodeState(ts=1.0, pid=1, instances=inst)

    seed = node("seed")
    assert len(changed(None, seed)) == 4  # everything is new at first
    moving = {"advert_rcvd", "advert_sent"}

    def bump(keys: set[str]) -> NodeState:
        return replace(
            seed,
            instances=tuple(
                replace(i, counters=tuple((k, v + 7 * (k in keys)) for k, v in i.counters))
                for i in seed.instances
            ),
        )

    assert changed(seed, bump(moving)) == ()  # adverts come every second: no line
    assert len(changed(seed, bump({"auth_failure"}))) == 4  # an error counter rose
    first = seed.instances[0]
    flipped = replace(first, scripts=(ScriptState("named_check_testdns0_4", False, 200),))
    assert changed(seed, replace(seed, instances=(flipped, *seed.instances[1:]))) == (flipped,)
    assert [i.name for i in changed(seed, node("auth-mismatch"))] != []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a process as another user")
def test_a_keepalived_not_run_by_root_is_never_signalled(tmp_path: Path) -> None:
    """--keepalived-pid may name a file another user writes: their process, even named
    keepalived, is neither signalled nor its binary run."""
    import shutil
    import subprocess
    import tempfile

    where = Path(tempfile.mkdtemp(prefix="vrrptop-fake-ka-"))  # pytest's tmp is 0700
    where.chmod(0o755)
    fake = where / "keepalived"
    shutil.copy("/bin/sleep", fake)
    fake.chmod(0o755)
    proc = subprocess.Popen([str(fake), "30"], user=65534)
    try:
        pidfile = tmp_path / "keepalived.pid"
        pidfile.write_text(f"{proc.pid}\n")
        deadline = 50
        while deadline and Path(f"/proc/{proc.pid}/comm").read_text().strip() != "keepalived":
            deadline -= 1
            threading.Event().wait(0.05)
        with pytest.raises(NotKeepalived, match="runs as uid 65534, not root: not signalled"):
            find(pidfile)
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(where)
