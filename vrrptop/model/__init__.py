"""Pure state: what the segment looks like, built from decoded records.

Time is always injected (packet timestamps in replay, the clock when live), so the
whole model is deterministic and testable without sleeping.
"""
