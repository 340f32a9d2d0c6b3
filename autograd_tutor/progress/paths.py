"""Where progress lives: the data folder, the learner's name, and file names derived from it."""

from __future__ import annotations

import getpass
import os
import re
import unicodedata
from pathlib import Path

ENV_DATA = "AUTOGRAD_TUTOR_DATA"
APP_NAME = "autograd-tutor"
MAX_NAME = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}
_UNSAFE = re.compile(r"[^\w.@+-]+")


def default_data_dir() -> Path:
    """``$AUTOGRAD_TUTOR_DATA`` if set (and not empty), else the platform's user data folder."""
    env = os.environ.get(ENV_DATA, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_student() -> str:
    """The login name, or ``"learner"`` when there is none."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name (containers, odd Windows setups)
        name = ""
    return name.strip() or "learner"


def safe_name(student: str) -> str:
    """``student`` as a readable file name stem: letters (any script), digits, ``. _ - @ +``;
    every other run of characters (path separators, spaces, controls) becomes ``_``; no leading
    dot; at most 64 characters; Windows device names get a ``_`` prefix; never empty."""
    name = unicodedata.normalize("NFC", student).strip()
    name = _UNSAFE.sub("_", name).lstrip(".")
    name = name[:MAX_NAME].rstrip(".")
    if not name or name == "_":
        name = "learner" if not name else name
    if name.split(".")[0].lower() in _WINDOWS_RESERVED:
        name = "_" + name
    return name


def progress_path(data_dir: Path, student: str) -> Path:
    """The learner's progress file: ``<data_dir>/<safe name>.json``."""
    return Path(data_dir) / f"{safe_name(student)}.json"


def results_path(results_dir: Path, student: str) -> Path:
    """The learner's file in a shared results folder: ``<results_dir>/<safe name>.json``."""
    return Path(results_dir) / f"{safe_name(student)}.json"
