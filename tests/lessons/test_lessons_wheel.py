"""A built wheel carries the bundled lessons: installed (not editable) into a fresh folder and
run from another directory, it still finds all seven."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lessons_helpers import BUNDLED_IDS

REPO = Path(__file__).resolve().parents[2]

PROBE = """\
import autograd_tutor, sys
from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.loader import load_lessons
assert autograd_tutor.__file__.startswith(sys.argv[1]), autograd_tutor.__file__
lessons, broken = load_lessons()
print(bundled_lessons_dir())
print(" ".join(lesson.id for lesson in lessons))
print(len(broken))
"""


@pytest.mark.slow
def test_installed_wheel_finds_the_bundled_lessons(tmp_path):
    # Build from a copy so that the shared working tree gets no build/ or *.egg-info.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("autograd_tutor", "lessons"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--skip-dependency-check",
            "--outdir",
            str(dist),
        ],
        cwd=src,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "autograd_tutor/lessons/schema.json" in names
    assert "autograd_tutor/bundled_lessons/first-gradient.yaml" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile"]
        + ["--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(target)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    folder, ids, broken = done.stdout.splitlines()
    assert Path(folder) == target / "autograd_tutor" / "bundled_lessons"
    assert ids.split() == BUNDLED_IDS
    assert broken == "0"
