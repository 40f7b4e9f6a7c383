"""IP protocol 112: VRRPv2 (RFC 3768), VRRPv3 (RFC 5798/9568) and CARP.

The message end comes from the IP length, bounded by the captured bytes. A header or
address list that the capture cut off cannot be decoded (DecodeError); every other
oddity still yields an Advert whose ``problems`` say what is wrong, because a live
router sending a slightly odd advert is exactly what an operator needs to see.

VRRPv2 always ends with 8 bytes of authentication data (RFC 3768 5.3.10), which
is a cleartext password with auth type 1. When authentication is on and the
address count promises more addresses than the message holds before those 8
bytes, the count is lying: reading addresses by the count would turn the password
into "addresses" (shown, exported as Prometheus labels, even probed over DNS).
Such a message is malformed, so no address is ever read from an auth field.
"""

from __future__ import annotations

from vrrptop.wire.checksum import pseudo_header_v4, pseudo_header_v6, verify
from vrrptop.wire.errors import DecodeError
from vrrptop.wire.ip import PROTO_VRRP, IpPacket, ntop
from vrrptop.wire.link import Link
from vrrptop.wire.records import Advert, Carp, ChecksumVariant

GROUP_V4 = bytes((224, 0, 0, 18))
GROUP_V6 = bytes.fromhex("ff020000000000000000000000000012")

#: Every word ``Advert.problems`` can hold, with a one-line explanation for the UI.
PROBLEMS: dict[str, str] = {
    "bad-checksum": "checksum matches no variant (v2, v3 with or without pseudo-header)",
    "truncated-capture": "capture cut the message: checksum not verified",
    "ttl-not-255": "TTL / hop limit is not 255 (RFC: receivers must discard)",
    "unicast-dst": "sent to a unicast address (unicast peers), not the VRRP group",
    "wrong-group": "sent to a multicast group other than 224.0.0.18 / ff02::12",
    "count-mismatch": "VRRPv3 address count does not fit in the message length",
    "trailing-bytes": "extra bytes after the message (e.g. an HMAC trailer)",
    "auth-missing": "VRRPv2 message without its 8 bytes of auth data",
    "unknown-auth-type": "VRRPv2 auth type is not 0, 1 or 2",
    "unknown-type": "message type is not 1 (advertisement)",
    "v2-over-ipv6": "VRRPv2 is defined for IPv4 only",
    "src-not-link-local": "VRRP over IPv6 must come from a link-local address",
    "vrid-0": "VRID 0 is not valid (1-255)",
    "no-addresses": "address count is 0",
    "zero-interval": "advertisement interval is 0",
}

VRRP_HEADER = 8
V2_AUTH_LEN = 8
CARP_LEN = 36
CARP_AUTHLEN = 7  # CARP's "authlen" byte sits where VRRP has its address count


def _is_carp(msg: bytes, declared: int, alen: int) -> bool:
    """CARP shares proto 112, group and first byte with VRRPv2: tell them apart.

    CARP is 36 bytes with authlen 7 at offset 3; a VRRPv2 message with 7 addresses
    needs at least 8 + 7 * alen bytes (36 for IPv4, 120 for IPv6), so a message
    shorter than that with byte 3 == 7 cannot be VRRP and is CARP.
    """
    return (
        msg[0] == 0x21
        and msg[3] == CARP_AUTHLEN
        and CARP_LEN <= declared < VRRP_HEADER + CARP_AUTHLEN * alen + V2_AUTH_LEN
    )


def _carp(ts: float, msg: bytes, ip: IpPacket, link: Link, src: str) -> Carp:
    if len(msg) < CARP_LEN:
        raise DecodeError(
            f"CARP advert cut by capture ({len(msg)} of {CARP_LEN} bytes)", "carp", src
        )
    return Carp(
        ts=ts,
        src=src,
        dst=ntop(ip.dst),
        src_mac=link.src_mac,
        family=ip.family,
        version=msg[0] >> 4,
        type=msg[0] & 0x0F,
        vhid=msg[1],
        advskew=msg[2],
        advbase=msg[5],
        counter=int.from_bytes(msg[8:16], "big"),
        vlan=link.vlan,
    )


def _check(msg: bytes, lengths: list[int], version: int, ip: IpPacket) -> ChecksumVariant | None:
    """Which checksum variant matches the message of any candidate length, if any."""
    for length in lengths:
        body = msg[:length]
        if version == 3:
            if ip.family == 4:
                ph = pseudo_header_v4(ip.src, ip.dst, PROTO_VRRP, length)
            else:
                ph = pseudo_header_v6(ip.src, ip.dst, PROTO_VRRP, length)
            if verify(body, ph):
                return "v3"
            # RFC 9568 errata / Cisco / keepalived v3_checksum_as_v2: no pseudo-header.
            if ip.family == 4 and verify(body):
                return "v3-as-v2"
            # keepalived's old_unicast_checksum: unicast adverts checksummed as if
            # sent to the group (measured with keepalived 2.2.7 in the lab).
            if (
                ip.family == 4
                and ip.dst != GROUP_V4
                and verify(body, pseudo_header_v4(ip.src, GROUP_V4, PROTO_VRRP, length))
            ):
                return "v3-old-unicast"
        elif verify(body):
            return "v2"
    return None


def decode_ip112(ts: float, data: bytes, ip: IpPacket, link: Link, frame: bytes) -> Advert | Carp:
    """Decode the proto-112 message described by ``ip``; DecodeError if impossible."""
    start = ip.start
    declared = ip.end - start
    msg = data[start : ip.end]
    captured = len(msg)
    src = ntop(ip.src)
    if declared < VRRP_HEADER:
        raise DecodeError(
            f"truncated VRRP header ({max(declared, 0)} < {VRRP_HEADER} bytes)", "vrrp", src
        )
    b0 = msg[0] if captured else 0
    version = b0 >> 4
    if captured and version not in (2, 3):
        raise DecodeError(f"unknown VRRP version {version} (expected 2 or 3)", "vrrp", src)
    if captured < VRRP_HEADER:
        raise DecodeError(
            f"VRRP header cut by capture ({captured} of {VRRP_HEADER} bytes captured)",
            "vrrp",
            src,
        )
    alen = 4 if ip.family == 4 else 16
    if version == 2 and _is_carp(msg, declared, alen):
        return _carp(ts, msg, ip, link, src)

    count = msg[3]
    addr_end = VRRP_HEADER + alen * count
    if captured < addr_end and captured < declared:
        raise DecodeError(
            f"address list cut by capture ({count} addresses need {addr_end} bytes,"
            f" {captured} captured)",
            "vrrp",
            src,
        )
    problems: list[str] = []
    if version == 2 and msg[4] != 0 and declared < addr_end + V2_AUTH_LEN:
        # Authentication on, fewer bytes than the count needs: the auth field is
        # there (only a message too short to hold one can lack it), so the count
        # lies. (With auth type 0, tcpdump and tshark read a short message by its
        # count, auth field missing; there is no secret to expose then.)
        room = declared - VRRP_HEADER - (V2_AUTH_LEN if declared >= 16 else 0)
        if count * alen > room:
            raise DecodeError(
                f"VRRPv2 address count {count} does not fit the {declared}-byte message"
                f" (room for {max(room, 0) // alen} addresses and the 8-byte auth field)",
                "vrrp",
                src,
            )
    if declared < addr_end:
        problems.append("count-mismatch")
        naddr = (captured - VRRP_HEADER) // alen
    else:
        naddr = count
    end = VRRP_HEADER + naddr * alen
    addresses = tuple(map(ntop, [msg[i : i + alen] for i in range(VRRP_HEADER, end, alen)]))

    if version == 2:
        auth_type: int | None = msg[4]
        unknown_auth = msg[4] > 2
        interval_cs = msg[5] * 100
        mlen = addr_end + V2_AUTH_LEN
        auth_data = msg[addr_end:mlen]
        if declared < mlen:
            problems.append("auth-missing")
        if unknown_auth:
            problems.append("unknown-auth-type")
        if ip.family == 6:
            problems.append("v2-over-ipv6")
    else:
        auth_type = None
        auth_data = b""
        interval_cs = ((msg[4] & 0x0F) << 8) | msg[5]
        mlen = addr_end
    if declared > mlen:
        # e.g. keepalived's auth_hmac trailer: the advert itself is still good.
        problems.append("trailing-bytes")

    checksum = (msg[6] << 8) | msg[7]
    variant: ChecksumVariant | None = None
    if captured < declared:
        problems.append("truncated-capture")  # cannot verify what was not captured
    else:
        lengths = [mlen, declared] if VRRP_HEADER <= mlen < declared else [declared]
        variant = _check(msg, lengths, version, ip)
        if variant is None:
            problems.append("bad-checksum")

    ttl = ip.ttl
    if ttl != 255:
        problems.append("ttl-not-255")
    if ip.dst != (GROUP_V4 if ip.family == 4 else GROUP_V6):
        multicast = ip.dst[0] >= 224 if ip.family == 4 else ip.dst[0] == 0xFF
        problems.append("wrong-group" if multicast else "unicast-dst")
    if ip.family == 6 and not (ip.src[0] == 0xFE and ip.src[1] & 0xC0 == 0x80):
        problems.append("src-not-link-local")
    if b0 & 0x0F != 1:
        problems.append("unknown-type")
    if msg[1] == 0:
        problems.append("vrid-0")
    if count == 0:
        problems.append("no-addresses")
    if interval_cs == 0:
        problems.append("zero-interval")

    return Advert(
        ts=ts,
        src=src,
        dst=ntop(ip.dst),
        src_mac=link.src_mac,
        family=ip.family,
        version=version,
        type=b0 & 0x0F,
        vrid=msg[1],
        priority=msg[2],
        interval_cs=interval_cs,
        addresses=addresses,
        auth_type=auth_type,
        auth_data=auth_data,
        ttl=ttl,
        checksum=checksum,
        checksum_ok=variant is not None,
        checksum_variant=variant,
        vlan=link.vlan,
        problems=tuple(problems),
        frame=frame,
        auth_offset=start + addr_end if version == 2 else -1,
    )
