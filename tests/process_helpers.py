"""Looking for processes a run left behind, through /proc (Linux): a process's descendants,
the live members of a process group or session, and waiting (on the process itself, through a
pidfd) until one has exited."""

from __future__ import annotations

import os
import select
from pathlib import Path

# A one-exercise lesson whose runs may go on for minutes (the quit tests stop them).
LONG_RUN_LESSON = """\
id: long-run
title: A long run
time_limit: 600
steps:
  - code: |
      x = 1
    exercise:
      starter: |
        y = ...
      solution: |
        y = x
      checks:
        - expr: y == 1
          says: y is not x
"""


def long_running_code(kind: str, started: Path) -> str:
    """Learner code that writes the pids that must go to ``started``, then runs for minutes:
    an endless loop, or (``fork_and_sleep``) a fork whose child and parent both sleep."""
    head = "import os, time\n"
    if kind == "endless":
        return (
            head + f"open({str(started)!r}, 'w').write(str(os.getpid()))\nwhile True:\n    pass\n"
        )
    return head + (
        "child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(600)\n"
        "    os._exit(0)\n"
        f"open({str(started)!r}, 'w').write(f'{{os.getpid()}} {{child}}')\n"
        "time.sleep(600)\n"
    )


def pids_in(path: Path) -> list[int]:
    try:
        return [int(word) for word in path.read_text().split()]
    except (OSError, ValueError):
        return []


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, pgrp, session, ...)."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def _live() -> dict[int, list[str]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and fields[0] != "Z":
                found[int(entry.name)] = fields
    return found


def session_members(sid: int) -> list[int]:
    """Live (non-zombie) processes in the process group or the session ``sid``."""
    return [pid for pid, f in _live().items() if sid in (int(f[2]), int(f[3]))]


def descendants(pid: int) -> list[int]:
    """Live processes below ``pid`` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for child, fields in _live().items():
        children.setdefault(int(fields[1]), []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def gone(pid: int, limit: float = 30.0) -> bool:
    """Wait until ``pid`` has exited (at most ``limit`` seconds); True when it has."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], limit)
        return bool(ready)
    finally:
        os.close(fd)


def describe(pid: int) -> str:
    """``pid``, its command line and its /proc state, for a failure message."""
    try:
        command = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        command = b"?"
    return f"{pid} {(_stat_fields(pid) or [])[:4]} {command.decode(errors='replace').strip()[:80]}"
