"""The lessons of a folder as last read, kept so that the picker lists them without parsing YAML.

Reading the 18 bundled lessons (a YAML parser that keeps every node's position, then each
field's checks) takes about as long as Textual takes to paint its first frame; unpickling what
that produced takes a millisecond. :func:`load_lessons_cached` returns the kept lessons only
when nothing that shaped them changed: the key holds each lesson file's name and SHA-256, the
loader's own source files (name, size, modification time), the tutor's and Python's versions.
Anything else (a new, changed or removed file, a broken lesson, an unreadable or foreign cache
file) reads the folder with :func:`~autograd_tutor.lessons.loader.load_lessons`, whose errors
are the ones a learner sees; a folder with a broken lesson is never kept.

The cache is the learner's own: one file per lessons folder in the user cache folder, written
with mode 0600, read only when this user owns it and nobody else may write it, and unpickled
by an unpickler that builds nothing but the lesson model's own classes (any other name in the
file and it is ignored). At most :data:`KEEP_FILES` folders are kept, the oldest written
dropped first. A cache that cannot be written costs the next start the parse, nothing more.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import pickle
import stat
import sys
from dataclasses import is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd_tutor import __version__
from autograd_tutor.lessons.files import lesson_paths

if TYPE_CHECKING:
    from autograd_tutor.lessons.errors import BrokenLesson
    from autograd_tutor.lessons.model import Lesson

FORMAT = 1
KEEP_FILES = 8
MAX_CACHE_BYTES = 32 * 1024 * 1024
PREFIX = "lessons-"
SUFFIX = ".pickle"

# Every module whose code shapes a parsed lesson (the loader and what it imports from the
# tutor); a test checks that importing the loader imports nothing of the tutor outside them.
PACKAGE = Path(__file__).resolve().parent.parent
PARSE_CODE = ("lessons", "grading", "values.py", "sizes.py", "presentation.py", "__init__.py")

# The classes a kept lesson is made of: dataclasses of these modules, and paths.
MODEL_MODULES = frozenset(
    {
        "autograd_tutor.lessons.model",
        "autograd_tutor.lessons.params",
        "autograd_tutor.lessons.practice",
        "autograd_tutor.values",
    }
)
PATH_CLASSES = frozenset({("pathlib", "PosixPath"), ("pathlib", "WindowsPath")})


def default_cache_dir() -> Path:
    """``<user cache dir>/autograd-tutor/lessons``."""
    from platformdirs import user_cache_dir

    from autograd_tutor.progress.paths import APP_NAME

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "lessons"


def load_lessons_cached(
    directory: Path | None, cache_dir: Path | None
) -> tuple[list[Lesson], list[BrokenLesson]]:
    """What :func:`~autograd_tutor.lessons.loader.load_lessons` gives for ``directory``
    (``None``: the bundled lessons), from ``cache_dir`` when nothing changed since it was
    kept there (``cache_dir`` None: no cache). Raises what ``load_lessons`` raises."""
    directory = _folder(directory)
    kept, key, cache_file = _lookup(directory, cache_dir)
    if kept is not None:
        return kept, []
    lessons, broken = _parse(directory)
    if key is None or cache_file is None:
        return lessons, broken
    files = dict(key[-1])
    if not broken and all(files.get(lesson.path.name) == lesson.content_hash for lesson in lessons):
        # (each lesson as read is the file the key hashed: none changed in between)
        write_cache(cache_file, {"key": key, "lessons": lessons})
    return lessons, broken


def _folder(directory: Path | None) -> Path:
    if directory is None:
        from autograd_tutor.lessons.bundled import bundled_lessons_dir

        return bundled_lessons_dir()
    return Path(directory)


def _lookup(
    directory: Path, cache_dir: Path | None
) -> tuple[list[Lesson] | None, tuple[Any, ...] | None, Path | None]:
    """(the kept lessons or None, the key now, the cache file)."""
    if cache_dir is None:
        return None, None, None
    key = lessons_key(directory)
    cache_file = cache_dir / f"{PREFIX}{_folder_tag(directory)}{SUFFIX}"
    if key is None:
        return None, None, cache_file
    kept = read_cache(cache_file)
    if kept is not None and kept.get("key") == key and isinstance(kept.get("lessons"), list):
        return list(kept["lessons"]), key, cache_file
    return None, key, cache_file


def _parse(directory: Path) -> tuple[list[Lesson], list[BrokenLesson]]:
    from autograd_tutor.lessons.loader import load_lessons

    return load_lessons(directory)


def lessons_key(directory: Path) -> tuple[Any, ...] | None:
    """What the lessons read from ``directory`` depend on; None when a file cannot be read
    (the loader then says what is wrong with it). Raises ``LessonsFolderError`` as the
    loader does for a folder that cannot be listed."""
    files: list[tuple[str, str]] = []
    for path in lesson_paths(directory):
        try:
            files.append((path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
        except OSError:
            return None
    return (FORMAT, __version__, sys.version_info[:2], parse_code_stamp(), tuple(files))


def parse_code_stamp() -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every source file in :data:`PARSE_CODE`."""
    stamp: list[tuple[str, int, int]] = []
    for name in PARSE_CODE:
        target = PACKAGE / name
        paths = sorted(target.glob("*.py")) if target.is_dir() else [target]
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                continue
            stamp.append((str(path.relative_to(PACKAGE)), st.st_size, st.st_mtime_ns))
    return tuple(stamp)


def _folder_tag(directory: Path) -> str:
    name = str(directory.resolve()).encode("utf-8", "surrogateescape")
    return hashlib.sha256(name).hexdigest()[:16]


class ModelUnpickler(pickle.Unpickler):
    """Builds the lesson model's dataclasses and paths; refuses every other name."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in PATH_CLASSES:
            return super().find_class(module, name)
        if module in MODEL_MODULES:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and found.__module__ == module and is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a lesson")


def read_cache(path: Path) -> dict[str, Any] | None:
    """The kept document in ``path``; None when there is none, it is not this user's alone,
    or it is not a cache document."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fh.fileno())
            if not _trusted(st) or st.st_size > MAX_CACHE_BYTES:
                return None
            data = fh.read(MAX_CACHE_BYTES + 1)
        except OSError:
            return None
    try:
        kept = ModelUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 (any damage to a cache file means: parse again)
        return None
    return kept if isinstance(kept, dict) else None


def _trusted(st: os.stat_result) -> bool:
    """A regular file that this user owns and no one else may write."""
    if not stat.S_ISREG(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def write_cache(path: Path, document: dict[str, Any]) -> None:
    """Keep ``document`` in ``path`` (mode 0600, replaced atomically), then drop the oldest
    cache files beyond :data:`KEEP_FILES`. Best effort: a cache that cannot be written is
    skipped."""
    try:
        data = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        return
    _prune(path.parent)


def _prune(cache_dir: Path) -> None:
    try:
        kept = [(p.stat().st_mtime_ns, p) for p in cache_dir.glob(f"{PREFIX}*{SUFFIX}")]
    except OSError:
        return
    for _, old in sorted(kept, reverse=True)[KEEP_FILES:]:
        try:
            old.unlink()
        except OSError:
            pass
