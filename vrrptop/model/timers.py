"""VRRP protocol timers (RFC 3768 section 6.1, RFC 5798/9568 section 6.1).

Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time: how long a backup
waits without hearing the master before it takes over.  The skew differs by version
(keepalived's ``VRRP_TIMER_SKEW`` does the same):

- VRRPv2: Skew_Time = (256 - Priority) / 256 seconds, whatever the interval;
- VRRPv3: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.

Intervals are carried in centiseconds everywhere (the decoder multiplies v2 seconds
by 100), so a 1 s v2 interval is ``interval_cs=100``.
"""

from __future__ import annotations

#: Shortest interval we compute timers with: a zero interval (malformed or crafted
#: advert) would give a zero Master_Down_Interval and an endless stream of timers.
MIN_INTERVAL_CS = 1


def skew_time(priority: int, interval_cs: int, version: int = 3) -> float:
    """Skew_Time in seconds for a router of ``priority`` (v2: seconds, v3: scaled)."""
    prio = min(max(priority, 0), 255)
    if version == 2:
        return (256 - prio) / 256.0
    return (256 - prio) * max(interval_cs, MIN_INTERVAL_CS) / 25600.0


def master_down_interval(priority: int, interval_cs: int, version: int = 3) -> float:
    """Master_Down_Interval in seconds: 3 * interval + skew (see the module docstring).

    ``version`` defaults to 3 (interval-scaled skew); pass 2 for RFC 3768 timing.
    Example: v2, priority 200, 1 s -> 3 + 56/256 = 3.21875 s.
    """
    return 3 * max(interval_cs, MIN_INTERVAL_CS) / 100.0 + skew_time(priority, interval_cs, version)


def virtual_mac(vrid: int, family: int) -> str:
    """The VRRP virtual MAC of ``vrid``: 00:00:5e:00:01:XX (IPv4) or 00:00:5e:00:02:XX (IPv6)."""
    return f"00:00:5e:00:0{1 if family == 4 else 2}:{vrid & 0xFF:02x}"


def is_virtual_mac(mac: str | None) -> bool:
    """True for any VRRP virtual MAC (IPv4 or IPv6 range); such MACs name no real host."""
    return mac is not None and mac[:15] in ("00:00:5e:00:01:", "00:00:5e:00:02:")
