"""Atomic file operations: staged temp files, renames, backups, and OS errors named.

Owns how one file appears on disk. A new version is written to a temp file beside its target
(``.<name>.<pid>-<random>.tmp``, flushed to disk), then renamed over the target, and the
directory is flushed, so a reader only ever sees the old or the new file. A temp file whose
writing process is gone is stale and removed by :func:`remove_stale_temps`. A backup is a
numbered sibling ``<name>.~N~`` (as ``cp --backup=numbered`` names them), made as a hard link
where the file system allows it. Every ``OSError`` becomes an :class:`OutputError` naming the
path (permission denied, is a directory, no space left, file too large).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from transpipe.errors import OutputError

Render = Callable[[BinaryIO], object]

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "a parent is not a directory",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (over the file size limit)",
    errno.EROFS: "read-only file system",
}
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]+\.tmp$")
_CHUNK = 1024 * 1024


def os_output_error(exc: OSError, path: str | Path, *, doing: str = "cannot write") -> OutputError:
    """The one-line error for an OS failure while writing ``path``."""
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return OutputError(f"{doing}: {reason}", path=path)


def temp_name(target: Path) -> Path:
    """A fresh temp path beside ``target`` that names the writing process."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (ours always does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def stale_temps(target: Path) -> list[Path]:
    """Temp files of ``target`` left by processes that no longer run."""
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    stale = []
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m and m["name"] == target.name and not process_alive(int(m["pid"])):
            stale.append(entry)
    return stale


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the stale temp files of ``target``; return them."""
    removed = []
    for temp in stale_temps(target):
        try:
            temp.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise os_output_error(exc, temp, doing="cannot remove a stale temp file") from exc
        removed.append(temp)
    return removed


class _HashingWriter:
    """A binary stream that hashes what passes through it (sha256 of the file's content)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.hasher = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hasher.update(data)
        return self._raw.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self._raw, name)


def ensure_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputError("is not a directory", path=directory) from exc
    except OSError as exc:
        raise os_output_error(exc, directory, doing="cannot create the directory") from exc


def stage(target: Path, render: Render) -> tuple[Path, str]:
    """Write ``render``'s output to a new temp file beside ``target``, flushed to disk.

    Returns the temp path and the sha256 of the content. On any failure the temp file is
    removed and nothing else changed; OS errors name ``target``.
    """
    ensure_directory(target.parent)
    temp = temp_name(target)
    try:
        with temp.open("xb") as raw:
            stream = _HashingWriter(raw)
            render(stream)  # type: ignore[arg-type]
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temp, 0o666 & ~_umask())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise os_output_error(exc, target) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, stream.hasher.hexdigest()


def publish(temp: Path, target: Path) -> None:
    """Rename ``temp`` over ``target`` and flush the directory entry."""
    try:
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise os_output_error(exc, target) from exc
    sync_directory(target.parent)


def sync_directory(directory: Path) -> None:
    """Flush a directory's entries (renames) to disk where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the rename itself is atomic
    finally:
        os.close(fd)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` as ``target`` through a staged temp file."""
    temp, _ = stage(target, lambda stream: stream.write(data))
    publish(temp, target)


def file_sha256(path: Path) -> str | None:
    """The sha256 of ``path``'s content, ``None`` when it cannot be read."""
    hasher = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                hasher.update(chunk)
    except OSError:
        return None
    return hasher.hexdigest()


def next_backup(path: Path) -> Path:
    """``<name>.~N~`` with N one above the highest existing backup of ``path``."""
    highest = 0
    pattern = re.compile(re.escape(path.name) + r"\.~(\d{1,9})~")
    try:
        for entry in path.parent.iterdir():
            if m := pattern.fullmatch(entry.name):
                highest = max(highest, int(m.group(1)))
    except OSError as exc:
        raise os_output_error(exc, path.parent, doing="cannot list the directory") from exc
    return path.with_name(f"{path.name}.~{highest + 1}~")


def keep_backup(path: Path, backup: Path | None = None) -> Path:
    """Keep the current content of ``path`` as a numbered backup (or as ``backup``)."""
    while True:
        target = backup or next_backup(path)
        try:
            os.link(path, target)
        except FileExistsError:
            if backup is not None:
                return backup  # made before an interruption
            continue  # another process took this number
        except OSError:
            _copy(path, target)
        return target


def _copy(path: Path, target: Path) -> None:
    try:
        with path.open("rb") as source, target.open("xb") as copy:
            while chunk := source.read(_CHUNK):
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
    except FileExistsError:
        return
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise os_output_error(exc, target, doing="cannot keep a backup") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
