"""``python -m analysis.cli``: the ``career-report`` command."""

import sys

from analysis.cli import main

sys.exit(main())
