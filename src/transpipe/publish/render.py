"""The published article as plain text, Markdown or HTML (chosen by the output's extension).

Owns the three renderings of an :class:`~transpipe.publish.article.Article`:

* ``.txt``: paragraphs separated by a blank line, hard line breaks kept, segments of a line
  joined by a space; UTF-8, LF, one final newline.
* ``.md``: the same, with the headline as ``# …``, hard line breaks as ``\\`` at the end of a
  line, and Markdown punctuation in the text escaped so it stays text.
* ``.html``: one self-contained page (``<h1>`` headline, ``<p>`` paragraphs, ``<br>`` line
  breaks); every piece of text HTML-escaped.

A draft (``unreviewed=True``, from ``--allow-unreviewed``) is marked visibly: a banner first
("Unreviewed draft: …" with the readiness counts), and every segment that is not ready is
marked in place: ``[unreviewed: …]``, ``[term failure: …]``, ``[untranslated: <source>]``
(``<mark>`` elements with the same words in HTML). Nothing is left out: an untranslated or
missing segment keeps its place, with its source text when it is known.
"""

from __future__ import annotations

import html
import re

from transpipe.errors import ConfigError
from transpipe.formats.review import ReviewState
from transpipe.publish.article import Article, Piece

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
FORMATS |= {".html": "html", ".htm": "html"}


def format_for(suffix: str) -> str:
    """``text``, ``markdown`` or ``html`` for an output file extension."""
    try:
        return FORMATS[suffix.lower()]
    except KeyError:
        raise ConfigError(
            f"cannot publish to {suffix or 'a file without extension'}",
            hint="use .txt, .md or .html",
        ) from None


def render_article(article: Article, fmt: str, *, unreviewed: bool) -> bytes:
    """The article in ``fmt`` (``text``, ``markdown``, ``html``) as UTF-8 bytes."""
    draft = unreviewed and not article.readiness.ready
    if fmt == "text":
        return _text(article, draft).encode("utf-8")
    if fmt == "markdown":
        return _markdown(article, draft).encode("utf-8")
    if fmt == "html":
        return _html(article, draft).encode("utf-8")
    raise ConfigError(f"unknown publish format {fmt!r}", hint="text, markdown or html")


def banner(article: Article) -> str:
    return f"Unreviewed draft, not for publication: {article.readiness.describe()}"


def marker(piece: Piece) -> str:
    """The label a draft puts on a segment that is not ready ('' when it is ready)."""
    if piece.missing:
        return "missing"
    if piece.state is ReviewState.UNTRANSLATED:
        return "untranslated"
    if piece.state in (ReviewState.FUZZY, ReviewState.MACHINE):
        return "unreviewed"
    if piece.term_failures:
        return "term failure"
    return ""


def _shown(piece: Piece) -> str:
    """What stands in the article for ``piece``: its translation, else its source or id."""
    if piece.state is ReviewState.UNTRANSLATED:
        return piece.source or piece.segment_id
    return piece.text


def _plain_piece(piece: Piece, draft: bool) -> str:
    label = marker(piece) if draft else ""
    return f"[{label}: {_shown(piece)}]" if label else _shown(piece)


def _text(article: Article, draft: bool) -> str:
    blocks = [
        "\n".join(" ".join(_plain_piece(p, draft) for p in line) for line in block.lines)
        for block in article.blocks
    ]
    if draft:
        blocks.insert(0, f"[{banner(article)}]")
    return "\n\n".join(blocks) + "\n" if blocks else ""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)")


def _md_escape(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _markdown(article: Article, draft: bool) -> str:
    blocks = []
    for index, block in enumerate(article.blocks):
        lines = [_md_escape(" ".join(_plain_piece(p, draft) for p in line)) for line in block.lines]
        if index == 0 and article.has_headline:
            blocks.append("# " + lines[0])
        else:
            blocks.append("\\\n".join(lines))
    if draft:
        blocks.insert(0, f"> **{_md_escape(banner(article))}**")
    return "\n\n".join(blocks) + "\n" if blocks else ""


_CSS = (
    "body{font-family:Georgia,'Times New Roman',serif;max-width:42em;margin:2em auto;"
    "padding:0 1em;line-height:1.5;color:#222}"
    ".draft-banner{font-family:system-ui,sans-serif;background:#fff3cd;border:2px solid #c62828;"
    "padding:.6em 1em;font-weight:bold}"
    "mark{padding:0 .15em}mark.unreviewed{background:#ffe08a}mark.term-failure{background:#ffcdd2}"
    "mark.untranslated,mark.missing{background:#e0e0e0}"
    "mark::before{content:'[' attr(data-label) '] ';font:bold .75em system-ui,sans-serif}"
)


def _html_piece(piece: Piece, draft: bool) -> str:
    label = marker(piece) if draft else ""
    text = html.escape(_shown(piece))
    if not label:
        return text
    lang = ""
    if piece.state is ReviewState.UNTRANSLATED and piece.source:
        lang = ' data-source="yes"'
    return (
        f'<mark class="{label.replace(" ", "-")}" data-label="{label}"'
        f' data-segment="{html.escape(piece.segment_id)}"{lang}>{text}</mark>'
    )


def _html(article: Article, draft: bool) -> str:
    parts = []
    title = article.name
    for index, block in enumerate(article.blocks):
        lines = [" ".join(_html_piece(p, draft) for p in line) for line in block.lines]
        if index == 0 and article.has_headline:
            title = " ".join(_shown(p) for p in block.pieces)
            parts.append(f"<h1>{lines[0]}</h1>")
        else:
            parts.append("<p>" + "<br>\n".join(lines) + "</p>")
    if draft:
        parts.insert(0, f'<p class="draft-banner" role="alert">{html.escape(banner(article))}</p>')
    lang = html.escape(article.lang)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="generator" content="transpipe publish">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f'<body data-draft="{"yes" if draft else "no"}"><article>\n'
        + "\n".join(parts)
        + "\n</article></body></html>\n"
    )
