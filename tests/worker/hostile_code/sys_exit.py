# Calls sys.exit in the middle of the run.
import sys

sys.exit(0)
