"""The files of one translated article: their names and how each is rendered.

Owns what ``translate`` and ``batch`` write per article: ``<name>.tmx``, ``<name>.po``,
``<name>.<to>.txt``, ``<name>.report.json`` and ``<name>.report.html``, rendered from a
:class:`~transpipe.pipeline.TranslationRun` by the format and report writers, and committed
all-or-nothing through :class:`transpipe.outputs.OutputSet`. ``batch`` renders in its worker
processes (:func:`render_article`) and commits the bytes in the coordinator.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from transpipe.model import LanguagePair

if TYPE_CHECKING:
    from transpipe.outputs import OutputSet
    from transpipe.outputs.files import Render
    from transpipe.pipeline.runner import TranslationRun


def article_file_names(name: str, pair: LanguagePair) -> list[str]:
    """The files of article ``name``, in the order :func:`article_renderers` renders them."""
    suffixes = ("tmx", "po", f"{pair.target}.txt", "report.json", "report.html")
    return [f"{name}.{suffix}" for suffix in suffixes]


def article_renderers(result: TranslationRun, names: list[str]) -> dict[str, Render]:
    """One writer per file of :func:`article_file_names` (``names``, in that order)."""
    from transpipe.formats.po import write_po
    from transpipe.formats.text import write_translated_text
    from transpipe.formats.tmx import write_tmx
    from transpipe.report import write_report_html, write_report_json

    bitext = result.bitext
    report = result.report
    tmx, po, text, json_report, html_report = names
    return {
        tmx: lambda s: write_tmx(bitext, s),
        po: lambda s: write_po(bitext, s),
        text: lambda s: write_translated_text(bitext, s),
        json_report: lambda s: write_report_json(report, s),
        html_report: lambda s: write_report_html(report, s),
    }


def write_article(result: TranslationRun, outputs: OutputSet, *, force: bool) -> list[Path]:
    """Commit the article's files all-or-nothing; returns their paths."""
    outputs.commit(article_renderers(result, list(outputs.names)), force=force)
    return outputs.paths


def render_article(result: TranslationRun, names: list[str]) -> dict[str, bytes]:
    """The bytes of each file, rendered in memory (committed later by :func:`commit_rendered`)."""
    rendered: dict[str, bytes] = {}
    for name, render in article_renderers(result, names).items():
        buffer = io.BytesIO()
        render(buffer)
        rendered[name] = buffer.getvalue()
    return rendered


def commit_rendered(
    rendered: Mapping[str, bytes], outputs: OutputSet, *, force: bool
) -> list[Path]:
    """Commit files rendered by :func:`render_article` all-or-nothing; returns their paths."""
    renders: dict[str, Render] = {name: _writer(data) for name, data in rendered.items()}
    outputs.commit(renders, force=force)
    return outputs.paths


def _writer(data: bytes) -> Render:
    def write(stream: BinaryIO) -> None:
        stream.write(data)

    return write
