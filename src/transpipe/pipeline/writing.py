"""The files of one translated article: their names and how each is rendered.

Owns what ``translate`` and ``batch`` write per article: ``<name>.tmx`` (the units a CAT tool
may reuse: :func:`transpipe.formats.review.reusable`, scored at least ``min_score``),
``<name>.po`` (every segment), ``<name>.<to>.txt`` (the draft text), ``<name>.report.json`` and
``<name>.report.html``, rendered from a :class:`~transpipe.pipeline.TranslationRun` by the
format and report writers, and committed all-or-nothing through
:class:`transpipe.outputs.OutputSet`. ``batch`` renders in its worker processes
(:func:`render_article`) and commits the bytes in the coordinator (:func:`commit_rendered`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, BinaryIO

from transpipe.model import LanguagePair

if TYPE_CHECKING:
    from transpipe.formats.review import LeftOut
    from transpipe.outputs import OutputSet
    from transpipe.outputs.files import Render
    from transpipe.pipeline.runner import TranslationRun


def article_file_names(name: str, pair: LanguagePair) -> list[str]:
    """The files of article ``name``, in the order :func:`article_renderers` renders them."""
    suffixes = ("tmx", "po", f"{pair.target}.txt", "report.json", "report.html")
    return [f"{name}.{suffix}" for suffix in suffixes]


def article_renderers(
    result: TranslationRun, names: list[str], min_score: float
) -> tuple[dict[str, Render], LeftOut]:
    """One writer per file of :func:`article_file_names` (``names``, in that order), and the
    units the TMX leaves out."""
    from transpipe.formats.po import write_po
    from transpipe.formats.review import reusable
    from transpipe.formats.text import write_draft_text
    from transpipe.formats.tmx import write_tmx
    from transpipe.report import write_report_html, write_report_json

    bitext = result.bitext
    report = result.report
    memory, left_out = reusable(bitext, min_score)
    tmx, po, text, json_report, html_report = names
    renderers: dict[str, Render] = {
        tmx: lambda s: write_tmx(memory, s),
        po: lambda s: write_po(bitext, s),
        text: lambda s: write_draft_text(bitext, s),
        json_report: lambda s: write_report_json(report, s),
        html_report: lambda s: write_report_html(report, s),
    }
    return renderers, left_out


def write_article(
    result: TranslationRun, outputs: OutputSet, min_score: float, *, force: bool
) -> LeftOut:
    """Commit the article's files all-or-nothing; returns what the TMX left out."""
    renderers, left_out = article_renderers(result, list(outputs.names), min_score)
    outputs.commit(renderers, force=force)
    return left_out


def render_article(result: TranslationRun, names: list[str], min_score: float) -> dict[str, bytes]:
    """The bytes of each file, rendered in memory (committed later by :func:`commit_rendered`)."""
    renderers, _ = article_renderers(result, names, min_score)
    rendered: dict[str, bytes] = {}
    for name, render in renderers.items():
        buffer = io.BytesIO()
        render(buffer)
        rendered[name] = buffer.getvalue()
    return rendered


def commit_rendered(rendered: Mapping[str, bytes], outputs: OutputSet, *, force: bool) -> None:
    """Commit files rendered by :func:`render_article` all-or-nothing."""
    renders: dict[str, Render] = {name: _writer(data) for name, data in rendered.items()}
    outputs.commit(renders, force=force)


def _writer(data: bytes) -> Render:
    def write(stream: BinaryIO) -> None:
        stream.write(data)

    return write
