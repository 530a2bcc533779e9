"""Reference-free features of a (source, translation) pair for the learned quality estimator.

Owns the feature vector: ``FEATURES`` names every column, in order. The names are stored in
the model file, and the estimator refuses a model trained on other features. Nothing here
needs a reference; every feature is computed in time linear in the segment length.

Groups (see ``docs/quality.md``):

* meaning: cosine of the two sentence embeddings; word support in both directions from
  ``coverage`` (mean, low quantiles, share of unsupported words, the weakest run of 3 words);
* form: length ratio against the language pair's expected ratio, word-count ratio,
  punctuation and capitalised-word balance, digits and Latin-script names carried over,
  source-script letters left in the translation, repeated words;
* findings of the rule checks, counted by severity (not the omission/addition checks, which
  only summarise the support features).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from transpipe.lang.script import CYRILLIC_RE, LATIN_RE
from transpipe.model import Issue, LanguagePair, Severity
from transpipe.quality.checks_text import EXPECTED_LENGTH_RATIO
from transpipe.quality.coverage import Coverage, SideCoverage

COVERAGE_CHECKS = frozenset({"omission", "addition"})
LOW_SUPPORT = 0.3  # a word's best cosine below this: probably no counterpart

FEATURES: tuple[str, ...] = (
    "similarity",
    "src_support_mean",
    "src_support_q10",
    "src_support_min",
    "src_unsupported",
    "src_window3_min",
    "tgt_support_mean",
    "tgt_support_q10",
    "tgt_support_min",
    "tgt_unsupported",
    "tgt_window3_min",
    "support_f",
    "log_length_ratio",
    "abs_log_length_ratio",
    "log_source_chars",
    "log_word_ratio",
    "punctuation_balance",
    "capitals_balance",
    "digits_missing",
    "digits_extra",
    "latin_missing",
    "source_script_in_target",
    "repeated_words",
    "type_token_ratio",
    "findings_minor",
    "findings_major",
    "findings_critical",
)

_DIGITS_RE = re.compile(r"\d+")
_PUNCT_RE = re.compile(r"[^\w\s]")
_CAPITAL_RE = re.compile(r"(?<!\w)[A-ZА-ЯЁ]\w")
_LATIN_WORD_RE = re.compile(r"(?<![\w-])[A-Za-z][\w-]*")
_WORD_RE = re.compile(r"\w+")

FeatureMatrix = npt.NDArray[np.float64]


def features(
    sources: Sequence[str],
    targets: Sequence[str],
    pair: LanguagePair,
    issues: Sequence[Sequence[Issue]],
    coverages: Sequence[Coverage],
) -> FeatureMatrix:
    """One row of ``FEATURES`` per segment pair."""
    rows = [
        _row(s, t, pair, found, cov)
        for s, t, found, cov in zip(sources, targets, issues, coverages, strict=True)
    ]
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def _side(side: SideCoverage) -> list[float]:
    support = side.support
    if not len(support):
        return [0.0, 0.0, 0.0, 1.0, 0.0]
    return [
        float(support.mean()),
        float(np.quantile(support, 0.1)),
        float(support.min()),
        float(np.mean(support < LOW_SUPPORT)),
        float(side.window_support(3).min()),
    ]


def _row(
    source: str, target: str, pair: LanguagePair, found: Sequence[Issue], cov: Coverage
) -> list[float]:
    src_side, tgt_side = _side(cov.source), _side(cov.target)
    f_support = 2 * src_side[0] * tgt_side[0] / max(src_side[0] + tgt_side[0], 1e-9)
    expected = EXPECTED_LENGTH_RATIO.get((pair.source, pair.target), 1.0)
    log_ratio = math.log((len(target.strip()) + 1) / (len(source.strip()) * expected + 1))
    src_words, tgt_words = _WORD_RE.findall(source), _WORD_RE.findall(target)
    n_src, n_tgt = len(src_words) + 1, len(tgt_words) + 1
    src_digits = set(_DIGITS_RE.findall(source))
    tgt_digits = set(_DIGITS_RE.findall(target))
    latin_missing = 0
    if pair.source == "ru":  # Latin names of a Russian source stay Latin in English
        kept = {w.lower() for w in _LATIN_WORD_RE.findall(target)}
        latin_missing = len({w.lower() for w in _LATIN_WORD_RE.findall(source)} - kept)
    source_script = CYRILLIC_RE if pair.source == "ru" else LATIN_RE
    letters = sum(1 for ch in target if ch.isalpha()) + 1
    lowered = [w.lower() for w in tgt_words]
    repeats = sum(1 for a, b in pairwise(lowered) if a == b)
    # the coverage checks are summaries of the support features above: not counted twice
    severities = [i.severity for i in found if i.check not in COVERAGE_CHECKS]
    return [
        cov.similarity,
        *src_side,
        *tgt_side,
        f_support,
        log_ratio,
        abs(log_ratio),
        math.log1p(len(source)),
        math.log(n_tgt / n_src),
        (len(_PUNCT_RE.findall(target)) - len(_PUNCT_RE.findall(source))) / n_src,
        len(_CAPITAL_RE.findall(target)) / n_tgt - len(_CAPITAL_RE.findall(source)) / n_src,
        float(len(src_digits - tgt_digits)),
        float(len(tgt_digits - src_digits)),
        float(latin_missing),
        len(source_script.findall(target)) / letters if pair.source != pair.target else 0.0,
        float(repeats),
        len(set(lowered)) / n_tgt,
        float(severities.count(Severity.MINOR)),
        float(severities.count(Severity.MAJOR)),
        float(severities.count(Severity.CRITICAL)),
    ]
