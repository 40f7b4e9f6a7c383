"""Prometheus families for the local keepalived (``Snapshot.node``).

What the keepalived exporters export, beside vrrptop's view of the wire, so one
scrape answers "which node is master, which track script failed":

- ``vrrptop_keepalived_up``: 1 when the last read of keepalived's dumps worked;
- ``vrrptop_keepalived_state{instance,vrid,family,state}``: 1 for keepalived's state;
- ``vrrptop_keepalived_base_priority`` / ``_effective_priority{instance,vrid,family}``;
- ``vrrptop_keepalived_script_ok{instance,script}``: 1 good, 0 failed (absent: unknown);
- ``vrrptop_keepalived_errors{instance,counter}``: keepalived's error counters.

Nothing is exported when keepalived is not read (not its node, not root, off).
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from vrrptop.model.node import ERROR_COUNTERS, NodeState

_LABELS = ("instance", "vrid", "family")


def node_metrics(node: NodeState | None) -> Iterator[Metric]:
    """The families for ``node``; none when keepalived is not read."""
    if node is None:
        return
    up = GaugeMetricFamily("vrrptop_keepalived_up", "1 when keepalived's last dump was read.",
                           value=1 if node.error is None else 0)  # fmt: skip
    state = GaugeMetricFamily("vrrptop_keepalived_state", "keepalived's state of an instance.",
                              labels=(*_LABELS, "state"))  # fmt: skip
    base = GaugeMetricFamily("vrrptop_keepalived_base_priority",
                             "Configured priority.", labels=_LABELS)  # fmt: skip
    eff = GaugeMetricFamily("vrrptop_keepalived_effective_priority",
                            "Priority keepalived computed.", labels=_LABELS)  # fmt: skip
    script = GaugeMetricFamily("vrrptop_keepalived_script_ok", "1: track script good, 0: failed.",
                               labels=("instance", "script"))  # fmt: skip
    errors = CounterMetricFamily("vrrptop_keepalived_errors", "keepalived's error counters.",
                                 labels=("instance", "counter"))  # fmt: skip
    for inst in node.instances:
        labels = [inst.name, str(inst.vrid), str(inst.family)]
        state.add_metric([*labels, inst.state], 1)
        base.add_metric(labels, inst.base_priority)
        eff.add_metric(labels, inst.effective_priority)
        for s in inst.scripts:
            if s.ok is not None:
                script.add_metric([inst.name, s.name], 1 if s.ok else 0)
        for key, _label in ERROR_COUNTERS:
            value = inst.counter(key)
            if value is not None:
                errors.add_metric([inst.name, key], value)
    yield from (up, state, base, eff, script, errors)
