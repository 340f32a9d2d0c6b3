"""How the command line ends: the named exit statuses, and the error a user can act on.

Commands return an :class:`ExitStatus` (or raise :class:`UserError`); ``cli.main`` is the one
place that turns an error into ``error: ...`` on stderr and a status, never a traceback. The
README's "Exit statuses" table lists the same numbers.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process's exit status says (scripts and CI read these)."""

    OK = 0
    PROBLEMS_FOUND = 1  # the command ran and found problems: `check` failed, no results, ...
    USAGE = 2  # a bad command line: unknown option, --lessons DIR that is no folder, unknown lesson
    LESSONS_UNREADABLE = 3  # the lessons folder cannot be read, or a lesson asked for is broken
    DATA_UNWRITABLE = 4  # progress cannot be saved: the data folder cannot be written (at the
    # start, or saves failed during the lessons and were still failing at the end)
    DEVICE_UNAVAILABLE = 5  # --device cuda without CUDA, or torch cannot start
    RESULTS_NOT_SAVED = 6  # progress saved, but the results folder did not get the latest copy
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
    PIPE_CLOSED = 141  # the output's reader went away (`| head`); 128 + SIGPIPE, as shells say


class UserError(Exception):
    """A problem the user can fix (not a bug): ``cli.main`` prints ``error: {message}`` and
    exits with ``status``."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.PROBLEMS_FOUND) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
