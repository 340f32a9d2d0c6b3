"""The core never imports Textual, and nothing but the worker process imports torch.

Each check runs in a fresh interpreter so that modules imported by other tests cannot hide an
import (the approach harlequin takes for its own core).
"""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "autograd_tutor.cli",
    "autograd_tutor.values",
    "autograd_tutor.presentation",
    "autograd_tutor.errors",
    "autograd_tutor.lessons.loader",
    "autograd_tutor.grading",
    "autograd_tutor.worker",
    "autograd_tutor.session",
    "autograd_tutor.settings",
    "autograd_tutor.graph",
    "autograd_tutor.graph.text",
    "autograd_tutor.exercise_session",
    "autograd_tutor.experiment_session",
    "autograd_tutor.practice_progress",
    "autograd_tutor.commands.check_practice",
    "autograd_tutor.plain.practice",
    "autograd_tutor.progress",
    "autograd_tutor.commands.check",
    "autograd_tutor.plain",
    "autograd_tutor.commands.list",
    "autograd_tutor.commands.export",
    "autograd_tutor.commands.report",
    "autograd_tutor.commands.watch",
    "autograd_tutor.lab.state",
]


def loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return set(done.stdout.split())


def test_core_imports_neither_textual_nor_torch() -> None:
    loaded = loaded_after_import(CORE_MODULES)
    assert "autograd_tutor" in loaded
    assert "textual" not in loaded
    assert "rich" not in loaded
    assert "torch" not in loaded


def test_ui_process_never_imports_torch() -> None:
    loaded = loaded_after_import(
        ["autograd_tutor.commands.app", "autograd_tutor.tui.app", "autograd_tutor.tui.watch.app"]
    )
    assert "textual" in loaded
    assert "torch" not in loaded
