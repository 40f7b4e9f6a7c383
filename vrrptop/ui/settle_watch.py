"""After a save: did the election follow the file within the settle time?

Pure (no textual): the editor registers one ``Expectation`` per instance that
uses the saved file; ``SettleWatch.check`` is called with each new snapshot and
returns what to log: the master followed, or it did not by the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vrrptop.model.snapshot import InstanceView, Snapshot


@dataclass(frozen=True, slots=True)
class Expectation:
    """``expected`` should be master of ``instance`` by ``deadline`` (snapshot time)."""

    instance: str
    vrid: int | None
    families: tuple[int, ...]
    expected: str | None
    saved_at: float
    deadline: float


@dataclass(frozen=True, slots=True)
class Outcome:
    """One line for the event log."""

    ok: bool
    message: str
    vrid: int | None
    family: int | None


def _short(name: str) -> str:
    return name.split(".", 1)[0]


def observed_name(view: InstanceView, snap: Snapshot) -> str | None:
    """Host name of the observed master: the correlation's, else the tracker's PTR name."""
    if view.expectation is not None and view.expectation.observed_master_name:
        return view.expectation.observed_master_name
    if view.master is None or view.state in ("silent", "resigned", "unseen"):
        return None
    for host in snap.hosts:
        if view.master in host.addresses and host.name:
            return _short(host.name)
    return view.master


@dataclass
class SettleWatch:
    """Expectations still open after saves; newest save replaces older ones per instance."""

    pending: list[Expectation] = field(default_factory=list)

    def expect(self, expectation: Expectation) -> None:
        """Track ``expectation`` (a previous one for the same instance is dropped)."""
        self.pending = [e for e in self.pending if e.instance != expectation.instance]
        self.pending.append(expectation)

    def remaining(self, now: float) -> list[tuple[Expectation, float]]:
        """Open expectations and the seconds left until their deadline."""
        return [(e, max(0.0, e.deadline - now)) for e in self.pending]

    def check(self, snap: Snapshot | None) -> list[Outcome]:
        """Close the expectations that are met or overdue at ``snap.ts``."""
        if snap is None:
            return []
        out: list[Outcome] = []
        still: list[Expectation] = []
        for exp in self.pending:
            views = [v for v in snap.instances if v.vrid == exp.vrid and v.family in exp.families]
            names = {observed_name(v, snap) for v in views}
            followed = bool(views) and exp.expected is not None and names == {exp.expected}
            fam = views[0].family if views else None
            if followed:
                took = snap.ts - exp.saved_at
                out.append(
                    Outcome(
                        True,
                        f"{exp.instance}: {exp.expected} is master as predicted "
                        f"({took:.1f} s after saving)",
                        exp.vrid,
                        fam,
                    )
                )
            elif snap.ts >= exp.deadline:
                seen = ", ".join(sorted(n or "nobody" for n in names)) or "not seen on the wire"
                out.append(
                    Outcome(
                        False,
                        f"{exp.instance}: expected {exp.expected or 'no master'} within "
                        f"{exp.deadline - exp.saved_at:.0f} s of saving the priority file, "
                        f"observed {seen}",
                        exp.vrid,
                        fam,
                    )
                )
            else:
                still.append(exp)
        self.pending = still
        return out
