"""Polling priority files: edits are picked up, errors keep the last good content."""

from __future__ import annotations

import os
from pathlib import Path

from vrrptop.priority.watch import PriorityWatcher


def test_watcher_follows_edits_and_errors(tmp_path: Path) -> None:
    a, missing = tmp_path / "priority.testdns", tmp_path / "priority.recdns"
    a.write_bytes(b"recdns-cnh\nrecdns-sby\n")
    w = PriorityWatcher([a, missing])
    assert set(w.files) == {a}
    assert "No such file" in (w.states[missing].error or "")
    assert w.poll() == []  # nothing changed
    a.write_bytes(b"recdns-sby\nrecdns-cnh\n")
    os.utime(a, ns=(1, 1))  # make sure the stat differs even on coarse clocks
    assert w.poll() == [a]
    assert w.files[a].grep_line("recdns-sby") == 1
    a.write_bytes(b"bin\0ary")
    os.utime(a, ns=(2, 2))
    assert w.poll() == []
    assert "NUL" in (w.states[a].error or "")
    assert w.files[a].grep_line("recdns-sby") == 1  # last good content kept
    missing.write_bytes(b"recdns-rnb\n")
    assert w.poll() == [missing] and w.states[missing].error is None


def test_watcher_sees_symlink_repointed(tmp_path: Path) -> None:
    one, two, link = tmp_path / "one", tmp_path / "two", tmp_path / "link"
    one.write_bytes(b"a\n")
    two.write_bytes(b"b\n")
    link.symlink_to(one)
    w = PriorityWatcher([link])
    tmp_link = tmp_path / "link.new"
    tmp_link.symlink_to(two)
    tmp_link.replace(link)
    assert w.poll() == [link] and w.files[link].hosts() == ["b"]


def test_changed_notices_without_following(tmp_path: Path) -> None:
    """The editor's question: the disk moved on, but the copy in use stays until the
    operator reloads (then ``adopt``)."""
    from vrrptop.priority.store import load

    a = tmp_path / "priority.testdns"
    a.write_bytes(b"recdns-cnh\nrecdns-sby\n")
    w = PriorityWatcher([load(a)])
    assert w.changed(a) is False
    a.write_bytes(b"recdns-sby\nrecdns-cnh\n")
    os.utime(a, ns=(1, 1))
    assert w.changed(a) is True
    assert w.files[a].hosts() == ["recdns-cnh", "recdns-sby"]  # not re-read
    w.adopt(load(a))
    assert w.changed(a) is False and w.files[a].hosts() == ["recdns-sby", "recdns-cnh"]
