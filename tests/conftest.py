"""Fixtures every test folder shares: one warm torch worker for the whole session, and
``write_lesson`` for lesson files. Helpers to import live beside this file: ``cli_runner``
(``run_cli``: the installed command line in a child process) and ``fake_worker``
(``FakeWorker``: a scripted worker without torch)."""

from __future__ import annotations

import os
import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from autograd_tutor.worker import WorkerClient

WriteLesson = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def _rescue_copies_stay_in_a_test_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """A save that fails in a test keeps its copy under the test session's folder, never in
    the machine's temporary folder (tests that look at the copy name their own)."""
    from autograd_tutor.progress import store

    folder = tmp_path_factory.mktemp("rescue")
    original = store.rescue_folder
    store.rescue_folder = lambda: folder
    try:
        yield
    finally:
        store.rescue_folder = original


@pytest.fixture(autouse=True, scope="session")
def _ctrl_c_reaches_the_commands_tests_start() -> Iterator[None]:
    """Ctrl+c (SIGINT) is handled in the test process, so the command lines it starts get it
    too. A shell script that starts the suite in the background (``pytest &``) starts it with
    SIGINT ignored, every child inherits that, and the tests that press ctrl+c on a command
    would see it ignored (as a command run with ``nohup`` rightly does)."""
    before = signal.getsignal(signal.SIGINT)
    if before == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if before == signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(autouse=True, scope="session")
def _pilot_sees_the_app_idle_in_5_ms_slices() -> Iterator[None]:
    """After each key it presses and each ``pause()``, Textual's Pilot waits until the app is
    idle: until its process used under 1 ms of CPU in a 20 ms sleep (``textual._wait``), so at
    least 40 ms a key, a third of the TUI tests' time. Here the slices are 5 ms (under 0.25 ms
    of CPU), and once idle the screen's pending layout and repaint are done at once, as
    ``pause()`` does: the 20 ms slices left time for the screen's own update (every 1/60 s),
    5 ms would not. The tests still wait on their own conditions."""
    import textual._wait as idle
    import textual.app
    import textual.pilot
    from textual._context import active_app

    wait_for_idle = idle.wait_for_idle
    before = (idle.SLEEP_GRANULARITY, idle.SLEEP_IDLE)  # AttributeError: Textual changed it

    async def idle_and_laid_out(min_sleep: float = 0.005, max_sleep: float = 1) -> None:
        await wait_for_idle(min_sleep, max_sleep)
        app = active_app.get(None)
        if app is not None and app.is_running and app._screen_stack:
            app.screen._on_timer_update()

    idle.SLEEP_GRANULARITY, idle.SLEEP_IDLE = 0.005, 0.005 / 20
    textual.app.wait_for_idle = textual.pilot.wait_for_idle = idle_and_laid_out  # type: ignore[assignment]
    try:
        yield
    finally:
        idle.SLEEP_GRANULARITY, idle.SLEEP_IDLE = before
        textual.app.wait_for_idle = textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[assignment]


@pytest.fixture(autouse=True, scope="session")
def _user_cache_in_a_test_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The app's user cache folder (the lessons as last read) is the test session's, for the
    tests and every command line they start: nothing is written to the machine's."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session")
def worker() -> Iterator[WorkerClient]:
    """A real worker (torch in its own process, on the CPU), started once for every test that
    needs one. Tests may crash, cancel or kill it: the client starts a new one by itself."""
    client = WorkerClient("cpu")
    client.start()
    client.wait_ready(timeout=120)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def write_lesson(tmp_path: Path) -> WriteLesson:
    """``write_lesson(text, name="lesson.yaml")``: ``text`` (dedented; bytes as they are) in a
    file of the folder ``tmp_path / "lessons"``; returns the file's path (its parent is the
    lessons folder, for ``--lessons``)."""
    folder = tmp_path / "lessons"

    def write(text: str | bytes, name: str = "lesson.yaml") -> Path:
        folder.mkdir(exist_ok=True)
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
