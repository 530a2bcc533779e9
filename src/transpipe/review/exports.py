"""What leaves a review project: reviewed PO, XLIFF, TMX, a report with post-editing
statistics, and the published article.

Owns the reviewed ``Bitext`` of an article (approved segments carry ``x-review: reviewed``,
every other one is fuzzy; the current findings and term audit; a ``#.`` note with the
segment's post-editing statistics; the MT's score only while the text is still the MT's),
its exports through the
registered writers, and publishing through :mod:`transpipe.publish` with its readiness gate
into ``<dir>/published/``, the only place the review server writes besides its store and
memory. An existing published file is kept unless ``force`` (the no-clobber rule of
:mod:`transpipe.outputs.rule`, with a numbered backup).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from transpipe.errors import ConfigError
from transpipe.formats.annotations import REVIEW
from transpipe.formats.review import REVIEWED
from transpipe.model import Bitext, LanguagePair, Score, SegmentKind, SegmentStatus, Unit
from transpipe.review import records
from transpipe.review.stats import EditStats, article_stats
from transpipe.review.store import ArticleRow, SegmentRow
from transpipe.terms import CompiledGlossary

PUBLISHED_DIR = "published"
EXPORTS = {
    "po": (".reviewed.po", "text/x-gettext-translation; charset=utf-8"),
    "xliff": (".reviewed.xlf", "application/xliff+xml"),
    "tmx": (".reviewed.tmx", "application/x-tmx+xml"),
    "report-json": (".reviewed.report.json", "application/json"),
    "report-html": (".reviewed.report.html", "text/html; charset=utf-8"),
}
PUBLISH_FORMATS = {"txt": "text", "md": "markdown", "html": "html"}


def _stats(row: SegmentRow) -> EditStats:
    return EditStats(row.words_changed, row.mt_words, row.seconds)


def _unit(row: SegmentRow) -> Unit:
    stats = _stats(row)
    score = None
    if (
        row.target == row.mt
        and row.score is not None
        and row.mt_status in {s.value for s in SegmentStatus}
    ):
        score = Score(row.score, SegmentStatus(row.mt_status))
    kinds = {k.value: k for k in SegmentKind}
    approval = ((REVIEW, REVIEWED),) if row.status == "approved" else ()
    return Unit(
        id=row.id,
        source=row.source,
        target=row.target,
        paragraph=row.paragraph,
        kind=kinds.get(row.kind, SegmentKind.SENTENCE),
        fuzzy=row.status != "approved",
        notes=(stats.note(),) if stats.distance or stats.seconds else (),
        props=(*((str(k), str(v)) for k, v in row.props), *approval),
        term_matches=tuple(records.term_match(m) for m in row.term_matches),
        term_audit=tuple(records.term_audit(a) for a in row.audit),
        issues=tuple(records.issue(f) for f in row.findings),
        score=score,
    )


def reviewed_bitext(article: ArticleRow, rows: list[SegmentRow], created: str) -> Bitext:
    return Bitext(
        name=article.name,
        pair=LanguagePair(article.source_lang, article.target_lang),
        units=tuple(_unit(row) for row in rows),
        created=created,
    )


def post_editing(rows: list[SegmentRow]) -> dict[str, float | int]:
    return article_stats(_stats(row) for row in rows)


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    data: bytes


def export(article: ArticleRow, rows: list[SegmentRow], fmt: str, created: str) -> Export:
    """The article in ``fmt`` (a key of :data:`EXPORTS`)."""
    if fmt not in EXPORTS:
        raise ConfigError(f"unknown export format {fmt!r}", hint=", ".join(EXPORTS))
    suffix, media_type = EXPORTS[fmt]
    bitext = reviewed_bitext(article, rows, created)
    stream = io.BytesIO()
    _writer(fmt, article, rows)(bitext, stream)
    return Export(article.name + suffix, media_type, stream.getvalue())


def _writer(fmt: str, article: ArticleRow, rows: list[SegmentRow]) -> Any:
    if fmt == "po":
        from transpipe.formats.po import write_po

        return write_po
    if fmt == "xliff":
        from transpipe.formats.xliff import write_xliff

        return partial(write_xliff, version="1.2")
    if fmt == "tmx":
        from transpipe.formats.tmx import write_tmx

        return write_tmx
    return partial(_write_report, fmt=fmt, article=article, rows=rows)


def _write_report(
    bitext: Bitext, stream: BinaryIO, *, fmt: str, article: ArticleRow, rows: list[SegmentRow]
) -> None:
    from transpipe.report import Report, write_report_html, write_report_json

    run = {str(k): str(v) for k, v in article.run.items() if not isinstance(v, dict | list)}
    edits = {f"review_{k}": str(v) for k, v in post_editing(rows).items()}
    report = Report(bitext, source_name=article.source_name, extra={**run, **edits})
    (write_report_json if fmt == "report-json" else write_report_html)(report, stream)


@dataclass(frozen=True)
class Published:
    """The outcome of publishing from the page: the file written, or why not."""

    readiness: dict[str, Any]
    path: Path | None = None
    refused: str = ""


def publish(
    directory: Path,
    article: ArticleRow,
    rows: list[SegmentRow],
    *,
    fmt: str,
    allow_unreviewed: bool,
    force: bool,
    terms: CompiledGlossary | None,
    created: str,
) -> Published:
    """Publish the article into ``<directory>/published/`` through the readiness gate."""
    from transpipe.inputs import read_text
    from transpipe.outputs.single import write_output
    from transpipe.publish import prepare_article
    from transpipe.publish.render import render_article
    from transpipe.publish.sources import find_source_article
    from transpipe.segment import segment_text

    if fmt not in PUBLISH_FORMATS:
        raise ConfigError(f"unknown publish format {fmt!r}", hint=", ".join(PUBLISH_FORMATS))
    bitext = reviewed_bitext(article, rows, created)
    document = None
    source = find_source_article(
        directory / f"{article.name}.po", article.name, article.source_lang
    )
    if source is not None:
        document = segment_text(read_text(source), article.source_lang, article.name)
    prepared, leftovers = prepare_article(
        bitext.units, name=article.name, pair=bitext.pair, document=document, terms=terms
    )
    if leftovers:
        prepared, _ = prepare_article(
            bitext.units, name=article.name, pair=bitext.pair, terms=terms
        )
    readiness = prepared.readiness
    summary = {
        "approved": readiness.approved,
        "reviewed": readiness.reviewed,
        "machine": readiness.machine,
        "fuzzy": readiness.fuzzy,
        "untranslated": readiness.untranslated,
        "term_failures": readiness.term_failures,
        "ready": readiness.ready,
        "line": readiness.describe(),
    }
    if not readiness.ready and not allow_unreviewed:
        return Published(summary, refused=f"not ready to publish: {readiness.describe()}")
    data = render_article(prepared, PUBLISH_FORMATS[fmt], unreviewed=allow_unreviewed)
    target = directory / PUBLISHED_DIR / f"{article.name}.{article.target_lang}.{fmt}"
    write_output(target, lambda stream: stream.write(data), force=force)
    return Published(summary, path=target)
