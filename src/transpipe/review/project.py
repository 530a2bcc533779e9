"""A review project: a ``translate`` (or ``align``) output directory under review.

Owns what happens to the directory's review state: finding its articles (``<name>.report.json``
and/or ``<name>.po``), creating the store from the report and PO on first open, reconciling
with a PO edited outside (every change found there is imported as a new version of the
segment; the PO itself is never written), accepting an edit (checks run again on the new
text, term audit re-verified, post-editing statistics, optimistic version check), putting
approved segments into the translation memory, and the JSON shapes the API returns.

Reconciliation compares each PO entry with the entry as last seen (at creation: the run's
report, so edits made before the first open are imported too): a changed translation, or a
cleared or set ``fuzzy`` flag, becomes a new version (approved when the entry is not fuzzy).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transpipe.errors import ConfigError, FormatError, InputError, TranspipeError
from transpipe.formats.xmlsafe import xml_text
from transpipe.inputs import read_bytes
from transpipe.model import Bitext, LanguagePair, Unit
from transpipe.publish.readiness import TERM_CHECKS, TERMS_ONLY, CheckedSegment, check_segment
from transpipe.review import records
from transpipe.review.stats import EditStats, word_edit_distance
from transpipe.review.store import (
    STATUSES,
    STORE_NAME,
    ArticleRow,
    Change,
    NewSegment,
    ReviewStore,
    SegmentRow,
    Stale,
)
from transpipe.review.terms import suggestion
from transpipe.terms import CompiledGlossary, Glossary

MEMORY_NAME = "memory.db"
MAX_REPORT_BYTES = 500 * 1024 * 1024
MAX_TARGET_CHARS = 100_000
MAX_SECONDS_PER_UPDATE = 3600.0
REPORT_SUFFIX = ".report.json"
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class ProjectSettings:
    """What the CLI decides: the directory, the glossary, the memory file, the clock."""

    directory: Path
    clock: Callable[[], str]
    terms: CompiledGlossary | None = None
    memory: Path | None = None  # default: <directory>/memory.db


@dataclass(frozen=True)
class Updated:
    """An accepted change: the segment now, and what happened in the translation memory."""

    row: SegmentRow
    memory: str


def _normal(text: str) -> str:
    """A translation as the PO writer stores it (XML-illegal characters out, LF only)."""
    return xml_text(text).replace("\r\n", "\n").replace("\r", "\n")


def _file_state(path: Path) -> str:
    """``"size:mtime_ns"`` of ``path``: a cheap test that it has not changed."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


class ReviewProject:
    """Everything the review page and API do to one directory (see the module docstring)."""

    def __init__(self, settings: ProjectSettings) -> None:
        directory = settings.directory
        if not directory.is_dir():
            raise InputError("not a directory", path=directory, hint="give a translate --out DIR")
        self.settings = settings
        self.directory = directory
        self.warnings: list[str] = []
        self.store = ReviewStore(directory / STORE_NAME)
        self._memory: Any = None
        self._pairs: dict[str, LanguagePair] = {}

    # -- opening -------------------------------------------------------------------------------

    def open(self) -> None:
        """Create the store entries of new articles, reconcile every PO, refill the memory."""
        known = {a.name for a in self.store.articles()}
        found = self._discover()
        if not found and not known:
            raise InputError(
                f"no *{REPORT_SUFFIX} or *.po files to review",
                path=self.directory,
                hint="run transpipe translate --out DIR first",
            )
        for position, (name, report, po) in enumerate(found, start=len(known)):
            if name not in known:
                self._create(name, position, report, po)
        for article in self.store.articles():
            self._pairs[article.name] = LanguagePair(article.source_lang, article.target_lang)
            self.reconcile(article)
        for row in self.store.approved_not_in_memory():
            self._remember(row)

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
        self.store.close()

    def _discover(self) -> list[tuple[str, Path | None, Path | None]]:
        reports = {
            p.name[: -len(REPORT_SUFFIX)]: p
            for p in sorted(self.directory.glob(f"*{REPORT_SUFFIX}"))
            if not p.name.startswith(".") and p.is_file()
        }
        pos = {
            p.stem: p
            for p in sorted(self.directory.glob("*.po"))
            if not p.name.startswith(".") and p.is_file()
        }
        names = list(reports) + [name for name in pos if name not in reports]
        return [(name, reports.get(name), pos.get(name)) for name in names]

    def _create(self, name: str, position: int, report: Path | None, po: Path | None) -> None:
        po_units: dict[str, Unit] = {}
        po_pair: LanguagePair | None = None
        if po is not None:
            try:
                bitext = self._read_po(po)
            except InputError as error:
                if report is None:
                    raise
                self.warnings.append(f"{error} (review starts from the report)")
                po = None
            else:
                po_units = {unit.id: unit for unit in bitext.units}
                po_pair = bitext.pair
                if not all(_LANGUAGE.fullmatch(lang) for lang in (po_pair.source, po_pair.target)):
                    raise FormatError(f"unusable languages {po_pair} in the header", path=po)
        if report is not None:
            data = _load_report(report)
            pair = LanguagePair(str(data["source_lang"]), str(data["target_lang"]))
            segments = [
                _from_report(i, record, po_units) for i, record in enumerate(data["segments"])
            ]
            source_name, run = str(data.get("source_name", name)), data.get("run", {})
        elif po_pair is not None:
            pair = po_pair
            segments = [_from_po(i, unit) for i, unit in enumerate(po_units.values())]
            source_name, run = name, {}
        else:
            return  # a PO-only article whose PO is unreadable: nothing to review
        article = ArticleRow(
            name=name,
            position=position,
            source_lang=pair.source,
            target_lang=pair.target,
            source_name=source_name,
            report_file=report.name if report else "",
            po_file=po.name if po else "",
            po_seen="",
            run=run if isinstance(run, dict) else {},
            created=self.settings.clock(),
        )
        for segment in segments:
            self._recheck_terms(segment, pair)
        self.store.add_article(article, segments)

    def _recheck_terms(self, segment: NewSegment, pair: LanguagePair) -> None:
        """Term findings of a new segment judged on its text (MT-time audits go stale and
        carry false alarms), so the page counts what the publish gate will count."""
        checked = check_segment(
            segment.source,
            segment.mt,
            pair,
            term_matches=[records.term_match(m) for m in segment.term_matches],
            term_audit=[records.term_audit(a) for a in segment.audit],
            terms=self.settings.terms,
            config=TERMS_ONLY,
        )
        others = [f for f in segment.findings if f.get("check") not in TERM_CHECKS]
        segment.findings = others + records.issue_records(checked.issues)
        segment.term_failures = checked.term_failures
        segment.current_audit = with_suggestions(
            records.audit_records(checked.audit), segment.audit
        )

    def _read_po(self, path: Path) -> Bitext:
        from transpipe.formats.registry import read_bitext

        return read_bitext(path)

    # -- reconciliation with a PO edited outside ----------------------------------------------

    def reconcile(self, article: ArticleRow) -> int:
        """Import the changes made to the article's PO since it was last seen; their number."""
        if not article.po_file:
            return 0
        path = self.directory / article.po_file
        try:
            quick = _file_state(path)
            if article.po_seen.startswith(quick + ":"):
                return 0
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            self.warnings.append(f"{path}: cannot read: {exc.strerror}")
            return 0
        seen = f"{quick}:{digest}"
        if article.po_seen.endswith(":" + digest):
            self.store.set_po_seen(article.name, seen)
            return 0
        try:
            bitext = self._read_po(path)
        except InputError as error:
            self.warnings.append(f"{error} (edits in it are not imported yet)")
            return 0
        imported = 0
        rows = {row.id: row for row in self.store.segments(article.name)}
        for unit in bitext.units:
            row = rows.get(unit.id)
            if row is None:
                continue
            imported += self._import_entry(row, unit)
            self.store.set_po_baseline(row.id, unit.target, unit.fuzzy)
        self.store.set_po_seen(article.name, seen)
        return imported

    def _import_entry(self, row: SegmentRow, unit: Unit) -> int:
        baseline_target = row.mt if row.po_target is None else row.po_target
        baseline_fuzzy = True if row.po_fuzzy is None else row.po_fuzzy
        text_changed = _normal(unit.target) != _normal(baseline_target)
        if not text_changed and unit.fuzzy == baseline_fuzzy:
            return 0
        target = unit.target if text_changed else row.target
        status = "review" if unit.fuzzy or not target.strip() else "approved"
        if target == row.target and status == row.status:
            return 0
        current = row
        for _ in range(3):  # another process may be editing: the PO's edit still wins
            result = self._apply(current, target, status, 0.0, "po")
            if not isinstance(result, Stale):
                return 1
            current = result.current
        raise InputError(f"segment {row.id} keeps changing; PO edit not imported")

    # -- reading -------------------------------------------------------------------------------

    def glossary(self) -> Glossary | None:
        """The glossary (for its entries), when the project has one."""
        return self.settings.terms.glossary if self.settings.terms is not None else None

    def pair(self, article: str) -> LanguagePair:
        return self._pairs[article]

    def articles(self) -> list[dict[str, Any]]:
        """Every article with its counts by status (after reconciling changed POs)."""
        for article in self.store.articles():
            self.reconcile(article)
        counts = self.store.counts()
        return [
            {
                "name": a.name,
                "source_lang": a.source_lang,
                "target_lang": a.target_lang,
                "source_name": a.source_name,
                "counts": counts.get(a.name, {}),
            }
            for a in self.store.articles()
        ]

    def segments_json(self, name: str) -> str | None:
        """The article's segments as the API's JSON text (None: no such article)."""
        article = self.store.article(name)
        if article is None:
            return None
        self.reconcile(article)
        return self.store.segments_json(name)

    def segment(self, segment_id: str) -> SegmentRow | None:
        return self.store.segment(segment_id)

    # -- changing ------------------------------------------------------------------------------

    def check(self, row: SegmentRow, target: str) -> CheckedSegment:
        """The checks on ``target`` as a new text of ``row`` (the run's term audit re-verified)."""
        return check_segment(
            row.source,
            target,
            self.pair(row.article),
            term_matches=[records.term_match(m) for m in row.term_matches],
            term_audit=[records.term_audit(a) for a in row.mt_audit],
            props=[(str(k), str(v)) for k, v in row.props],
            terms=self.settings.terms,
        )

    def update(
        self, segment_id: str, *, target: str, status: str, version: int, seconds: float = 0.0
    ) -> Updated | Stale | None:
        """Accept an edit made from ``version`` (None: no such segment)."""
        if status not in STATUSES:
            raise ConfigError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        if len(target) > MAX_TARGET_CHARS:
            raise ConfigError(f"target longer than {MAX_TARGET_CHARS} characters")
        row = self.store.segment(segment_id)
        if row is None:
            return None
        if row.version != version:
            return Stale(version, row)
        seconds = min(max(0.0, seconds), MAX_SECONDS_PER_UPDATE)
        result = self._apply(row, target, status, seconds, "review")
        if isinstance(result, Stale):
            return result
        return Updated(result, self._remember(result) if result.status == "approved" else "")

    def _apply(
        self, row: SegmentRow, target: str, status: str, seconds: float, origin: str
    ) -> SegmentRow | Stale:
        checked = self.check(row, target)
        change = Change(
            target=target,
            status=status,
            audit=with_suggestions(records.audit_records(checked.audit), row.mt_audit),
            findings=records.issue_records(checked.issues),
            term_failures=checked.term_failures,
            words_changed=word_edit_distance(row.mt, target),
            add_seconds=seconds,
            origin=origin,
            at=self.settings.clock(),
        )
        return self.store.update(row.id, row.version, change)

    def memory(self) -> Any:
        """The translation memory approved segments go into (opened on first use)."""
        if self._memory is None:
            from transpipe.tm import TranslationMemory

            path = self.settings.memory or self.directory / MEMORY_NAME
            self._memory = TranslationMemory(path, create=True)
        return self._memory

    def _remember(self, row: SegmentRow) -> str:
        if not row.source.strip() or not row.target.strip():
            return "not stored (empty)"
        try:
            self.memory().add(
                [Unit(id=row.id, source=row.source, target=row.target)],
                self.pair(row.article),
                f"review:{row.article}",
                reviewed=True,
                created=self.settings.clock(),
            )
        except TranspipeError as error:
            return f"not stored: {error}"
        self.store.mark_in_memory(row.id, row.version)
        return "stored"

    def memory_matches(self, row: SegmentRow, limit: int = 3) -> list[dict[str, Any]]:
        """Memory entries for sources like ``row.source`` (this segment's own entry left out)."""
        found = self.memory().fuzzy_lookup(
            row.source, self.pair(row.article), threshold=0.5, limit=limit + 1
        )
        own = f"review:{row.article}"
        return [
            {
                "source": m.source,
                "target": m.target,
                "percent": round(m.score * 100),
                "kind": m.kind,
                "reviewed": m.reviewed,
                "origin": m.origin,
            }
            for m in found
            if not (m.origin == own and m.unit_id == row.id)
        ][:limit]


# -- creation records ------------------------------------------------------------------------


def _load_report(path: Path) -> dict[str, Any]:
    raw = read_bytes(path, max_bytes=MAX_REPORT_BYTES, expected="a report JSON file")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"not a JSON report: {exc}", path=path) from exc
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise FormatError("not a transpipe report (no segments list)", path=path)
    for key in ("source_lang", "target_lang"):
        if not isinstance(data.get(key), str) or not _LANGUAGE.fullmatch(data[key]):
            raise FormatError(f"report without a valid {key}", path=path)
    for index, record in enumerate(data["segments"], start=1):
        if not isinstance(record, dict) or not all(
            isinstance(record.get(k), str) for k in ("id", "source", "target")
        ):
            raise FormatError(f"segment {index} lacks id, source or target", path=path)
    return data


def _props(unit: Unit | None) -> list[list[str]]:
    if unit is None:
        return []
    return [[k, v] for k, v in unit.props if k in ("x-newline-before", "x-origin")]


def _from_report(index: int, record: Mapping[str, Any], po: Mapping[str, Unit]) -> NewSegment:
    findings = [f for f in record.get("issues", []) if isinstance(f, dict)]
    audit = [a for a in record.get("term_audit", []) if isinstance(a, dict)]
    score = record.get("score")
    paragraph = record.get("paragraph", 0)
    return NewSegment(
        id=record["id"],
        n=index + 1,
        paragraph=paragraph if isinstance(paragraph, int) else 0,
        kind=str(record.get("kind", "sentence")),
        source=record["source"],
        mt=record["target"],
        score=float(score) if isinstance(score, int | float) else None,
        mt_status=str(record.get("status", "unscored")),
        props=_props(po.get(record["id"])),
        term_matches=[m for m in record.get("term_matches", []) if isinstance(m, dict)],
        audit=audit,
        findings=findings,
        po_target=record["target"],
        po_fuzzy=bool(record.get("fuzzy", False)),
    )


def _from_po(index: int, unit: Unit) -> NewSegment:
    findings = records.issue_records(unit.issues)
    return NewSegment(
        id=unit.id,
        n=index + 1,
        paragraph=unit.paragraph,
        kind=unit.kind.value,
        source=unit.source,
        mt=unit.target,
        score=unit.score.value if unit.score else None,
        mt_status=unit.score.status.value if unit.score else "unscored",
        props=_props(unit),
        audit=records.audit_records(unit.term_audit),
        findings=findings,
        po_target=unit.target,
        po_fuzzy=unit.fuzzy,
    )


# -- JSON shapes -----------------------------------------------------------------------------


def with_suggestions(
    current: list[dict[str, Any]], at_mt_time: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Audit records (re-verified, in the run's order) with the form to offer for each."""
    return [
        {**record, "suggestion": suggestion(record, at_mt_time[i] if i < len(at_mt_time) else None)}
        for i, record in enumerate(current)
    ]


def segment_json(row: SegmentRow) -> dict[str, Any]:
    """A segment as the API returns it (the list is built in SQL: ``store._SEGMENTS_JSON``)."""
    return {
        "id": row.id,
        "n": row.n,
        "paragraph": row.paragraph,
        "kind": row.kind,
        "source": row.source,
        "target": row.target,
        "mt": row.mt,
        "status": row.status,
        "mt_status": row.mt_status,
        "score": row.score,
        "findings": row.findings,
        "audit": row.audit,
        "term_matches": row.term_matches,
        "term_failures": row.term_failures,
        "version": row.version,
        "stats": EditStats(row.words_changed, row.mt_words, row.seconds).record(),
        "updated": row.updated,
    }
