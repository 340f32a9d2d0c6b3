"""What goes wrong with lessons: :class:`LessonError` (a problem in one file, at its
file:line:col and field path), :class:`LessonsFolderError` (a folder that cannot be listed) and
:class:`BrokenLesson` (a file that could not be loaded, with its error).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class LessonError(Exception):
    """A problem in a lesson file: where it is (file, 1-based line/column, field path) and what.

    ``str(err)`` reads ``lessons/x.yaml:12:7: steps[2].ask[0]: unknown key 'expct' (did you
    mean 'expect'?)``; the line/column and the field are left out when unknown or empty.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        column: int | None,
        field: str,
        message: str,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        super().__init__(str(self))

    def location(self) -> str:
        """``file:line:col`` (as much of it as is known)."""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        parts = [self.location()]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LessonError, (self.path, self.line, self.column, self.field, self.message))


class LessonsFolderError(Exception):
    """A lessons folder that does not exist, is not a folder, or cannot be listed."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class BrokenLesson:
    """A lesson file that could not be loaded, with the reason."""

    path: Path
    error: LessonError

    @property
    def id(self) -> str:
        return self.path.stem
