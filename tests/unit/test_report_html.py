"""``--report-html FILE``: one self-contained HTML file (nothing fetched, no script),
the summary, declared versus observed, alarms, an SVG lane per instance with hover
details and a legend, the events; secrets never written. Rendered by a real browser
(headless Chromium, Debian's ``chromium``) when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.unit.png_pixels import pixels
from vrrptop.model.timeline import HOST_COLOURS

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.hosts: list[str] = []
        self._in_host = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "li":
            self._in_host = dict(attrs).get("class") == "host"

    def handle_data(self, data: str) -> None:
        if self._in_host and data.strip():
            self.hosts.append(data.strip())
            self._in_host = False


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "incident.html"
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--demo", "--report-html", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""  # the file is the report; stdout stays quiet
    return out


def test_self_contained_and_secret_free(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    for _tag, attrs in parser.tags:
        for key in ("src", "href"):
            assert not (attrs.get(key) or "").startswith(("http", "//")), attrs
    assert not re.search(r"url\((?!#)|@import|https?://(?!www\.w3\.org/2000/svg)", text)
    assert "lab-pass" not in text  # the lab's PASS password
    for heading in ("Virtual routers", "Master timeline", "Declared versus observed",
                    "Alarms (2)", "Master history", "Events ("):  # fmt: skip
        assert f"<h2>{heading}" in text


def test_lanes_legend_and_hover_details_parse(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    assert parser.hosts == ["recdns-wcdc", "recdns-cnh", "recdns-sby"]
    svgs = [ET.fromstring(s) for s in re.findall(r"<svg .*?</svg>", text, re.S)]
    lanes = [s for s in svgs if s.get("class") == "lane"]
    assert [s.get("data-lane") for s in lanes] == [
        "testdns0 210/IPv4", "testdns0 210/IPv6", "testdns1 211/IPv4", "testdns1 211/IPv6",
    ]  # fmt: skip
    for lane in lanes:
        bands = [r for r in lane.iter(f"{SVG}rect") if "band" in (r.get("class") or "")]
        assert len(bands) >= 7
        for band in bands:
            tip = band.find(f"{SVG}title")
            assert tip is not None and "priority" in (tip.text or "")
            assert band.get("data-host") in parser.hosts
        gaps = [r for r in lane.iter(f"{SVG}rect") if r.get("class") == "gap"]
        assert gaps and all(g.find(f"{SVG}title") is not None for g in gaps)
    split = [r for r in lanes[0].iter(f"{SVG}rect") if r.get("class") == "band split"]
    assert [r.get("data-host") for r in split] == ["recdns-sby"]
    kinds = {g.get("data-kind") for g in lanes[2].iter(f"{SVG}g")}
    assert "master-lost" in kinds


def test_bad_path_is_one_line_before_the_capture(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--demo", "--report-html",
         str(tmp_path / "nowhere" / "x.html")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "no such directory" in r.stderr


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_chromium_renders_the_lanes(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1200,900", report.as_uri()],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert shot.exists(), "chromium wrote no screenshot"
    width, height, counts = pixels(shot)
    assert (width, height) == (1200, 900)
    assert len(counts) > 50  # not blank: text, tables, bands
    # The three hosts' bands are drawn, each a good run of pixels in its colour.
    for colour in HOST_COLOURS[:3]:
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert counts[rgb] > 2000, (colour, counts[rgb])
