"""Reference-based metrics with sacrebleu: BLEU, chrF, chrF++ and TER, corpus and per segment.

Owns the choice of metric settings and keeps sacrebleu's signature string with every corpus
score so numbers can be compared across runs. Tokenisation: BLEU uses ``13a`` (the WMT
standard) for English targets and ``intl`` for Russian targets, because ``13a`` does not split
off Unicode punctuation such as ``«»`` and ``—`` that Russian news uses; chrF/chrF++ work on
characters and need no tokeniser; TER runs with its defaults (case-sensitive, no
normalisation). See ``docs/quality.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BLEU_TOKENIZE = {"en": "13a", "ru": "intl"}


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


def reference_metrics(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]] | Sequence[str],
    *,
    target_lang: str,
) -> dict[str, Any]:
    """Corpus BLEU, chrF, chrF++ and TER with signatures, plus per-segment values.

    ``references`` is one stream of strings, or several streams (each as long as
    ``hypotheses``). Returns ``{"corpus": {metric: {"score", "signature"}},
    "segments": [{"bleu", "chrf", "chrf++", "ter"}...], "references": k, "tokenize": ...}``.
    """
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    hyps = [str(h) for h in hypotheses]
    streams = _reference_streams(references, len(hyps))
    tokenize = BLEU_TOKENIZE.get(target_lang, "13a")
    metrics: dict[str, Any] = {
        "bleu": BLEU(tokenize=tokenize),
        "chrf": CHRF(),
        "chrf++": CHRF(word_order=2),
        "ter": TER(),
    }
    corpus: dict[str, dict[str, Any]] = {}
    for name, metric in metrics.items():
        result = metric.corpus_score(hyps, streams)
        corpus[name] = {
            "score": round(float(result.score), 4),
            "signature": str(metric.get_signature()),
        }
    sentence_bleu = BLEU(tokenize=tokenize, effective_order=True)
    segments = []
    for i, hyp in enumerate(hyps):
        refs = [stream[i] for stream in streams]
        segments.append(
            {
                "bleu": round(float(sentence_bleu.sentence_score(hyp, refs).score), 4),
                "chrf": round(float(metrics["chrf"].sentence_score(hyp, refs).score), 4),
                "chrf++": round(float(metrics["chrf++"].sentence_score(hyp, refs).score), 4),
                "ter": round(float(metrics["ter"].sentence_score(hyp, refs).score), 4),
            }
        )
    return {
        "corpus": corpus,
        "segments": segments,
        "references": len(streams),
        "tokenize": tokenize,
        "target_lang": target_lang,
    }
