"""Allow ``python -m vrrptop``."""

from vrrptop.cli import main

raise SystemExit(main())
