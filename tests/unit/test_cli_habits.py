"""tcpdump habits on the command line (issue 13): a filter expression after the
interface or with -f, -D, -p, -l, -v; --help says defaults, paths and exit codes."""

from __future__ import annotations

import pytest

from vrrptop.capture.bpf import FILTER_EXPRESSION, combined_expression, compile_ethernet
from vrrptop.capture.interfaces import interface_lines, list_interfaces
from vrrptop.cli import build_parser, parse_args


def test_expression_after_the_interface_or_with_f() -> None:
    assert parse_args(["em1", "host", "198.51.100.14"]).filter_expression == "host 198.51.100.14"
    assert parse_args(["em1", "host 198.51.100.14"]).interface == "em1"
    o = parse_args(["-i", "em1", "host", "198.51.100.14"])  # tcpdump -i em1 EXPR
    assert o.interface == "em1" and o.filter_expression == "host 198.51.100.14"
    assert parse_args(["em1", "-f", "vlan 36"]).filter_expression == "vlan 36"
    o = parse_args(["em1", "--json", "host", "198.51.100.14"])  # options first, then EXPR
    assert o.json and o.filter_expression == "host 198.51.100.14"
    assert parse_args(["em1"]).filter_expression is None


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["em1", "hots 198.51.100.14"], "not a valid tcpdump filter expression"),
        (["em1", "-f", "vlan 36", "host", "198.51.100.14"], "once"),
        (["-r", "x.pcap", "host", "198.51.100.14"], "applies to a live capture"),
    ],
)
def test_bad_expressions_are_usage_errors(argv, says, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        parse_args(argv)
    assert exc.value.code == 2
    assert says in capsys.readouterr().err


def test_combined_filter_keeps_vrrptops_own() -> None:
    assert combined_expression(None) == FILTER_EXPRESSION
    both = combined_expression("host 198.51.100.14")
    assert both.count("host 198.51.100.14") == 2 and "ip proto 112" in both
    assert compile_ethernet(both)[0] > 0


def test_p_l_v_options() -> None:
    o = parse_args(["em1", "-p", "-l", "-vv"])
    assert o.promiscuous is False and o.line_buffered is True and o.verbose == 2
    assert parse_args(["em1"]).promiscuous is True


def test_list_interfaces(capsys) -> None:  # type: ignore[no-untyped-def]
    lines = interface_lines(list_interfaces())
    assert lines[-1].endswith("any (all interfaces, read without link headers)")
    assert any(".lo [" in line for line in lines)  # every Linux has lo
    with pytest.raises(SystemExit) as exc:
        parse_args(["-D"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.splitlines() == lines


def test_help_gives_defaults_paths_and_exit_codes() -> None:
    text = " ".join(build_parser().format_help().split())
    assert "--probe-interval S seconds between DNS probes of each server (default: 2.0)" in text
    assert "(default: 1.0)" in text
    assert "/etc/vrrptop.toml" in text and "~/.config/vrrptop/config.toml" in text
    assert "/etc/keepalived/keepalived.conf is read automatically" in text
    for code in ("0 success", "2 usage", "77 permission denied", "78 configuration"):
        assert code in text
    assert "vrrptop(1)" in text


def test_readme_keys_table_is_the_key_table() -> None:
    from pathlib import Path

    from vrrptop.ui.keys import keys_markdown

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert keys_markdown() in readme


def test_piped_report_is_not_cut_and_width_is_honoured(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def report(*extra: str) -> str:
        out = tmp_path / "report.txt"
        with out.open("w") as fh:  # a file, as `--report | mail` or `> file` gives
            subprocess.run(
                [sys.executable, "-m", "vrrptop", "--demo", "--report", *extra],
                cwd=root, stdout=fh, stderr=subprocess.DEVNULL, check=True, timeout=120,
            )  # fmt: skip
        return out.read_text()

    assert "…" not in report()  # full width: no cell cut
    narrow = report("--width", "80")
    assert "…" in narrow  # the control: at 80 columns the same report cuts cells
    assert max(len(line) for line in narrow.splitlines()) <= 80
