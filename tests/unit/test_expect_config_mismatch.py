"""config-mismatch both ways: routers of one VRID whose adverts keepalived drops
(VIP list, password, VRRPv2 interval) raise it even when the wire shows one
advertiser at a time; a VRRPv3 interval difference and a plain failover do not."""

from __future__ import annotations

from dataclasses import replace

from test_expect_alarms import MAC, SBY, VIP, WCDC, Run, advert

from vrrptop.wire.records import Advert


def send(run: Run, adverts: list[Advert], seconds: int) -> None:
    """Each advert (re-dated) once a second for ``seconds``."""
    for _ in range(seconds):
        for ad in adverts:
            run.tracker.apply(replace(ad, ts=run.t), run.t)
        run.look()
        run.t += 1.0


def mismatch_alarms(run: Run) -> list[str]:
    return [a.message for a in run.look().alarms if a.kind == "config-mismatch"]


def test_extra_vip_on_the_restarted_master_then_silence() -> None:
    # The lab's wrong-vips: wcdc comes back with an extra VIP and advertises 4 s; sby
    # drops those adverts and takes over; from then on only sby is on the wire.
    run = Run()
    send(run, [advert(0, SBY, 200)], 5)
    send(run, [replace(advert(0, WCDC, 250), addresses=(VIP, "198.51.100.212"))], 4)
    send(run, [advert(0, SBY, 200)], 15)
    [message] = mismatch_alarms(run)
    assert "VIP lists" in message and "198.51.100.212" in message
    assert "recdns-sby (198.51.100.13)" in message and "recdns-wcdc" in message
    assert not run.ever("split-brain")  # one advertiser at a time: not split on the wire


def test_different_passwords_never_shown() -> None:
    run = Run()
    good = replace(advert(0, WCDC, 250), auth_type=1, auth_data=b"lab-pass")
    bad = replace(advert(0, SBY, 200), auth_type=1, auth_data=b"not-lab\x00")
    send(run, [good], 5)
    send(run, [good, bad], 2)
    send(run, [good], 5)
    [message] = mismatch_alarms(run)
    assert "passwords" in message
    assert "lab-pass" not in message and "not-lab" not in message
    evidence = dict(next(a for a in run.look().alarms if a.kind == "config-mismatch").evidence)
    assert "lab-pass" not in str(evidence) and "not-lab" not in str(evidence)


def test_vrrpv2_interval_differs() -> None:
    run = Run()
    send(run, [advert(0, WCDC, 250)], 5)
    send(run, [replace(advert(0, SBY, 200), interval_cs=200)], 3)
    send(run, [advert(0, WCDC, 250)], 3)
    [message] = mismatch_alarms(run)
    assert "advert intervals" in message and "200" in message


def test_control_vrrpv3_follows_the_masters_interval() -> None:
    run = Run()
    v3 = dict(version=3, auth_type=None, checksum_variant="v3")
    send(run, [replace(advert(0, WCDC, 250), **v3)], 5)  # type: ignore[arg-type]
    send(run, [replace(advert(0, SBY, 200), interval_cs=200, **v3)], 3)  # type: ignore[arg-type]
    send(run, [replace(advert(0, WCDC, 250), **v3)], 3)  # type: ignore[arg-type]
    assert mismatch_alarms(run) == []
    assert not run.ever("config-mismatch")


def test_control_a_failover_between_identical_configs() -> None:
    run = Run()
    send(run, [advert(0, WCDC, 250)], 10)
    run.garp(MAC[SBY])
    send(run, [advert(0, SBY, 200)], 10)  # wcdc gone, sby took over
    assert not run.ever("config-mismatch")


def test_cleared_once_the_odd_router_left_the_window() -> None:
    run = Run()
    send(run, [advert(0, SBY, 200)], 3)
    send(run, [replace(advert(0, WCDC, 250), addresses=(VIP, "198.51.100.212"))], 3)
    send(run, [advert(0, SBY, 200)], 70)  # the tracker's mismatch window is 60 s
    assert mismatch_alarms(run) == []
    states = [c.state for c in run.changes if c.alarm.kind == "config-mismatch"]
    assert states == ["raised", "cleared"]
