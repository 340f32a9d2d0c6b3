"""The learner's settings kept across launches (the TUI's theme), in a small JSON file in the
user config folder (platformdirs). Plain Python: no Textual. A missing or unreadable file means
the defaults; a failed save is ignored (a setting is a convenience, never worth an error)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

APP_NAME = "autograd-tutor"


@dataclass(frozen=True)
class Settings:
    theme: str | None = None  # a Textual theme name; None: the app's default


def default_settings_path() -> Path:
    """``<user config dir>/autograd-tutor/settings.json``."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.json"


def load_settings(path: Path) -> Settings:
    """The settings in ``path``; the defaults when it is missing or not a settings file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    theme = data.get("theme")
    return Settings(theme=theme if isinstance(theme, str) else None)


def save_settings(path: Path, settings: Settings) -> bool:
    """Write ``settings`` to ``path`` (atomically); False when it could not be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return False
    return True
