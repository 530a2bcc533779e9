"""Publishing: a reviewed translation becomes the article an editor puts online.

Public API::

    article, leftovers = prepare_article(units, name=..., pair=..., document=None, terms=None)
    article.readiness.describe()  # "12 approved (9 reviewed, 3 machine), 1 fuzzy, ..."
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
from transpipe.formats.review import Readiness, ReviewState, review_state
from transpipe.model import Document, LanguagePair, Unit
from transpipe.publish.article import Article, Judge, layout_by_ids, layout_by_source
from transpipe.publish.readiness import TERMS_ONLY, check_segment
from transpipe.publish.render import format_for, render_article
from transpipe.terms import CompiledGlossary

__all__ = [
    "Article",
    "Readiness",
    "format_for",
    "judge",
    "prepare_article",
    "publish_bytes",
]


def judge(pair: LanguagePair, terms: CompiledGlossary | None = None) -> Judge:
    """A function giving each unit its review state and term failures on its current text."""

    def verdict(unit: Unit) -> tuple[ReviewState, int]:
        state = review_state(unit)
        if state is ReviewState.UNTRANSLATED:
            return state, 0
        checked = check_segment(
            unit.source,
            unit.target,
            pair,
            term_matches=unit.term_matches,
            term_audit=unit.term_audit,
            props=unit.props,
            terms=terms,
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
    terms: CompiledGlossary | None = None,
) -> tuple[Article, tuple[Unit, ...]]:
    """The article and, when laid out from ``document``, the units it does not contain."""
    verdict = judge(pair, terms)
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
            f"not ready to publish: {readiness.describe()}",
            path=origin,
            hint="review the remaining segments, or pass --allow-unreviewed for a marked draft",
        )
    return render_article(article, fmt, unreviewed=allow_unreviewed)
