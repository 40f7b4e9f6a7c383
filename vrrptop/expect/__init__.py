"""Declared versus observed: what should be (priority files, keepalived.conf, DNS
health) beside what the wire shows, and the alarms when they disagree.

- ``facts``: who is who -- host names joined to addresses by every evidence.
- ``settle``: how long keepalived needs to follow a change (one definition).
- ``prediction``: what keepalived will elect for one instance (one function, used
  by the correlation and the priority-file editor alike).
- ``correlate``: one snapshot in, expectations and candidate alarms out (pure).
- ``lifecycle``: candidates in, alarms raised once and cleared once (hold-down).
- ``judge``: the stateful step the monitor runs per snapshot, tying them together.
- ``wording``: the words and levels every output uses (no textual, no rich).

The values it produces are typed (``vrrptop.model.expectation``); outputs
serialise them at their edge.
"""
