# Closes every descriptor the process has.
import os

os.closerange(0, 4096)
