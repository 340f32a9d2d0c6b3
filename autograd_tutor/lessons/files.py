"""Which files in a folder are lessons: the one rule, used by the loader, its cache and
``check``. (Kept apart from the loader so that listing a folder imports no YAML parser.)"""

from __future__ import annotations

from pathlib import Path

from autograd_tutor.lessons.errors import LessonsFolderError

LESSON_SUFFIXES = (".yaml", ".yml")


def lesson_paths(directory: Path) -> list[Path]:
    """The lesson files (``*.yaml``, ``*.yml``) directly in ``directory``, sorted by name;
    :class:`LessonsFolderError` when it is no folder or cannot be listed."""
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        raise LessonsFolderError(directory, "no such folder") from None
    except NotADirectoryError:
        raise LessonsFolderError(directory, "not a folder") from None
    except OSError as exc:
        raise LessonsFolderError(directory, f"cannot read it: {exc.strerror or exc}") from None
    return sorted(p for p in entries if p.suffix in LESSON_SUFFIXES and not p.is_dir())
