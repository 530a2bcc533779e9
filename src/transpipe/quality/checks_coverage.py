"""Omissions and additions: source content without a counterpart in the translation, and the
reverse.

Owns the ``omission`` and ``addition`` checks. Both read the word support of
``transpipe.quality.coverage`` (each content word's best cross-lingual cosine with the words of
the other side) and report the *runs* of consecutive words whose support stays low: a dropped
clause («задач Организации в интересах укрепления региональной и») on the source side, an
inserted sentence on the target side. One low word is no finding (a free rendering, an idiom);
a run of ``RUN_WORDS`` words whose mean support is under ``RUN_SUPPORT`` is. The span of the
finding covers the run, in the source (``side="source"``) for an omission and in the
translation for an addition, so the report highlights it and PO/TMX notes quote it.
Thresholds were chosen on newstest2021 references with injected faults (``docs/quality.md``).
"""

from __future__ import annotations

from collections.abc import Iterable

from transpipe.model import Issue, Severity, Span
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.coverage import SideCoverage, coverage

RUN_WORDS = 3  # words in the sliding run whose mean support is judged
RUN_SUPPORT = 0.30  # a run with a lower mean support has no counterpart on the other side
MIN_WORDS = 5  # sides with fewer content words are not judged (headlines, names)
_QUOTE_CHARS = 60


def gaps(side: SideCoverage) -> list[Span]:
    """Character spans of the runs of words without a counterpart (merged when they touch)."""
    if len(side.spans) < MIN_WORDS:
        return []
    means = side.window_support(RUN_WORDS)
    spans: list[Span] = []
    for first, mean in enumerate(means):
        if mean >= RUN_SUPPORT:
            continue
        start = side.spans[first][0]
        end = side.spans[min(first + RUN_WORDS, len(side.spans)) - 1][1]
        if spans and start <= spans[-1].end + 1:
            spans[-1] = Span(spans[-1].start, max(spans[-1].end, end))
        else:
            spans.append(Span(start, end))
    return spans


def _quote(text: str, span: Span) -> str:
    words = text[span.start : span.end]
    return words if len(words) <= _QUOTE_CHARS else words[: _QUOTE_CHARS - 1] + "…"


def check_omission(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    if not ctx.source.strip() or not ctx.target.strip():
        return []
    found = coverage([ctx.source], [ctx.target])[0]
    return [
        Issue(
            "omission",
            Severity.MAJOR,
            f"{_quote(ctx.source, span)!r} has no counterpart in the translation",
            span,
            side="source",
        )
        for span in gaps(found.source)
    ]


def check_addition(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    if not ctx.source.strip() or not ctx.target.strip():
        return []
    found = coverage([ctx.source], [ctx.target])[0]
    return [
        Issue(
            "addition",
            Severity.MAJOR,
            f"{_quote(ctx.target, span)!r} is not in the source",
            span,
        )
        for span in gaps(found.target)
    ]
