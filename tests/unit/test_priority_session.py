"""The editor's model: edit with undo, diff, predicted masters, save, conflicts."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from vrrptop.config.model import InstanceConfig
from vrrptop.priority import (
    ConflictError,
    EditError,
    EditSession,
    MasterChange,
    PriorityFile,
    unified_diff,
)
from vrrptop.priority.predict import predict

SEED = b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
INSTANCES = [
    InstanceConfig("testdns0", 210, direction=0),
    InstanceConfig("testdns1", 211, direction=1),
]


@pytest.fixture
def session(tmp_path: Path) -> EditSession:
    path = tmp_path / "priority.testdns"
    path.write_bytes(SEED)
    return EditSession.open(path, on_save='printf "%s" "$VRRPTOP_FILE"')


def test_edit_undo_redo_diff_and_save(session: EditSession) -> None:
    assert session.read_only_reason is None and not session.dirty
    session.move_up(3)  # wcdc above sby
    session.toggle(1)  # rnb back in service
    assert session.dirty
    diff = session.diff()
    assert "-#recdns-rnb" in diff and "+recdns-rnb" in diff and "+recdns-wcdc" in diff
    session.undo()
    assert "+recdns-rnb" not in session.diff()
    session.redo()
    saved = session.save()
    assert not session.dirty and not session.changed_on_disk()
    assert session.path.read_bytes() == b"recdns-cnh\nrecdns-rnb\nrecdns-wcdc\nrecdns-sby\n"
    assert saved.backup is not None and saved.backup.read_bytes() == SEED
    result = session.run_on_save()
    assert result is not None and result.ok and result.stdout == str(session.path)


def test_predicted_masters_before_and_after(session: EditSession) -> None:
    # What the save dialog compares (the console's SaveFlow builds these the same way).
    before = session.file
    after = session.toggle(3)  # take wcdc (testdns0's master) out of service
    changes = {
        inst.name: MasterChange(
            inst.name, predict(before, inst).master, predict(after, inst).master
        )
        for inst in INSTANCES
    }
    assert changes["testdns0"].before == "recdns-wcdc" and changes["testdns0"].after == "recdns-sby"
    assert changes["testdns0"].changed and not changes["testdns1"].changed


def test_conflict_then_reload(session: EditSession) -> None:
    session.delete(1)
    session.path.write_bytes(b"recdns-sby\n")
    assert session.changed_on_disk()
    with pytest.raises(ConflictError) as info:
        session.save()
    assert info.value.on_disk == b"recdns-sby\n"
    assert session.dirty  # the edits are kept for the operator to decide
    session.reload()
    assert session.file.render() == b"recdns-sby\n" and not session.dirty
    assert not session.history.can_undo


def test_read_only_mode_blocks_edits(tmp_path: Path) -> None:
    path = tmp_path / "p"
    path.write_bytes(SEED)
    ro = EditSession.open(path, read_only=True)
    assert ro.read_only_reason == "read-only mode (--read-only)"
    with pytest.raises(EditError, match="read-only"):
        ro.toggle(0)
    with pytest.raises(EditError):
        ro.save()
    assert path.read_bytes() == SEED


def test_not_writable_reason(session: EditSession, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    assert "not writable" in (session.read_only_reason or "")


def test_save_error_keeps_edits(session: EditSession, monkeypatch: pytest.MonkeyPatch) -> None:
    from vrrptop.priority import SaveError

    session.toggle(0)

    def erofs(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", erofs)
    with pytest.raises(SaveError, match="Read-only file system"):
        session.save()
    assert session.dirty and session.path.read_bytes() == SEED


def test_unified_diff_shows_cr_and_missing_newline() -> None:
    old = PriorityFile.parse("a\r\nb")
    new = old.disable(1)
    diff = unified_diff(old, new, "p")
    assert "-b  (no newline at end)" in diff and "+#b  (no newline at end)" in diff
    assert " a\\r" in diff


def test_notes_for_grep_mismatch_hard_links_and_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_bytes(b"recdns-cnh \nrecdns-sby\n")
    os.link(real, tmp_path / "other-name")
    (tmp_path / "link").symlink_to(real)
    notes = EditSession.open(tmp_path / "link").notes
    assert any(n.startswith("line 1:") and "grep -x" in n for n in notes)
    assert any("2 hard links" in n for n in notes)
    assert any("is a link to" in n for n in notes)


def test_relative_path_is_not_reported_as_a_link(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "priority.testdns").write_bytes(b"recdns-cnh\n")
    session = EditSession.open("priority.testdns")
    assert not [n for n in session.notes if "is a link" in n]
    (tmp_path / "alias").symlink_to("priority.testdns")
    assert [n for n in EditSession.open("alias").notes if "is a link" in n]
