"""The review project store: one SQLite file beside a run's outputs with every segment's review.

Owns the file ``review.db`` in the reviewed directory: one row per article (languages, the
files it was created from and the PO's last seen digest), one row per segment (source, the
machine translation, the current target and status, the findings and term audit on the
current text, time spent, a version number) and a history of every accepted change.

Durability: WAL journal with ``synchronous=FULL``, one transaction per change, committed
before :meth:`ReviewStore.update` returns, so a change the server confirmed survives a
SIGKILL or a power cut. Concurrency is optimistic: an update names the version it was made
from and is applied only if the row still has it (``UPDATE … WHERE version = ?``), otherwise
the caller gets the current row back (:class:`Stale`); nothing is overwritten silently, also
across processes sharing the file. The schema version is ``PRAGMA user_version``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from transpipe.errors import InputError, OutputError

STORE_NAME = "review.db"
SCHEMA_VERSION = 1
STATUSES = ("review", "approved")

_SCHEMA = (
    """
    CREATE TABLE articles (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        source_lang TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        source_name TEXT NOT NULL,
        report_file TEXT NOT NULL,
        po_file TEXT NOT NULL,
        po_seen TEXT NOT NULL,
        run TEXT NOT NULL,
        created TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE segments (
        id TEXT PRIMARY KEY,
        article TEXT NOT NULL REFERENCES articles (name),
        n INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        kind TEXT NOT NULL,
        props TEXT NOT NULL,
        source TEXT NOT NULL,
        mt TEXT NOT NULL,
        mt_words INTEGER NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('review', 'approved')),
        score REAL,
        mt_status TEXT NOT NULL,
        term_matches TEXT NOT NULL,
        mt_audit TEXT NOT NULL,
        audit TEXT NOT NULL,
        findings TEXT NOT NULL,
        term_failures INTEGER NOT NULL,
        version INTEGER NOT NULL,
        seconds REAL NOT NULL,
        words_changed INTEGER NOT NULL,
        po_target TEXT,
        po_fuzzy INTEGER,
        in_memory INTEGER NOT NULL,
        updated TEXT NOT NULL
    )
    """,
    "CREATE UNIQUE INDEX segments_in_order ON segments (article, n)",
    """
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        segment TEXT NOT NULL,
        version INTEGER NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        origin TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX history_by_segment ON history (segment, version)",
)
_SEGMENT_COLUMNS = (
    "id, article, n, paragraph, kind, props, source, mt, mt_words, target, status, score, "
    "mt_status, "
    "term_matches, mt_audit, audit, findings, term_failures, version, seconds, words_changed, "
    "po_target, po_fuzzy, in_memory, updated"
)
# The API's segment list, built by SQLite's JSON functions (the shape of ``segment_json``).
_SEGMENTS_JSON = """
    SELECT json_group_array(json(item)) FROM (
        SELECT json_object(
            'id', id, 'n', n, 'paragraph', paragraph, 'kind', kind, 'source', source,
            'target', target, 'mt', mt, 'status', status, 'mt_status', mt_status,
            'score', score, 'findings', json(findings), 'audit', json(audit),
            'term_matches', json(term_matches), 'term_failures', term_failures,
            'version', version,
            'stats', json_object(
                'edited', CASE WHEN words_changed > 0 THEN json('true') ELSE json('false') END,
                'words_changed', words_changed,
                'edit_rate', round(CAST(words_changed AS REAL) / max(1, mt_words), 4),
                'seconds', round(seconds, 1)
            ),
            'updated', updated
        ) AS item
        FROM segments WHERE article = ? ORDER BY n
    )
"""


@dataclass(frozen=True)
class ArticleRow:
    """One article of the project and where it came from (file names inside the directory)."""

    name: str
    position: int
    source_lang: str
    target_lang: str
    source_name: str
    report_file: str  # '' when the article was created from a PO alone
    po_file: str  # '' when there is no PO
    po_seen: str  # "size:mtime_ns:sha256" of the PO as last reconciled
    run: dict[str, Any]
    created: str


@dataclass(frozen=True)
class SegmentRow:
    """One segment's review state. JSON columns come back parsed."""

    id: str
    article: str
    n: int
    paragraph: int
    kind: str
    props: list[list[str]]
    source: str
    mt: str
    mt_words: int
    target: str
    status: str
    score: float | None
    mt_status: str
    term_matches: list[dict[str, Any]]
    mt_audit: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    term_failures: int
    version: int
    seconds: float
    words_changed: int
    po_target: str | None
    po_fuzzy: bool | None
    in_memory: bool
    updated: str


@dataclass(frozen=True)
class Change:
    """An accepted change of one segment (what :meth:`ReviewStore.update` writes)."""

    target: str
    status: str
    audit: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    term_failures: int
    words_changed: int
    add_seconds: float
    origin: str
    at: str


@dataclass(frozen=True)
class Stale:
    """An update refused because the segment changed since ``expected`` (its row now)."""

    expected: int
    current: SegmentRow


@dataclass
class NewSegment:
    """A segment as created from the run's report or PO."""

    id: str
    n: int
    paragraph: int
    kind: str
    source: str
    mt: str
    score: float | None
    mt_status: str
    props: list[list[str]] = field(default_factory=list)
    term_matches: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)  # the run's (MT-time) audit
    current_audit: list[dict[str, Any]] | None = None  # re-verified on the text; None: same
    findings: list[dict[str, Any]] = field(default_factory=list)
    term_failures: int = 0
    po_target: str | None = None
    po_fuzzy: bool | None = None


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _segment(row: Sequence[Any]) -> SegmentRow:
    return SegmentRow(
        id=row[0],
        article=row[1],
        n=row[2],
        paragraph=row[3],
        kind=row[4],
        props=json.loads(row[5]),
        source=row[6],
        mt=row[7],
        mt_words=row[8],
        target=row[9],
        status=row[10],
        score=row[11],
        mt_status=row[12],
        term_matches=json.loads(row[13]),
        mt_audit=json.loads(row[14]),
        audit=json.loads(row[15]),
        findings=json.loads(row[16]),
        term_failures=row[17],
        version=row[18],
        seconds=row[19],
        words_changed=row[20],
        po_target=row[21],
        po_fuzzy=None if row[22] is None else bool(row[22]),
        in_memory=bool(row[23]),
        updated=row[24],
    )


class ReviewStore:
    """The project's SQLite file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open the review store: {exc}", path=path) from exc
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                with self._transaction():
                    for statement in _SCHEMA:
                        self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION:
                raise InputError(
                    f"review store schema {version}, this transpipe knows {SCHEMA_VERSION}",
                    path=path,
                    hint="use the transpipe version that created it",
                )
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise InputError(f"not a transpipe review store: {exc}", path=path) from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise OutputError(f"cannot write the review store: {exc}", path=self.path) from exc
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK")
            raise OutputError(f"cannot write the review store: {exc}", path=self.path) from exc

    # -- articles --------------------------------------------------------------------------

    def articles(self) -> list[ArticleRow]:
        rows = self._conn.execute(
            "SELECT name, position, source_lang, target_lang, source_name, report_file, "
            "po_file, po_seen, run, created FROM articles ORDER BY position, name"
        ).fetchall()
        return [
            ArticleRow(
                name=row[0],
                position=row[1],
                source_lang=row[2],
                target_lang=row[3],
                source_name=row[4],
                report_file=row[5],
                po_file=row[6],
                po_seen=row[7],
                run=json.loads(row[8]),
                created=row[9],
            )
            for row in rows
        ]

    def article(self, name: str) -> ArticleRow | None:
        return next((a for a in self.articles() if a.name == name), None)

    def add_article(self, article: ArticleRow, segments: Sequence[NewSegment]) -> bool:
        """Create an article with its segments (version 1, status ``review``) atomically;
        False when it exists already (another process sharing the store created it)."""
        with self._transaction() as conn:
            exists = conn.execute("SELECT 1 FROM articles WHERE name = ?", (article.name,))
            if exists.fetchone() is not None:
                return False
            conn.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.name,
                    article.position,
                    article.source_lang,
                    article.target_lang,
                    article.source_name,
                    article.report_file,
                    article.po_file,
                    article.po_seen,
                    _dumps(article.run),
                    article.created,
                ),
            )
            conn.executemany(
                f"INSERT INTO segments ({_SEGMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, 'review', ?, ?, ?, ?, ?, ?, ?, 1, 0, 0, ?, ?, 0, ?)",
                [
                    (
                        s.id,
                        article.name,
                        s.n,
                        s.paragraph,
                        s.kind,
                        _dumps(s.props),
                        s.source,
                        s.mt,
                        len(s.mt.split()),
                        s.mt,
                        s.score,
                        s.mt_status,
                        _dumps(s.term_matches),
                        _dumps(s.audit),
                        _dumps(s.audit if s.current_audit is None else s.current_audit),
                        _dumps(s.findings),
                        s.term_failures,
                        s.po_target,
                        None if s.po_fuzzy is None else int(s.po_fuzzy),
                        article.created,
                    )
                    for s in segments
                ],
            )
        return True

    def set_po_seen(self, name: str, seen: str) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE articles SET po_seen = ? WHERE name = ?", (seen, name))

    # -- segments --------------------------------------------------------------------------

    def segments(self, article: str) -> list[SegmentRow]:
        rows = self._conn.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE article = ? ORDER BY n", (article,)
        ).fetchall()
        return [_segment(row) for row in rows]

    def segments_json(self, article: str) -> str:
        """The article's segments as the API's JSON array (built inside SQLite)."""
        row = self._conn.execute(_SEGMENTS_JSON, (article,)).fetchone()
        return str(row[0]) if row and row[0] else "[]"

    def segment(self, segment_id: str) -> SegmentRow | None:
        row = self._conn.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE id = ?", (segment_id,)
        ).fetchone()
        return None if row is None else _segment(row)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per article: segments, approved, review, untranslated, term failures, edited."""
        rows = self._conn.execute(
            "SELECT article, COUNT(*), SUM(status = 'approved'), SUM(status = 'review'), "
            "SUM(trim(target) = ''), SUM(term_failures), SUM(words_changed > 0) "
            "FROM segments GROUP BY article"
        ).fetchall()
        keys = ("segments", "approved", "review", "untranslated", "term_failures", "edited")
        return {
            row[0]: dict(zip(keys, (int(v or 0) for v in row[1:]), strict=True)) for row in rows
        }

    def update(self, segment_id: str, expected_version: int, change: Change) -> SegmentRow | Stale:
        """Apply ``change`` if the segment is still at ``expected_version``; durable on return."""
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE segments SET target = ?, status = ?, audit = ?, findings = ?, "
                "term_failures = ?, words_changed = ?, seconds = seconds + ?, "
                "version = version + 1, in_memory = 0, updated = ? WHERE id = ? AND version = ?",
                (
                    change.target,
                    change.status,
                    _dumps(change.audit),
                    _dumps(change.findings),
                    change.term_failures,
                    change.words_changed,
                    change.add_seconds,
                    change.at,
                    segment_id,
                    expected_version,
                ),
            )
            if cursor.rowcount == 1:
                conn.execute(
                    "INSERT INTO history (segment, version, target, status, origin, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        segment_id,
                        expected_version + 1,
                        change.target,
                        change.status,
                        change.origin,
                        change.at,
                    ),
                )
        current = self.segment(segment_id)
        if current is None:
            raise KeyError(segment_id)
        if cursor.rowcount != 1:
            return Stale(expected_version, current)
        return current

    def set_po_baseline(self, segment_id: str, target: str, fuzzy: bool) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE segments SET po_target = ?, po_fuzzy = ? WHERE id = ?",
                (target, int(fuzzy), segment_id),
            )

    def mark_in_memory(self, segment_id: str, version: int) -> None:
        """Record that this version of the segment is in the translation memory."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE segments SET in_memory = 1 WHERE id = ? AND version = ?",
                (segment_id, version),
            )

    def approved_not_in_memory(self) -> list[SegmentRow]:
        rows = self._conn.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments "
            "WHERE status = 'approved' AND in_memory = 0 ORDER BY article, n"
        ).fetchall()
        return [_segment(row) for row in rows]

    def history(self, segment_id: str) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT version, target, status, origin, at FROM history WHERE segment = ? "
            "ORDER BY version",
            (segment_id,),
        ).fetchall()
        keys = ("version", "target", "status", "origin", "at")
        return [dict(zip(keys, row, strict=True)) for row in rows]
