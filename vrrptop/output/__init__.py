"""Non-interactive outputs: JSON Lines, the end-of-run report, the Prometheus exporter."""
