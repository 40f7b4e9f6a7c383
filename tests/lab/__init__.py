"""A real keepalived + DNS failover lab in network namespaces (see README.md).

Four nodes (recdns-cnh/rnb/sby/wcdc) run dnsmasq and keepalived as in the seed
deployment; a fifth namespace ``vl-mon`` on the same bridge is where vrrptop sniffs.
Use it from pytest (``tests/integration/conftest.py``) or by hand:
``python -m tests.lab up|down|status|...`` from the repository root.
"""

from tests.lab.lab import DEFAULT_STATE_DIR, SEED_MASTERS, Lab, LabError
from tests.lab.topology import MON, NODES

__all__ = ["DEFAULT_STATE_DIR", "MON", "NODES", "SEED_MASTERS", "Lab", "LabError"]
