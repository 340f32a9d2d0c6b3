"""Where the lessons shipped with autograd-tutor are.

``pyproject.toml`` maps the top-level ``lessons/`` folder onto the package
``autograd_tutor.bundled_lessons``, so an installed wheel carries the YAML files inside the
package. An editable install where that mapping is not visible falls back to the repository's
``lessons/`` folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_PACKAGE = "autograd_tutor.bundled_lessons"


def bundled_lessons_dir() -> Path:
    """The folder that holds the bundled ``*.yaml`` lessons."""
    try:
        folder = resources.files(BUNDLED_PACKAGE)
    except (ModuleNotFoundError, TypeError):
        folder = None
    if folder is not None:
        candidate = Path(str(folder))
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return Path(__file__).resolve().parent.parent.parent / "lessons"
