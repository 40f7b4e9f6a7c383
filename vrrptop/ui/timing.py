"""The console's refresh policy: how often it redraws, and why these numbers.

Redraws follow the data (events, new masters, states show at once) but are spaced
by what the last one cost, so a flood cannot starve the keys; ticking values
(clock, elapsed time, counters, ages) move on a slow tick.
"""

from __future__ import annotations

MIN_REFRESH_S = 0.1
"""Redraws are at least this far apart (at most ~10/s)."""
MAX_REFRESH_S = 1.0
"""Even a very busy screen redraws at least once a second."""
ADAPT_FACTOR = 3.0
"""Redraw interval as a multiple of the last redraw's cost (see the app's inbox)."""
TICK_S = 1.3
"""The slow refresh: clock, elapsed time, counters and ages (htop refreshes at
1.5 s). Each tick rebuilds and repaints every ticking cell, which is most of an
idle console's cost: at 0.7 s the console used 3.9-4.8 % of a core at 200
adverts/s, at 1.3 s 2.4-3.2 % (``benchmarks/bench_idle.py``; the goal is 3 %).
Not a whole second: sampled once a second, the age of a master advertising every
second is read at the same phase each time and looks frozen (``0.9s`` for ever);
1.3 s walks through the phases (0.3, 0.6, 0.9, 0.2...), so ages move. What is
urgent (a new master, a state, an age turning late) never waits for a tick."""
ENGINE_INTERVAL_S = TICK_S
"""Update interval asked of the engine: its periodic updates *are* the ticks (one
snapshot, one computation and one repaint per tick); it still publishes events at
once, and those updates show only what is urgent."""
TICK_EARLY = 0.75
"""An update at least this fraction of ``TICK_S`` after the last tick is a tick
(the engine's updates come a little more than ``TICK_S`` apart)."""
TICK_LATE = 1.25
"""With no tick for this many ``TICK_S`` (engine silent, stopped or finished),
the clock ticks on its own."""
