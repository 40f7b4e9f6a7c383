"""``vrrptop --check-config``: the derived instances, each lint finding, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from vrrptop.config.derive import resolve_config
from vrrptop.config.lint import check

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3tpassw0rd"

CONF = f"""\
vrrp_script named_check_dns_1 {{
    script "/etc/keepalived/named_check dns 0 1"
    weight 40
}}
vrrp_script named_check_dns_2 {{
    script "/etc/keepalived/named_check dns 0 2"
    weight 100
}}
vrrp_sync_group G {{
    group {{
        a
        b
    }}
}}
vrrp_instance a {{
    interface eth0
    virtual_router_id 10
    priority 50
    advert_int 1
    authentication {{
        auth_type PASS
        auth_pass {SECRET}
    }}
    virtual_ipaddress {{
        198.51.100.10/24
        2001:db8::10
    }}
    track_script {{
        named_check_dns_1
        named_check_dns_2
        missing_script
        late
    }}
}}
vrrp_instance b {{
    interface eth0
    virtual_router_id 10
    advert_int 2
    nopreempt
    preempt_delay 30
    virtual_ipaddress {{
        198.51.100.11
    }}
}}
vrrp_instance c {{
    interface eth0
    version 3
    virtual_router_id 12
    authentication {{
        auth_type AH
    }}
    unicast_src_ip 203.0.113.1
    unicast_peer {{
        203.0.113.2
    }}
    virtual_ipaddress {{
        2001:db8::12
    }}
}}
vrrp_script late {{
    script /bin/true
}}
"""


def _write(tmp_path: Path, prio: str | None = "h1\nh2\nh3\n") -> Path:
    path = tmp_path / "keepalived.conf"
    path.write_text(CONF)
    if prio is not None:
        (tmp_path / "priority.dns").write_text(prio)
    return path


def test_each_finding_is_reported_where_it_is(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = check(*resolve_config(keepalived_path=path, search=(), config_id="n"))
    text = "\n".join(f"{f.severity} {f.where} {f.message}" for f in result.findings)
    assert f"{path}:15" in text and "IPv4 and IPv6 VIPs mixed" in text
    assert f"error {path}:35" in text and "VRID 10 IPv4 on eth0 is also a" in text
    assert f"{path}:22" in text and "longer than 8 characters: keepalived truncates" in text
    assert "'missing_script' has no vrrp_script" in text
    assert "weights are not PRIO*step" in text
    assert f"{path}:9" in text and "advert_int differs" in text and "a 1s, b 2s" in text
    assert f"{tmp_path / 'priority.dns'}:1" in text and "3 lines for 2 rank scripts" in text
    assert "lines 3 get no rank" in text
    assert "vrrp_script late is defined after a uses it" in text
    assert "VRRPv3 has no authentication" in text and "resets it to 0" in text
    # The secret's length must not show either; the temporary directory's own name
    # (pytest-N, N counting this machine's runs) is not the report's to judge.
    assert SECRET not in text and str(len(SECRET)) not in text.replace(str(tmp_path), "")
    assert result.exit_code == 1


def test_missing_priority_file_is_an_error(tmp_path: Path) -> None:
    result = check(*resolve_config(keepalived_path=_write(tmp_path, None), search=()))
    (finding,) = [f for f in result.findings if "priority file" in f.message]
    assert finding.severity == "error" and "No such file" in finding.message


def test_json_object_as_the_issue_specifies(tmp_path: Path) -> None:
    path = _write(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--check-config", "--json", "--keepalived-conf",
         str(path), "--config-id", "n"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert SECRET not in run.stdout + run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {"instances", "findings"}
    a, b, c = data["instances"]
    assert set(a) == {
        "name", "vrid", "family", "version", "interface", "priority", "advert_int_cs",
        "auth_type", "vips", "unicast_src_ip", "unicast_peers", "nopreempt",
        "preempt_delay_s", "track_scripts", "priority_file", "rank",
    }  # fmt: skip
    assert (a["auth_type"], a["vips"], a["family"], a["advert_int_cs"]) == (
        "pass", ["198.51.100.10"], 4, 100,
    )  # fmt: skip
    assert a["priority_file"] == str(tmp_path / "priority.dns")
    assert a["rank"] == {
        "direction": 0, "base": 50, "step": 40, "scripts": 2, "span": None, "span_lines": None,
    }  # fmt: skip
    assert a["track_scripts"][2] == {"name": "missing_script", "weight": None}
    assert (b["priority"], b["nopreempt"], b["preempt_delay_s"], b["auth_type"]) == (
        100, True, 0.0, "none",
    )  # fmt: skip
    assert (c["version"], c["family"], c["auth_type"]) == (3, 6, "none")
    assert (c["unicast_src_ip"], c["unicast_peers"]) == ("203.0.113.1", ["203.0.113.2"])
    for finding in data["findings"]:
        assert set(finding) == {"severity", "where", "message"}
        assert finding["severity"] in ("error", "warning", "info")


def test_clean_is_0_unusable_is_2(tmp_path: Path) -> None:
    clean = tmp_path / "k.conf"
    clean.write_text(
        "vrrp_instance x {\n interface eth0\n virtual_router_id 5\n"
        " virtual_ipaddress {\n 198.51.100.5\n }\n}\n"
    )
    base = [sys.executable, "-m", "vrrptop", "--check-config", "--config", "/dev/null"]
    run = subprocess.run([*base, "--keepalived-conf", str(clean)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "x: VRID 5 IPv4 v2 on eth0 prio 100" in run.stdout and "no findings" in run.stdout
    run = subprocess.run([*base, "--keepalived-conf", str(tmp_path / "nope"), "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 2
    data = json.loads(run.stdout)
    assert data["instances"] == [] and "cannot read" in data["findings"][0]["message"]


def test_info_notes_alone_exit_0_a_warning_exits_1(tmp_path: Path) -> None:
    # ``vrrptop --check-config && deploy`` must not stop on a remark: VRRPv3 ignoring an
    # authentication block, or preempt_delay with nopreempt, are notes (severity info).
    conf = tmp_path / "k.conf"
    body = (
        "vrrp_instance x {\n interface eth0\n virtual_router_id 5\n version 3\n"
        " nopreempt\n preempt_delay 10\n authentication {\n auth_type PASS\n"
        " auth_pass abc\n }\n virtual_ipaddress {\n 198.51.100.5\n }\n}\n"
    )
    conf.write_text(body)
    base = [sys.executable, "-m", "vrrptop", "--check-config", "--json", "--config", "/dev/null"]
    run = subprocess.run([*base, "--keepalived-conf", str(conf)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    severities = [f["severity"] for f in json.loads(run.stdout)["findings"]]
    assert severities == ["info", "info"] and run.returncode == 0, run.stdout + run.stderr
    # Control: the same plus a warning (auth_pass keepalived truncates, on v2) exits 1.
    conf.write_text(body.replace(" version 3\n", "").replace("abc", "longer-than-eight"))
    run = subprocess.run([*base, "--keepalived-conf", str(conf)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    severities = [f["severity"] for f in json.loads(run.stdout)["findings"]]
    assert "warning" in severities and run.returncode == 1, run.stdout + run.stderr


def _reversed_conf(tmp_path: Path, formula: str) -> Path:
    """One NUM-1 instance whose two rank scripts run ``named_check`` computing ``formula``."""
    script = tmp_path / "named_check"
    script.write_text(f"#!/bin/sh\nprio=$(grep -Fxn $(hostname) {tmp_path}/priority.t)\n"
                      f"{formula}\n")  # fmt: skip
    scripts = "".join(
        f'vrrp_script named_check_t1_{p} {{\n script "{script} t 1 {p}"\n weight {p * 50}\n}}\n'
        for p in (1, 2)
    )
    conf = tmp_path / "keepalived.conf"
    conf.write_text(
        scripts + "vrrp_instance t1 {\n interface eth0\n virtual_router_id 7\n priority 50\n"
        " virtual_ipaddress {\n 198.51.100.7\n }\n track_script {\n named_check_t1_1\n"
        " named_check_t1_2\n }\n}\n"
    )
    (tmp_path / "priority.t").write_text("a\nb\n")
    return conf


def test_a_rank_counted_with_wc_l_is_read_and_shown(tmp_path: Path) -> None:
    conf = _reversed_conf(tmp_path, "prio=$(( $(wc -l < /etc/keepalived/priority.t) + 1 - prio ))")
    config, kconf = resolve_config(keepalived_path=conf, search=())
    (inst,) = config.instances
    assert (inst.span, inst.span_lines) == (None, 0)
    result = check(config, kconf)
    assert result.exit_code == 0, result.findings
    run = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--check-config", "--config", "/dev/null",
         "--keepalived-conf", str(conf)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "(NUM 1: rank = wc -l + 1 - line)" in run.stdout, run.stdout + run.stderr


def test_an_unknown_reversal_is_said_not_guessed_silently(tmp_path: Path) -> None:
    conf = _reversed_conf(tmp_path, "prio=$(( 3 * 2 - prio ))")
    config, kconf = resolve_config(keepalived_path=conf, search=())
    (inst,) = config.instances
    assert (inst.span, inst.span_lines) == (None, None)  # the seed's: scripts + 1 - line
    (finding,) = [f for f in check(config, kconf).findings if "does not read" in f.message]
    assert finding.severity == "warning" and "rank = 3 - line" in finding.message
    # Control: the seed's own form is read, and nothing is said.
    conf = _reversed_conf(tmp_path, "prio=$((3 - $prio))")
    config, kconf = resolve_config(keepalived_path=conf, search=())
    assert config.instances[0].span == 2
    assert not [f for f in check(config, kconf).findings if "does not read" in f.message]
