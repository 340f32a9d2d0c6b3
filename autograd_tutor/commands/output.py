"""Where a command's file option writes: ``-`` is standard output, any other name a file
written atomically (a reader never sees half of it). One rule for every file option
(``report --csv``, ``report --gradebook``, ``export -o``)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from autograd_tutor.atomic_file import atomic_write_bytes
from autograd_tutor.errors import UserError
from autograd_tutor.safe_text import printable

STDOUT = "-"


def is_stdout(target: str | None) -> bool:
    return target == STDOUT


def write_output(target: str, text: str, stdout: TextIO) -> None:
    """``text`` to ``target``: standard output for ``-``, else the file (``~`` expanded).
    :class:`UserError` naming the file when it cannot be written."""
    if is_stdout(target):
        stdout.write(text)
        stdout.flush()
        return
    try:
        atomic_write_bytes(Path(target).expanduser(), text.encode("utf-8"))
    except OSError as exc:
        raise UserError(
            f"cannot write {printable(target)}: {printable(exc.strerror or exc)}"
        ) from None
