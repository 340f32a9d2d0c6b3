"""``autograd-tutor [LESSON ...]``: open the Textual app (Textual is imported only here and
under ``autograd_tutor/tui/``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from autograd_tutor.safe_text import printable

if TYPE_CHECKING:
    from autograd_tutor.progress import ProgressStore
    from autograd_tutor.worker import WorkerClient


def run(args: argparse.Namespace, worker: WorkerClient | None = None) -> int:
    """Start ``AutogradTutorApp`` with the lessons, device and learner the options name.

    ``worker``: a worker already started (the CLI's early ``--device cuda`` check); the app uses
    it instead of starting its own, and it is closed when the app ends.
    """
    from autograd_tutor.lessons.cache import default_cache_dir
    from autograd_tutor.progress import ProgressStore
    from autograd_tutor.settings import default_settings_path
    from autograd_tutor.tui.app import AutogradTutorApp

    lessons_dir = Path(args.lessons) if args.lessons else None  # a folder (checked by the cli)
    store = ProgressStore.from_options(args.student, args.data_dir, args.results_dir)
    app = AutogradTutorApp(
        lessons_dir,
        device=args.device,
        memory_limit=args.memory_limit,
        store=store,
        open_lessons=list(args.lesson or ()),
        worker=worker,
        settings_path=default_settings_path(),
        lessons_cache=default_cache_dir(),
    )
    try:
        app.run()
    finally:
        if worker is not None:
            worker.close()
    if app.return_code:
        return int(app.return_code)
    return not_saved_status(store)


def not_saved_status(store: ProgressStore) -> int:
    """After the app: what did not reach its file is said on stderr (the terminal is back),
    after trying once more; the exit status says it too (``SaveState.exit_status``)."""
    store.retry_unsaved()
    for line in store.save_state.lines():
        print(f"error: {printable(line)}", file=sys.stderr)
    return store.save_state.exit_status()
