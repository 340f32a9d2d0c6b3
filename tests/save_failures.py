"""Making a folder unwritable in the middle of a sitting, for the save-failure tests.

``chmod`` is how it happens in a lab (a results folder made read-only), but it stops nobody
running as root; :func:`block` works for everyone: the folder is moved away and a file takes
its name, so every write into it fails (``mkdir``: file exists; a write: not a directory)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def chmod_stops_writes(folder: Path) -> bool:
    """Whether a read-only mode stops this user writing into ``folder`` (not for root)."""
    probe = folder / ".write-probe"
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        probe.write_text("x")
    except PermissionError:
        return True
    else:
        probe.unlink()
        return False
    finally:
        folder.chmod(mode)


def block(folder: Path) -> Path:
    """Make ``folder`` unwritable for anyone; returns where its files went."""
    away = folder.with_name(folder.name + ".away")
    os.rename(folder, away)
    folder.write_text("not a folder any more\n")
    return away


def unblock(folder: Path) -> None:
    """Undo :func:`block`."""
    folder.unlink()
    os.rename(folder.with_name(folder.name + ".away"), folder)
