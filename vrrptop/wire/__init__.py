"""Pure decoders: link-layer frames to VRRP adverts, CARP, gratuitous ARP/NA.

No I/O, no privileges, never raises on bad input: every frame becomes a record.

Entry point: ``vrrptop.wire.decode.decode_frame(frame) -> Advert | Carp | Garp |
Malformed | None`` (None: not our traffic). Modules, one concept each:

- ``records``  the record types (shared contract)
- ``decode``   dispatch, the never-raise guard and the bounded advert cache
- ``link``     Ethernet/VLAN/QinQ/SNAP, Linux SLL/SLL2, raw IP, BSD loopback, Frame Relay
- ``ip``       IPv4 (options, AH) and IPv6 (extension headers); address formatting
- ``vrrp``     VRRPv2/v3 and CARP discrimination; ``PROBLEMS`` explains problem words
- ``checksum`` internet checksum and the IPv4/IPv6 pseudo-headers
- ``arp``      gratuitous ARP requests/replies
- ``nd``       unsolicited ICMPv6 neighbour advertisements
- ``auth``     ``mask``/``show`` for VRRPv2 authentication data
- ``errors``   the internal DecodeError that becomes a Malformed record
"""
