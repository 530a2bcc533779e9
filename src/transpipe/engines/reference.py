"""ReferenceEngine: a shipped test double that "translates" each segment into its human translation.

Owns pairing a source article with its human translation (``pair_references``: the reference is
segmented like the source and paired by paragraph and sentence order; counts that do not line
up are an ``InputError`` naming the reference file) and an engine that returns those
translations under the full engine contract, so ``translate --engine reference --reference
FILE`` runs term pinning, checks and quality estimation on human translations.

- ``translate``: the reference of each text (looked up whole, never split into pieces); with a
  prefix the reference is kept when it starts with it, else the forced prefix stands for as
  many words of the reference and the reference continues after them - a model that carries
  on with what it would have said, re-inflecting nothing; hypotheses carry no confidence
  (``score=None``): nothing was decoded.
- ``score``: log of the similarity of a target to the reference (0.0 for the reference).
- A sentence that occurs twice with different human translations gets the first one.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from transpipe.config import DecodingOptions
from transpipe.engines.base import EngineInfo, ModelEngine
from transpipe.errors import EngineError, InputError
from transpipe.model import Document, Hypothesis

_FLOOR = 1e-9


def _key(text: str) -> str:
    return " ".join(text.split())


def pair_references(
    source: Document, reference: Document, *, reference_path: str | Path | None = None
) -> dict[str, str]:
    """Source segment text -> reference segment text, paired by paragraph and sentence order."""
    where = reference_path if reference_path is not None else reference.name
    if len(source.paragraphs) != len(reference.paragraphs):
        raise InputError(
            f"has {len(reference.paragraphs)} paragraphs, the source {source.name!r} has "
            f"{len(source.paragraphs)}: cannot use it as the reference translation",
            path=where,
        )
    pairs: dict[str, str] = {}
    for src_par, ref_par in zip(source.paragraphs, reference.paragraphs, strict=True):
        if len(src_par.segments) != len(ref_par.segments):
            raise InputError(
                f"paragraph {ref_par.index} has {len(ref_par.segments)} sentences, the source "
                f"{source.name!r} has {len(src_par.segments)}: cannot use it as the reference "
                "translation",
                path=where,
            )
        for src_seg, ref_seg in zip(src_par.segments, ref_par.segments, strict=True):
            pairs.setdefault(_key(src_seg.text), ref_seg.text)
    return pairs


class ReferenceEngine(ModelEngine):
    """Returns the human translation paired with each source text (see the module docstring)."""

    name: ClassVar[str] = "reference"

    def __init__(
        self, references: Mapping[str, str], decoding: DecodingOptions, *, label: str = ""
    ) -> None:
        super().__init__(None, decoding)
        self._references = {_key(k): v for k, v in references.items()}
        self._label = label or "human reference"

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(self.name, self._label, "", self.decoding)

    def _reference(self, text: str) -> str:
        try:
            return self._references[_key(text)]
        except KeyError:
            raise EngineError(f"no reference translation for {text[:60]!r}") from None

    def _count_tokens(self, text: str) -> int:
        return 1  # a reference is looked up whole: never split into pieces

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        outputs: list[Hypothesis] = []
        for text, prefix in zip(texts, prefixes, strict=True):
            result = self._reference(text)
            forced = prefix.rstrip() if prefix else ""
            if forced and not result.startswith(forced):
                count = len(forced.split())
                rest = result.split(maxsplit=count)
                result = forced + (f" {rest[count]}" if len(rest) > count else "")
            outputs.append(Hypothesis(text=result, score=None, tokens=tuple(result.split())))
        return outputs

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        scores = []
        for source, target in zip(sources, targets, strict=True):
            reference = self._reference(source).strip()
            ratio = difflib.SequenceMatcher(None, reference, target, autojunk=False).ratio()
            scores.append(0.0 if reference == target else math.log(max(ratio, _FLOOR)))
        return scores
