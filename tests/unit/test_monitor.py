"""The monitor: configuration-driven naming and priority files around the engine."""

from __future__ import annotations

from vrrptop.capture.synthetic import RouterSpec, SyntheticSource
from vrrptop.config.model import Config
from vrrptop.monitor import Monitor
from vrrptop.options import Options


def _source() -> SyntheticSource:
    specs = [
        RouterSpec(vrid=210, family=4, priority=250, src="198.51.100.14"),
        RouterSpec(vrid=211, family=4, priority=250, src="198.51.100.11"),
    ]
    return SyntheticSource(specs, rate=10, count=20)


def test_hosts_are_named_from_the_configuration_without_lookups():
    config = Config(hosts={"recdns-wcdc": ("198.51.100.14",)})
    monitor = Monitor(Options(), _source(), config=config)
    assert monitor.probing is False  # a replay/synthetic source is never probed
    monitor.start_services()
    try:
        snap = monitor.engine.run()
    finally:
        monitor.stop()
    assert monitor.reverse is None  # and never looked up in DNS
    names = {h.addresses[0]: h.name for h in snap.hosts}
    assert names == {"198.51.100.14": "recdns-wcdc", "198.51.100.11": None}


def test_priority_files_are_loaded(tmp_path):
    pfile = tmp_path / "priority.testdns"
    pfile.write_bytes(b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n")
    monitor = Monitor(Options(priority_files=[pfile]), _source(), config=Config())
    monitor.engine.run()
    (loaded,) = monitor.files.values()
    assert loaded.raw == pfile.read_bytes()
    assert loaded.file.hosts() == ["recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc"]


def test_a_replay_never_reads_the_local_keepalived(tmp_path):
    """keepalived's state belongs to this machine now, not to the capture replayed:
    even with an explicit pid file, a replay signals nothing and attaches nothing."""
    pidfile = tmp_path / "keepalived.pid"
    pidfile.write_text("1\n")
    source = _source()
    assert source.kind != "live"
    monitor = Monitor(Options(keepalived_pid=pidfile), source, config=Config())
    monitor.start_services()
    try:
        assert monitor.node is None and monitor.node_alarms is None
        assert monitor.enricher.enrich(monitor.engine.snapshot()).node is None
    finally:
        monitor.stop()
