"""Frozen configuration objects and their defaults, in one place.

The CLI reads the environment and the clock once and builds these; library code receives them
as arguments and never reads ``os.environ`` or global settings itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from transpipe.model import LanguagePair


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

    def describe(self) -> str:
        return (
            f"beam={self.beam_size} max_in={self.max_input_tokens} "
            f"max_out={self.max_output_tokens} device={self.device} compute={self.compute_type}"
        )


@dataclass(frozen=True)
class Paths:
    """Where models live; resolved by the CLI from the working tree or $TRANSPIPE_HOME."""

    models_dir: Path = Path("models")


@dataclass(frozen=True)
class QualityThresholds:
    """Score thresholds (0-100) that turn a quality estimate into a status."""

    good: float = 70.0
    review: float = 45.0


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
