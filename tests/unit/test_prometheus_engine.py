"""End to end: a real capture replayed through the engine, scraped over HTTP.

The expected values come from tests/data/EXPECTED_vrrp_packets.csv, an independent
decode of the captures (see tests/data/ORIGINS.md), not from vrrptop's own decoder.
"""

from __future__ import annotations

import csv
import itertools
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.engine import Engine
from vrrptop.options import Options
from vrrptop.output.prometheus import start_exporter

DATA = Path(__file__).resolve().parents[1] / "data"
CAPTURE = "tcpdump_vrrp.pcap"


def expected_rows() -> list[dict[str, str]]:
    with (DATA / "EXPECTED_vrrp_packets.csv").open(newline="") as f:
        return [row for row in csv.DictReader(f) if row["file"] == CAPTURE]


def interval_s(text: str) -> float:
    """CSV intervals read "10s" (v2) or "1000cs" (v3)."""
    return int(text[:-2]) / 100 if text.endswith("cs") else float(text[:-1])


def scrape(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    url = f"http://127.0.0.1:{port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as r:
        text = r.read().decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for fam in text_string_to_metric_families(text)
        for s in fam.samples
    }


@pytest.fixture(scope="module")
def samples() -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    engine = Engine(PcapFileSource(DATA / CAPTURE), options=Options())
    engine.run()  # replay to the end; the exporter then serves the final state
    exporter = start_exporter("127.0.0.1:0", engine.snapshot, get_status=engine.source.status)
    try:
        return scrape(exporter.port)
    finally:
        exporter.stop()


def test_per_instance_values_match_the_independent_decode(samples: dict) -> None:
    rows = expected_rows()
    by_instance = itertools.groupby(
        sorted(rows, key=lambda r: (int(r["vrid"]), r["ip"], int(r["pkt"]))),
        key=lambda r: (r["vrid"], r["ip"]),
    )
    seen = 0
    for (vrid, family), group in by_instance:
        adverts = list(group)
        last = adverts[-1]
        # routers preempt one another in turn: each change of sender is a new master
        changes = sum(1 for _ in itertools.groupby(r["src"] for r in adverts)) - 1
        lab = {"vrid": vrid, "family": family, "vlan": "", "name": ""}

        def get(name: str, lab: dict[str, str] = lab) -> float:
            return samples[(name, frozenset(lab.items()))]

        assert get("vrrptop_instance_adverts_total") == len(adverts)
        assert get("vrrptop_instance_priority") == int(last["priority"])
        masters = [
            dict(key)["master"]
            for name, key in samples
            if name == "vrrptop_instance_master_info" and lab.items() <= dict(key).items()
        ]
        assert masters == [last["src"]]
        assert get("vrrptop_instance_advert_interval_seconds") == interval_s(last["interval"])
        assert get("vrrptop_instance_master_changes_total") == changes
        assert get("vrrptop_instance_split_brain") == 0
        seen += 1
    assert seen == 5


def test_capture_counters_match(samples: dict) -> None:
    rows = expected_rows()
    assert samples[("vrrptop_capture_adverts_total", frozenset())] == len(rows)
    assert samples[("vrrptop_capture_malformed_total", frozenset())] == 0
    states = {
        dict(key)["state"]: v
        for (name, key), v in samples.items()
        if name == "vrrptop_capture_state"
    }
    assert states["ended"] == 1 and sum(states.values()) == 1
