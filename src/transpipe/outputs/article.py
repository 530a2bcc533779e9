"""An article's several outputs (TMX, PO, text, reports) appear together or not at all.

Owns the output set of one translated article. A set is committed in four steps:

1. every file is rendered to its own staged temp file (nothing visible changed yet);
2. the manifest ``.<name>.transpipe.json`` is written (atomically) in state ``committing``,
   listing each file with its temp file, content sha256 and the backup to keep; this is the
   commit point;
3. backups are kept and the temp files renamed over their targets;
4. the manifest is rewritten in state ``complete`` (names and sha256 only).

A run killed before step 2 leaves only temp files: :meth:`OutputSet.recover` removes them and
the old set stays (rolled back). A run killed after it leaves a ``committing`` manifest: the
next run finishes the renames (rolled forward). Commits and recoveries hold an exclusive
``flock`` on the output directory, which the kernel releases when a process dies, so a
``committing`` manifest found under the lock always belongs to a dead run.

The ``complete`` manifest also records what transpipe wrote, so a later run can tell an
untouched output from one a person edited, even for text and reports, which carry no digest
of their own (the rule is :mod:`transpipe.outputs.rule`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from transpipe.errors import OutputError
from transpipe.outputs.files import (
    Render,
    ensure_directory,
    file_sha256,
    keep_backup,
    next_backup,
    os_output_error,
    publish,
    remove_stale_temps,
    stage,
    sync_directory,
)
from transpipe.outputs.rule import Claim, claim

MANIFEST_VERSION = 1
COMMITTING = "committing"
COMPLETE = "complete"


@dataclass(frozen=True)
class _Entry:
    name: str
    sha256: str
    temp: str = ""
    backup: str = ""


@dataclass(frozen=True)
class _Manifest:
    state: str
    files: tuple[_Entry, ...]


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (released by the kernel if we die)."""
    try:
        import fcntl
    except ImportError:  # no flock on this platform: commits are not serialised
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise os_output_error(exc, directory, doing="cannot open the directory") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class OutputSet:
    """The files ``names`` (in ``directory``) of the article ``article``, written as one."""

    def __init__(self, directory: str | Path, article: str, names: Sequence[str]) -> None:
        self.directory = Path(directory)
        self.article = article
        self.names = tuple(names)
        self.manifest = self.directory / f".{article}.transpipe.json"

    @property
    def paths(self) -> list[Path]:
        return [self.directory / name for name in self.names]

    def recover(self) -> list[Path]:
        """Finish a commit a killed run left half done; remove stale temp files.

        Returns the files this put in place (empty when nothing was interrupted).
        """
        if not self.directory.is_dir():
            return []
        with _locked(self.directory):
            return self._recover()

    def _recover(self) -> list[Path]:
        manifest = self._read()
        finished: list[Path] = []
        if manifest is not None and manifest.state == COMMITTING:
            finished = self._roll_forward(manifest)
        for path in [*self.paths, self.manifest]:
            remove_stale_temps(path)
        return finished

    def prepare(self, *, force: bool = False) -> list[Claim]:
        """Recover, then apply the no-clobber rule to every file (raises before any work)."""
        self.recover()
        return self._claims(force)

    def commit(self, renders: Mapping[str, Render], *, force: bool = False) -> list[Path]:
        """Write every file of the set all-or-nothing (see the module docstring).

        ``renders`` maps each of ``names`` to the function writing it. Returns the numbered
        backups kept of replaced files.
        """
        if set(renders) != set(self.names):
            raise ValueError(f"renders for {sorted(renders)}, expected {sorted(self.names)}")
        ensure_directory(self.directory)
        with _locked(self.directory):
            self._recover()
            self._claims(force)  # before rendering anything
            staged: list[tuple[Path, Path, str]] = []
            try:
                for name in self.names:
                    target = self.directory / name
                    temp, sha256 = stage(target, renders[name])
                    staged.append((target, temp, sha256))
                claims = self._claims(force)  # again: a file may have changed meanwhile
                entries = tuple(
                    _Entry(
                        target.name,
                        sha256,
                        temp=temp.name,
                        backup=next_backup(target).name if c.backup else "",
                    )
                    for (target, temp, sha256), c in zip(staged, claims, strict=True)
                )
                self._write(_Manifest(COMMITTING, entries))
            except BaseException:
                for _, temp, _ in staged:
                    temp.unlink(missing_ok=True)
                raise
            self._roll_forward(_Manifest(COMMITTING, entries))
        return [self.directory / e.backup for e in entries if e.backup]

    def _claims(self, force: bool) -> list[Claim]:
        recorded = self._recorded()
        return [
            claim(path, force=force, regenerate=True, recorded_sha256=recorded.get(path.name))
            for path in self.paths
        ]

    # -- the manifest -------------------------------------------------------------------------

    def _roll_forward(self, manifest: _Manifest) -> list[Path]:
        done: list[Path] = []
        for entry in manifest.files:
            target = self.directory / entry.name
            temp = self.directory / entry.temp
            if temp.exists():
                if entry.backup and target.exists():
                    keep_backup(target, self.directory / entry.backup)
                try:
                    os.replace(temp, target)
                except OSError as exc:
                    raise os_output_error(
                        exc, target, doing="cannot finish writing (the next run retries)"
                    ) from exc
                done.append(target)
            elif file_sha256(target) != entry.sha256:
                raise OutputError(
                    "an interrupted run left this output half written and it changed since",
                    path=target,
                    hint=f"check it, then delete {self.manifest.name}",
                )
        sync_directory(self.directory)
        files = tuple(_Entry(e.name, e.sha256) for e in manifest.files)
        self._write(_Manifest(COMPLETE, files))
        return done

    def _recorded(self) -> dict[str, str]:
        manifest = self._read()
        if manifest is None or manifest.state != COMPLETE:
            return {}
        return {entry.name: entry.sha256 for entry in manifest.files}

    def _read(self) -> _Manifest | None:
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # unreadable or not ours: nothing recorded
        try:
            files = tuple(
                _Entry(
                    str(f["name"]),
                    str(f["sha256"]),
                    str(f.get("temp", "")),
                    str(f.get("backup", "")),
                )
                for f in data["files"]
            )
            manifest = _Manifest(str(data["state"]), files)
        except (KeyError, TypeError, ValueError):
            return None
        if any(Path(n).name != n for e in files for n in (e.name, e.temp, e.backup)):
            return None  # names outside the directory: not a manifest we wrote
        return manifest

    def _write(self, manifest: _Manifest) -> None:
        record = {
            "transpipe-outputs": MANIFEST_VERSION,
            "article": self.article,
            "state": manifest.state,
            "files": [
                {k: v for k, v in vars(e).items() if v or k in ("name", "sha256")}
                for e in manifest.files
            ],
        }
        data = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        temp, _ = stage(self.manifest, lambda stream: stream.write(data))
        publish(temp, self.manifest)
