"""Which results files changed since the last look: one listing of the folder and one
``stat`` per file (modification time, size and inode); only the files whose signature changed
are read again. The listing is ``report``'s (:func:`~autograd_tutor.progress.report.
results_files`): the same files count, and links or odd entries are named, never followed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from autograd_tutor.progress.report import FileProblem, results_files

_Signature = tuple[int, int, int]  # (mtime in ns, size, inode)


@dataclass(frozen=True)
class FolderChanges:
    """What one poll found: files new or changed since the last poll (with their modification
    time, in seconds since the epoch), files gone, and entries skipped unread."""

    changed: list[tuple[Path, float]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    skipped: list[FileProblem] = field(default_factory=list)
    skipped_changed: bool = False  # the skipped entries differ from the last poll's

    @property
    def any(self) -> bool:
        return bool(self.changed or self.removed or self.skipped_changed)


class FolderPoller:
    """Polls one folder. The first :meth:`poll` reports every file as changed."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._seen: dict[Path, _Signature] = {}
        self._skipped: list[FileProblem] = []

    def poll(self) -> FolderChanges:
        """The changes since the last poll. Raises ``OSError`` when the folder cannot be
        listed (the previous state stands)."""
        files, skipped = results_files(self.directory)
        now: dict[Path, _Signature] = {}
        changed: list[tuple[Path, float]] = []
        for path in files:
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:  # gone between the listing and the stat: removed
                continue
            sig = (st.st_mtime_ns, st.st_size, st.st_ino)
            now[path] = sig
            if self._seen.get(path) != sig:
                changed.append((path, st.st_mtime))
        removed = [path for path in self._seen if path not in now]
        self._seen = now
        skipped_changed = skipped != self._skipped
        self._skipped = skipped
        return FolderChanges(changed, removed, skipped, skipped_changed)
