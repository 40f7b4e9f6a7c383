"""Layering contracts: which packages of vrrptop may import which (read from the code).

The tree is the architecture: ``wire -> capture -> model -> expect -> engine ->
enrich -> monitor -> output / ui -> runner -> cli``, with ``config``, ``priority`` and ``probe``
as services beside them. Every ``import`` of ``vrrptop.X`` in a module of package P
must be allowed here; a new edge is a design decision, made by editing this table.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "vrrptop"

#: package -> the vrrptop packages it may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "wire": set(),
    "capture": {"errors", "wire"},
    "model": {"wire"},
    "priority": {"errors"},
    "config": {"errors", "priority"},
    "probe": {"errors", "model", "options"},
    "expect": {"config", "model", "priority"},
    "keepalived": {"config", "expect", "model"},
    "engine": {"capture", "model", "options", "wire"},
    "enrich": {"config", "expect", "keepalived", "model", "options", "priority", "probe"},
    "monitor": {
        "capture", "config", "engine", "enrich", "expect", "keepalived", "model", "options",
        "output", "priority", "probe",
    },
    "output": {"capture", "errors", "expect", "model", "wire", "config", "options", "probe"},
    "ui": {"capture", "config", "errors", "expect", "model", "options", "priority", "wire",
           "probe", "engine"},
    "runner": {"capture", "config", "errors", "model", "monitor", "options", "output", "ui"},
    "cli": {"capture", "errors", "options", "output", "runner", "versions"},
    "versions": {"native"},
    "native": set(),
    "options": set(),
    "__main__": {"cli"},
    "__init__": set(),
}  # fmt: skip


def _package(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    return rel.parts[0]


def _modules(path: Path) -> set[str]:
    """Every ``vrrptop.*`` module ``path`` imports, dotted (``vrrptop.output.base``)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("vrrptop.")}


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "vrrptop" and len(parts) > 1:
                out.add(parts[1])
    return out


def test_every_import_follows_the_layering() -> None:
    broken = []
    for path in sorted(ROOT.rglob("*.py")):
        pkg = _package(path)
        assert pkg in ALLOWED, f"{path}: package {pkg!r} has no layering contract yet"
        for target in _imports(path) - {pkg} - ALLOWED[pkg]:
            broken.append(f"{path.relative_to(ROOT.parent)} imports vrrptop.{target}")
    assert not broken, "\n".join(broken)


def test_the_contract_can_fail() -> None:
    """The checker sees an upward import (so the test above is not vacuous)."""
    assert "ui" in _imports(ROOT / "runner.py")
    assert "ui" not in ALLOWED["model"] and "expect" not in ALLOWED["model"]


#: The output formats: built only by ``vrrptop.output.build``, fed through the
#: ``Output`` protocol (``vrrptop.output.base``). (The runner may still check, before
#: capture starts, that ``--report-html FILE`` is writable and ``--notify`` parses.)
FORMATS = {
    "vrrptop.output.jsonl", "vrrptop.output.prometheus", "vrrptop.output.notify",
    "vrrptop.output.report",
}  # fmt: skip


def test_the_monitor_and_the_runner_know_no_output_format() -> None:
    """One output protocol, one builder: the monitor fans out to ``Output``s and the
    runner starts, stops and finishes them; neither names a format."""
    assert {m for m in _modules(ROOT / "monitor.py") if m.startswith("vrrptop.output")} == {
        "vrrptop.output.base"
    }
    runner = _modules(ROOT / "runner.py")
    assert runner & FORMATS == set(), runner & FORMATS
    assert "vrrptop.output.build" in runner  # the checker reads the runner's imports


def test_the_engine_calls_no_layer_above_it() -> None:
    """The engine publishes; the enrichment stage it is given (an ``Enricher``) is the
    monitor's, so the engine imports neither the stage nor the monitor."""
    engine = _imports(ROOT / "engine.py")
    assert not engine & {"enrich", "monitor", "runner", "output", "ui"}, engine
    assert "engine" not in _imports(ROOT / "enrich.py")
    assert "enrich" in _imports(ROOT / "monitor.py")  # the checker reads this edge


#: Modules of ``vrrptop/ui`` itself that are textual's: the app, the command palette,
#: the typed messages and the terminal watch. Every other ``ui/*.py`` is a pure helper.
UI_TEXTUAL = {"app", "commands", "messages", "terminal"}


def _imports_textual(path: Path) -> bool:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
    return any(n.split(".")[0] == "textual" for n in names)


def _textuals(path: Path) -> bool:
    """It imports textual, or builds on the textual classes of ``ui/widgets`` or
    ``ui/screens`` (as the editor's save flow drives its dialogs)."""
    rooms = ("vrrptop.ui.widgets", "vrrptop.ui.screens")
    return _imports_textual(path) or any(m.startswith(rooms) for m in _modules(path))


def test_ui_rooms_widgets_and_screens_are_textual_helpers_are_not() -> None:
    """A newcomer knows the room from the tree: ``ui/widgets`` and ``ui/screens`` hold
    textual classes; the pure helpers (what a view shows, computed and testable without
    textual) are the other ``ui/*.py`` modules and never import textual."""
    ui = ROOT / "ui"
    for room in ("widgets", "screens"):
        pure = [p.name for p in sorted((ui / room).glob("*.py"))
                if p.name != "__init__.py" and not _textuals(p)]  # fmt: skip
        assert not pure, f"ui/{room} holds modules that are not textual's: {pure}"
    textual = {p.stem for p in ui.glob("*.py") if _imports_textual(p)}
    assert textual == UI_TEXTUAL, textual ^ UI_TEXTUAL
