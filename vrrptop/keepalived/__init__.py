"""The local keepalived's own view of itself, beside the wire.

On a keepalived node the wire shows only what masters send: backups are silent and a
track script's result can only be guessed. keepalived knows: this package finds it
(``locate``), asks it for its dumps by signal and reads them from its /tmp
(``reader``), parses them (``dumps``, ``stats``), reads the configuration it reads
(``conf``) and does all of that on its own thread, every few seconds (``poller``).
The values it produces are ``vrrptop.model.node``'s; nothing here touches the packet
path.
"""
