"""Writing files so that a crash never leaves a torn one, and moving broken files aside.

Generic helpers (no knowledge of progress documents): :func:`atomic_write_bytes` replaces a
file through a temporary file in the same folder (write, flush, fsync, ``os.replace``, fsync
the folder); :func:`remove_stale_temps` deletes the temporary files a crashed write left;
:func:`move_aside` renames a file to a free ``<stem>.<tag>-<UTC time><suffix>`` beside it.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path

STALE_TEMP_AGE = 60.0  # seconds; older temporary files of a path are left-overs of a crash


def temp_path(path: Path) -> Path:
    """A fresh temporary file name beside ``path`` (hidden: ``.<name>.<pid>.<hex>.tmp``)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a temporary file in the same folder is
    written, flushed and fsynced, then renamed over ``path`` (and the folder fsynced)."""
    path = Path(path)
    tmp = temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)  # the umask applies: a teacher can read a shared folder
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def _replace(src: Path, dst: Path) -> None:
    for attempt in range(50):
        try:
            os.replace(src, dst)
            return
        except PermissionError:  # Windows: the target is open in another process for a moment
            if os.name != "nt" or attempt == 49:
                raise
            time.sleep(0.02)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (a rename survives a power cut); best effort."""
    if os.name == "nt":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def move_aside(path: Path, tag: str) -> Path:
    """Rename ``path`` to a free ``<stem>.<tag>-<UTC time><suffix>`` beside it; the new path."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{tag}-{stamp}-{n}{path.suffix}")
        n += 1
    os.replace(path, candidate)
    return candidate


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files of ``path`` left by a crashed write (older than a minute)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.\d+\.[0-9a-f]{{8}}\.tmp$")
    now = time.time()
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if pattern.match(entry.name):
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_AGE:
                    os.unlink(entry.path)
            except OSError:
                pass
