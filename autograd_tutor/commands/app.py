"""``autograd-tutor [LESSON ...]``: open the Textual app (Textual is imported only here and
under ``autograd_tutor/tui/``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Start ``AutogradTutorApp`` with the lessons, device and learner the options name."""
    from autograd_tutor.progress import ProgressStore
    from autograd_tutor.settings import default_settings_path
    from autograd_tutor.tui.app import AutogradTutorApp

    lessons_dir = Path(args.lessons) if args.lessons else None  # a folder (checked by the cli)
    store = ProgressStore.from_options(args.student, args.data_dir, args.results_dir)
    app = AutogradTutorApp(
        lessons_dir,
        device=args.device,
        store=store,
        open_lessons=list(args.lesson or ()),
        settings_path=default_settings_path(),
    )
    app.run()
    return int(app.return_code or 0)
