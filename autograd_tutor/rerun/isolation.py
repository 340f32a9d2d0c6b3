"""Isolation for one re-run of a learner's code on the teacher's machine (Linux).

A results file's code is untrusted and runs with the teacher's user. :func:`enter_sandbox`,
called in the run's own (single-threaded, thrown-away) process before any learner code, moves
that process into new user, mount, network and PID namespaces (``unshare(2)``; no root needed
where the kernel allows unprivileged user namespaces, and it works as root in a container too) and:

- the processes: the learner's code goes on in a child that is process 1 of a PID namespace of
  its own (the process that called stays behind, waits for it and exits with its status), so
  it sees and signals no process outside (``kill(-1, ...)`` reaches only its own), and when it
  ends, whatever it started ends with it;

- the network: a namespace of its own with no interface up, so every connection fails
  (an abstract Unix socket too);
- the file system: every mount read-only (``mount_setattr`` recursive, else one remount per
  mount), ``/tmp`` (``/var/tmp`` when the app runs from inside ``/tmp``) a fresh, small,
  writable tmpfs (the scratch folder and working directory),
  and the teacher's home, the results folder, ``/run``, ``/dev/shm`` and ``/proc`` hidden
  under empty read-only tmpfs (no other learner's file, no token, no other process's
  environment);
- the environment: emptied (no HOME, no tokens), ``PATH`` and ``TMPDIR`` only.

:func:`probe` says what works here (each step is tried in a throwaway child); where it does not,
the caller must refuse to re-run unless the teacher opts in explicitly.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
AT_RECURSIVE = 0x8000
MOUNT_ATTR_RDONLY = 0x1
SYS_MOUNT_SETATTR = 442  # the same number on x86_64 and arm64 (and every newer table)
SCRATCH = "/tmp"
SCRATCH_SIZE = "64m"
ALWAYS_HIDDEN = ("/run", "/var/run", "/dev/shm", "/proc")
# where a home folder keeps secrets: hidden when the home folder itself cannot be (it holds the
# Python that runs the code)
HOME_SECRETS = (".ssh", ".gnupg", ".aws", ".config", ".local/share", ".cache", ".docker", ".kube")
HOME_SECRET_FILES = (".netrc", ".git-credentials", ".pypirc", ".bash_history", ".python_history")


class IsolationError(OSError):
    """A step of the isolation failed: the run must not go on."""


@dataclass(frozen=True)
class IsolationReport:
    available: bool
    how: str  # what was used, or why none works here


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise IsolationError(err, f"{what}: {os.strerror(err)}")


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as fh:
        fh.write(text)


def _mount(libc: ctypes.CDLL, source: str, target: str, fstype: str, flags: int, data: str) -> None:
    _check(
        libc.mount(source.encode(), target.encode(), fstype.encode(), flags, data.encode()),
        f"mount {target}",
    )


def _all_read_only(libc: ctypes.CDLL) -> None:
    attr = _MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0)
    done = libc.syscall(
        SYS_MOUNT_SETATTR, -100, b"/", AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr)
    )
    if done == 0:
        return
    # an older kernel: remount each mount read-only, keeping the flags it is locked with
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        points = [line.split()[4] for line in fh]
    for point in sorted(set(points), key=len):
        st = os.statvfs(point)
        keep = st.f_flag & (MS_NOSUID | MS_NODEV | 8 | 1024 | 2048)  # noexec, noatime, nodiratime
        libc.mount(None, point.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, None)


def _home_parts(home: str) -> list[str]:
    """What to hide of the home folder: all of it, or, when Python itself (or a folder on
    ``sys.path``) lives inside it, the folders and files where secrets are kept."""
    if not home or os.path.realpath(home) == "/":
        return []
    if not _inside(home):
        return [home]
    return [os.path.join(home, name) for name in (*HOME_SECRETS, *HOME_SECRET_FILES)]


def _inside(folder: str) -> bool:
    """Whether Python itself or a folder on ``sys.path`` lives inside ``folder``."""
    real = os.path.realpath(folder) + os.sep
    needed = [sys.prefix, sys.base_prefix, *sys.path]
    return any(os.path.realpath(p or ".").startswith(real) for p in needed)


def scratch_folder() -> str:
    """``/tmp``, or ``/var/tmp`` when the app runs from inside ``/tmp`` (a checkout there):
    the scratch tmpfs hides what was in the folder."""
    return "/var/tmp" if _inside(SCRATCH) and os.path.isdir("/var/tmp") else SCRATCH


def enter_sandbox(hidden: Sequence[str | Path] = ()) -> None:
    """Isolate this process (see the module docstring); ``hidden``: folders to hide besides
    the home folder (the results folder). Raises :class:`IsolationError` when any step fails.
    Call it before any thread starts: a multi-threaded process cannot enter a user namespace."""
    if not sys.platform.startswith("linux"):
        raise IsolationError(0, "isolation needs Linux namespaces")
    uid, gid = os.getuid(), os.getgid()
    home = os.environ.get("HOME", "")
    libc = _libc()
    _check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID), "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")
    _mount(libc, "none", "/", "", MS_REC | MS_PRIVATE, "")
    _all_read_only(libc)
    flags = MS_NOSUID | MS_NODEV
    scratch = scratch_folder()
    _mount(libc, "tmpfs", scratch, "tmpfs", flags, f"size={SCRATCH_SIZE},mode=1777")
    targets = [str(p) for p in hidden] + [*_home_parts(home), *ALWAYS_HIDDEN]
    for target in dict.fromkeys(t for t in targets if t and os.path.exists(t)):
        if os.path.realpath(target) in ("/", scratch):
            continue
        if os.path.isdir(target):
            _mount(libc, "tmpfs", target, "tmpfs", flags | MS_RDONLY, "size=4k")
        else:  # a file: /dev/null over it, read-only
            _mount(libc, "/dev/null", target, "", MS_BIND, "")
            _mount(libc, "none", target, "", MS_BIND | MS_REMOUNT | MS_RDONLY | flags, "")
    os.chdir(scratch)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "TMPDIR": scratch})
    _continue_as_process_one()


def _continue_as_process_one() -> None:
    """Fork into the new PID namespace: the child (its process 1) returns and runs the rest;
    this process waits and exits as the child did. Same process group and session, so the
    caller's kill of the run's group still reaches both. No torch op has run yet (the run's
    first block), so the fork is safe."""
    child = os.fork()
    if child == 0:
        return
    _, status = os.waitpid(child, 0)  # a signal's EINTR is retried by Python (PEP 475)
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


_PROBE = """
import os, socket, sys
from autograd_tutor.rerun.isolation import enter_sandbox
enter_sandbox()
open(os.path.join(os.getcwd(), 'ok'), 'w').write('x')
try:
    open('/etc/autograd-tutor-probe', 'w')
except OSError:
    pass
else:
    sys.exit('the file system is still writable')
try:
    socket.create_connection(('127.0.0.1', 9), timeout=1)
except OSError:
    pass
else:
    sys.exit('the network is still reachable')
"""


def probe(python: str = sys.executable) -> IsolationReport:
    """Whether :func:`enter_sandbox` works on this machine (tried in a child process)."""
    import subprocess

    if not sys.platform.startswith("linux"):
        return IsolationReport(False, f"no isolation on {sys.platform} (Linux namespaces only)")
    try:
        done = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return IsolationReport(False, f"the isolation probe could not run ({exc})")
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["it failed"])[-1]
        return IsolationReport(
            False, f"user, mount, network and PID namespaces do not work here: {why}"
        )
    return IsolationReport(True, "user, mount, network and PID namespaces (unshare)")
