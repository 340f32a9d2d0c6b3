"""The inter-process lock around a save, through the ``filelock`` package.

``flock`` (POSIX) or ``msvcrt.locking`` (Windows); where the file system refuses such locks
(some network shares) filelock falls back to a soft lock: a marker file created with
``O_EXCL`` that holds its owner's pid and host, reclaimed when that process is gone (same
host) or when the marker is older than ``stale_after`` seconds. ``filelock`` is imported when
the first lock is taken, so it costs nothing at start-up. Locks are held for the few
milliseconds a save takes.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from filelock import BaseFileLock

DEFAULT_TIMEOUT = 30.0
STALE_AFTER = 60.0  # a soft lock marker older than this (seconds) is from a dead process

LockMethod = Literal["auto", "soft"]


def save_lock(
    path: Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    method: LockMethod = "auto",
    stale_after: float = STALE_AFTER,
) -> BaseFileLock:
    """A lock on ``path`` for ``with``: ``"auto"`` is the operating system's lock with the
    soft fallback, ``"soft"`` the soft lock alone. Taking it raises ``TimeoutError`` (an
    ``OSError``) after ``timeout`` seconds."""
    import filelock

    if method == "soft":
        with warnings.catch_warnings():  # age-based expiry is wanted: a save takes milliseconds
            warnings.simplefilter("ignore", filelock.SoftFileLockLifetimeWarning)
            return filelock.SoftFileLock(path, timeout=timeout, lifetime=stale_after)
    # filelock warns once when it falls back to the soft lock: a warning on stderr would land
    # in the middle of the full-screen app, and the fallback is the documented behaviour.
    warnings.filterwarnings("ignore", message="flock not supported", category=UserWarning)
    return filelock.FileLock(path, timeout=timeout)
