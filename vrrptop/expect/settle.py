"""How long keepalived needs to follow a change: the one settle definition.

After anything that changes what keepalived will elect -- a priority-file edit, a
DNS check flipping, a master change, vrrptop starting -- judgement waits: the track
scripts run (``script_interval``), ``preempt_delay`` passes, and a backup that now
outranks the master takes over within one advert, or within Master_Down_Interval
(3 adverts + skew, skew < 1 advert) when the master went away. Alarms that compare
declared with observed wait for that; so do the editor's save dialog and its watch.
"""

from __future__ import annotations

from vrrptop.config.model import InstanceConfig

#: Lag of vrrptop's own inputs (file poll, a DNS probe's answer), seconds.
SETTLE_MARGIN_S = 0.5


def settle_time(inst: InstanceConfig) -> float:
    """Seconds from a change until the election of ``inst`` must have followed it."""
    return inst.script_interval + inst.preempt_delay + 4 * inst.advert_int + SETTLE_MARGIN_S


def master_down_interval(advert_int: float, priority: int) -> float:
    """RFC 3768/5798 Master_Down_Interval: 3 x interval + skew."""
    return 3 * advert_int + (256 - priority) * advert_int / 256
