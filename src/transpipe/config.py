"""Frozen configuration objects and their defaults, in one place.

The CLI reads the environment and the clock once and builds these; library code receives them
as arguments and never reads ``os.environ`` or global settings itself. Every option of a
``translate`` run hangs off :class:`TranslateConfig`: decoding, the rule checks
(:class:`ChecksConfig`), term pinning (:class:`PinningOptions`) and the quality estimator
(:class:`EstimatorSettings`, :class:`QualityThresholds`). The stages that read them live higher
up (``quality``, ``pinning``); this module imports nothing but ``model``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from transpipe.model import LanguagePair, Severity


@dataclass(frozen=True)
class DecodingOptions:
    """How an engine decodes; every output records these."""

    beam_size: int = 4
    max_input_tokens: int = 256
    max_output_tokens: int = 256
    batch_size: int = 16
    device: str = "cpu"
    compute_type: str = "int8"  # CTranslate2 only: int8, int8_float32, float32, float16
    threads: int = 0  # 0 = let the engine decide
    # Target texts a decoding engine never generates (the glossary's forbidden terms in all
    # their forms: transpipe.pinning.forbidden_surfaces); the test doubles ignore it.
    suppress: tuple[str, ...] = ()

    def describe(self) -> str:
        suppressed = f" suppress={len(self.suppress)}" if self.suppress else ""
        return (
            f"beam={self.beam_size} max_in={self.max_input_tokens} "
            f"max_out={self.max_output_tokens} device={self.device} compute={self.compute_type}"
            f"{suppressed}"
        )


@dataclass(frozen=True)
class Paths:
    """Where models live: the CLI resolves it from $TRANSPIPE_MODELS_DIR or the per-user store."""

    models_dir: Path = Path("models")


@dataclass(frozen=True)
class QualityThresholds:
    """Score thresholds (0-100) that turn a quality estimate into a status."""

    good: float = 70.0
    review: float = 45.0


_NO_SEVERITIES: Mapping[str, Severity] = MappingProxyType({})


@dataclass(frozen=True)
class ChecksConfig:
    """Which rule checks run, at what severity, with which thresholds.

    ``disabled`` names checks that do not run; ``severities`` maps a check name to a severity
    that replaces whatever the check would report (e.g. make ``typography`` findings INFO).
    Names are validated by the check registry (``transpipe.quality.checks``) before a run.
    The remaining fields are the thresholds of individual checks (see ``docs/checks.md``).
    """

    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=lambda: _NO_SEVERITIES)
    # length_ratio: target/source character ratio divided by the pair's expected ratio
    length_ratio_min_chars: int = 25
    length_ratio_minor: tuple[float, float] = (0.55, 1.8)
    length_ratio_major: tuple[float, float] = (0.35, 2.8)
    # repetition: a phrase of >= min words repeated back to back, or one word >= times in a row
    repetition_min_words: int = 2
    repetition_word_times: int = 3
    # untranslated: share of target letters in the source script that makes a segment untranslated
    untranslated_ratio: float = 0.5
    untranslated_latin_words: int = 3
    # truncated: sources at least this long must end like their source does
    truncated_min_chars: int = 20
    truncated_full_ratio: float = 0.95  # at least this share of the expected length: MINOR
    # sentence_count: flag when target and source sentence counts differ by at least this
    sentence_count_diff: int = 1
    # numbers: treat a missing/extra month name as this severity (digits are MAJOR)
    numbers_month_severity: Severity = Severity.MINOR

    def enabled(self, check: str) -> bool:
        return check not in self.disabled

    def severity(self, check: str, default: Severity) -> Severity:
        return self.severities.get(check, default)

    @property
    def named_checks(self) -> frozenset[str]:
        """Every check name this configuration mentions (for validation)."""
        return self.disabled | frozenset(self.severities)


@dataclass(frozen=True)
class PinningOptions:
    """Knobs of the term pinning mechanism (defaults are what the benchmark reports)."""

    max_forms: int = 2  # inflected forms tried per rendering
    max_windows: int = 3  # rendering locations tried per missing term (lemma/forbidden)
    # Blind windows tried when nothing lexical (no forbidden variant, no shared lemma) points
    # at the model's rendering; 0 = off: on human translations a blind replacement changes
    # words that are not the term (benchmarks/pinning_oracle.py), so the term is reported as
    # failed (for review) instead.
    max_fallback_windows: int = 0
    prefix_decoding: bool = True  # candidates (a): re-decode after the forced term when the
    # term changes agreement (number; gender of a Russian singular subject)
    repair: bool = True  # candidates (b): replace the rendering in place
    max_rounds: int = 4  # missing terms fixed one per round
    # Repairs and re-decodings built per sentence and round (the engine work a sentence can
    # cause is at most max_rounds x max_candidates scored or decoded texts).
    max_candidates: int = 6
    # When nothing lexical points at the model's rendering, a blind replacement is kept only
    # if the model scores it at most this much (mean log-prob per token) below the original.
    window_tolerance: float = 0.25
    # A re-decoded continuation must keep this much (word-level similarity) of what the model
    # said after its own rendering; otherwise it is a different sentence, not a fix.
    min_tail_similarity: float = 0.6


@dataclass(frozen=True)
class EstimatorSettings:
    """The constants of the quality estimator that are not learned (docs/quality.md).

    An engine mean token log-probability under ``logprob_ok`` takes up to
    ``confidence_penalty`` points off the learned score, linearly down to ``logprob_floor``.
    """

    logprob_ok: float = -1.0
    logprob_floor: float = -2.0
    confidence_penalty: float = 30.0


@dataclass(frozen=True)
class TranslateConfig:
    """Everything ``transpipe translate`` needs beyond the input files."""

    pair: LanguagePair
    engine: str = "ct2"
    model: str | None = None
    decoding: DecodingOptions = field(default_factory=DecodingOptions)
    glossary: Path | None = None
    pin_terms: bool = True
    out_dir: Path = Path("out")
    created: str = ""  # ISO-8601 UTC timestamp from SOURCE_DATE_EPOCH or the clock
    thresholds: QualityThresholds = field(default_factory=QualityThresholds)
    paths: Paths = field(default_factory=Paths)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    pinning: PinningOptions = field(default_factory=PinningOptions)
    estimator: EstimatorSettings = field(default_factory=EstimatorSettings)
    stage_timings: bool = True  # reports carry seconds per stage (not reproducible bytes)
    # a translation memory's fuzzy matches at or above this similarity (%) are offered
    memory_threshold: float = 75.0
    # TMX output: units scored below this (0-100) are left out; None: below the "review"
    # threshold (the units quality estimation calls bad)
    tmx_min_score: float | None = None

    @property
    def tmx_floor(self) -> float:
        """The lowest score a unit of the TMX output may have."""
        return self.thresholds.review if self.tmx_min_score is None else self.tmx_min_score
