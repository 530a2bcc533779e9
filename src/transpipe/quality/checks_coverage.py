"""Omissions and additions: source content without a counterpart in the translation, and the
reverse.

Owns the ``omission`` and ``addition`` checks. Evidence (``detector_features``): the word
support of ``transpipe.quality.coverage`` on the judged side (each content word's best
cross-lingual cosine with the other side's words: mean, 10% quantile, weakest run of 3 and of 4
words, share of words under 0.2), the sentence-embedding cosine, how much shorter (omission) or
longer (addition) the translation is than the language pair's expected length ratio, and the
number of words. A logistic detector per check and language pair, fitted by
``scripts/train_qe.py`` on newstest2021 references with the benchmark's injected faults (drop a
contiguous 30-50% of the words; insert another sentence), fires above a threshold chosen for a
1.25% false-alarm rate on that pair's clean references; weights and thresholds are in
``quality/data/qe-model.json``. Words of glossary terms matched on both sides count as covered.

The finding's span is the weakest run of ``RUN_WORDS`` words on the judged side: in the source
(``side="source"``) for an omission, in the translation for an addition, so the report
highlights it and PO/TMX notes quote it. Sides with fewer than ``MIN_WORDS`` content words are
not judged (headlines, names).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from transpipe.model import Issue, LanguagePair, Severity, Span
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.checks_text import EXPECTED_LENGTH_RATIO
from transpipe.quality.coverage import Coverage, SideCoverage, coverage
from transpipe.terms.phrases import STOPWORDS

RUN_WORDS = 4  # the reported span: the weakest run of this many words
MIN_WORDS = 4  # content words (stop words left out) a judged side needs
UNSUPPORTED = 0.2  # a word's support under this counts as unsupported
DETECTOR_FEATURES = (
    "length_shortfall",  # omission: how much shorter than expected (log); addition: longer
    "support_mean",
    "support_q10",
    "support_run3_min",
    "support_run4_min",
    "similarity",
    "unsupported_share",
    "log_words",
)
_QUOTE_CHARS = 60
_EDGE = ".,;:!?\"'«»“”()[]—–-…"


def content_side(text: str, lang: str, side: SideCoverage) -> SideCoverage:
    """``side`` without its stop words ("the", "of", "в", "и"): they rarely have a
    counterpart of their own, so their low support is no evidence of a gap."""
    stop = STOPWORDS.get(lang, frozenset())
    keep = [i for i, (a, b) in enumerate(side.spans) if text[a:b].strip(_EDGE).lower() not in stop]
    return SideCoverage(tuple(side.spans[i] for i in keep), side.support[keep])


def detector_key(kind: str, pair: LanguagePair) -> str:
    """Name of the ``kind`` check's detector for ``pair`` in the model file."""
    return f"{kind} {pair.source}-{pair.target}"


def judged_side(
    source: str, target: str, pair: LanguagePair, found: Coverage, kind: str
) -> SideCoverage | None:
    """The content words the ``kind`` check judges (the source's for an omission, the
    translation's for an addition), or ``None`` when that side has fewer than ``MIN_WORDS``
    content words (headlines, names: too little to judge)."""
    if kind == "omission":
        side = content_side(source, pair.source, found.source)
    else:
        side = content_side(target, pair.target, found.target)
    return side if len(side.spans) >= MIN_WORDS else None


def detector_features(
    source: str, target: str, pair: LanguagePair, side: SideCoverage, similarity: float, kind: str
) -> list[float]:
    """The ``DETECTOR_FEATURES`` of the judged side (``judged_side``) of a pair."""
    expected = EXPECTED_LENGTH_RATIO.get((pair.source, pair.target), 1.0)
    deviation = math.log((len(target) + 1) / (len(source) * expected + 1))
    support = side.support
    return [
        -deviation if kind == "omission" else deviation,
        float(support.mean()),
        float(np.quantile(support, 0.1)),
        float(side.window_support(3).min()),
        float(side.window_support(4).min()),
        similarity,
        float(np.mean(support < UNSUPPORTED)),
        math.log(len(support) + 1),
    ]


def weakest_run(side: SideCoverage) -> Span:
    """Character span of the run of ``RUN_WORDS`` words with the lowest mean support."""
    means = side.window_support(RUN_WORDS)
    first = int(np.argmin(means))
    last = min(first + RUN_WORDS, len(side.spans)) - 1
    return Span(side.spans[first][0], side.spans[last][1])


def _find(ctx: CheckContext, kind: str) -> list[Issue]:
    from transpipe.quality.qe_model import load_model

    if not ctx.source.strip() or not ctx.target.strip():
        return []
    detector = load_model().detectors.get(detector_key(kind, ctx.pair))
    if detector is None:
        return []
    found = coverage([ctx.source], [ctx.target])[0]
    side = judged_side(ctx.source, ctx.target, ctx.pair, found, kind)
    if side is None:
        return []
    side = _glossary_supported(side, ctx, kind)
    row = detector_features(ctx.source, ctx.target, ctx.pair, side, found.similarity, kind)
    if float(detector.score(np.array([row]))[0]) <= detector.threshold:
        return []
    span = weakest_run(side)
    if kind == "omission":
        text = ctx.source[span.start : span.end]
        message = f"the translation may leave out {_quote(text)!r} (or more)"
        return [Issue("omission", Severity.MAJOR, message, span, side="source")]
    text = ctx.target[span.start : span.end]
    message = f"{_quote(text)!r} may not be in the source (an addition?)"
    return [Issue("addition", Severity.MAJOR, message, span)]


def _glossary_supported(side: SideCoverage, ctx: CheckContext, kind: str) -> SideCoverage:
    """``side`` with full support for the words of glossary terms whose concept is matched on
    both sides ("ОДКБ" and "Collective Security Treaty Organisation" are counterparts)."""
    judged, other = (
        (ctx.source_terms, ctx.target_terms)
        if kind == "omission"
        else (ctx.target_terms, ctx.source_terms)
    )
    shared = {m.concept_id for m in other or ()}
    spans = [m.span for m in judged or () if m.concept_id in shared]
    if not spans:
        return side
    support = side.support.copy()
    for i, (start, end) in enumerate(side.spans):
        if any(start < span.end and span.start < end for span in spans):
            support[i] = 1.0
    return SideCoverage(side.spans, support)


def _quote(text: str) -> str:
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + "…"


def check_omission(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    return _find(ctx, "omission")


def check_addition(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    return _find(ctx, "addition")
