"""The console's keys: one table that the bindings, the help screen, the command
palette and the README's keys table are all generated from, so they cannot drift.

Pure (no textual import): ``app.py`` turns these into ``Binding`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One key binding of the main screen."""

    id: str
    """Binding id (stable, for keymaps and tests)."""
    key: str
    """Textual key name(s), comma-separated."""
    keys: str
    """How the key is written for people."""
    action: str
    """Action name on the app (``action_<name>``)."""
    label: str
    """Short footer label."""
    text: str
    """What it does, for the help screen and the command palette."""
    show: bool = True
    """Shown in the footer."""
    bind: bool = True
    """False for keys a widget/screen handles itself (listed for help only)."""


KEY_HELP: tuple[KeyHelp, ...] = (
    KeyHelp(
        "quit",
        "q,f10,ctrl+c",
        "q / F10 / ctrl+c",
        "quit",
        "Quit",
        "Quit vrrptop (the terminal is restored)",
    ),
    KeyHelp("help", "question_mark,f1", "? / F1", "help", "Help", "Show this help"),
    KeyHelp(
        "filter",
        "slash",
        "/",
        "filter",
        "Filter",
        "Filter rows by VRID, address or name (escape clears)",
    ),
    KeyHelp(
        "sort",
        "s",
        "s",
        "cycle_sort",
        "Sort",
        "Cycle the sort order: vrid, state, age, master, priority (▲ in the header)",
    ),
    KeyHelp(
        "sort.prev",
        "less_than_sign",
        "<",
        "sort_prev",
        "Sort back",
        "Previous sort order",
        show=False,
    ),
    KeyHelp(
        "sort.next",
        "greater_than_sign",
        ">",
        "sort_next",
        "Sort next",
        "Next sort order",
        show=False,
    ),
    KeyHelp(
        "sort.reverse",
        "I",
        "I",
        "reverse_sort",
        "Reverse",
        "Reverse the sort order (as htop's I; ▼ in the header)",
        show=False,
    ),
    KeyHelp(
        "pause",
        "space",
        "space",
        "toggle_pause",
        "Pause",
        "Pause/resume the display; capture keeps running and counting",
    ),
    KeyHelp(
        "step.prev",
        "left_square_bracket",
        "[",
        "step_prev",
        "Prev event",
        "Replay: pause at the previous event; every table as it was then",
        show=False,
    ),
    KeyHelp(
        "step.next",
        "right_square_bracket",
        "]",
        "step_next",
        "Next event",
        "Replay: the next event (past the newest, or space: follow the replay again)",
        show=False,
    ),
    KeyHelp("names", "n", "n", "toggle_names", "Names", "Toggle host names / numbers only"),
    KeyHelp(
        "clear",
        "c",
        "c",
        "clear",
        "Clear",
        "Restart the counters from a mark in the log (asks; events and history are kept)",
    ),
    KeyHelp("edit", "e", "e", "edit", "Edit", "Edit the priority files (one tab per file)"),
    KeyHelp(
        "timeline",
        "T",
        "T",
        "timeline",
        "Timeline",
        "Master timeline: a lane per instance, a colour per host, gaps and markers",
        show=False,
    ),
    KeyHelp(
        "details", "enter", "enter", "details", "Details", "Open the highlighted instance's details"
    ),
    KeyHelp(
        "back",
        "escape",
        "escape",
        "back",
        "Back",
        "Back: close details/help, or clear the filter",
        show=False,
        bind=False,
    ),
    KeyHelp("theme", "t", "t", "toggle_theme", "Theme", "Switch light/dark theme", show=False),
    KeyHelp(
        "palette",
        "ctrl+p",
        "ctrl+p",
        "command_palette",
        "Commands",
        "Command palette: every action by name",
        bind=False,
    ),
)


#: Keys of the priority-file editor (``e``); ``EditorScreen`` binds these.
EDITOR_KEY_HELP: tuple[KeyHelp, ...] = (
    KeyHelp("editor.up", "shift+up,K", "shift+up / K", "move_up", "Up", "Move the host up"),
    KeyHelp(
        "editor.down", "shift+down,J", "shift+down / J", "move_down", "Down", "Move the host down"
    ),
    KeyHelp(
        "editor.toggle",
        "space,x",
        "space / x",
        "toggle_service",
        "In/out",
        "Take the host out of / back into service (#host; it keeps its line)",
    ),
    KeyHelp("editor.add", "a", "a", "add", "Add", "Add a host below the cursor (validated name)"),
    KeyHelp("editor.delete", "d", "d", "delete", "Delete", "Delete the line (asks first)"),
    KeyHelp("editor.undo", "u", "u", "undo", "Undo", "Undo the last edit"),
    KeyHelp(
        "editor.redo", "ctrl+r", "ctrl+r", "redo", "Redo", "Redo the last undone edit", show=False
    ),
    KeyHelp(
        "editor.save",
        "ctrl+s",
        "ctrl+s",
        "save",
        "Save",
        "Save: shows the diff and the masters before/after, then writes atomically",
    ),
    KeyHelp("editor.reload", "r", "r", "reload", "Reload", "Reload the file from disk", show=False),
    KeyHelp(
        "editor.leave",
        "escape",
        "escape",
        "leave",
        "Back",
        "Leave the editor (asks if unsaved)",
        show=False,
    ),
    KeyHelp(
        "editor.quit",
        "q,ctrl+q,ctrl+c,f10",
        "q / F10 / ctrl+c",
        "quit",
        "Quit",
        "Quit vrrptop (asks if a priority file has unsaved edits)",
        show=False,
    ),
)


#: Keys of the master timeline (``T``); ``TimelineScreen`` binds these.
TIMELINE_KEY_HELP: tuple[KeyHelp, ...] = (
    KeyHelp("timeline.in", "z,plus", "z / +", "zoom_in", "Zoom in", "Zoom in (shorter span)"),
    KeyHelp("timeline.out", "Z,minus", "Z / -", "zoom_out", "Zoom out", "Zoom out (longer span)"),
    KeyHelp("timeline.1m", "1", "1", "zoom('1 min')", "1 min", "The last minute", show=False),
    KeyHelp(
        "timeline.10m", "2", "2", "zoom('10 min')", "10 min", "The last 10 minutes", show=False
    ),  # fmt: skip
    KeyHelp("timeline.1h", "3", "3", "zoom('1 h')", "1 h", "The last hour", show=False),
    KeyHelp("timeline.all", "0", "0", "zoom('whole')", "Whole", "The whole capture", show=False),
    KeyHelp(
        "timeline.prev",
        "left_square_bracket,left",
        "[ / left",
        "step(-1)",
        "Prev",
        "Step to the previous event (replay: the tables too; live: the lane changes)",
    ),  # fmt: skip
    KeyHelp(
        "timeline.next",
        "right_square_bracket,right",
        "] / right",
        "step(1)",
        "Next",
        "Step to the next event (past the last: follow the newest again)",
    ),  # fmt: skip
    KeyHelp("timeline.back", "escape", "escape", "app.pop_screen", "Back", "Back to the tables"),
)


#: Keys of the instances and hosts tables (vim and less habits besides the arrows);
#: ``RowTable`` binds these.
TABLE_KEY_HELP: tuple[KeyHelp, ...] = (
    KeyHelp("table.down", "j", "j / down", "cursor_down", "Down", "Next row", show=False),
    KeyHelp("table.up", "k", "k / up", "cursor_up", "Up", "Previous row", show=False),
    KeyHelp("table.top", "g,home", "g / Home", "scroll_top", "Top", "First row", show=False),
    KeyHelp("table.end", "G,end", "G / End", "scroll_bottom", "End", "Last row", show=False),
)


def keys_markdown() -> str:
    """The keys table in Markdown, for the README (main screen, the editor, the timeline)."""
    lines = ["| key | does |", "|---|---|"]
    lines += [f"| `{k.keys}` | {k.text} |" for k in KEY_HELP + TABLE_KEY_HELP]
    lines += ["", "Priority-file editor (`e`):", "", "| key | does |", "|---|---|"]
    lines += [f"| `{k.keys}` | {k.text} |" for k in EDITOR_KEY_HELP]
    lines += ["", "Master timeline (`T`):", "", "| key | does |", "|---|---|"]
    lines += [f"| `{k.keys}` | {k.text} |" for k in TIMELINE_KEY_HELP]
    return "\n".join(lines)
