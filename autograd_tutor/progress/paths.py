"""Where progress lives: the data folder, the learner's name, and the file name made from it.

One learner, one file: :func:`file_stem` maps a learner's name to a file name reversibly
(:func:`student_from_stem` gives the name back): ASCII letters, digits and ``- _ . @ +`` stay
as they are, every other character is percent-encoded as UTF-8 (``Ada Lovelace`` ->
``Ada%20Lovelace``, ``a/b`` -> ``a%2Fb``), as are a leading or trailing dot and the first
letter of a Windows device name (``con`` -> ``%63on``). So distinct names never share a file on
a case-sensitive file system; :func:`case_twins` finds the names that would share one on a
case-insensitive one (``Ann`` and ``ann`` on macOS, Windows, most lab shares).
"""

from __future__ import annotations

import getpass
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from autograd_tutor.safe_text import has_control_characters, printable

ENV_DATA = "AUTOGRAD_TUTOR_DATA"
ENV_RESULTS = "AUTOGRAD_TUTOR_RESULTS"  # the shared lab folder, set once by a login script
APP_NAME = "autograd-tutor"
MAX_NAME = 64  # characters in a learner's name
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.@+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}
_LEGACY_UNSAFE = re.compile(r"[^\w.@+-]+")


class StudentNameError(ValueError):
    """A learner name that cannot be used; the message says why."""


def check_student_name(name: str) -> str:
    """``name`` as a learner's name (surrounding spaces removed), or :class:`StudentNameError`:
    empty, control characters (an escape sequence would reach a teacher's terminal), or more
    than 64 characters."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise StudentNameError("a learner's name cannot be empty")
    if has_control_characters(cleaned):
        raise StudentNameError(
            f"the name {printable(cleaned)!s} holds control characters (such as an escape "
            "sequence); use letters, digits, spaces and punctuation"
        )
    if len(cleaned) > MAX_NAME:
        raise StudentNameError(f"a learner's name has at most {MAX_NAME} characters")
    return cleaned


def default_data_dir() -> Path:
    """``$AUTOGRAD_TUTOR_DATA`` if set (and not empty), else the platform's user data folder."""
    env = os.environ.get(ENV_DATA, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_results_dir() -> str | None:
    """``$AUTOGRAD_TUTOR_RESULTS`` if set (and not empty), else None (no shared folder). Text,
    checked by the command line like a ``--results-dir`` value."""
    return os.environ.get(ENV_RESULTS, "").strip() or None


def default_student() -> str:
    """The login name, or ``"learner"`` when there is none (or it is not a usable name)."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name (containers, odd Windows setups)
        name = ""
    try:
        return check_student_name(name)
    except StudentNameError:
        return "learner"


def _quote(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def file_stem(student: str) -> str:
    """The file name stem for a learner: reversible (see the module docstring)."""
    chars = [c if c in _SAFE else _quote(c) for c in student]
    if chars and chars[0] == ".":
        chars[0] = "%2E"
    if chars and chars[-1] == ".":
        chars[-1] = "%2E"
    if student.split(".")[0].lower() in _WINDOWS_RESERVED:
        chars[0] = _quote(student[0])
    return "".join(chars)


def student_from_stem(stem: str) -> str:
    """The learner's name a :func:`file_stem` came from."""
    return unquote(stem, errors="strict")


def legacy_stem(student: str) -> str:
    """The file name stem of versions before 0.2, which replaced unsafe characters by ``_``
    (so ``a/b`` and ``a_b`` shared a file): only to find and migrate such files."""
    name = unicodedata.normalize("NFC", student).strip()
    name = _LEGACY_UNSAFE.sub("_", name).lstrip(".")
    name = name[:MAX_NAME].rstrip(".") or "learner"
    if name.split(".")[0].lower() in _WINDOWS_RESERVED:
        name = "_" + name
    return name


def progress_path(data_dir: Path, student: str) -> Path:
    """The learner's progress file: ``<data_dir>/<file stem>.json``."""
    return Path(data_dir) / f"{file_stem(student)}.json"


def results_path(results_dir: Path, student: str) -> Path:
    """The learner's file in a shared results folder: ``<results_dir>/<file stem>.json``."""
    return Path(results_dir) / f"{file_stem(student)}.json"


def case_twins(folder: Path, path: Path) -> list[Path]:
    """Other ``*.json`` files in ``folder`` whose names differ from ``path``'s only in case:
    on a case-insensitive file system they would be the same file."""
    key = path.name.casefold()
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(e.path) for e in entries if e.name != path.name and e.name.casefold() == key
            )
    except OSError:
        return []
