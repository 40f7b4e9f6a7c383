"""Drive vrrptop's priority-file editor through Pilot against the live lab.

Run inside the monitor namespace (the capture is on mon0), from the repo root::

    ip netns exec vl-mon python -m tests.lab.editor_driver \
        --keepalived-conf /run/vrrptop-lab/nodes/recdns-cnh/keepalived.conf

It builds the console exactly as the CLI does (configuration from keepalived.conf,
a live capture, the Monitor with DNS probes), waits for the masters, then:

1. ``move``: moves ``--host`` (default recdns-sby) to the top of the priority file
   with ``K`` and saves (ctrl+s, confirm), and waits until the master vrrptop observes
   for every instance is the one the save dialog predicted;
2. ``disable``: takes the observed master of ``--instance`` (default testdns0) out of
   service with ``x``, saves, and waits again.

The last line on stdout is a JSON summary (predictions from the save dialog, what
the engine and the screen showed, timings); exit status 0 when every step's
prediction was observed in time, 1 otherwise. keepalived's own ground truth is the
caller's business (tests/integration/test_lab_editor.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from vrrptop.config.model import Config, InstanceConfig
from vrrptop.expect.settle import settle_time
from vrrptop.model.snapshot import InstanceView, Snapshot
from vrrptop.monitor import Monitor, load_configuration
from vrrptop.options import Options
from vrrptop.runner import open_source
from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.factory import build_app
from vrrptop.ui.screens.editor import EditorScreen
from vrrptop.ui.screens.editor_dialogs import SaveDialog
from vrrptop.ui.screens.main import MainScreen
from vrrptop.ui.widgets.editor_pane import EditorPane
from vrrptop.ui.widgets.eventlog import EventLog

SIZE = (120, 40)


class StepFailed(RuntimeError):
    """A step did not reach its goal in time."""


def _view(snap: Snapshot, vrid: int, family: int) -> InstanceView | None:
    for view in snap.instances:
        if view.vrid == vrid and view.family == family:
            return view
    return None


def _obs(view: InstanceView) -> str | None:
    """The observed master's host name, as the judgement joined it."""
    return view.expectation.observed_master_name if view.expectation else None


def _observed(view: InstanceView | None) -> dict[str, Any]:
    """What the engine says about one instance (JSON-able)."""
    if view is None:
        return {"seen": False}
    return {
        "seen": True,
        "state": str(view.state),
        "master": view.master,
        "priority": view.priority,
        "observed_master_name": _obs(view),
        "expected_master": view.expectation.predicted_master if view.expectation else None,
        "settled": view.expectation.settled if view.expectation else None,
        "alarms": [a.kind.value for a in view.alarms],
    }


async def _poll(
    pilot: Pilot[int], what: str, timeout: float, check: Callable[[], bool], step: float = 0.1
) -> float:
    """Pause the app until ``check()``; returns the epoch time it first held."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return time.time()
        if time.monotonic() >= deadline:
            raise StepFailed(f"{what}: not within {timeout:.0f} s")
        await pilot.pause(step)


def _log_lines(app: VrrptopApp) -> list[str]:
    return list(app.main_screen.query_one("#events", EventLog).entries)


def _ui_row(app: VrrptopApp, vrid: int, fam: str) -> dict[str, str] | None:
    """The main screen's instances row for (vrid, family): column id -> plain text."""
    from textual.widgets import DataTable

    table = app.main_screen.query_one("#instances", DataTable)
    keys = [str(key.value) for key in table.columns]
    for i in range(table.row_count):
        row = dict(zip(keys, (str(c) for c in table.get_row_at(i)), strict=True))
        if row.get("vrid") == str(vrid) and row.get("family") == fam:
            return row
    return None


def _pane(app: VrrptopApp) -> EditorPane:
    screen = app.screen
    if not isinstance(screen, EditorScreen) or screen.pane is None:
        raise StepFailed(f"the editor is not showing (screen: {type(screen).__name__})")
    return screen.pane


def _row_of(pane: EditorPane, host: str) -> int:
    """Index of ``host``'s line (in or out of service) in the edited file."""
    assert pane.session is not None
    for index, line in enumerate(pane.session.file.lines):
        if line.host == host:
            return index
    raise StepFailed(f"{host} is not in {pane.path}")


class Driver:
    """One Pilot session over the live monitor."""

    def __init__(self, app: VrrptopApp, monitor: Monitor, pilot: Pilot[int], margin: float):
        self.app = app
        self.monitor = monitor
        self.pilot = pilot
        self.margin = margin
        #: Configured instances with a VRID (keepalived.conf: testdns0, testdns0_v6, ...).
        self.instances = {i.name: i for i in monitor.config.instances if i.vrid is not None}

    def snap(self) -> Snapshot:
        """The engine's snapshot as the console sees it (enriched)."""
        return self.monitor.engine.snapshot()

    def instance(self, name: str) -> InstanceConfig:
        """A configured instance by name."""
        try:
            return self.instances[name]
        except KeyError:
            raise StepFailed(f"instance {name} is not configured") from None

    def views(self, snap: Snapshot, name: str) -> list[InstanceView | None]:
        """The engine's view of the instance in each of its families."""
        inst = self.instance(name)
        assert inst.vrid is not None
        return [_view(snap, inst.vrid, fam) for fam in inst.families]

    def observed_names(self) -> dict[str, str | None]:
        """Observed master (host name) of every instance; None unless all its families
        agree on one."""
        snap = self.snap()
        out: dict[str, str | None] = {}
        for name in self.instances:
            names = {_obs(v) if v else None for v in self.views(snap, name)}
            out[name] = names.pop() if len(names) == 1 else None
        return out

    def describe(self, names: list[str]) -> dict[str, Any]:
        """What the engine says now about ``names``, every family."""
        snap = self.snap()
        out: dict[str, Any] = {}
        for name in names:
            inst = self.instance(name)
            out[name] = {
                f"v{fam}": _observed(v)
                for fam, v in zip(inst.families, self.views(snap, name), strict=True)
            }
        return out

    async def wait_masters(self, timeout: float) -> dict[str, str | None]:
        """Until every configured instance has a named master on the wire."""
        await _poll(
            self.pilot,
            "masters of every instance seen",
            timeout,
            lambda: all(self.observed_names().values()),
        )
        return self.observed_names()

    async def open_editor(self) -> EditorPane:
        """``e`` from the main screen (escape first if a dialog or the editor is up)."""
        await self.to_main()
        await self.pilot.press("e")
        await _poll(
            self.pilot, "editor opens", 5, lambda: isinstance(self.app.screen, EditorScreen)
        )
        return _pane(self.app)

    async def to_main(self) -> None:
        """Back to the main screen (the editor leaves without asking: nothing unsaved)."""
        for _ in range(5):
            if isinstance(self.app.screen, MainScreen):
                return
            await self.pilot.press("escape")
            await self.pilot.pause()
        raise StepFailed(
            f"cannot get back to the main screen from {type(self.app.screen).__name__}"
        )

    async def goto(self, pane: EditorPane, index: int) -> None:
        """Put the editor's cursor on line ``index + 1``."""
        pane.table.move_cursor(row=index)
        await self.pilot.pause()
        if pane.cursor != index:
            raise StepFailed(f"cursor stuck on line {pane.cursor + 1}, wanted {index + 1}")

    async def save(self, pane: EditorPane) -> tuple[dict[str, list[str | None]], float, int]:
        """ctrl+s, read the dialog's predictions, confirm ("y"). Returns the predictions
        (instance -> [before, after]), the save time and the event log's length then."""
        await self.pilot.press("ctrl+s")
        await _poll(self.pilot, "save dialog", 5, lambda: isinstance(self.app.screen, SaveDialog))
        dialog = self.app.screen
        assert isinstance(dialog, SaveDialog)
        predicted = {c.instance: [c.before, c.after] for c in dialog.changes}
        before = pane.session.file.render() if pane.session else b""
        mark = len(_log_lines(self.app))
        await self.pilot.press("y")
        saved_at = await _poll(
            self.pilot,
            "file saved",
            5,
            lambda: not isinstance(self.app.screen, SaveDialog) and not pane.dirty,
            step=0.01,
        )
        if pane.session is None or pane.session.file.render() != before:
            raise StepFailed("the saved content is not what the dialog showed")
        return predicted, saved_at, mark

    async def follow(self, result: dict[str, Any], predicted: dict[str, list[str | None]],
                     saved_at: float, mark: int, settle_s: float) -> None:  # fmt: skip
        """Wait until the wire shows every predicted master (and the expectation says
        so), then until the main screen's event log does; results go into ``result``."""
        step = result["step"]
        after = {name: pair[1] for name, pair in predicted.items()}

        first_seen: dict[str, float] = {}

        def agrees() -> bool:
            snap, now, every = self.snap(), time.time(), True
            for name, host in after.items():
                ok = all(
                    view is not None
                    and _obs(view) == host
                    and view.expectation is not None
                    and view.expectation.predicted_master == host
                    for view in self.views(snap, name)
                )
                if ok:
                    first_seen.setdefault(name, now)
                every = every and ok
            return every

        timeout = settle_s + self.margin
        result.update(predicted=predicted, saved_at=saved_at, settle_s=settle_s, timeout_s=timeout)
        try:
            seen_at = await _poll(self.pilot, f"{step}: {after} observed", timeout, agrees)
        finally:
            result["engine"] = self.describe(list(after))
            #: Per instance: seconds from the save until vrrptop first showed the prediction.
            result["observed_after_s"] = {n: round(t - saved_at, 3) for n, t in first_seen.items()}
        result["observed_at"] = seen_at
        # What the operator sees: the main screen's event log and instances table.
        await self.to_main()
        wanted = [f"{name}: {host} is master as predicted" for name, host in after.items()]

        def logged() -> list[str]:
            return _log_lines(self.app)[mark:]

        try:
            await _poll(
                self.pilot,
                f"{step}: the event log says every master followed",
                timeout,
                lambda: all(any(w in line for line in logged()) for w in wanted),
            )
        finally:
            result["log"] = [line for line in logged() if "predicted" in line or "expect" in line]
        result["ui_rows"] = {
            f"{name}/v{fam}": _ui_row(self.app, inst.vrid, f"v{fam}")
            for name, inst in self.instances.items()
            if name in after and inst.vrid is not None
            for fam in inst.families
        }


async def scenario(
    app: VrrptopApp, monitor: Monitor, args: argparse.Namespace, summary: dict[str, Any]
) -> None:
    """The two steps, recorded in ``summary``; StepFailed on the first that fails."""
    summary["steps"] = []
    async with app.run_test(size=SIZE) as pilot:
        driver = Driver(app, monitor, pilot, args.margin)
        files = {i.priority_file for i in driver.instances.values() if i.priority_file}
        if len(files) != 1:
            raise StepFailed(f"want one priority file from {args.keepalived_conf}, got {files}")
        settle_s = max(settle_time(i) for i in driver.instances.values())
        summary["instances"] = {n: [i.vrid, list(i.families)] for n, i in driver.instances.items()}
        summary["priority_file"] = str(files.pop())
        summary["initial"] = await driver.wait_masters(args.ready_timeout)

        # 1. move --host to the top of the file, save.
        pane = await driver.open_editor()
        summary["file_before"] = pane.session.file.render().decode() if pane.session else None
        await driver.goto(pane, _row_of(pane, args.host))
        while pane.cursor > 0:
            row = pane.cursor
            await pilot.press("K")
            await pilot.pause()
            if pane.cursor >= row:
                raise StepFailed(f"K did not move {args.host} up from line {row + 1}")
        step: dict[str, Any] = {"step": f"move {args.host} to the top"}
        summary["steps"].append(step)
        predicted, saved_at, mark = await driver.save(pane)
        step["file_after"] = Path(summary["priority_file"]).read_text()
        await driver.follow(step, predicted, saved_at, mark, settle_s)

        # 2. take the observed master of --instance out of service, save.
        master = driver.observed_names()[args.instance]
        if master is None:
            raise StepFailed(f"{args.instance} has no master to take out of service")
        pane = await driver.open_editor()
        await driver.goto(pane, _row_of(pane, master))
        await pilot.press("x")
        await pilot.pause()
        if not pane.dirty:
            raise StepFailed(f"x did not take {master} out of service")
        step = {"step": f"take {master} out of service", "disabled": master}
        summary["steps"].append(step)
        predicted, saved_at, mark = await driver.save(pane)
        step["file_after"] = Path(summary["priority_file"]).read_text()
        await driver.follow(step, predicted, saved_at, mark, settle_s)


def build(args: argparse.Namespace) -> tuple[VrrptopApp, Monitor]:
    """The console as ``vrrptop mon0 --keepalived-conf ...`` builds it."""
    options = Options(
        interface=args.interface,
        keepalived_conf=Path(args.keepalived_conf),
        numeric=True,
        no_probe=args.no_probe,
    )
    config: Config = load_configuration(options)
    source = open_source(options)
    monitor = Monitor(options, source, config=config)
    app = build_app(options, monitor.engine, monitor=monitor)
    return app, monitor


def main(argv: list[str] | None = None) -> int:
    """Run the scenario; print the JSON summary as the last line of stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keepalived-conf", required=True)
    parser.add_argument("--interface", default="mon0")
    parser.add_argument("--host", default="recdns-sby", help="moved to the top first")
    parser.add_argument("--instance", default="testdns0", help="whose master is disabled")
    parser.add_argument("--margin", type=float, default=10.0, help="seconds past settle time")
    parser.add_argument("--ready-timeout", type=float, default=20.0)
    parser.add_argument("--no-probe", action="store_true")
    args = parser.parse_args(argv)
    started = time.time()
    app, monitor = build(args)
    summary: dict[str, Any] = {"ok": False, "started": started}
    try:
        monitor.start_services()
        asyncio.run(scenario(app, monitor, args, summary))
        summary["ok"] = True
    except StepFailed as err:
        summary["error"] = str(err)
    except Exception as err:  # noqa: BLE001 - the caller still gets a summary; trace on stderr
        traceback.print_exc()
        summary["error"] = f"driver crashed: {err!r}"
    finally:
        monitor.stop()
        monitor.engine.join(2)
        monitor.source.close()
    summary["elapsed_s"] = round(time.time() - started, 3)
    print(json.dumps(summary, default=str), flush=True)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
