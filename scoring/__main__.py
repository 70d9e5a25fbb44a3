"""``python -m scoring``: score one answers file; see scoring.cli."""

import sys

from scoring.cli import main

sys.exit(main())
