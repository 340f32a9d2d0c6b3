"""Saving and loading one learner's progress. (Over 400 lines on purpose: one class, whose
lock, re-read, merge and atomic replace belong in one place to stay correct together.)

Every save happens under an inter-process lock (:mod:`.locking`), re-reads the file under that
lock, adds to what it finds, and replaces the file atomically (:mod:`autograd_tutor.atomic_file`),
so a crash or ``kill -9`` mid-save leaves the old or the new file, never a torn one, and two
app instances for the same learner never lose each other's attempts.

One learner, one file: a file whose stored ``student`` is someone else, or whose name differs
from this learner's only in case, is never read as this learner's nor written into
(:class:`LearnerFileError`). Files named by versions before 0.2 are renamed on first load.

What the learner should know (a file moved aside, a results copy that could not be written) is
pushed to ``on_warning(message)`` when it happens. A save that fails loses nothing: the change
stays in the store's memory (what the session and its summary read), a copy of the whole
progress goes to the rescue folder (:func:`.save_state.rescue_folder`), and the next save writes
every change still unsaved; :attr:`ProgressStore.save_state` says what has not reached its file.
Nothing here opens a network connection.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from autograd_tutor import __version__
from autograd_tutor.atomic_file import atomic_write_bytes, move_aside, remove_stale_temps
from autograd_tutor.errors import ExitStatus, UserError
from autograd_tutor.progress.locking import DEFAULT_TIMEOUT, LockMethod, save_lock
from autograd_tutor.progress.paths import (
    case_twins,
    check_student_name,
    default_data_dir,
    default_student,
    file_stem,
    legacy_stem,
    progress_path,
    results_path,
)
from autograd_tutor.progress.records import (
    PRACTICE_KEY,
    Attempt,
    DocumentError,
    LearnerProgress,
    ProgressDocument,
    convert_document,
    describe_json_error,
    encode_document,
    new_document,
    utc_now_iso,
)
from autograd_tutor.progress.save_state import SaveState, rescue_folder
from autograd_tutor.safe_text import printable

_log = logging.getLogger(__name__)

Warn = Callable[[str], None]
Change = Callable[[dict[str, Any]], None]


class ProgressSaveError(OSError):
    """Progress could not be saved (disk full, read-only folder, lock timeout); the message
    says which file, why, and where the unsaved progress is kept."""

    def __str__(self) -> str:
        return str(self.strerror)


class LearnerFileError(UserError):
    """The learner's file belongs to another learner (its stored ``student`` differs, or its
    name differs only in case from another learner's file): nothing is read from it or merged
    into it. The message says which file, whose it is, and what to do; the command line prints
    it as ``error: ...`` and exits with the usage status (choose another ``--student``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.USAGE)


def read_document(path: Path) -> dict[str, Any] | None:
    """Read and fully validate a progress document (as the plain dict in the file, unknown
    fields kept); None if the file does not exist.

    Raises ``DocumentError`` (``newer`` set for a newer format version) for a file that is not
    a usable document, and ``OSError`` when it cannot be read at all.
    """
    loaded = _read(Path(path))
    return None if loaded is None else loaded[0]


def _read(path: Path) -> tuple[dict[str, Any], ProgressDocument] | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise DocumentError(describe_json_error(data, str(exc))) from None
    except RecursionError:
        raise DocumentError("nested too deeply to be a progress document") from None
    return raw, convert_document(raw)


def _same_student(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).strip() == unicodedata.normalize("NFC", b).strip()


class ProgressStore:
    """One learner's progress in ``<data_dir>/<file stem>.json`` (and, when ``results_dir`` is
    given, a copy in ``<results_dir>/<file stem>.json`` after every save).

    ``on_warning(message)`` is called when a progress file is moved aside or the results copy
    cannot be written, at that moment (also during the first load); without it the sentence
    goes to the ``autograd_tutor.progress.store`` logger. Raises :class:`StudentNameError` for
    a name that cannot be used.
    """

    def __init__(
        self,
        data_dir: Path,
        student: str,
        results_dir: Path | None = None,
        *,
        on_warning: Warn | None = None,
        app_version: str = __version__,
        lock_timeout: float = DEFAULT_TIMEOUT,
        lock_method: LockMethod = "auto",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.student = check_student_name(student)
        self.results_dir = Path(results_dir) if results_dir is not None else None
        self.on_warning = on_warning
        self.app_version = app_version
        self.path = progress_path(self.data_dir, self.student)
        self.lock_path = self.data_dir / f".{file_stem(self.student)}.lock"
        self.results_path = (
            results_path(self.results_dir, self.student) if self.results_dir is not None else None
        )
        self._lock_timeout = lock_timeout
        self._lock_method: LockMethod = lock_method
        self._progress: LearnerProgress | None = None
        self._mutex = threading.Lock()
        self._results_swept = False
        self._results_failing = False
        self._pending: list[str] = []
        self._unsaved: list[Change] = []  # changes not in the progress file yet, in order
        self._base: dict[str, Any] | None = None  # the document as last read or written
        self.save_state = SaveState(self.path, self.results_path)
        # The learner named themselves (--student, or a lab folder): their own numbers in
        # lessons with parameters; else the default numbers (from_options decides).
        self.named = False

    @classmethod
    def from_options(
        cls,
        student: str | None = None,
        data_dir: str | Path | None = None,
        results_dir: str | Path | None = None,
        *,
        on_warning: Warn | None = None,
    ) -> ProgressStore:
        """A store from command-line style options (None means the default), checked at once:
        :class:`LearnerFileError` when the learner's file belongs to someone else."""
        store = cls(
            Path(data_dir).expanduser() if data_dir else default_data_dir(),
            student or default_student(),
            Path(results_dir).expanduser() if results_dir else None,
            on_warning=on_warning,
        )
        # The learner said who they are, or writes into a lab's folder: their own numbers in
        # lessons with parameters. Otherwise (a first run) the lessons' default numbers.
        store.named = student is not None or results_dir is not None
        store.check_owner()
        return store

    # -- whose file is it ---------------------------------------------------------------

    def check_owner(self) -> None:
        """Raise :class:`LearnerFileError` when the progress file or the results copy holds
        another learner's name, or another learner's file differs from it only in case.
        Unreadable files are left to :meth:`load` (which moves them aside)."""
        for path in (self.path, self.results_path):
            if path is None:
                continue
            self._check_case_twins(path)
            try:
                loaded = _read(path)
            except (OSError, DocumentError):
                continue
            if loaded is not None:
                self._check_student(path, loaded[1])

    def _check_case_twins(self, path: Path) -> None:
        twins = case_twins(path.parent, path)
        if twins:
            raise LearnerFileError(
                f"{printable(path)} and {printable(twins[0].name)} differ only in upper and "
                "lower case: on many file systems (macOS, Windows, most lab shares) they are "
                f"one file, so {printable(self.student)!r} would share progress with another "
                "learner; choose a name that differs in more than case (--student)"
            )

    def _check_student(self, path: Path, doc: ProgressDocument) -> None:
        if doc.student and not _same_student(doc.student, self.student):
            raise LearnerFileError(
                f"{printable(path)} holds the progress of {printable(doc.student)!r}, not of "
                f"{printable(self.student)!r}: it is not read or written as theirs; "
                "choose another name (--student) or another folder"
            )

    # -- reading -------------------------------------------------------------------------

    @property
    def progress(self) -> LearnerProgress:
        """The progress as last loaded or saved (loads on first use)."""
        if self._progress is None:
            return self.load()
        return self._progress

    def load(self) -> LearnerProgress:
        """Read the progress file. A corrupt file, or one from a newer format version, is
        moved aside (``on_warning`` names both paths) and progress starts empty.
        :class:`LearnerFileError` when the file is another learner's."""
        try:
            with self._mutex:
                return self._load()
        finally:
            self._flush_warnings()

    def _load(self) -> LearnerProgress:
        loaded: tuple[dict[str, Any], ProgressDocument] | None = None
        self._check_case_twins(self.path)
        try:
            self._migrate_legacy_names()
            loaded = _read(self.path)  # atomic replace makes reading without the lock safe
        except DocumentError:
            try:
                loaded = self._locked(self._read_or_move_aside)
            except OSError as exc:  # could not take the lock or move the file aside
                self._warn(
                    f"Your progress file {self.path} could not be used, nor moved aside "
                    f"({exc.strerror or exc}); starting with empty progress (the file is "
                    "left as it is)."
                )
        except OSError as exc:
            self._warn(
                f"Could not read your progress file {self.path} ({exc.strerror or exc}); "
                "starting with empty progress."
            )
        if loaded is not None:
            self._check_student(self.path, loaded[1])
            self._base = loaded[0]
            self._progress = LearnerProgress(loaded[1])
            self._refresh_results()
        else:
            self._progress = LearnerProgress()
            self._progress.student = self.student
        return self._progress

    def _migrate_legacy_names(self) -> None:
        """Rename this learner's files named by versions before 0.2 (``Ada_Lovelace.json``)
        to today's names (``Ada%20Lovelace.json``), when they are this learner's."""
        old_stem = legacy_stem(self.student)
        if old_stem == file_stem(self.student):
            return
        for new in (self.path, self.results_path):
            if new is None:
                continue
            old = new.with_name(f"{old_stem}.json")
            if new.exists() or not old.exists():
                continue

            def rename(old: Path = old, new: Path = new) -> None:
                try:
                    loaded = _read(old)
                except DocumentError:
                    return
                if loaded is not None and _same_student(loaded[1].student, self.student):
                    if not new.exists():
                        os.replace(old, new)

            try:
                self._locked(rename)
            except OSError:
                pass  # left where it is; the learner starts a new file

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
            loaded = _read(self.path)
            if loaded is not None:
                self._write_results(encode_document(loaded[0]))

        try:
            self._locked(copy)
        except (OSError, DocumentError) as exc:
            self._warn(
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
        """Start ``lesson_id`` over: its attempts, and its practice (exercise code and attempts,
        experiment runs), move to the document's ``reset`` archive (not destroyed; they no
        longer count). Returns how many answers were archived."""
        moved = 0

        def update(doc: dict[str, Any]) -> None:
            nonlocal moved
            lesson = doc["lessons"].pop(lesson_id, None)
            practice = lesson.get(PRACTICE_KEY) if lesson else None
            if lesson and (lesson["attempts"] or practice):
                moved = len(lesson["attempts"])
                archived = {
                    "lesson_id": lesson_id,
                    "hash": lesson.get("hash", ""),
                    "reset_at": utc_now_iso(),
                    "attempts": lesson["attempts"],
                }
                if practice:  # exercise code and attempts, experiment runs: kept too
                    archived[PRACTICE_KEY] = practice
                doc.setdefault("reset", []).append(archived)

        self._update(update)
        return moved

    def _update(self, change: Change | None) -> None:
        try:
            with self._mutex:
                self._update_locked(change)
        finally:
            self._flush_warnings()

    def _update_locked(self, change: Change | None) -> None:
        # what failed before goes in first, in order (None: only those, once more)
        pending = [*self._unsaved, *([change] if change is not None else [])]
        written: tuple[dict[str, Any], ProgressDocument] | None = None

        def locked() -> None:
            nonlocal written
            loaded = self._read_or_move_aside()
            if loaded is not None:
                self._check_student(self.path, loaded[1])
            else:  # a new file: no other learner's may differ from it only in case
                self._check_case_twins(self.path)
            raw = loaded[0] if loaded else new_document(self.student, self.app_version)
            for one in pending:
                one(raw)
            doc, data = self._encode(raw)
            atomic_write_bytes(self.path, data)
            written = raw, doc
            remove_stale_temps(self.path)
            # Under the lock too, so two instances cannot leave an older copy behind.
            self._write_results(data)

        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._locked(locked)
        except OSError as exc:
            if written is None:  # (once written, a lock that fails to let go loses nothing)
                why = exc.strerror or str(exc)
                self._unsaved = pending
                kept = self._keep_unsaved(why)
                raise ProgressSaveError(
                    exc.errno, f"could not save progress to {self.path}: {why}{kept}"
                ) from exc
        assert written is not None
        self._unsaved = []
        self._base, doc = written
        self.save_state.progress_error = None
        self.save_state.unsaved = 0
        self._progress = LearnerProgress(doc)

    def _encode(self, raw: dict[str, Any]) -> tuple[ProgressDocument, bytes]:
        raw["student"] = self.student
        raw["updated"] = utc_now_iso()
        raw["app_version"] = self.app_version
        doc = convert_document(raw)  # never write what could not be read back
        return doc, encode_document(raw)

    def _keep_unsaved(self, why: str) -> str:
        """After a failed save: the progress in memory with every unsaved change (what the
        session reads), a copy of it in the rescue folder and, when there is one, the results
        folder. Returns the words to add to the error: where the copy is."""
        base = self._base if self._base is not None else None
        raw = copy.deepcopy(base) if base else new_document(self.student, self.app_version)
        for one in self._unsaved:
            one(raw)
        doc, data = self._encode(raw)
        self._progress = LearnerProgress(doc)
        state = self.save_state
        state.progress_error = why
        state.unsaved = len(self._unsaved)
        rescue = rescue_folder() / f"{file_stem(self.student)}.json"
        try:
            rescue.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write_bytes(rescue, data)
        except OSError as exc:
            state.kept_at, state.kept_error = None, exc.strerror or str(exc)
        else:
            state.kept_at, state.kept_error = rescue, None
        self._write_results(data)
        if state.kept_at is None:
            return "; kept in the app's memory only"
        return f"; a copy is kept in {state.kept_at}"

    def retry_unsaved(self) -> None:
        """Write what is still unsaved (progress, or the results folder's copy) once more: the
        folder may be writable again. Call it before the summary and at the end; never
        raises for a failed save (:attr:`save_state` says what is still missing)."""
        if self.save_state.ok:
            return
        try:
            self._update(None)
        except ProgressSaveError:
            pass

    def _write_results(self, data: bytes) -> None:
        """Copy the saved document into the results folder (atomically); a failure is a
        warning (once, until a write succeeds again), never a lost save."""
        if self.results_path is None:
            return
        try:
            if self._results_is_progress():
                return
            self.results_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.results_path, data)
            self._results_failing = False
            self.save_state.results_error = None
            if not self._results_swept:  # a shared folder can be large: look once per run
                self._results_swept = True
                remove_stale_temps(self.results_path)
        except OSError as exc:
            self.save_state.results_error = exc.strerror or str(exc)
            if not self._results_failing:
                self._results_failing = True
                self._warn(
                    f"Could not write your results to {self.results_path} "
                    f"({exc.strerror or exc}); your progress itself is saved in {self.path}."
                )

    # -- helpers -------------------------------------------------------------------------

    def _results_is_progress(self) -> bool:
        """The results folder is the data folder (then there is no copy to write)."""
        assert self.results_path is not None
        try:
            return self.results_path.exists() and self.results_path.samefile(self.path)
        except OSError:  # the progress file cannot be reached: the copy is all there is
            return False

    def _warn(self, message: str) -> None:
        self._pending.append(message)

    def _flush_warnings(self) -> None:
        """Hand the warnings collected under the lock to ``on_warning`` (outside the lock, so
        a slow screen never holds another instance's save)."""
        pending, self._pending = self._pending, []
        for message in pending:
            if self.on_warning is not None:
                self.on_warning(message)
            else:
                _log.warning("%s", message)

    def _locked(self, fn: Callable[[], Any]) -> Any:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with save_lock(self.lock_path, self._lock_timeout, method=self._lock_method):
            return fn()

    def _read_or_move_aside(self) -> tuple[dict[str, Any], ProgressDocument] | None:
        """Under the lock: the valid document, or None (missing, or moved aside now)."""
        try:
            return _read(self.path)
        except DocumentError as exc:
            aside = move_aside(self.path, "newer" if exc.newer else "corrupt")
            if exc.newer:
                self._warn(
                    f"Your progress file {self.path} was {exc}; it was moved to {aside} "
                    "(not overwritten) and progress starts empty here."
                )
            else:
                self._warn(
                    f"Your progress file {self.path} could not be used ({exc}); it was moved "
                    f"to {aside} and progress starts empty."
                )
            return None
