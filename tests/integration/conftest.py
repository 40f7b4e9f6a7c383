"""Fixtures for the integration tests: one real keepalived lab per session, and a
throw-away namespace where keepalived only parses its configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # ``tests.lab`` is imported from the repo root
    sys.path.insert(0, str(ROOT))

from tests.lab import Lab, topology  # noqa: E402
from tests.lab.monitor import Monitor  # noqa: E402


def _lab_unavailable() -> str | None:
    """Why the lab cannot run here, or None."""
    if sys.platform != "linux":
        return "the lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces, keepalived); run as root or in CI"
    for tool in ("ip", "keepalived", "dnsmasq", "dig", "unshare"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install keepalived dnsmasq-base dnsutils)"
    probe = f"{topology.PREFIX}-probe"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"ip netns is not supported here: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "delete", probe], capture_output=True)
    private = subprocess.run(
        ["unshare", "--uts", "--mount", "true"], capture_output=True, text=True
    )
    if private.returncode != 0:
        return f"cannot make UTS/mount namespaces (unshare): {private.stderr.strip()}"
    return None


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    """The lab, up in the seed state; always torn down at the end of the session."""
    reason = _lab_unavailable()
    if reason:
        pytest.skip(reason)
    the_lab = Lab()
    try:
        the_lab.up(fresh=True)  # whatever a crashed earlier run left behind goes
        yield the_lab
    finally:
        the_lab.down()


@pytest.fixture
def seed_lab(lab: Lab) -> Lab:
    """The lab reset to the seed state (default profile) before the test."""
    lab.reset()
    return lab


@pytest.fixture
def monitor(seed_lab: Lab) -> Iterator[Monitor]:
    """vrrptop --json running in vl-mon, started once the seed masters hold."""
    mon = Monitor(seed_lab)
    try:
        mon.wait_ready()
        yield mon
    finally:
        mon.stop()


def _keepalived_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "needs root (network namespaces, keepalived)"
    for tool in ("ip", "keepalived"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


@pytest.fixture
def keepalived_netns() -> Iterator[str]:
    """A namespace vkc-PID with one veth pair (vkc0, vkc1), both ends down: keepalived
    parses and dumps its configuration there and sends nothing."""
    reason = _keepalived_unavailable()
    if reason:
        pytest.skip(reason)
    ns = f"vkc-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "link", "add", "vkc0", "type", "veth", "peer", "name",
                        "vkc1"], check=True)  # fmt: skip
        yield ns
    finally:
        subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
