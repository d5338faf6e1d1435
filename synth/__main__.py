"""`python -m synth` runs the command line."""
import sys

from synth.cli.main import main

sys.exit(main())
