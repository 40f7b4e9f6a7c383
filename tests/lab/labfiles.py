"""The lab's files the track scripts read: the priority file(s) and ``named_check``.

By default every node's ``priority.testdns`` is a link to one shared file (as if a
save were always distributed). ``separate_copies`` gives each node its own copy, as
on real servers without an ``on_save`` that distributes the file; ``set_reverse``
switches ``named_check`` between the lab's ``lines + 1 - line`` and the seed's literal
``5 - line`` for direction 1.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from tests.lab.configs import REVERSE, named_check_script
from tests.lab.priofile import reordered, toggled, write_atomic
from tests.lab.topology import NODES, node_host


class LabFiles:
    """Mixed into :class:`tests.lab.Lab` (which sets ``state_dir``, ``priority_file``)."""

    state_dir: Path
    priority_file: Path

    def node_dir(self, node: str) -> Path:
        """Per-node directory: config, logs, pid files and its private /tmp."""
        return self.state_dir / "nodes" / node_host(node).name

    # -- named_check -------------------------------------------------------------------
    @property
    def reverse(self) -> str:
        """How ``named_check`` reverses direction 1: ``lines`` or ``seed``."""
        try:
            text = (self.state_dir / "bin" / "named_check").read_text()
        except OSError:
            return "lines"
        return "seed" if REVERSE["seed"] in text else "lines"

    def set_reverse(self, reverse: str) -> None:
        """Rewrite ``named_check`` (atomically: keepalived runs it every second)."""
        path = self.state_dir / "bin" / "named_check"
        tmp = path.with_name(".named_check.tmp")
        tmp.write_text(named_check_script(self.state_dir / "nodes", reverse))
        tmp.chmod(0o755)
        tmp.replace(path)

    # -- the shared file ---------------------------------------------------------------
    def read_priority(self) -> list[str]:
        """The (shared) priority file's lines."""
        return self.priority_file.read_text().splitlines()

    def write_priority(self, lines: Sequence[str]) -> None:
        """Replace the priority file atomically (the track scripts never see it partial)."""
        write_atomic(self.priority_file, lines)

    def reorder(self, order: Sequence[str]) -> None:
        """Rewrite the file in ``order`` (node names); commented-out state is kept."""
        names = [node_host(n).name for n in order]
        self.write_priority(reordered(self.read_priority(), names))

    def disable(self, node: str) -> None:
        """Comment the node out (it keeps its line, as in the seed)."""
        self.write_priority(toggled(self.read_priority(), node_host(node).name, enable=False))

    def enable(self, node: str) -> None:
        """Uncomment the node."""
        self.write_priority(toggled(self.read_priority(), node_host(node).name, enable=True))

    # -- per-node copies ---------------------------------------------------------------
    def node_priority(self, node: str) -> Path:
        """The priority file beside the node's keepalived.conf (what its scripts read)."""
        return self.node_dir(node) / self.priority_file.name

    def link_priority(self, node: str) -> None:
        """Make the node's file a link to the shared one (the default)."""
        link = self.node_priority(node)
        link.unlink(missing_ok=True)
        link.symlink_to(Path("../..") / "etc" / self.priority_file.name)

    def separate_copies(self) -> None:
        """Give every node its own copy of the shared file's current content."""
        for node in NODES:
            path = self.node_priority(node)
            tmp = path.with_name(f".{path.name}.copy")
            shutil.copyfile(self.priority_file, tmp)
            tmp.replace(path)  # replaces the link itself, atomically

    def shared_copies(self) -> bool:
        """Whether every node reads the shared file."""
        return all(self.node_priority(n).is_symlink() for n in NODES)

    def write_node_priority(self, node: str, lines: Sequence[str]) -> None:
        """Replace one node's copy only (a save on that server)."""
        write_atomic(self.node_priority(node), lines)

    def read_node_priority(self, node: str) -> list[str]:
        """One node's copy's lines."""
        return self.node_priority(node).read_text().splitlines()
