"""The job store of ``transpipe batch``: what has been translated, in one SQLite file.

Owns the state of every article of a batch job, kept in ``OUT/.transpipe-batch.db`` (SQLite in
WAL mode, every change one transaction), and the rules that make a rerun safe after a crash or
``SIGKILL``:

- an article is ``pending`` until its translation comes back from a worker; then, in **one**
  transaction for the whole chunk, its rendered files are stored and it becomes
  ``translated`` (or ``failed`` with the reason); only then are the files committed to ``OUT``
  (:class:`transpipe.outputs.OutputSet`, all-or-nothing) and the article becomes ``done`` and
  its stored files are dropped. A rerun commits ``translated`` articles from the stored bytes
  and never sends them to a worker again; ``failed`` articles are retried;
- articles are grouped into chunks when first planned (in input order, about
  ``chunk_sentences`` sentences each) and a chunk is translated together, so a rerun
  translates what is left of a chunk exactly as an uninterrupted run would have;
- each recorded translation is one row of ``translations``, the proof that no article was
  translated twice; ``settings`` holds what the outputs depend on (model, decoding, glossary,
  creation time), and a rerun with other settings is refused;
- one run at a time: the store holds an exclusive ``flock`` while a run is open.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from transpipe.errors import ConfigError, OutputError

JOB_FILE = ".transpipe-batch.db"
SCHEMA_VERSION = "1"

PENDING = "pending"
TRANSLATED = "translated"
DONE = "done"
FAILED = "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sentences INTEGER NOT NULL,
    chunk INTEGER,
    position INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'translated', 'done', 'failed')),
    error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS outputs (
    name TEXT NOT NULL REFERENCES articles (name),
    position INTEGER NOT NULL,
    file TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (name, position)
);
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, started TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS translations (
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    run INTEGER NOT NULL REFERENCES runs (id)
);
"""


@dataclass(frozen=True)
class PlannedArticle:
    """An input as the coordinator read it: output name, file, content digest, sentences."""

    name: str
    source: str
    sha256: str
    sentences: int


@dataclass(frozen=True)
class ArticleState:
    """One row of the store."""

    name: str
    source: str
    sha256: str
    sentences: int
    chunk: int | None
    state: str
    error: str


@dataclass(frozen=True)
class Outcome:
    """What a worker sent back for one article: its rendered files, or why it failed."""

    name: str
    files: tuple[tuple[str, bytes], ...] = ()
    error: str = ""


class JobStore:
    """The job of one output directory (see the module docstring); use as a context manager."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOB_FILE
        self.run_id = 0
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"cannot open the job store: {exc.strerror}", path=self.path) from exc
        try:
            _lock_exclusively(self._lock, self.path)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(
                    "INSERT OR IGNORE INTO settings VALUES ('schema', ?)", (SCHEMA_VERSION,)
                )
        except sqlite3.Error as exc:
            os.close(self._lock)
            raise OutputError(f"job store unusable: {exc}", path=self.path) from exc
        except BaseException:
            os.close(self._lock)
            raise

    # -- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        os.close(self._lock)

    def __enter__(self) -> JobStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise OutputError(f"job store: {exc}", path=self.path) from exc

    # -- the job's settings -------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def start(self, settings: Mapping[str, str]) -> None:
        """Record ``settings`` for a new job, or refuse a rerun whose settings differ; then
        open a run (the ``translations`` rows it records carry its id)."""
        with self._transaction() as db:
            for key, value in settings.items():
                recorded = self.setting(key)
                if recorded is None:
                    db.execute("INSERT INTO settings VALUES (?, ?)", (key, value))
                elif recorded != value:
                    raise ConfigError(
                        f"{self.path}: this job was started with {key} {recorded!r}, not {value!r}",
                        hint="rerun with the same options to finish it, "
                        "or use another output directory",
                    )
            started = dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")
            cursor = db.execute("INSERT INTO runs (started) VALUES (?)", (started,))
            self.run_id = int(cursor.lastrowid or 0)

    # -- planning -------------------------------------------------------------------------------

    def plan(
        self,
        articles: Sequence[PlannedArticle],
        unreadable: Mapping[str, tuple[str, str]],
        chunk_sentences: int,
    ) -> None:
        """Bring the store up to date with the inputs of this run.

        New articles, and translated ones whose source changed, join new chunks in input
        order; a pending or failed article whose source changed keeps its chunk; failed ones
        are retried. ``unreadable`` maps a name to (source, reason): recorded as failed.
        """
        with self._transaction() as db:
            known = {a.name: a for a in self.articles()}
            chunk, position = db.execute(
                "SELECT COALESCE(MAX(chunk), -1), COALESCE(MAX(position), -1) FROM articles"
            ).fetchone()
            filled = chunk_sentences  # the next new article opens a new chunk
            for article in articles:
                position += 1
                row = known.get(article.name)
                if row is not None and row.sha256 == article.sha256 and row.chunk is not None:
                    state = PENDING if row.state == FAILED else row.state
                    db.execute(
                        "UPDATE articles SET source = ?, state = ?, "
                        "error = CASE WHEN ? = 'pending' THEN '' ELSE error END WHERE name = ?",
                        (article.source, state, state, article.name),
                    )
                    continue
                if row is not None and row.state in (PENDING, FAILED) and row.chunk is not None:
                    db.execute(
                        "UPDATE articles SET source = ?, sha256 = ?, sentences = ?, "
                        "state = 'pending', error = '' WHERE name = ?",
                        (article.source, article.sha256, article.sentences, article.name),
                    )
                    continue
                if filled >= chunk_sentences:
                    chunk, filled = chunk + 1, 0
                filled += article.sentences
                db.execute("DELETE FROM outputs WHERE name = ?", (article.name,))
                db.execute(
                    "INSERT OR REPLACE INTO articles "
                    "(name, source, sha256, sentences, chunk, position, state, error) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'pending', '')",
                    (
                        article.name,
                        article.source,
                        article.sha256,
                        article.sentences,
                        chunk,
                        position,
                    ),
                )
            for name, (source, reason) in unreadable.items():
                position += 1
                row = known.get(name)
                if row is not None and row.state in (TRANSLATED, DONE):
                    continue  # its source went bad after it was translated: keep the result
                db.execute(
                    "INSERT OR REPLACE INTO articles "
                    "(name, source, sha256, sentences, chunk, position, state, error) "
                    "VALUES (?, ?, '', 0, NULL, ?, 'failed', ?)",
                    (name, source, position, reason),
                )

    # -- reading --------------------------------------------------------------------------------

    def articles(self, names: Sequence[str] | None = None) -> list[ArticleState]:
        """Every article (or those named), in chunk then input order."""
        rows = self._db.execute(
            "SELECT name, source, sha256, sentences, chunk, state, error FROM articles "
            "ORDER BY chunk, position"
        ).fetchall()
        states = [ArticleState(*row) for row in rows]
        if names is None:
            return states
        wanted = set(names)
        return [s for s in states if s.name in wanted]

    def outputs(self, name: str) -> dict[str, bytes]:
        """The rendered files stored for a ``translated`` article, in their order."""
        rows = self._db.execute(
            "SELECT file, data FROM outputs WHERE name = ? ORDER BY position", (name,)
        ).fetchall()
        return {str(file): bytes(data) for file, data in rows}

    def translation_counts(self) -> dict[str, int]:
        """How many translations of each article (of its current source) were recorded."""
        rows = self._db.execute(
            "SELECT a.name, COUNT(t.name) FROM articles a LEFT JOIN translations t "
            "ON t.name = a.name AND t.sha256 = a.sha256 GROUP BY a.name"
        ).fetchall()
        return {str(name): int(count) for name, count in rows}

    # -- recording --------------------------------------------------------------------------------

    def record(self, chunk: int, outcomes: Sequence[Outcome]) -> None:
        """Store a chunk's results in one transaction: translated (with files) or failed."""
        with self._transaction() as db:
            for outcome in outcomes:
                if outcome.error:
                    db.execute(
                        "UPDATE articles SET state = 'failed', error = ? WHERE name = ?",
                        (outcome.error, outcome.name),
                    )
                    continue
                db.execute("DELETE FROM outputs WHERE name = ?", (outcome.name,))
                db.executemany(
                    "INSERT INTO outputs VALUES (?, ?, ?, ?)",
                    [
                        (outcome.name, index, file, data)
                        for index, (file, data) in enumerate(outcome.files)
                    ],
                )
                db.execute(
                    "UPDATE articles SET state = 'translated', error = '' WHERE name = ?",
                    (outcome.name,),
                )
                db.execute(
                    "INSERT INTO translations SELECT name, sha256, ?, ? FROM articles "
                    "WHERE name = ?",
                    (chunk, self.run_id, outcome.name),
                )

    def mark_done(self, name: str) -> None:
        """The article's files are committed: done, and its stored copy dropped."""
        with self._transaction() as db:
            db.execute("UPDATE articles SET state = 'done', error = '' WHERE name = ?", (name,))
            db.execute("DELETE FROM outputs WHERE name = ?", (name,))

    def mark_unwritten(self, name: str, reason: str) -> None:
        """The files could not be committed: the article stays translated, with the reason."""
        with self._transaction() as db:
            db.execute("UPDATE articles SET error = ? WHERE name = ?", (reason, name))


def _lock_exclusively(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # no flock on this platform: runs are not serialised
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise ConfigError(
            "another `transpipe batch` is running on this output directory",
            path=path,
            hint="wait for it to finish, or use another output directory",
        ) from exc
