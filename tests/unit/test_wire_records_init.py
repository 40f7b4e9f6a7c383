"""The records built per frame write their ``__init__`` out (see ``vrrptop.wire.records``):
each must take exactly its dataclass fields, in order, with the same defaults, and set
every field, or a field added later would be silently left unset."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path
from typing import Any

import pytest
from test_wire_support import eth_ip4, v2_msg

from vrrptop.wire import records
from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Frame


def decoded() -> Advert:
    clear_cache()
    rec = decode_frame(Frame(1.5, 1, eth_ip4(v2_msg(vrid=7))))
    assert type(rec) is Advert
    return rec


def _written_init(cls: type) -> list[tuple[str, object]]:
    """``cls.__init__``'s parameters and defaults, read from the source: a compiled
    ``__init__`` has no signature to inspect, and both builds run this test."""
    tree = ast.parse((Path(inspect.getfile(records)).parent / "records.py").read_text())
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__]
    (init,) = [f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"]
    args = init.args
    assert not (args.posonlyargs or args.vararg or args.kwonlyargs or args.kwarg)
    names = [a.arg for a in args.args[1:]]
    defaults: list[object] = [inspect.Parameter.empty] * (len(names) - len(args.defaults))
    defaults += [ast.literal_eval(d) for d in args.defaults]
    return list(zip(names, defaults, strict=True))


@pytest.mark.parametrize("cls", [Frame, Advert])
def test_written_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    fields = [f for f in dataclasses.fields(cls) if f.init]
    empty = inspect.Parameter.empty
    assert _written_init(cls) == [
        (f.name, empty if f.default is dataclasses.MISSING else f.default) for f in fields
    ]


def test_written_init_sets_every_field() -> None:
    a = decoded()
    values: dict[str, Any] = {
        f.name: getattr(a, f.name) for f in dataclasses.fields(Advert) if f.init
    }
    # Every field a value of its own type that no other field holds, so a swapped or
    # forgotten assignment shows.
    values.update(
        ts=9.25, src="198.51.100.9", dst="198.51.100.10", src_mac="02:00:00:00:00:09",
        version=3, type=1, vrid=99, priority=77, interval_cs=123,
        addresses=("203.0.113.9",), auth_type=2, auth_data=b"secret!!", ttl=254,
        checksum=4321, checksum_ok=False, checksum_variant="v3", vlan=42,
        problems=("ttl-not-255",), frame=b"frame", auth_offset=31,
    )  # fmt: skip
    b = Advert(**values)
    for name, value in values.items():
        assert getattr(b, name) == value, name
    assert b.template is None
    f = Frame(2.5, 113, b"abc", 64)
    assert (f.ts, f.linktype, f.data, f.wirelen) == (2.5, 113, b"abc", 64)
    assert Frame(2.5, 1, b"abc").wirelen == -1


def test_replace_keeps_the_fields_and_drops_the_template() -> None:
    a = decoded()
    again = decode_frame(Frame(2.0, 1, a.frame))
    assert type(again) is Advert and again.template is not None
    moved = dataclasses.replace(again, priority=1)
    assert moved.template is None
    assert moved == dataclasses.replace(a, ts=2.0, priority=1)
