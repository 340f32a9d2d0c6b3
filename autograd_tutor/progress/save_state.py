"""What did not reach its folder in this sitting: the progress file (a full disk, a data folder
made read-only) and the copy in the results folder (a lab folder made read-only). The store
(:mod:`.store`) fills a :class:`SaveState` as saves fail and succeed again; the lesson summary
(the app and ``--plain``) shows :meth:`SaveState.lines`, and the app's exit status is
:meth:`SaveState.exit_status`. The one place these words and that status are decided."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograd_tutor.errors import ExitStatus
from autograd_tutor.safe_text import printable


def rescue_folder() -> Path:
    """Where a copy of progress that could not be saved is kept: a folder of this user's in the
    system's temporary folder (another disk than the data folder, often)."""
    user = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"autograd-tutor-unsaved-{user}"


@dataclass
class SaveState:
    """The saves of one learner's store in this sitting."""

    progress_path: Path
    results_path: Path | None = None
    progress_error: str | None = None  # why the latest save of the progress file failed
    unsaved: int = 0  # changes (answers, runs, code) not in the progress file
    kept_at: Path | None = None  # a copy of the whole progress, unsaved changes included
    kept_error: str | None = None  # why no such copy could be written
    results_error: str | None = None  # why the latest copy into the results folder failed

    @property
    def ok(self) -> bool:
        return self.progress_error is None and self.results_error is None

    def exit_status(self) -> ExitStatus:
        """:attr:`ExitStatus.DATA_UNWRITABLE` while progress is unsaved, else
        :attr:`ExitStatus.RESULTS_NOT_SAVED` while the results folder misses the latest
        copy, else OK."""
        if self.progress_error is not None:
            return ExitStatus.DATA_UNWRITABLE
        if self.results_error is not None:
            return ExitStatus.RESULTS_NOT_SAVED
        return ExitStatus.OK

    def lines(self) -> list[str]:
        """What the learner must be told, in words (empty when every save reached its file)."""
        lines: list[str] = []
        if self.progress_error is not None:
            what = "change" if self.unsaved == 1 else "changes"
            lines.append(
                f"Your progress was NOT saved: {self.unsaved} {what} could not be written to "
                f"{printable(self.progress_path)} ({printable(self.progress_error)})."
            )
            if self.kept_at is not None:
                lines.append(
                    f"A copy of all your progress is kept in {printable(self.kept_at)}: copy it "
                    "over that file once its folder can be written again, or hand it to your "
                    "teacher."
                )
            else:
                lines.append(
                    "No copy could be written anywhere either "
                    f"({printable(self.kept_error or 'unknown')}): this sitting's answers are "
                    "only in the app while it runs. Free some space or ask for help before "
                    "quitting."
                )
        if self.results_error is not None and self.results_path is not None:
            kept = (
                f"your progress is saved in {printable(self.progress_path)}"
                if self.progress_error is None
                else "see above for where your progress is"
            )
            lines.append(
                "Your results did NOT reach the results folder: "
                f"{printable(self.results_path)} could not be written "
                f"({printable(self.results_error)}); {kept}. Tell your teacher."
            )
        return lines
