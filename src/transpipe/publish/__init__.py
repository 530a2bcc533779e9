"""Publishing: a reviewed translation becomes the article an editor puts online.

Public API::

    article, leftovers = prepare_article(units, name=..., pair=..., document=None, glossary=None)
    article.readiness.line()    # "12 approved, 1 fuzzy, 0 untranslated, 2 term failures"
    data = publish_bytes(article, "html", allow_unreviewed=False, origin="x.po")

``prepare_article`` judges every unit (review state, term failures on the current text) and
lays the article out from the source ``document`` when given, else from the segment ids;
``publish_bytes`` refuses an article that is not ready unless ``allow_unreviewed`` (which
marks the output as a draft). Modules: ``readiness`` (the gate), ``article`` (structure),
``render`` (text, Markdown, HTML), ``sources`` (reading PO/XLIFF/TMX or the memory).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from transpipe.errors import InputError
from transpipe.model import Document, LanguagePair, Unit
from transpipe.publish.article import Article, Judge, layout_by_ids, layout_by_source
from transpipe.publish.readiness import (
    TERMS_ONLY,
    Readiness,
    SegmentState,
    check_segment,
    segment_state,
)
from transpipe.publish.render import format_for, render_article

__all__ = [
    "Article",
    "Readiness",
    "SegmentState",
    "format_for",
    "judge",
    "prepare_article",
    "publish_bytes",
]


def judge(pair: LanguagePair, glossary: object | None = None) -> Judge:
    """A function giving each unit its review state and term failures on its current text."""

    def verdict(unit: Unit) -> tuple[SegmentState, int]:
        state = segment_state(unit)
        if state is SegmentState.UNTRANSLATED:
            return state, 0
        checked = check_segment(
            unit.source,
            unit.target,
            pair,
            term_matches=unit.term_matches,
            term_audit=unit.term_audit,
            props=unit.props,
            glossary=glossary,
            config=TERMS_ONLY,
        )
        return state, checked.term_failures

    return verdict


def prepare_article(
    units: Sequence[Unit],
    *,
    name: str,
    pair: LanguagePair,
    document: Document | None = None,
    glossary: object | None = None,
) -> tuple[Article, tuple[Unit, ...]]:
    """The article and, when laid out from ``document``, the units it does not contain."""
    verdict = judge(pair, glossary)
    if document is not None:
        return layout_by_source(document, units, verdict, lang=pair.target)
    article = layout_by_ids(name, units, verdict, lang=pair.target, source_lang=pair.source)
    return article, ()


def publish_bytes(
    article: Article, fmt: str, *, allow_unreviewed: bool, origin: str | Path
) -> bytes:
    """The rendered article; an article that is not ready is refused unless allowed."""
    readiness = article.readiness
    if not readiness.ready and not allow_unreviewed:
        raise InputError(
            f"not ready to publish: {readiness.line()}",
            path=origin,
            hint="review the remaining segments, or pass --allow-unreviewed for a marked draft",
        )
    return render_article(article, fmt, unreviewed=allow_unreviewed)
