"""Every file of the hostile corpus through the real replay path: no traceback, no
hang, no password in any output (issue 17, Proof).

In-process, each file goes through ``vrrptop.runner.run`` exactly as
``vrrptop -r FILE --json`` (every fourth one also as ``--report``) runs it, with an
alarm as the hang detector; a sample goes through the real command line too.
"""

from __future__ import annotations

import contextlib
import io
import signal
import subprocess
import sys
from pathlib import Path

from tests.hostile_corpus import PASSWORD, corpus
from vrrptop.errors import VrrptopError
from vrrptop.options import Options
from vrrptop.runner import run

ROOT = Path(__file__).resolve().parents[2]
HANG_S = 10
#: The password read as IPv4 addresses (what a lying address count used to show).
LEAKED = tuple(".".join(str(b) for b in PASSWORD[i : i + 4]) for i in (0, 4))


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def _replay(path: Path, as_json: bool) -> tuple[str, str]:
    """Outcome ("ok" / "error" / "crash: ..." / "hang") and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_S)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(Options(read_file=path, json=as_json, report=not as_json, numeric=True))
        outcome = "ok" if code == 0 else f"exit {code}"
    except VrrptopError as exc:
        outcome = "error" if "\n" not in str(exc) else f"crash: multi-line error {exc!r}"
    except _Hang:
        outcome = "hang"
    except Exception as exc:  # noqa: BLE001 - exactly what the test looks for
        outcome = f"crash: {type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return outcome, out.getvalue() + err.getvalue()


def test_hostile_corpus_replays_without_traceback_hang_or_leak(tmp_path: Path) -> None:
    tried = 0
    failed: list[str] = []
    for i, (name, data) in enumerate(corpus()):
        path = tmp_path / f"{name}.pcap"
        path.write_bytes(data)
        for as_json in (True, False) if i % 4 == 0 else (True,):
            outcome, printed = _replay(path, as_json=as_json)
            tried += 1
            if outcome not in ("ok", "error"):
                failed.append(f"{name}: {outcome}")
            elif PASSWORD.decode() in printed or "Traceback" in printed:
                failed.append(f"{name}: password or traceback in the output")
            elif any(leak in printed for leak in LEAKED):
                failed.append(f"{name}: the password shown as addresses")
        path.unlink()
    print(f"hostile corpus: {tried} replays tried, {len(failed)} failed")
    assert tried > 1200
    assert not failed, failed[:20]


def test_a_sample_through_the_real_command(tmp_path: Path) -> None:
    wanted = ("cut-ng-spb-61", "caplen-4294967295", "count-1-3", "ext-40", "spb-lying-len",
              "ts-huge", "vlan-6-cut")  # fmt: skip
    files = {name: data for name, data in corpus() if name in wanted}
    assert set(files) == set(wanted)
    for name, data in files.items():
        path = tmp_path / f"{name}.pcap"
        path.write_bytes(data)
        r = subprocess.run(
            [sys.executable, "-m", "vrrptop", "-r", str(path), "--json", "-n"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert r.returncode in (0, 65, 66), (name, r.returncode, r.stderr)
        assert "Traceback" not in r.stderr, (name, r.stderr)
        assert len(r.stderr.strip().splitlines()) <= 2, (name, r.stderr)
        assert PASSWORD.decode() not in r.stdout + r.stderr, name
