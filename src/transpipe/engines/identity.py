"""IdentityEngine: a real, shipped test double that "translates" a text into itself.

Owns a deterministic engine with the full engine contract (splitting, prefixes, scoring) and no
model, so pipeline, format and CLI tests run in milliseconds (in the spirit of httpx's
``MockTransport``). Tokens are whitespace-separated words; the end token counts as one more.
"""

from __future__ import annotations

import difflib
import math
from typing import ClassVar

from transpipe.engines.base import ModelEngine
from transpipe.model import Hypothesis

_FLOOR = 1e-9


class IdentityEngine(ModelEngine):
    """Returns each input unchanged (after a forced prefix, when one is given)."""

    name: ClassVar[str] = "identity"

    def _count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        outputs: list[Hypothesis] = []
        for text, prefix in zip(texts, prefixes, strict=True):
            result = text
            if prefix and not text.startswith(prefix.rstrip()):
                result = f"{prefix.rstrip()} {text}"
            outputs.append(Hypothesis(text=result, score=0.0, tokens=tuple(result.split())))
        return outputs

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        """log of the similarity ratio of target to source: 0.0 for the identical text."""
        return [
            math.log(max(difflib.SequenceMatcher(None, s, t, autojunk=False).ratio(), _FLOOR))
            for s, t in zip(sources, targets, strict=True)
        ]
