"""Sources of frames: a live interface, a pcap/pcapng file, or a synthetic generator.

All share ``FrameSource`` (see ``base``) so the engine does not care where frames
come from.
"""
