import sys

from autograd_tutor.cli import main

sys.exit(main())
