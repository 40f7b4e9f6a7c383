"""contrib/: the alert rules and the systemd unit agree with what the exporter exposes.

The promtool checks run when ``promtool`` is on PATH (Debian package "prometheus",
which scripts/test.sh installs), or at ``$PROMTOOL``; systemd-analyze when present.
Outside CI a missing tool skips; in CI (``CI=true``) a missing promtool fails, so the
alert rules' unit tests can never silently stop running.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.prom_samples import full_exposition, parse

ROOT = Path(__file__).resolve().parents[2]
CONTRIB = ROOT / "contrib"
ALERTS = CONTRIB / "vrrptop-alerts.yml"
SITE_ALERTS = CONTRIB / "vrrptop-alerts-instances.yml"
UNIT = CONTRIB / "vrrptop.service"
REQUIRED_IN_CI = {"promtool"}


def _tool(name: str, env: str | None = None) -> str:
    path = (os.environ.get(env) if env else None) or shutil.which(name)
    if not path:
        if name in REQUIRED_IN_CI and os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{name} is not installed (CI): install Debian's prometheus package")
        pytest.skip(f"{name} not installed")
    return path


@pytest.mark.parametrize("rules", [ALERTS, SITE_ALERTS], ids=lambda p: p.name)
def test_alert_rules_use_only_exposed_metrics(rules: Path) -> None:
    samples, _ = parse(full_exposition())
    exposed = {name for name, _ in samples}
    used = set(re.findall(r"\b(vrrptop_[a-z_]+)", rules.read_text()))
    assert used, "no vrrptop metric in the alert rules?"
    assert used <= exposed, used - exposed


def test_ci_without_promtool_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("PROMTOOL", raising=False)
    with pytest.raises(pytest.fail.Exception, match="promtool is not installed"):
        _tool("promtool", "PROMTOOL")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        _tool("promtool", "PROMTOOL")


def test_promtool_lints_the_exposition() -> None:
    promtool = _tool("promtool", "PROMTOOL")
    run = subprocess.run(
        [promtool, "check", "metrics"], input=full_exposition(), capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_promtool_checks_and_unit_tests_the_alert_rules() -> None:
    promtool = _tool("promtool", "PROMTOOL")
    check = subprocess.run(
        [promtool, "check", "rules", str(ALERTS), str(SITE_ALERTS)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    test = subprocess.run(
        [promtool, "test", "rules", "vrrptop-alerts.test.yml"],
        cwd=CONTRIB,
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stdout + test.stderr


def test_systemd_unit_grants_only_cap_net_raw(tmp_path: Path) -> None:
    text = UNIT.read_text()
    settings = dict(
        line.split("=", 1) for line in text.splitlines() if re.match(r"^[A-Z]\w*=", line)
    )
    assert settings["AmbientCapabilities"] == "CAP_NET_RAW"
    assert settings["CapabilityBoundingSet"] == "CAP_NET_RAW"
    assert settings["NoNewPrivileges"] == "yes"
    assert "User" in settings or settings.get("DynamicUser") == "yes"
    assert re.search(r"--no-ui\b.*--prometheus \d+", settings["ExecStart"])
    analyze = _tool("systemd-analyze")
    # verify wants ExecStart to exist; the real binary is not installed here
    unit = tmp_path / UNIT.name
    unit.write_text(re.sub(r"^ExecStart=\S+", "ExecStart=/bin/true", text, flags=re.M))
    run = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    assert run.returncode == 0 and not run.stderr.strip(), run.stderr
