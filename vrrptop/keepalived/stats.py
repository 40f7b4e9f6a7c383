"""Parse keepalived's stats dump (``SIGUSR2``, ``keepalived.stats``).

Needed only when the build has no JSON dump (the JSON carries the same counters).
The counters are named here with the JSON dump's keys, so both paths give one set.
"""

from __future__ import annotations

#: (section, label) in keepalived.stats -> the JSON dump's key.
_KEYS: dict[tuple[str, str], str] = {
    ("Advertisements", "Received"): "advert_rcvd",
    ("Advertisements", "Sent"): "advert_sent",
    ("", "Became master"): "become_master",
    ("", "Released master"): "release_master",
    ("Packet Errors", "Length"): "packet_len_err",
    ("Packet Errors", "TTL"): "ip_ttl_err",
    ("Packet Errors", "Invalid Type"): "invalid_type_rcvd",
    ("Packet Errors", "Advertisement Interval"): "advert_interval_err",
    ("Packet Errors", "Address List"): "addr_list_err",
    ("Authentication Errors", "Invalid Type"): "invalid_authtype",
    ("Authentication Errors", "Type Mismatch"): "authtype_mismatch",
    ("Authentication Errors", "Failure"): "auth_failure",
    ("Priority Zero", "Received"): "pri_zero_rcvd",
    ("Priority Zero", "Sent"): "pri_zero_sent",
}


def parse_stats(text: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """Counters by instance name, as (JSON key, value) pairs; unknown lines are skipped."""
    out: dict[str, list[tuple[str, int]]] = {}
    instance: str | None = None
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if raw.startswith("VRRP Instance") and ":" in raw:
            instance = raw.split(":", 1)[1].strip()
            out[instance] = []
            section = ""
            continue
        if instance is None or ":" not in line:
            continue
        label, _, value = (part.strip() for part in line.partition(":"))
        if not value:
            section = label  # "  Packet Errors:"
            continue
        if not raw.startswith("    "):
            section = ""  # "  Became master: 1" (two spaces: not in a section)
        key = _KEYS.get((section, label))
        if key is not None and value.isdigit():
            out[instance].append((key, int(value)))
    return {name: tuple(pairs) for name, pairs in out.items()}
