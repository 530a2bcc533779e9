"""Sentence segmentation for Russian and English news text (public API of the package).

Owns the entry points other stages use: ``segment_text`` (a whole text into a ``Document`` of
paragraphs and sentences with offsets into the original text), ``split_sentences`` (one
paragraph into spans), the ``Segmenter`` protocol and the data-driven ``RuleSegmenter``.
SRX 2.0 import/export lives in ``transpipe.segment.srx``.
"""

from __future__ import annotations

from functools import cache

from transpipe.model import Document, Span
from transpipe.segment.rules import LanguageRules, load_rules, rules_from_file
from transpipe.segment.segmenter import RuleSegmenter, Segmenter, build_document

__all__ = [
    "LanguageRules",
    "RuleSegmenter",
    "Segmenter",
    "build_document",
    "load_rules",
    "rules_from_file",
    "segment_text",
    "split_sentences",
]


@cache
def _segmenter(lang: str) -> RuleSegmenter:
    return RuleSegmenter(lang)


def segment_text(text: str, lang: str, name: str = "doc") -> Document:
    """Paragraphs (split at blank lines) and sentences of ``text``, ids ``name:pN:sM``."""
    return _segmenter(lang).segment(text, name)


def split_sentences(text: str, lang: str) -> list[Span]:
    """Sentence spans of one paragraph, as offsets into ``text``."""
    return _segmenter(lang).split(text)
