"""Correlation on snapshots built by the real Tracker from advert records."""

from __future__ import annotations

from pathlib import Path

from vrrptop.config.model import InstanceConfig
from vrrptop.expect.judge import Judge
from vrrptop.model.expectation import Expectation
from vrrptop.model.tracker import Tracker
from vrrptop.priority import PriorityFile
from vrrptop.wire.records import Advert

PFILE = Path("priority.testdns")
HOSTS = {
    "recdns-cnh": ("198.51.100.1",),
    "recdns-rnb": ("198.51.100.2",),
    "recdns-sby": ("198.51.100.3",),
    "recdns-wcdc": ("198.51.100.4",),
}
T0 = InstanceConfig("testdns0", 210, (4,), PFILE, 0, vips=("198.51.100.210",))


def advert(ts: float, src: str, priority: int) -> Advert:
    return Advert(
        ts=ts,
        src=src,
        dst="224.0.0.18",
        src_mac=None,
        family=4,
        version=2,
        type=1,
        vrid=210,
        priority=priority,
        interval_cs=100,
        addresses=("198.51.100.210",),
        auth_type=1,
        auth_data=b"XXXXXXXX",
        ttl=255,
        checksum=0,
        checksum_ok=True,
        checksum_variant="v2",
        vlan=None,
        problems=(),
    )


class _Corr:
    """The judge, asked for one instance's expectation (candidates in ``.alarms``)."""

    def __init__(self) -> None:
        self.judge = Judge([T0])
        self.raised: tuple[str, ...] = ()

    def update(self, snap, instances, files, health, now, hosts):  # type: ignore[no-untyped-def]
        judged, _ = self.judge.judge(snap, files, health, hosts=hosts)
        view = next(v for v in judged.instances if (v.vrid, v.family) == (210, 4))
        self.raised = tuple(a.kind for a in view.alarms)
        assert view.expectation is not None
        return {(210, 4): view.expectation}


def test_failover_seen_through_the_tracker() -> None:
    files = {PFILE: PriorityFile.parse(b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n")}
    healthy = {name: True for name in HOSTS}
    tracker, corr = Tracker(), _Corr()
    t = 1000.0
    for i in range(10):  # wcdc is master, as predicted
        tracker.apply(advert(t + i, "198.51.100.4", 250), t + i)
    t += 9
    c = corr.update(tracker.snapshot(t), [T0], files, healthy, t, hosts=HOSTS)[(210, 4)]
    t += 10  # past the start-up settle time
    for i in range(10):
        tracker.apply(advert(t - 9 + i, "198.51.100.4", 250), t - 9 + i)
    c = corr.update(tracker.snapshot(t), [T0], files, healthy, t, hosts=HOSTS)[(210, 4)]
    assert c.settled and c.agrees and c.alarms == ()
    assert c.observed_master == "198.51.100.4"

    # wcdc's DNS breaks: keepalived drops it to 50 and sby (200) takes over.
    broken = {**healthy, "recdns-wcdc": False}
    c = corr.update(tracker.snapshot(t), [T0], files, broken, t, hosts=HOSTS)[(210, 4)]
    assert c.predicted_master == "recdns-sby" and not c.settled
    # keepalived moves the VIP within the settle time: no alarm while it may.
    assert c.alarms == () and corr.raised == ()
    tracker.apply(advert(t + 1, "198.51.100.4", 50), t + 1)
    for i in range(2, 8):
        tracker.apply(advert(t + i, "198.51.100.3", 200), t + i)
    t += 7
    c = corr.update(tracker.snapshot(t), [T0], files, broken, t, hosts=HOSTS)[(210, 4)]
    assert c.observed_master_name == "recdns-sby" and c.agrees and c.alarms == ()

    # Everything goes quiet: once Master_Down_Interval has passed, the instance is silent.
    t += 30
    tracker.tick(t)
    c = corr.update(tracker.snapshot(t), [T0], files, broken, t, hosts=HOSTS)[(210, 4)]
    assert [a.kind for a in c.alarms] == ["instance-silent"]
    assert c.observed_master is None
    t += 2  # past the hold-down (one advert interval and a half): raised
    c = corr.update(tracker.snapshot(t), [T0], files, broken, t, hosts=HOSTS)[(210, 4)]
    assert corr.raised == ("instance-silent",)
    assert isinstance(c, Expectation)
