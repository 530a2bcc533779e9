"""The SQLite translation memory: reviewed translations kept across runs and reused before MT.

Owns the memory file. One table of units, one row per distinct (source language, target
language, source, target); each row keeps the normalized source key
(:func:`transpipe.tm.normalize.source_key`), the origin (file name it came from), the unit id
it had there, when it was stored (a timestamp the caller passes in: library code reads no
clock) and whether a person reviewed it. An FTS5 full-text index over the normalized sources
(``units_fts``, kept in step by every write) finds the candidates of a fuzzy lookup; exact and
normalized lookups use plain B-tree indexes.

Safety: the schema version is ``PRAGMA user_version`` (migrations run in order inside one
transaction); the journal is WAL; every write is one transaction, so an import is
all-or-nothing and an interrupted run leaves the memory as it was. A file that is not SQLite,
a SQLite database that is not a transpipe memory, or one written by a newer transpipe is an
:class:`~transpipe.errors.InputError` naming the file; a write the file system refuses
(read-only, locked, disk full) is an :class:`~transpipe.errors.OutputError`.

Re-importing a pair already stored refreshes its origin, unit id and time (the newest import
wins ties in :meth:`TranslationMemory.lookup`), except that an unreviewed copy never demotes a
reviewed row. Machine translation comes in unreviewed (see :mod:`transpipe.tm.files`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from transpipe.errors import ConfigError, InputError, OutputError
from transpipe.lang.codes import checked as language_code
from transpipe.model import Bitext, LanguagePair, Unit
from transpipe.tm.files import LoadedFile, Selection, load_for_import
from transpipe.tm.normalize import length_bounds, similarity, source_key, tokens

SCHEMA_VERSION = 2
FUZZY_CANDIDATES = 200
MatchKind = Literal["exact", "normalized", "fuzzy"]

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            source_tokens INTEGER NOT NULL,
            target TEXT NOT NULL,
            origin TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            created TEXT NOT NULL,
            reviewed INTEGER NOT NULL CHECK (reviewed IN (0, 1)),
            UNIQUE (source_lang, target_lang, source, target)
        )
        """,
        "CREATE INDEX units_by_key ON units (source_lang, target_lang, source_key)",
        "CREATE INDEX units_by_length ON units (source_lang, target_lang, source_tokens)",
    ),
    # full-text index of the normalized sources: the candidates of a fuzzy lookup
    2: (
        "CREATE VIRTUAL TABLE units_fts"
        " USING fts5(source_key, content='units', content_rowid='id')",
        "INSERT INTO units_fts (units_fts) VALUES ('rebuild')",
    ),
}
_COLUMNS = "source, target, origin, unit_id, created, reviewed"
_EXPECTED_COLUMNS = frozenset(
    {
        "source_lang",
        "target_lang",
        "source",
        "source_key",
        "source_tokens",
        "target",
        "origin",
        "unit_id",
        "created",
        "reviewed",
    }
)
_PREFERENCE = "ORDER BY reviewed DESC, created DESC, id DESC"
_UPSERT = """
    INSERT INTO units (source_lang, target_lang, source, source_key, source_tokens, target,
                       origin, unit_id, created, reviewed)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source_lang, target_lang, source, target) DO UPDATE SET
        origin = excluded.origin, unit_id = excluded.unit_id,
        created = excluded.created, reviewed = excluded.reviewed
    WHERE excluded.reviewed >= units.reviewed
      AND (units.origin <> excluded.origin OR units.unit_id <> excluded.unit_id
           OR units.created <> excluded.created OR units.reviewed <> excluded.reviewed)
"""


@dataclass(frozen=True)
class Match:
    """A stored translation found for a source text.

    ``kind`` is ``exact`` (same source string), ``normalized`` (same normalized key) or
    ``fuzzy`` (similar tokens; ``score`` is the similarity, 1.0 for the other kinds);
    ``source`` is the stored source, which differs from the query unless ``kind`` is exact.
    """

    target: str
    kind: MatchKind
    origin: str
    source: str
    score: float = 1.0
    reviewed: bool = True
    unit_id: str = ""
    created: str = ""


@dataclass(frozen=True)
class ImportStats:
    """What one import did: units read, rows added/refreshed/unchanged, units skipped."""

    origin: str
    read: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_fuzzy: int = 0
    skipped_empty: int = 0
    skipped_plural: int = 0
    skipped_inline: int = 0
    skipped_missing_language: int = 0
    machine: int = 0  # stored unreviewed: machine translation nobody edited

    @property
    def skipped(self) -> int:
        return (
            self.skipped_fuzzy
            + self.skipped_empty
            + self.skipped_plural
            + self.skipped_inline
            + self.skipped_missing_language
        )

    def describe(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        if self.machine:
            text += f" ({self.machine} machine translation, stored as unreviewed)"
        reasons = [
            (self.skipped_fuzzy, "fuzzy"),
            (self.skipped_empty, "empty"),
            (self.skipped_plural, "plural"),
            (self.skipped_inline, "inline markup"),
            (self.skipped_missing_language, "missing a language"),
        ]
        parts = [f"{count} {why}" for count, why in reasons if count]
        if parts:
            text += f", {self.skipped} skipped ({', '.join(parts)})"
        return text


@dataclass(frozen=True)
class PairStats:
    """Rows stored for one language pair."""

    pair: LanguagePair
    units: int
    reviewed: int
    sources: int


@dataclass(frozen=True)
class MemoryStats:
    """What a memory holds."""

    path: str
    schema_version: int
    units: int
    reviewed: int
    origins: int
    pairs: tuple[PairStats, ...]


class TranslationMemory:
    """A translation memory in one SQLite file; use as a context manager (closes the file).

    ``create=False`` refuses a missing file (for lookups and exports) instead of creating an
    empty memory.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError("is a directory, expected a translation memory file", path=self.path)
        if not create and not self.path.is_file():
            raise InputError(
                "translation memory not found",
                path=self.path,
                hint="create one with: transpipe tm import FILE --db DB --from .. --to ..",
            )
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open translation memory: {exc}", path=self.path) from exc
        try:
            self._open(create)
        except BaseException:
            self._conn.close()
            raise

    # -- life cycle ------------------------------------------------------------------------------

    def _open(self, create: bool) -> None:
        with self._errors(reading=True):
            self._conn.execute("PRAGMA busy_timeout = 5000")
            self._conn.execute("PRAGMA trusted_schema = OFF")  # the file may come from anyone
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                str(row[0])
                for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        if version > SCHEMA_VERSION:
            raise InputError(
                f"translation memory schema {version} is newer than this transpipe "
                f"({SCHEMA_VERSION})",
                path=self.path,
                hint="upgrade transpipe",
            )
        if version == 0 and tables:
            raise InputError(
                "an SQLite database, but not a transpipe translation memory", path=self.path
            )
        if version == 0 and not create:
            raise InputError("empty file, not a translation memory", path=self.path)
        if version > 0:
            with self._errors(reading=True):
                columns = {str(row[1]) for row in self._conn.execute("PRAGMA table_info(units)")}
            if not columns >= _EXPECTED_COLUMNS:
                raise InputError("translation memory without its units table", path=self.path)
        if version < SCHEMA_VERSION:
            self._migrate(version)
        with self._errors(reading=True):
            mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            # a read-only file stays in its mode: reads work, a write reports the reason
            with suppress(sqlite3.OperationalError):
                self._conn.execute("PRAGMA journal_mode = WAL")

    def _migrate(self, version: int) -> None:
        with self._transaction():
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step]:
                    self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _errors(self, *, reading: bool) -> Iterator[None]:
        """Turn SQLite failures into one-line user errors naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            message = str(exc)
            if "not a database" in message:
                raise InputError(
                    "not a translation memory (not an SQLite database)", path=self.path
                ) from exc
            if "malformed" in message:
                raise InputError(
                    f"corrupt translation memory: {message}",
                    path=self.path,
                    hint="restore it from a backup or re-import the source files",
                ) from exc
            if reading:
                raise InputError(
                    f"cannot read translation memory: {message}", path=self.path
                ) from exc
            raise OutputError(
                f"cannot write translation memory: {message}", path=self.path
            ) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._errors(reading=False):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------------------

    def add(
        self,
        units: Iterable[Unit],
        pair: LanguagePair,
        origin: str,
        *,
        reviewed: bool = True,
        created: str = "",
    ) -> ImportStats:
        """Store ``units`` (empty sources or targets are skipped) in one transaction."""
        items = list(units)
        kept = [(u, reviewed) for u in items if u.source.strip() and u.target.strip()]
        selection = Selection(kept=tuple(kept), empty=len(items) - len(kept))
        with self._transaction():
            return self._write(origin, len(items), selection, pair, created)

    def import_file(
        self,
        path: str | Path,
        pair: LanguagePair,
        *,
        include_fuzzy: bool = False,
        reviewed: bool = False,
        created: str = "",
    ) -> ImportStats:
        """Import one TMX/PO/XLIFF/TSV file; all of it or, on any error, nothing."""
        return self.import_files(
            [path], pair, include_fuzzy=include_fuzzy, reviewed=reviewed, created=created
        )[0]

    def import_files(
        self,
        paths: Sequence[str | Path],
        pair: LanguagePair,
        *,
        include_fuzzy: bool = False,
        reviewed: bool = False,
        created: str = "",
    ) -> list[ImportStats]:
        """Read every file first, then store them all in one transaction (all-or-nothing).

        Fuzzy (unreviewed) units are skipped unless ``include_fuzzy``; then they are stored
        as unreviewed and lose to any reviewed translation of the same source. Unedited
        machine translation is stored as unreviewed unless ``reviewed`` says a person
        reviewed the whole file.
        """
        loaded = [
            load_for_import(Path(path), pair, include_fuzzy=include_fuzzy, reviewed=reviewed)
            for path in paths
        ]
        return self.store_loaded(loaded, pair, created=created)

    def store_loaded(
        self, loaded: Sequence[LoadedFile], pair: LanguagePair, *, created: str = ""
    ) -> list[ImportStats]:
        """Store files read by :func:`transpipe.tm.files.load_for_import`, in one transaction."""
        with self._transaction():
            return [
                self._write(item.origin, item.read, item.selection, pair, created)
                for item in loaded
            ]

    def _write(
        self, origin: str, read: int, selection: Selection, pair: LanguagePair, created: str
    ) -> ImportStats:
        source_lang, target_lang = language_code(pair.source), language_code(pair.target)
        last = int(self._conn.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0])
        changes = self._conn.total_changes
        self._conn.executemany(
            _UPSERT,
            (
                (
                    source_lang,
                    target_lang,
                    unit.source,
                    source_key(unit.source),
                    len(tokens(unit.source)),
                    unit.target,
                    origin,
                    unit.id,
                    created,
                    int(reviewed),
                )
                for unit, reviewed in selection.kept
            ),
        )
        touched = self._conn.total_changes - changes
        # rows are never deleted, so the new ones are those above the old highest id
        added = int(
            self._conn.execute("SELECT count(*) FROM units WHERE id > ?", (last,)).fetchone()[0]
        )
        self._conn.execute(
            "INSERT INTO units_fts (rowid, source_key)"
            " SELECT id, source_key FROM units WHERE id > ?",
            (last,),
        )
        return ImportStats(
            origin=origin,
            read=read,
            added=added,
            updated=touched - added,
            unchanged=len(selection.kept) - touched,
            skipped_fuzzy=selection.fuzzy,
            skipped_empty=selection.empty,
            skipped_plural=selection.plural,
            skipped_inline=selection.inline,
            skipped_missing_language=selection.missing_language,
            machine=selection.machine,
        )

    # -- reading ---------------------------------------------------------------------------------

    def lookup(
        self, source: str, pair: LanguagePair, *, reviewed_only: bool = False
    ) -> Match | None:
        """The stored translation of ``source``: exact match first, then normalized.

        Among several translations of one source, a reviewed one wins, then the newest.
        """
        langs = (language_code(pair.source), language_code(pair.target))
        review = " AND reviewed = 1" if reviewed_only else ""
        if not source.strip():
            return None
        with self._errors(reading=True):
            searches: tuple[tuple[MatchKind, str, str], ...] = (
                ("exact", "source", source),
                ("normalized", "source_key", source_key(source)),
            )
            for kind, column, value in searches:
                row = self._conn.execute(
                    f"SELECT {_COLUMNS} FROM units WHERE source_lang = ? AND target_lang = ?"
                    f" AND {column} = ?{review} {_PREFERENCE} LIMIT 1",
                    (*langs, value),
                ).fetchone()
                if row is not None:
                    return _match(row, kind, 1.0)
        return None

    def fuzzy_lookup(
        self,
        source: str,
        pair: LanguagePair,
        *,
        threshold: float = 0.75,
        limit: int = 5,
        reviewed_only: bool = False,
    ) -> list[Match]:
        """Stored translations of sources similar to ``source``, best first, one per stored
        source: token ``difflib`` ratio at least ``threshold`` (an exact or normalized source
        comes back with its own kind and score 1.0). Candidates are the best
        :data:`FUZZY_CANDIDATES` full-text (BM25) hits sharing a word with ``source``."""
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(f"similarity threshold {threshold} is not in (0, 1]")
        wanted = tokens(source)
        words = sorted({t for t in wanted if t[0].isalnum()})
        if not words:
            return []
        query = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        key = source_key(source)
        low, high = length_bounds(len(wanted), threshold)
        langs = (language_code(pair.source), language_code(pair.target))
        review = " AND u.reviewed = 1" if reviewed_only else ""
        columns = ", ".join(f"u.{c.strip()}" for c in _COLUMNS.split(","))
        with self._errors(reading=True):
            rows = self._conn.execute(
                f"SELECT {columns}, u.source_key, u.id FROM units_fts"
                " JOIN units AS u ON u.id = units_fts.rowid"
                " WHERE units_fts MATCH ? AND u.source_lang = ? AND u.target_lang = ?"
                f" AND u.source_tokens BETWEEN ? AND ?{review}"
                " ORDER BY bm25(units_fts) LIMIT ?",
                (query, *langs, low, high, FUZZY_CANDIDATES),
            ).fetchall()
        # preference order within one source: reviewed first, then the newest
        rows.sort(key=lambda row: (int(row[5]), str(row[4]), int(row[7])), reverse=True)
        best: dict[str, tuple[float, Match]] = {}
        for row in rows:
            stored = str(row[0])
            if stored in best:
                continue
            if stored == source:
                best[stored] = (1.0, _match(row, "exact", 1.0))
            elif row[6] == key:
                best[stored] = (1.0, _match(row, "normalized", 1.0))
            else:
                score = similarity(wanted, tokens(stored))
                if score >= threshold:
                    best[stored] = (score, _match(row, "fuzzy", score))
        # stable sort: equal scores keep the preference order
        ranked = sorted(best.values(), key=lambda item: -item[0])
        return [match for _, match in ranked[:limit]]

    def pairs(self) -> list[LanguagePair]:
        """The language pairs the memory holds, sorted."""
        with self._errors(reading=True):
            rows = self._conn.execute(
                "SELECT DISTINCT source_lang, target_lang FROM units ORDER BY 1, 2"
            ).fetchall()
        return [LanguagePair(str(s), str(t)) for s, t in rows]

    def export(
        self,
        pair: LanguagePair,
        *,
        reviewed_only: bool = False,
        created: str = "",
        name: str = "",
    ) -> Bitext:
        """Every stored unit of ``pair`` in storage order; unreviewed rows come out fuzzy.

        Unit ids are the stored ids, made unique with ``#<row>`` where two rows share one;
        props ``x-tm-origin`` and ``x-tm-created`` say where and when each row came from.
        """
        langs = (language_code(pair.source), language_code(pair.target))
        review = " AND reviewed = 1" if reviewed_only else ""
        with self._errors(reading=True):
            rows = self._conn.execute(
                f"SELECT {_COLUMNS}, id FROM units WHERE source_lang = ? AND target_lang = ?"
                f"{review} ORDER BY id",
                langs,
            ).fetchall()
        counts: dict[str, int] = {}
        for row in rows:
            counts[str(row[3])] = counts.get(str(row[3]), 0) + 1
        units: list[Unit] = []
        for source, target, origin, unit_id, stamp, reviewed, row_id in rows:
            uid = str(unit_id)
            if not uid or counts[uid] > 1:
                uid = f"{uid or 'tm'}#{row_id}"
            props = [("x-tm-origin", str(origin))]
            if stamp:
                props.append(("x-tm-created", str(stamp)))
            units.append(
                Unit(
                    id=uid,
                    source=str(source),
                    target=str(target),
                    fuzzy=not reviewed,
                    props=tuple(props),
                )
            )
        return Bitext(
            name=name or self.path.stem,
            pair=LanguagePair(*langs),
            units=tuple(units),
            created=created,
        )

    def stats(self) -> MemoryStats:
        """Counts of stored units per language pair."""
        with self._errors(reading=True):
            rows = self._conn.execute(
                "SELECT source_lang, target_lang, count(*), sum(reviewed),"
                " count(DISTINCT source) FROM units GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
            origins = int(
                self._conn.execute("SELECT count(DISTINCT origin) FROM units").fetchone()[0]
            )
        pairs = tuple(
            PairStats(LanguagePair(str(s), str(t)), int(n), int(r or 0), int(d))
            for s, t, n, r, d in rows
        )
        return MemoryStats(
            path=str(self.path),
            schema_version=SCHEMA_VERSION,
            units=sum(p.units for p in pairs),
            reviewed=sum(p.reviewed for p in pairs),
            origins=origins,
            pairs=pairs,
        )


def _match(row: Sequence[object], kind: MatchKind, score: float) -> Match:
    source, target, origin, unit_id, created, reviewed = row[:6]
    return Match(
        target=str(target),
        kind=kind,
        origin=str(origin),
        source=str(source),
        score=score,
        reviewed=bool(reviewed),
        unit_id=str(unit_id),
        created=str(created),
    )
