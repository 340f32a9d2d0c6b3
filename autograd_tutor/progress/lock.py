"""An inter-process lock on a lock file: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on
Windows, and an ``O_EXCL`` lock-file fallback for file systems that support neither (some
network shares). Locks are held for the few milliseconds a save takes."""

from __future__ import annotations

import errno
import os
import platform
import time
from pathlib import Path
from types import TracebackType

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

DEFAULT_TIMEOUT = 30.0
STALE_AFTER = 60.0  # an O_EXCL lock file older than this (seconds) is from a dead process
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}


class LockTimeout(OSError):
    """The lock could not be taken within the timeout."""


class FileLock:
    """``with FileLock(path): ...`` holds an exclusive lock on ``path`` across processes.

    ``method`` is ``"auto"`` (flock / msvcrt, falling back to ``"excl"`` when the file system
    refuses), ``"flock"``, ``"msvcrt"`` or ``"excl"``. The ``excl`` lock lives in
    ``<path>.excl``, holds ``pid host time`` and is broken when older than ``stale_after``
    seconds or when its process (on this host) is gone.
    """

    def __init__(
        self,
        path: Path,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        method: str = "auto",
        stale_after: float = STALE_AFTER,
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.stale_after = stale_after
        if method == "auto":
            method = "flock" if fcntl is not None else ("msvcrt" if msvcrt is not None else "excl")
        if method not in ("flock", "msvcrt", "excl"):
            raise ValueError(f"unknown lock method {method!r}")
        self.method = method
        self._fd: int | None = None
        self._excl_path = self.path.with_name(self.path.name + ".excl")

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        if self.method in ("flock", "msvcrt"):
            try:
                self._acquire_os(deadline)
                return
            except OSError as exc:
                if isinstance(exc, LockTimeout) or exc.errno not in _UNSUPPORTED:
                    raise
                self.method = "excl"  # the file system cannot lock: fall back
        self._acquire_excl(deadline)

    def _acquire_os(self, deadline: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        delay = 0.001
        try:
            while True:
                try:
                    if self.method == "flock":
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    else:  # pragma: no cover - Windows
                        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                    self._fd = fd
                    return
                except OSError as exc:
                    if exc.errno not in (
                        errno.EAGAIN,
                        errno.EACCES,
                        errno.EWOULDBLOCK,
                        errno.EDEADLK,
                    ):
                        raise
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        errno.ETIMEDOUT, f"timed out waiting for the lock {self.path}"
                    )
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        except BaseException:
            os.close(fd)
            raise

    def _acquire_excl(self, deadline: float) -> None:
        delay = 0.001
        while True:
            try:
                fd = os.open(self._excl_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                if self._break_stale():
                    continue
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        errno.ETIMEDOUT, f"timed out waiting for the lock {self._excl_path}"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
                continue
            try:
                os.write(fd, f"{os.getpid()} {platform.node()} {time.time()}".encode())
            finally:
                os.close(fd)
            self._fd = -1
            return

    def _break_stale(self) -> bool:
        try:
            info = self._excl_path.read_text(encoding="utf-8", errors="replace").split()
            age = time.time() - self._excl_path.stat().st_mtime
        except FileNotFoundError:
            return True  # released meanwhile: try again at once
        except OSError:
            return False
        stale = age > self.stale_after
        if not stale and len(info) >= 2 and info[1] == platform.node():
            try:
                pid = int(info[0])
            except ValueError:
                pid = 0
            stale = pid > 0 and not _pid_alive(pid)
        if stale:
            try:
                os.unlink(self._excl_path)
            except FileNotFoundError:
                pass
            except OSError:
                return False
            return True
        return False

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if self.method == "excl":
            try:
                os.unlink(self._excl_path)
            except FileNotFoundError:
                pass
            return
        try:
            if self.method == "flock":
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:  # pragma: no cover - Windows
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # pragma: no cover - no cheap check; rely on the age
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
