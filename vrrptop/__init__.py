"""vrrptop: a terminal monitor for VRRP failover clusters."""

__version__ = "0.1.1"
