"""Priority file: byte-exact parse/render, line classification and pure edits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrrptop.priority import EditError, LineKind, PriorityFile, PriorityFileError, is_hostname

SEED = b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"

# Arbitrary text, with line-ish pieces mixed in so CRLF, '#', blanks and host names
# are common; NUL is excluded because it is rejected on purpose (tested below).
_pieces = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\0"), max_size=12),
    st.sampled_from(
        ["\n", "\r\n", "\r", "#", " ", "\t", "recdns-cnh", "#recdns-rnb", "é", "\ufeff"]
    ),
)
texts = st.lists(_pieces, max_size=30).map("".join)


@given(texts)
def test_parse_render_identity_on_arbitrary_text(text: str) -> None:
    assert PriorityFile.parse(text).render() == text.encode("utf-8")
    assert PriorityFile.parse(text.encode("utf-8")).render() == text.encode("utf-8")


@pytest.mark.parametrize(
    "data",
    [b"", b"\n", b"a", b"a\n", b"a\r\nb\r\n", b"a\nb", b"  x \t\n\n\n#c\n", b"\r", SEED],
)
def test_parse_render_identity_examples(data: bytes) -> None:
    assert PriorityFile.parse(data).render() == data


def test_seed_file_classification_and_grep_lines() -> None:
    f = PriorityFile.parse(SEED)
    assert [line.kind for line in f.lines] == [
        LineKind.HOST,
        LineKind.DISABLED,
        LineKind.HOST,
        LineKind.HOST,
    ]
    assert [(e.name, e.line, e.in_service) for e in f.entries()] == [
        ("recdns-cnh", 1, True),
        ("recdns-rnb", 2, False),
        ("recdns-sby", 3, True),
        ("recdns-wcdc", 4, True),
    ]
    # grep -Fxn: line numbers count every line; "#recdns-rnb" does not match.
    assert f.grep_line("recdns-wcdc") == 4
    assert f.grep_line("recdns-rnb") is None
    assert f.line_count == 4
    assert f.warnings() == []


def test_comments_blank_and_other_lines() -> None:
    f = PriorityFile.parse("# testdns order\n\n# two words\nnot a host!\nhost1\n")
    kinds = [line.kind for line in f.lines]
    assert kinds == [
        LineKind.COMMENT,
        LineKind.BLANK,
        LineKind.COMMENT,
        LineKind.OTHER,
        LineKind.HOST,
    ]
    assert f.grep_line("host1") == 5
    assert any("not a host name" in w.message for w in f.warnings())


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"recdns-cnh \n", "spaces"),
        (b"\trecdns-cnh\n", "spaces"),
        (b"recdns-cnh\r\n", "CR"),
    ],
)
def test_lines_grep_x_would_not_match_are_flagged(data: bytes, why: str) -> None:
    f = PriorityFile.parse(data)
    assert f.lines[0].kind is LineKind.HOST
    assert f.grep_line("recdns-cnh") is None
    assert f.entries()[0].in_service is False
    (warning,) = f.warnings()
    assert warning.line == 1 and why in warning.message and "grep -x" in warning.message


def test_duplicate_and_dotted_hosts_warned() -> None:
    f = PriorityFile.parse("a\nb.example\na\n")
    messages = [w.message for w in f.warnings()]
    assert any("also on line 1" in m for m in messages)
    assert any("dot" in m for m in messages)
    assert f.grep_line("a") == 1


@pytest.mark.parametrize(
    ("data", "word"),
    [(b"a\0b\n", "NUL"), (b"a" * 2_000_000, "too large")],
)
def test_broken_files_raise_one_line_error(data: bytes, word: str) -> None:
    with pytest.raises(PriorityFileError) as info:
        PriorityFile.parse(data)
    assert word in str(info.value) and "\n" not in str(info.value)
    assert info.value.exit_code != 0


def test_lone_surrogates_rejected_at_parse_not_at_save() -> None:
    with pytest.raises(PriorityFileError, match="UTF-8"):
        PriorityFile.parse("host\ud800\n")


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("recdns-cnh", True),
        ("a", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("-a", False),
        ("a-", False),
        ("a_b", False),
        ("a b", False),
        ("", False),
        ("host.example.org", True),
        ("é", False),
        ("1host", True),
    ],
)
def test_hostname_rules(name: str, ok: bool) -> None:
    assert is_hostname(name) is ok


def test_move_swaps_with_neighbouring_host_and_keeps_comments_in_place() -> None:
    f = PriorityFile.parse("# header\na\n# note\n#b\nc")
    moved = f.move_up(4)  # "c" swaps with "#b" (line 4), comments stay
    assert moved.render() == b"# header\na\n# note\nc\n#b"
    assert moved.move_up(3).render() == b"# header\nc\n# note\na\n#b"
    with pytest.raises(EditError):
        f.move_up(1)  # first host
    with pytest.raises(EditError):
        f.move_down(4)  # last host
    with pytest.raises(EditError):
        f.move_up(0)  # a comment


def test_disable_enable_keep_line_number_and_decoration() -> None:
    f = PriorityFile.parse(b"a\r\nb\r\n")
    off = f.disable(1)
    assert off.render() == b"a\r\n#b\r\n"
    assert off.enable(1).render() == f.render()
    assert off.toggle(1).render() == f.render()
    with pytest.raises(EditError):
        f.enable(0)
    with pytest.raises(EditError):
        off.disable(1)


def test_add_host_validates_and_keeps_style() -> None:
    assert PriorityFile.parse("a\nb").add_host("c").render() == b"a\nb\nc"
    assert PriorityFile.parse("a\n").add_host("c").render() == b"a\nc\n"
    assert PriorityFile.parse("").add_host("c").render() == b"c\n"
    assert PriorityFile.parse("a\r\nb\r\n").add_host("c").render() == b"a\r\nb\r\nc\r\n"
    assert PriorityFile.parse("a\nb\n").add_host("c", 0).render() == b"c\na\nb\n"
    with pytest.raises(EditError, match="already on line 2"):
        PriorityFile.parse("a\n#c\n").add_host("c")
    for bad in ("", "bad name", "-x", "x" * 64):
        with pytest.raises(EditError):
            PriorityFile.parse("a\n").add_host(bad)


def test_delete_line() -> None:
    f = PriorityFile.parse("a\n# c\nb")
    assert f.delete(1).render() == b"a\nb"
    assert f.delete(2).render() == b"a\n# c\n"
    with pytest.raises(EditError):
        f.delete(3)


# -- property: an edit touches only the lines it is about -----------------------

_line_texts = st.one_of(
    st.sampled_from(["h1", "h2", "#h3", "# c", "", "  ", "h4\r", "x y", "#", "h5 "]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\0\n"), max_size=8),
)
files = st.lists(_line_texts, max_size=12).flatmap(
    lambda texts: st.booleans().map(
        lambda final_nl: "\n".join(texts) + ("\n" if final_nl and texts else "")
    )
)


def _raw_lines(f: PriorityFile) -> list[bytes]:
    return [line.render().encode() for line in f.lines]


@settings(max_examples=300)
@given(files, st.integers(0, 15), st.sampled_from(["up", "down", "toggle", "delete", "add"]))
def test_every_edit_keeps_non_edited_lines_byte_identical(text: str, i: int, op: str) -> None:
    f = PriorityFile.parse(text)
    before = _raw_lines(f)
    try:
        if op == "up":
            other = f.neighbour(i, -1)
            g = f.move_up(i)
            touched = {i, other}
        elif op == "down":
            other = f.neighbour(i, +1)
            g = f.move_down(i)
            touched = {i, other}
        elif op == "toggle":
            g = f.toggle(i)
            touched = {i}
        elif op == "delete":
            g = f.delete(i)
            assert _raw_lines(g) == before[:i] + before[i + 1 :]
            return
        else:
            g = f.add_host("newhost", i)
            after = _raw_lines(g)
            if i >= len(before):
                # Appending may only add a terminator to the old last line.
                assert [b.rstrip(b"\n") for b in after[: len(before)]] == [
                    b.rstrip(b"\n") for b in before
                ]
                assert after[: len(before) - 1] == before[: len(before) - 1]
            else:
                assert after[:i] + after[i + 1 :] == before
            return
    except EditError:
        assert f.render() == text.encode()  # the original is untouched
        return
    after = _raw_lines(g)
    assert len(after) == len(before)
    for k in range(len(before)):
        if k not in touched:
            assert after[k] == before[k]
    if op in ("up", "down"):
        a, b = sorted(touched)  # type: ignore[arg-type]
        # The two host texts swapped; terminators stayed with their position.
        assert f.lines[a].text == g.lines[b].text and f.lines[b].text == g.lines[a].text
        assert f.lines[a].eol == g.lines[a].eol and f.lines[b].eol == g.lines[b].eol
        assert g.lines[a].kind in (LineKind.HOST, LineKind.DISABLED)
    if op == "toggle":
        assert g.toggle(i).render() == f.render()
