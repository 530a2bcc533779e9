"""Typography of the translation: quotes, dashes, spaces before punctuation, ё consistency.

Owns the house rules of Russian (``«»`` quotes, an em dash — not a hyphen — between words,
no space before ``, . ; : ! ?``, ``ё`` used consistently within a document) and English
(no ``«»`` quotes, no space before punctuation) typography. All findings are MINOR by default:
they matter to an editor, not to meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from transpipe.model import Issue, Severity, Span
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.scripts import blank_out, protected_spans, words

_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[^\s.,;:!?…])[ \u00a0]+([,;:!?]|\.(?!\.|\d))")
_SPACED_HYPHEN = re.compile(r"(?<=[\w\"»)])[ \u00a0]+(-{1,2})[ \u00a0]+(?=\w)")
_STRAIGHT_QUOTES = re.compile(r"\"[^\"]+\"")
_ENGLISH_QUOTES = re.compile(r"“[^”]+”")
_GUILLEMETS = re.compile(r"[«»„]")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")


def _issue(message: str, start: int, end: int, severity: Severity = Severity.MINOR) -> Issue:
    return Issue("typography", severity, message, Span(start, end))


def check_typography(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    text = blank_out(ctx.target, protected_spans(ctx.target))
    issues = []
    for m in _SPACE_BEFORE_PUNCT.finditer(text):
        issues.append(_issue(f"space before {m.group(1)!r}", m.start(), m.end()))
    for m in _DOUBLE_SPACE.finditer(text):
        issues.append(_issue("double space", m.start(), m.end(), Severity.INFO))
    if ctx.pair.target == "ru":
        for m in _SPACED_HYPHEN.finditer(text):
            issues.append(_issue("hyphen between words: use a dash (—)", m.start(1), m.end(1)))
        for m in _STRAIGHT_QUOTES.finditer(text):
            issues.append(_issue('straight quotes "…": use «…»', m.start(), m.end()))
        for m in _ENGLISH_QUOTES.finditer(text):
            issues.append(_issue("English quotes “…”: use «…»", m.start(), m.end()))
        issues.extend(_yo_within(text))
    elif ctx.pair.target == "en":
        for m in _GUILLEMETS.finditer(text):
            issues.append(
                _issue(f"Russian quote mark {m.group()!r} in English text", m.start(), m.end())
            )
    return issues


# words whose е and ё spellings are different words: never a consistency finding
YO_HOMOGRAPHS = frozenset(
    {
        "все",
        "небо",
        "осел",
        "лен",
        "мел",
        "падеж",
        "совершенный",
        "узнаем",
        "признаем",
        "берет",
        "слез",
        "передохнуть",
        "сел",
        "вел",
        "лет",
    }
)


def _yo_within(text: str) -> list[Issue]:
    with_yo = {w.text.lower() for w in words(text) if "ё" in w.text.lower()}
    if not with_yo:
        return []
    plain = {w.replace("ё", "е") for w in with_yo} - YO_HOMOGRAPHS
    return [
        _issue(f"{w.text!r} without ё, elsewhere written with ё", w.start, w.end)
        for w in words(text)
        if "ё" not in w.text.lower() and w.text.lower() in plain
    ]


def check_yo_document(targets: Sequence[str], config: ChecksConfig) -> list[list[Issue]]:
    """ё consistency across a document: a word written with ё in another segment, е here.

    Both spellings inside one segment are a ``typography`` finding already.
    """
    per_segment = [{w.text.lower() for w in words(t) if "ё" in w.text.lower()} for t in targets]
    counts: dict[str, int] = {}
    for forms in per_segment:
        for form in forms:
            counts[form] = counts.get(form, 0) + 1
    out: list[list[Issue]] = []
    for target, own in zip(targets, per_segment, strict=True):
        elsewhere = {
            f.replace("ё", "е"): f
            for f, n in counts.items()
            if n > (f in own) and f.replace("ё", "е") not in YO_HOMOGRAPHS
        }
        found = []
        for w in words(target):
            lower = w.text.lower()
            if "ё" not in lower and lower in elsewhere and elsewhere[lower] not in own:
                found.append(
                    Issue(
                        "yo_consistency",
                        Severity.MINOR,
                        f"{w.text!r} is written {elsewhere[lower]!r} elsewhere in the document",
                        Span(w.start, w.end),
                    )
                )
        out.append(found)
    return out
