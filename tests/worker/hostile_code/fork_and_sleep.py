# Forks; the child sleeps long after the run, the parent prints the child's pid.
import os
import time

child = os.fork()
if child == 0:
    time.sleep(300)
    os._exit(0)
print(f"PID={child}", flush=True)
