# Leaves a (non-daemon) thread spinning after the code ends.
import threading
import time


def spin():
    while True:
        time.sleep(0.01)


threading.Thread(target=spin).start()
