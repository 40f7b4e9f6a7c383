"""On a keepalived node, the election is predicted with the priority this node's own
keepalived reports (the one backup priority the wire never shows), both ways: a
script that keeps wcdc at its base priority moves testdns0 to sby, and with that
knowledge sby's mastership is no mismatch; without it, it is."""

from __future__ import annotations

from test_expect_alarms import SBY, Run, advert

from vrrptop.model.node import LocalInstance, NodeState

WCDC_NODE = NodeState(
    ts=1000.0,
    pid=4242,
    instances=(LocalInstance("testdns0", 210, 4, 2, "em1", "BACKUP", 50, 50),),
    router_id="recdns-wcdc",
)


def judged(run: Run, node: NodeState | None) -> set[str]:
    """sby advertises once more; the judgement of that moment."""
    run.tracker.apply(advert(run.t, SBY, 200), run.t)
    snap, _changes = run.judge.judge(
        run.tracker.snapshot(run.t), run.files, run.health, hosts=run.hosts, node=node
    )
    return {a.kind.value for a in snap.alarms}


def sby_masters(run: Run) -> None:
    # wcdc's keepalived runs at its base 50 (its named_check fails on this node):
    # sby (200 from the file) is master, wcdc is a silent backup.
    for _ in range(15):
        run.tracker.apply(advert(run.t, SBY, 200), run.t)
        run.t += 1.0


def test_this_nodes_keepalived_priority_drives_the_prediction() -> None:
    run = Run()
    sby_masters(run)
    for _ in range(8):
        raised = judged(run, WCDC_NODE)
        run.t += 1.0
    assert "master-mismatch" not in raised
    snap, _ = run.judge.judge(
        run.tracker.snapshot(run.t), run.files, run.health, hosts=run.hosts, node=WCDC_NODE
    )
    exp = next(v.expectation for v in snap.instances if v.vrid == 210 and v.expectation)
    assert exp.predicted_master == "recdns-sby"
    assert any("its keepalived reports priority 50" in r for r in exp.reasons)
    # The file's own expectation for wcdc is kept (the node alarm compares with it).
    assert exp.priority_of("recdns-wcdc") == 250


def test_control_without_the_node_the_file_predicts_wcdc() -> None:
    run = Run()
    sby_masters(run)
    for _ in range(8):
        raised = judged(run, None)
        run.t += 1.0
    assert "master-mismatch" in raised


def test_control_a_failed_read_is_not_used() -> None:
    run = Run()
    sby_masters(run)
    stale = NodeState(
        ts=1000.0, pid=4242, instances=WCDC_NODE.instances, router_id="recdns-wcdc",
        error="no dump",
    )  # fmt: skip
    for _ in range(8):
        raised = judged(run, stale)
        run.t += 1.0
    assert "master-mismatch" in raised
