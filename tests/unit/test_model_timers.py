"""Protocol timers and gap statistics, against values worked out from the RFC formulas."""

from __future__ import annotations

import pytest

from vrrptop.model.stats import RECENT_GAPS, GapRing
from vrrptop.model.timers import is_virtual_mac, master_down_interval, skew_time, virtual_mac


@pytest.mark.parametrize(
    ("priority", "interval_cs", "version", "expected"),
    [
        (200, 100, 2, 3 + 56 / 256),  # packetlife failover master: 3.21875 s
        (100, 100, 2, 3 + 156 / 256),  # its backups: 3.609375 s
        (191, 1000, 2, 30 + 65 / 256),  # v2 skew stays in seconds with a 10 s interval
        (191, 1000, 3, 30 + 65 * 10 / 256),  # v3 skew scales with the interval
        (255, 100, 3, 3 + 1 / 256),  # address owner
        (100, 50, 3, 1.5 + 156 * 0.5 / 256),  # sub-second v3 interval
    ],
)
def test_master_down_interval(
    priority: int, interval_cs: int, version: int, expected: float
) -> None:
    assert master_down_interval(priority, interval_cs, version) == pytest.approx(expected)


def test_skew_and_zero_interval_guard() -> None:
    assert skew_time(0, 100, 3) == pytest.approx(1.0)
    assert master_down_interval(100, 0, 3) > 0  # crafted interval 0 never gives 0


def test_virtual_macs() -> None:
    assert virtual_mac(210, 4) == "00:00:5e:00:01:d2"
    assert virtual_mac(211, 6) == "00:00:5e:00:02:d3"
    assert is_virtual_mac("00:00:5e:00:01:01") and is_virtual_mac("00:00:5e:00:02:ff")
    assert not is_virtual_mac("00:00:5e:00:03:01") and not is_virtual_mac(None)


def test_gap_ring_statistics_and_bound() -> None:
    g = GapRing()
    assert g.view().count == 0 and g.view().avg is None
    for gap in (1.0, 0.9, 1.3):
        g.add(gap, 1.0)
    v = g.view()
    assert (v.count, v.min, v.max) == (3, 0.9, 1.3)
    assert v.avg == pytest.approx(3.2 / 3) and v.jitter == pytest.approx(0.4 / 3)
    for i in range(RECENT_GAPS + 10):
        g.add(float(i), 1.0)
    v = g.view()
    assert len(v.recent) == RECENT_GAPS and v.recent[-1] == RECENT_GAPS + 9
    assert v.count == RECENT_GAPS + 13 and v.max == RECENT_GAPS + 9
    g.clear()
    assert g.view().count == 0
