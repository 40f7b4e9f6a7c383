"""Pure decoders: link-layer frames to VRRP adverts, CARP, gratuitous ARP/NA.

No I/O, no privileges, never raises on bad input: every frame becomes a record.
"""
