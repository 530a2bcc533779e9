"""Reference-based metrics with sacrebleu: BLEU, chrF, chrF++ and TER, corpus and per segment.

Owns the choice of metric settings and keeps sacrebleu's signature string with every corpus
score so numbers can be compared across runs. Tokenisation: BLEU uses ``13a`` (the WMT
standard) for English targets and ``intl`` for Russian targets, because ``13a`` does not split
off Unicode punctuation such as ``«»`` and ``—`` that Russian news uses; chrF/chrF++ work on
characters and need no tokeniser; TER runs with its defaults (case-sensitive, no
normalisation). See ``docs/quality.md``.

Bounded work: sacrebleu's cost grows faster than the length of a segment (TER's shift search
explodes beyond a few hundred words; the character n-gram tables of a 5 MB line take
gigabytes). A segment longer than ``WINDOW_CHARS`` (``TER_WINDOW_CHARS`` for TER) is therefore
scored as aligned windows of at most that many characters (cut at proportional positions, moved
to a space nearby) whose statistics add up like a small corpus; sentences are far shorter and
are scored exactly as sacrebleu scores them. TER is not computed at all for a segment longer
than ``TER_MAX_CHARS``: its value is ``None`` and the corpus TER leaves it out (counted in
``ter_skipped``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

BLEU_TOKENIZE = {"en": "13a", "ru": "intl"}
WINDOW_CHARS = 4_000
TER_WINDOW_CHARS = 1_000
TER_MAX_CHARS = 10_000
_SNAP = 100  # how far a window cut may move to land on a space


def _reference_streams(
    references: Sequence[Sequence[str]] | Sequence[str], n: int
) -> list[list[str]]:
    if len(references) and isinstance(references[0], str):
        streams = [[str(r) for r in references]]
    else:
        streams = [list(stream) for stream in references]
    if not streams:
        raise ValueError("at least one reference is needed")
    for i, stream in enumerate(streams, 1):
        if len(stream) != n:
            raise ValueError(f"reference {i} has {len(stream)} segments, hypotheses have {n}")
    return streams


def split_evenly(text: str, parts: int) -> list[str]:
    """``text`` cut into ``parts`` pieces of about equal length, each cut moved to a space
    within ``_SNAP`` characters when there is one."""
    cuts = [0]
    for k in range(1, parts):
        at = max(cuts[-1], len(text) * k // parts)
        space = text.rfind(" ", max(cuts[-1], at - _SNAP), at + 1)
        if space < 0:
            space = text.find(" ", at, at + _SNAP)
        cuts.append(space if space > cuts[-1] else at)
    cuts.append(len(text))
    return [text[a:b] for a, b in pairwise(cuts)]


def windows(
    hypothesis: str, references: Sequence[str], size: int = WINDOW_CHARS
) -> list[tuple[str, list[str]]]:
    """The (hypothesis, references) pairs a segment is scored as: itself when it is short,
    else aligned windows of at most about ``size`` characters."""
    longest = max(len(hypothesis), *(len(r) for r in references))
    if longest <= size:
        return [(hypothesis, list(references))]
    parts = -(-longest // size)
    hyp_parts = split_evenly(hypothesis, parts)
    ref_parts = [split_evenly(r, parts) for r in references]
    return [(hyp_parts[k], [refs[k] for refs in ref_parts]) for k in range(parts)]


def _flatten(
    parts: Sequence[tuple[str, list[str]]], streams: Sequence[object]
) -> tuple[list[str], list[list[str]]]:
    """Windows as sacrebleu's (hypotheses, reference streams) arguments."""
    return [h for h, _ in parts], [[refs[k] for _, refs in parts] for k in range(len(streams))]


def reference_metrics(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]] | Sequence[str],
    *,
    target_lang: str,
) -> dict[str, Any]:
    """Corpus BLEU, chrF, chrF++ and TER with signatures, plus per-segment values.

    ``references`` is one stream of strings, or several streams (each as long as
    ``hypotheses``). Returns ``{"corpus": {metric: {"score", "signature"}},
    "segments": [{"bleu", "chrf", "chrf++", "ter"}...], "references": k, "tokenize": ...,
    "ter_skipped": n}``; a segment's ``ter`` is ``None`` when it is longer than
    ``TER_MAX_CHARS`` (and it is left out of the corpus TER, which is ``None`` when every
    segment is that long).
    """
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    hyps = [str(h) for h in hypotheses]
    if not hyps:
        raise ValueError("no segments to score")
    streams = _reference_streams(references, len(hyps))
    tokenize = BLEU_TOKENIZE.get(target_lang, "13a")
    metrics: dict[str, Any] = {
        "bleu": BLEU(tokenize=tokenize),
        "chrf": CHRF(),
        "chrf++": CHRF(word_order=2),
        "ter": TER(),
    }
    sentence_bleu = BLEU(tokenize=tokenize, effective_order=True)
    per_segment = [windows(hyp, [stream[i] for stream in streams]) for i, hyp in enumerate(hyps)]
    ter_parts = [
        windows(hyp, [stream[i] for stream in streams], TER_WINDOW_CHARS)
        if max(len(hyp), *(len(stream[i]) for stream in streams)) <= TER_MAX_CHARS
        else []
        for i, hyp in enumerate(hyps)
    ]
    corpus: dict[str, dict[str, Any]] = {}
    for name, metric in metrics.items():
        flat = [p for segment in (ter_parts if name == "ter" else per_segment) for p in segment]
        score = (
            round(float(metric.corpus_score(*_flatten(flat, streams)).score), 4) if flat else None
        )
        corpus[name] = {"score": score, "signature": str(metric.get_signature())}
    segments = []
    for i, hyp in enumerate(hyps):
        refs = [stream[i] for stream in streams]
        scores: dict[str, float | None] = {}
        for name, metric in (
            ("bleu", sentence_bleu),
            ("chrf", metrics["chrf"]),
            ("chrf++", metrics["chrf++"]),
            ("ter", metrics["ter"]),
        ):
            parts = ter_parts[i] if name == "ter" else per_segment[i]
            if len(parts) == 1:
                value: float | None = metric.sentence_score(hyp, refs).score
            elif parts:  # a long segment: its windows' statistics added up
                value = metric.corpus_score(*_flatten(parts, streams)).score
            else:
                value = None
            scores[name] = None if value is None else round(float(value), 4)
        segments.append(scores)
    return {
        "corpus": corpus,
        "segments": segments,
        "references": len(streams),
        "tokenize": tokenize,
        "target_lang": target_lang,
        "ter_skipped": sum(1 for parts in ter_parts if not parts),
    }
