"""The lessons as last read (lessons/cache.py): used only when nothing that shaped them changed,
never trusted when someone else could have written it, never able to run code."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.lessons import cache
from autograd_tutor.lessons.cache import load_lessons_cached, read_cache
from autograd_tutor.lessons.errors import LessonsFolderError
from autograd_tutor.lessons.loader import load_lessons


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the loader was asked to parse (through the cache), in order."""
    seen: list[Path] = []

    def counted(directory: Path) -> Any:
        seen.append(directory)
        return load_lessons(directory)

    monkeypatch.setattr(cache, "_parse", counted)
    return seen


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("lessons-*.pickle"))


def kept_once(write_lesson: Any, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A folder with one lesson, read once through the cache: (folder, cache folder, the file
    the lessons were kept in)."""
    folder = write_lesson(MINIMAL).parent
    cache_dir = tmp_path / "cache"
    load_lessons_cached(folder, cache_dir)
    (kept_file,) = cache_files(cache_dir)
    return folder, cache_dir, kept_file


def test_the_bundled_lessons_come_back_from_the_cache_as_the_loader_reads_them(
    tmp_path: Path, parses: list[Path]
) -> None:
    first, broken = load_lessons_cached(None, tmp_path)
    assert broken == [] and len(first) >= 18
    assert len(parses) == 1
    (kept_file,) = cache_files(tmp_path)
    assert kept_file.stat().st_mode & 0o777 == 0o600

    again, broken = load_lessons_cached(None, tmp_path)
    assert len(parses) == 1  # not parsed again
    assert broken == []
    assert again == first == load_lessons(None)[0]


def test_a_changed_added_or_removed_lesson_is_read_again(
    tmp_path: Path, write_lesson: Any, parses: list[Path]
) -> None:
    path = write_lesson(MINIMAL)
    folder = path.parent
    cache_dir = tmp_path / "cache"
    lessons, _ = load_lessons_cached(folder, cache_dir)
    assert [lesson.title for lesson in lessons] == ["Tiny"]

    path.write_text(MINIMAL.replace("title: Tiny", "title: Tinier"), encoding="utf-8")
    lessons, _ = load_lessons_cached(folder, cache_dir)
    assert [lesson.title for lesson in lessons] == ["Tinier"]

    write_lesson(MINIMAL.replace("id: tiny", "id: second"), name="second.yaml")
    lessons, _ = load_lessons_cached(folder, cache_dir)
    assert sorted(lesson.id for lesson in lessons) == ["second", "tiny"]

    path.unlink()
    lessons, _ = load_lessons_cached(folder, cache_dir)
    assert [lesson.id for lesson in lessons] == ["second"]
    assert len(parses) == 4
    load_lessons_cached(folder, cache_dir)
    assert len(parses) == 4


def test_a_folder_with_a_broken_lesson_is_never_kept(
    tmp_path: Path, write_lesson: Any, parses: list[Path]
) -> None:
    folder = write_lesson(MINIMAL).parent
    write_lesson("id: [unclosed\n", name="broken.yaml")
    cache_dir = tmp_path / "cache"
    for _ in range(2):
        lessons, broken = load_lessons_cached(folder, cache_dir)
        assert [lesson.id for lesson in lessons] == ["tiny"]
        assert [b.id for b in broken] == ["broken"]
    assert len(parses) == 2
    assert cache_files(cache_dir) == []


def test_a_missing_folder_raises_as_the_loader_does(tmp_path: Path) -> None:
    with pytest.raises(LessonsFolderError, match="no such folder"):
        load_lessons_cached(tmp_path / "nowhere", tmp_path / "cache")


def test_a_change_to_the_loaders_code_reads_the_lessons_again(
    tmp_path: Path, write_lesson: Any, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_lesson(MINIMAL).parent
    load_lessons_cached(folder, tmp_path / "cache")
    stamp = cache.parse_code_stamp()
    monkeypatch.setattr(cache, "parse_code_stamp", lambda: (*stamp, ("lessons/new.py", 1, 2)))
    load_lessons_cached(folder, tmp_path / "cache")
    assert len(parses) == 2


def test_every_module_that_shapes_a_lesson_is_in_the_code_stamp() -> None:
    """The key names the loader's source files: every tutor module that importing the loader
    (and variants, which reads a lesson again) brings in must be among them."""
    probe = (
        "import sys, pathlib, autograd_tutor, autograd_tutor.lessons.loader,"
        " autograd_tutor.lessons.variants\n"
        "root = pathlib.Path(autograd_tutor.__file__).resolve().parent\n"
        "print('\\n'.join(str(pathlib.Path(m.__file__).resolve().relative_to(root))"
        " for n, m in sys.modules.items()"
        " if n.startswith('autograd_tutor') and getattr(m, '__file__', None)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    stamped = {name for name, _size, _mtime in cache.parse_code_stamp()}
    for relative in out.split():
        assert relative in stamped, f"{relative} shapes lessons but is not in the cache key"


def test_a_cache_file_someone_else_may_write_is_not_read(
    tmp_path: Path, write_lesson: Any, parses: list[Path]
) -> None:
    folder, cache_dir, kept_file = kept_once(write_lesson, tmp_path)
    kept_file.chmod(0o620)  # group may write
    assert read_cache(kept_file) is None
    load_lessons_cached(folder, cache_dir)
    assert len(parses) == 2
    assert kept_file.stat().st_mode & 0o777 == 0o600  # written again, this user's alone


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user takes root")
def test_a_cache_file_owned_by_another_user_is_not_read(tmp_path: Path, write_lesson: Any) -> None:
    folder, cache_dir, kept_file = kept_once(write_lesson, tmp_path)
    os.chown(kept_file, 12345, 12345)
    assert read_cache(kept_file) is None


class RunsCode:
    """A pickle that would run a shell command when loaded by a plain unpickler."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_forged_cache_runs_no_code_and_the_lessons_are_read_again(
    tmp_path: Path, write_lesson: Any, parses: list[Path]
) -> None:
    folder, cache_dir, kept_file = kept_once(write_lesson, tmp_path)
    document = read_cache(kept_file)
    assert document is not None
    marker = tmp_path / "ran"
    forged = {"key": document["key"], "lessons": [RunsCode(marker)]}
    kept_file.write_bytes(pickle.dumps(forged))
    kept_file.chmod(0o600)

    assert read_cache(kept_file) is None
    lessons, _ = load_lessons_cached(folder, cache_dir)
    assert [lesson.id for lesson in lessons] == ["tiny"]
    assert not marker.exists()
    assert len(parses) == 2


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps([1, 2, 3]), pickle.dumps({"key": None})],
    ids=["empty", "garbage", "a-list", "no-key"],
)
def test_a_damaged_cache_file_means_the_lessons_are_read_again(
    tmp_path: Path, write_lesson: Any, parses: list[Path], content: bytes
) -> None:
    folder, cache_dir, kept_file = kept_once(write_lesson, tmp_path)
    kept_file.write_bytes(content)
    lessons, _ = load_lessons_cached(folder, cache_dir)
    assert [lesson.id for lesson in lessons] == ["tiny"]
    assert len(parses) == 2
    assert load_lessons_cached(folder, cache_dir)[0] == lessons  # kept again
    assert len(parses) == 2


def test_a_cache_folder_that_cannot_be_written_costs_only_the_parse(
    tmp_path: Path, write_lesson: Any, parses: list[Path]
) -> None:
    folder = write_lesson(MINIMAL).parent
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    for _ in range(2):
        lessons, broken = load_lessons_cached(folder, blocked / "cache")
        assert [lesson.id for lesson in lessons] == ["tiny"] and broken == []
    assert len(parses) == 2


def test_only_the_last_folders_written_are_kept(
    tmp_path: Path, write_lesson: Any, parses: list[Path]
) -> None:
    cache_dir = tmp_path / "cache"
    folders = []
    for i in range(cache.KEEP_FILES + 3):
        folder = tmp_path / f"course{i}"
        folder.mkdir()
        (folder / "lesson.yaml").write_text(MINIMAL, encoding="utf-8")
        folders.append(folder)
        load_lessons_cached(folder, cache_dir)
        kept_file = cache_files(cache_dir)
        for j, path in enumerate(sorted(kept_file, key=lambda p: p.stat().st_mtime_ns)):
            os.utime(path, ns=(j, j))  # the order written, whatever the clock's resolution
    assert len(cache_files(cache_dir)) == cache.KEEP_FILES
    parsed = len(parses)
    load_lessons_cached(folders[-1], cache_dir)
    assert len(parses) == parsed  # the newest is kept
    load_lessons_cached(folders[0], cache_dir)
    assert len(parses) == parsed + 1  # the oldest was dropped
