"""Saving and loading one learner's progress.

Every save happens under an inter-process lock (:mod:`.lock`), re-reads the file under that
lock, adds to what it finds, and replaces the file atomically (temporary file in the same
folder, write, flush, fsync, ``os.replace``), so a crash or ``kill -9`` mid-save leaves the old
or the new file, never a torn one, and two app instances for the same learner never lose each
other's attempts. Nothing here opens a network connection.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from autograd_tutor import __version__
from autograd_tutor.progress.lock import DEFAULT_TIMEOUT, FileLock
from autograd_tutor.progress.paths import (
    default_data_dir,
    default_student,
    progress_path,
    results_path,
    safe_name,
)
from autograd_tutor.progress.records import (
    Attempt,
    DocumentError,
    LearnerProgress,
    new_document,
    parse_document,
    utc_now_iso,
)

STALE_TEMP_AGE = 60.0  # seconds; older temporary files of this learner are left-overs of a crash


class ProgressSaveError(OSError):
    """Progress could not be saved (disk full, read-only folder, lock timeout); the message
    says which file and why."""


class _Unreadable(Exception):
    """A progress file that exists but is not a usable document."""

    def __init__(self, reason: str, *, newer: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.newer = newer


def describe_json_error(exc: Exception, data: bytes) -> str:
    """A short human reason why ``data`` is not JSON."""
    if not data.strip():
        return "the file is empty"
    if isinstance(exc, UnicodeDecodeError):
        return "not text (binary data)"
    if isinstance(exc, json.JSONDecodeError):
        ends_early = exc.pos >= len(data.rstrip()) or exc.msg.startswith("Unterminated string")
        if ends_early and exc.pos > 0:
            return f"truncated JSON (the file ends after {len(data)} bytes, mid-document)"
        return f"not valid JSON at line {exc.lineno} column {exc.colno}"
    return f"not valid JSON ({exc})"


def read_document(path: Path) -> dict[str, Any] | None:
    """Read and fully validate a progress document; None if the file does not exist.

    Raises ``DocumentError`` (``newer`` set for a newer format version) for a file that is not
    a usable document, and ``OSError`` when it cannot be read at all.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    try:
        doc = json.loads(data)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise DocumentError(describe_json_error(exc, data)) from None
    parse_document(doc)
    return doc


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a temporary file in the same folder is
    written, flushed and fsynced, then renamed over ``path`` (and the folder fsynced)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
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
    _fsync_dir(path.parent)


def _replace(src: Path, dst: Path) -> None:
    for attempt in range(50):
        try:
            os.replace(src, dst)
            return
        except PermissionError:  # Windows: the target is open in another process for a moment
            if os.name != "nt" or attempt == 49:
                raise
            time.sleep(0.02)


def _fsync_dir(folder: Path) -> None:
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


def _aside_path(path: Path, tag: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{tag}-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def _remove_stale_temps(path: Path) -> None:
    """Delete temporary files of ``path`` left by a crashed save (older than a minute)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.\d+\.[0-9a-f]{{8}}\.tmp$")
    now = time.time()
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if pattern.match(entry.name):
            try:
                if now - entry.stat().st_mtime > STALE_TEMP_AGE:
                    os.unlink(entry.path)
            except OSError:
                pass


def _encode(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ProgressStore:
    """One learner's progress in ``<data_dir>/<student>.json`` (and, when ``results_dir`` is
    given, a copy in ``<results_dir>/<student>.json`` after every save).

    ``messages`` collects sentences for the user (a progress file moved aside, a results copy
    that could not be written); the UI shows and may clear them.
    """

    def __init__(
        self,
        data_dir: Path,
        student: str,
        results_dir: Path | None = None,
        *,
        app_version: str = __version__,
        lock_timeout: float = DEFAULT_TIMEOUT,
        lock_method: str = "auto",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.student = student
        self.results_dir = Path(results_dir) if results_dir is not None else None
        self.app_version = app_version
        self.path = progress_path(self.data_dir, student)
        self.lock_path = self.data_dir / f".{safe_name(student)}.lock"
        self.results_path = (
            results_path(self.results_dir, student) if self.results_dir is not None else None
        )
        self.messages: list[str] = []
        self._lock_timeout = lock_timeout
        self._lock_method = lock_method
        self._progress: LearnerProgress | None = None
        self._doc: dict[str, Any] | None = None
        self._mutex = threading.Lock()
        self._results_swept = False

    @classmethod
    def from_options(
        cls,
        student: str | None = None,
        data_dir: str | Path | None = None,
        results_dir: str | Path | None = None,
    ) -> ProgressStore:
        """A store from command-line style options; None means the default."""
        return cls(
            Path(data_dir).expanduser() if data_dir else default_data_dir(),
            student or default_student(),
            Path(results_dir).expanduser() if results_dir else None,
        )

    # -- reading -------------------------------------------------------------------------

    @property
    def progress(self) -> LearnerProgress:
        """The progress as last loaded or saved (loads on first use)."""
        if self._progress is None:
            return self.load()
        return self._progress

    def document(self) -> dict[str, Any]:
        """The learner document as last loaded or saved (loads on first use)."""
        if self._doc is None:
            self.load()
        assert self._doc is not None
        return self._doc

    def load(self) -> LearnerProgress:
        """Read the progress file. A corrupt file, or one from a newer format version, is
        moved aside (a message names both paths) and progress starts empty."""
        with self._mutex:
            try:
                doc = read_document(self.path)  # atomic replace makes reading without the lock safe
            except DocumentError:
                try:
                    doc = self._locked(self._read_or_move_aside)
                except OSError as exc:  # could not take the lock or move the file aside
                    self.messages.append(
                        f"Your progress file {self.path} could not be used, nor moved aside "
                        f"({exc.strerror or exc}); starting with empty progress (the file is "
                        "left as it is)."
                    )
                    doc = None
            except OSError as exc:
                self.messages.append(
                    f"Could not read your progress file {self.path} ({exc.strerror or exc}); "
                    "starting with empty progress."
                )
                doc = None
            self._set(doc or new_document(self.student, self.app_version))
            if doc is not None:
                self._refresh_results()
            assert self._progress is not None
            return self._progress

    def _refresh_results(self) -> None:
        """Bring the results copy up to date when it is missing or older than the progress
        file (a learner who joins a lab with earlier progress shows up in the report at once)."""
        if self.results_path is None:
            return
        try:
            if self.results_path.stat().st_mtime_ns >= self.path.stat().st_mtime_ns:
                return
        except FileNotFoundError:
            pass
        except OSError:
            return

        def copy() -> None:
            doc = read_document(self.path)
            if doc is not None:
                self._write_results(_encode(doc))

        try:
            self._locked(copy)
        except (OSError, DocumentError) as exc:
            self.messages.append(
                f"Could not write your results to {self.results_path} ({exc}); your progress "
                f"itself is in {self.path}."
            )

    def lesson_changed(self, lesson_id: str, current_hash: str) -> bool:
        """True when answers of this lesson were given to another version of it."""
        return self.progress.lesson_changed(lesson_id, current_hash)

    # -- writing -------------------------------------------------------------------------

    def record(self, attempt: Attempt) -> None:
        """Save one committed answer (merged into whatever the file holds now)."""
        self.record_many([attempt])

    def record_many(self, attempts: Sequence[Attempt]) -> None:
        """Save the answers committed together (one step's questions) in one atomic write."""
        entries = [(attempt, attempt.to_json()) for attempt in attempts]
        if not entries:
            return

        def update(doc: dict[str, Any]) -> None:
            for attempt, entry in entries:
                lesson = doc["lessons"].setdefault(attempt.lesson_id, {"hash": "", "attempts": []})
                lesson["hash"] = attempt.lesson_hash
                if entry not in lesson["attempts"][-8:]:  # the same attempt saved twice (a retry)
                    lesson["attempts"].append(entry)

        self._update(update)

    def update_document(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Apply ``change`` to the document and save it, under the lock, in one atomic write
        (for records kept beside the attempts, e.g. ``progress/exercise_records.py``)."""
        self._update(change)

    def reset_lesson(self, lesson_id: str) -> int:
        """Start ``lesson_id`` over: its attempts move to the document's ``reset`` archive (not
        destroyed; they no longer count). Returns how many attempts were archived."""
        moved = 0

        def update(doc: dict[str, Any]) -> None:
            nonlocal moved
            lesson = doc["lessons"].pop(lesson_id, None)
            if lesson and lesson["attempts"]:
                moved = len(lesson["attempts"])
                doc.setdefault("reset", []).append(
                    {
                        "lesson_id": lesson_id,
                        "hash": lesson.get("hash", ""),
                        "reset_at": utc_now_iso(),
                        "attempts": lesson["attempts"],
                    }
                )

        self._update(update)
        return moved

    def _update(self, change: Callable[[dict[str, Any]], None]) -> None:
        with self._mutex:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)

                def locked() -> dict[str, Any]:
                    doc = self._read_or_move_aside() or new_document(self.student, self.app_version)
                    change(doc)
                    doc["student"] = self.student
                    doc["updated"] = utc_now_iso()
                    doc["app_version"] = self.app_version
                    data = _encode(doc)
                    atomic_write_bytes(self.path, data)
                    _remove_stale_temps(self.path)
                    # Under the lock too, so two instances cannot leave an older copy behind.
                    self._write_results(data)
                    return doc

                doc = self._locked(locked)
            except OSError as exc:
                raise ProgressSaveError(
                    exc.errno, f"could not save progress to {self.path}: {exc.strerror or exc}"
                ) from exc
            self._set(doc)

    def _write_results(self, data: bytes) -> None:
        """Copy the saved document into the results folder (atomically); a failure is a
        message, never a lost save."""
        if self.results_path is None:
            return
        try:
            if self.results_path.exists() and self.results_path.samefile(self.path):
                return
            self.results_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.results_path, data)
            if not self._results_swept:  # a shared folder can be large: look once per run
                self._results_swept = True
                _remove_stale_temps(self.results_path)
        except OSError as exc:
            msg = (
                f"Could not write your results to {self.results_path} "
                f"({exc.strerror or exc}); your progress itself is saved in {self.path}."
            )
            if msg not in self.messages:
                self.messages.append(msg)

    # -- helpers -------------------------------------------------------------------------

    def _locked(self, fn: Callable[[], Any]) -> Any:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(self.lock_path, self._lock_timeout, method=self._lock_method):
            return fn()

    def _read_or_move_aside(self) -> dict[str, Any] | None:
        """Under the lock: the valid document, or None (missing, or moved aside now)."""
        try:
            return read_document(self.path)
        except DocumentError as exc:
            aside = _aside_path(self.path, "newer" if exc.newer else "corrupt")
            os.replace(self.path, aside)
            if exc.newer:
                self.messages.append(
                    f"Your progress file {self.path} was {exc}; it was moved to {aside} "
                    "(not overwritten) and progress starts empty here."
                )
            else:
                self.messages.append(
                    f"Your progress file {self.path} could not be used ({exc}); it was moved "
                    f"to {aside} and progress starts empty."
                )
            return None

    def _set(self, doc: dict[str, Any]) -> None:
        self._doc = doc
        self._progress = parse_document(doc)
