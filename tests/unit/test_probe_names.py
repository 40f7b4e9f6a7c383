"""Display safety, reverse names, host resolution and the lookup cache."""

from __future__ import annotations

import socket
import threading

import pytest

from vrrptop.options import Options
from vrrptop.probe import HostResolver, ReverseNames, safe_name
from vrrptop.probe.lookup_cache import LookupCache

# --- safe_name -------------------------------------------------------------


def test_plain_names_are_unchanged() -> None:
    for name in ("recdns-cnh.csi.cam.ac.uk", "routeur-été", "2001:db8::1"):
        assert safe_name(name) == name


@pytest.mark.parametrize(
    "evil",
    [
        "host\x1b[2J\x1b]0;pwned\x07",  # clear screen, set window title
        "host\x9b31m",  # C1 CSI
        "good\u202eevil",  # right-to-left override
        "line\nbreak\rreturn",
        "nul\x00byte\x7f",
        "sep\u2028arator",
    ],
)
def test_control_and_format_characters_are_escaped(evil: str) -> None:
    shown = safe_name(evil)
    assert shown.isprintable()
    for ch in evil:
        if not ch.isprintable():
            assert f"{ord(ch):02x}" in shown


def test_escaping_cannot_be_forged_with_backslashes() -> None:
    # A name that *looks* escaped must stay distinguishable from a real escape.
    assert safe_name("a\x1b") != safe_name("a\\x1b")


def test_bytes_and_none_and_length() -> None:
    assert safe_name(b"ok\xff\x1b") == "ok\\xff\\x1b"
    # An invalid byte and the literal text "\xff" never display the same.
    assert safe_name(b"ok\\xff") == "ok\\\\xff" != safe_name(b"ok\xff")
    assert safe_name(None) == ""
    cut = safe_name("x" * 1000)
    assert len(cut) == 255 and cut.endswith("…")


# --- LookupCache -----------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _wait_done(cache: LookupCache[str, str], key: str) -> None:
    for _ in range(500):
        if cache.peek(key)[0]:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"{key} never resolved")


def test_cache_miss_returns_none_then_value_and_expires() -> None:
    calls: list[str] = []
    clock = _Clock()
    cache: LookupCache[str, str] = LookupCache(
        lambda k: calls.append(k) or k.upper(), ttl=10, negative_ttl=1, clock=clock
    )
    assert cache.get("a") is None
    _wait_done(cache, "a")
    assert cache.get("a") == "A"
    assert calls == ["a"]
    clock.now = 11  # expired: the stale value is returned while refreshing
    assert cache.get("a") == "A"
    for _ in range(500):
        if len(calls) == 2:
            break
        threading.Event().wait(0.01)
    assert calls == ["a", "a"]
    cache.close()


def test_cache_negative_answers_are_cached_for_negative_ttl() -> None:
    calls: list[str] = []
    clock = _Clock()

    def fail(key: str) -> str | None:
        calls.append(key)
        raise OSError("no such name")

    cache: LookupCache[str, str] = LookupCache(fail, ttl=100, negative_ttl=5, clock=clock)
    cache.get("x")
    _wait_done(cache, "x")
    for _ in range(10):
        assert cache.get("x") is None
    assert calls == ["x"]
    clock.now = 6
    cache.get("x")
    for _ in range(500):
        if len(calls) == 2:
            break
        threading.Event().wait(0.01)
    assert calls == ["x", "x"]
    cache.close()


def test_cache_keeps_the_last_answer_when_the_resolver_fails() -> None:
    # A timeout or an unreachable server is no answer: the host keeps its addresses
    # (else every host turns "names-unresolved" during a DNS hiccup); "no such name"
    # (the resolver returning None) does drop them.
    clock = _Clock()
    answers: list[object] = ["A", OSError("EAI_AGAIN"), None]

    def resolve(key: str) -> str | None:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    cache: LookupCache[str, str] = LookupCache(resolve, ttl=10, negative_ttl=1, clock=clock)
    assert cache.resolve_now("a") == "A"
    clock.now = 11
    assert cache.resolve_now("a") == "A"  # failed: the last answer, retried soon
    clock.now = 13
    assert cache.resolve_now("a") is None  # the resolver says there is none now
    cache.close()


def test_getaddrinfo_no_such_name_is_none_a_failure_raises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vrrptop.probe import hosts

    def raising(errno: int) -> object:
        def fake(*_a: object, **_k: object) -> object:
            raise socket.gaierror(errno, "fake")

        return fake

    monkeypatch.setattr(hosts.socket, "getaddrinfo", raising(socket.EAI_NONAME))
    assert hosts.getaddrinfo_addresses("gone.example") is None
    monkeypatch.setattr(hosts.socket, "getaddrinfo", raising(socket.EAI_AGAIN))
    with pytest.raises(socket.gaierror):
        hosts.getaddrinfo_addresses("slow.example")


def test_cache_is_bounded_lru() -> None:
    cache: LookupCache[str, str] = LookupCache(lambda k: k, ttl=100, negative_ttl=1, max_entries=3)
    for key in "abcd":
        cache.resolve_now(key)
    assert len(cache) == 3
    assert cache.peek("a") == (False, None)
    assert cache.peek("d") == (True, "d")
    cache.close()


def test_cache_get_never_blocks_on_a_hung_resolver() -> None:
    release = threading.Event()

    def hung(key: str) -> str:
        release.wait(10)
        return key

    cache: LookupCache[str, str] = LookupCache(hung, ttl=100, negative_ttl=1, max_pending=2)
    # many distinct keys while the resolver hangs: every call returns at once
    assert [cache.get(f"k{i}") for i in range(50)] == [None] * 50
    release.set()
    cache.close()


# --- ReverseNames ----------------------------------------------------------


def test_reverse_names_are_sanitised_and_resolved_once() -> None:
    calls: list[str] = []
    done = threading.Event()

    def ptr(address: str) -> str:
        calls.append(address)
        return "evil\x1b[2J.example."

    names = ReverseNames(resolver=ptr, on_update=lambda a, n: done.set())
    assert names.lookup("198.51.100.11") is None  # not known yet: no wait
    assert done.wait(5)
    name = names.lookup("198.51.100.11")
    assert name is not None and "\x1b" not in name and name.endswith(".example")
    assert calls == ["198.51.100.11"]
    names.close()


def test_reverse_names_disabled_by_numeric_never_resolve() -> None:
    calls: list[str] = []
    names = ReverseNames(enabled=False, resolver=lambda a: calls.append(a) or "x")
    assert names.lookup("198.51.100.11") is None
    threading.Event().wait(0.05)
    assert calls == []
    names.close()
    assert not ReverseNames.from_options(Options(numeric=True)).enabled
    assert ReverseNames.from_options(Options()).enabled


def test_reverse_names_only_look_up_literal_addresses() -> None:
    calls: list[str] = []
    names = ReverseNames(resolver=lambda a: calls.append(a) or "x")
    assert names.lookup("recdns-cnh") is None
    assert names.lookup("2001:db8::1") is None
    threading.Event().wait(0.1)
    assert calls == ["2001:db8::1"]
    names.close()


def test_reverse_name_of_loopback_matches_the_system_resolver() -> None:
    try:
        expected = socket.gethostbyaddr("127.0.0.1")[0]
    except OSError:
        pytest.skip("127.0.0.1 has no name here")
    done = threading.Event()
    names = ReverseNames(on_update=lambda a, n: done.set())
    names.lookup("127.0.0.1")
    assert done.wait(10)
    assert names.lookup("127.0.0.1") == expected
    names.close()


# --- HostResolver ----------------------------------------------------------


def test_host_resolver_static_addresses_win() -> None:
    calls: list[str] = []
    hosts = HostResolver(
        static={"recdns-cnh": ("198.51.100.1", "2001:db8::1")},
        resolver=lambda n: calls.append(n) or ("203.0.113.9",),
    )
    assert hosts.lookup("recdns-cnh") == ("198.51.100.1", "2001:db8::1")
    assert hosts.resolve("recdns-sby") == ("203.0.113.9",)
    assert hosts.lookup("recdns-sby") == ("203.0.113.9",)
    assert calls == ["recdns-sby"]
    hosts.close()


def test_host_resolver_uses_hosts_file_via_getaddrinfo() -> None:
    try:
        expected = socket.gethostbyname("localhost")
    except OSError:
        pytest.skip("localhost does not resolve here")
    hosts = HostResolver()
    addresses = hosts.resolve("localhost")
    assert addresses is not None and expected in addresses
    hosts.close()
