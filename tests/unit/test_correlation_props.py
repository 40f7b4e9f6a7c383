"""Property: correlate never raises and its alarms are consistent, whatever the inputs."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.judging import correlate
from vrrptop.config.model import InstanceConfig
from vrrptop.model.snapshot import Counters, GapStats, InstanceView, Snapshot, SourceView
from vrrptop.priority import PriorityFile

ADDRS = ["198.51.100.1", "198.51.100.2", "2001:db8::1", "fe80::1%eth0", "garbage", ""]
NAMES = ["a", "b", "c", "recdns-cnh"]
P = Path("p")


@st.composite
def views(draw: st.DrawFn) -> InstanceView:
    master = draw(st.one_of(st.none(), st.sampled_from(ADDRS)))
    prio = draw(st.integers(0, 255))
    return InstanceView(
        vrid=draw(st.integers(1, 3)),
        family=draw(st.sampled_from([4, 6])),
        version=2,
        state=draw(st.sampled_from(["ok", "silent", "split-brain", "resigned"])),
        master=master,
        master_mac=None,
        priority=prio if master else None,
        interval_cs=100,
        addresses=tuple(draw(st.lists(st.sampled_from(ADDRS), max_size=3))),
        auth_type=None,
        first_seen=0.0,
        last_seen=0.0,
        age_s=0.0,
        master_down_s=draw(st.sampled_from([0.0, 3.6])),
        adverts=1,
        checksum_variant=None,
        checksum_errors=0,
        masters=(),
        sources=tuple(
            SourceView(a, None, prio, 100, (), 2, 0.0, 0.0, 1, None)
            for a in draw(st.lists(st.sampled_from(ADDRS), max_size=3))
        ),
        gaps=GapStats(),
        vip_holders=(),
        problems={},
        last_advert=None,
    )


@settings(max_examples=200)
@given(
    st.lists(views(), max_size=4),
    st.text(alphabet="abc#\n\r ", max_size=30),
    st.dictionaries(st.sampled_from(ADDRS + NAMES), st.sampled_from([True, False, None])),
    st.dictionaries(st.sampled_from(NAMES), st.lists(st.sampled_from(ADDRS), max_size=2)),
    st.sampled_from([0, 1]),
    st.floats(0, 100),
)
def test_correlate_never_raises(
    vs: list[InstanceView],
    text: str,
    health: dict[str, bool | None],
    hosts: dict[str, list[str]],
    direction: int,
    now: float,
) -> None:
    inst = InstanceConfig("i", 1, (4, 6), P, direction, vips=("198.51.100.9",))
    snap = Snapshot(now, tuple(vs), (), Counters())

    def resolve(name: str) -> list[str]:
        if name == "c":
            raise OSError("boom")
        return ["198.51.100.2"] if name == "b" else []

    out = correlate(
        snap, [inst], {P: PriorityFile.parse(text)}, health, now, hosts=hosts, resolve=resolve
    )
    for (vrid, family), corr in out.items():
        assert (corr.key.vrid, corr.key.family) == (vrid, family)
        kinds = [a.kind for a in corr.alarms]
        if corr.configured:
            assert "unknown-vrid" not in kinds
        else:
            assert "unknown-vrid" in kinds
            assert set(kinds) <= {"unknown-vrid", "split-brain", "vip-holder-not-master"}
        if "master-mismatch" in kinds:
            assert corr.settled and corr.predicted_master is not None
            assert corr.observed_master_name != corr.predicted_master
        assert corr.to_json()["expected_master"] == corr.predicted_master
