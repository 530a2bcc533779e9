"""TranslationMemoryEngine: reviewed translations from the memory first, MT for the rest.

Owns the engine that puts a :class:`~transpipe.tm.store.TranslationMemory` in front of any
other engine (the *fallback*), under the engine contract of :mod:`transpipe.engines.base`:

- N texts in, N hypotheses out, same order; an empty text gives an empty hypothesis
  (``pieces == 0``);
- a text with an exact or normalized memory match (:meth:`TranslationMemory.lookup`: reviewed
  first, then newest) gets the stored target as ``Hypothesis(text, score=0.0, pieces=1,
  tokens=())``: a person approved it, so its log-probability is taken as 0 (certain). Fuzzy
  matches are never used as translations;
- all other texts go to the fallback in **one** ``translate`` call (the fallback splits long
  texts and batches as usual); with no fallback they get an empty hypothesis (``pieces == 0``);
- ``prefixes[i]`` is honoured: a stored target that does not start with the prefix is not
  used, and the text goes to the fallback with its prefix;
- ``score`` is the fallback's; with no fallback it is ``log`` of the similarity of the target
  to the stored translation (0.0 for the stored translation itself).

Where each output came from: :meth:`TranslationMemoryEngine.translate_with_origin` returns
:class:`TmOutput` values (the hypothesis plus the :class:`~transpipe.tm.store.Match` it came
from, ``None`` for the fallback), and :meth:`TranslationMemoryEngine.match_for` answers the
same question afterwards for one text, without state. The engine's ``info.name`` is
``tm+<fallback name>`` (``tm`` alone without a fallback).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from transpipe.config import DecodingOptions
from transpipe.engines.base import Engine, EngineInfo, _prefixes
from transpipe.engines.base import _as_strings as _strings
from transpipe.model import Hypothesis, LanguagePair
from transpipe.tm.store import Match, TranslationMemory

_FLOOR = 1e-9


@dataclass(frozen=True)
class TmOutput:
    """One output of the memory engine: the hypothesis and the memory match it came from
    (``None`` when the fallback engine produced it, or nothing could)."""

    hypothesis: Hypothesis
    match: Match | None

    @property
    def origin(self) -> str:
        """``tm:<file the stored unit came from>``, or ``mt`` for the fallback."""
        return f"tm:{self.match.origin}" if self.match is not None else "mt"


class TranslationMemoryEngine(Engine):
    """An engine that answers from a translation memory and asks ``fallback`` for the rest.

    ``decoding`` defaults to the fallback's options; ``reviewed_only`` ignores stored
    translations imported as unreviewed (``tm import --include-fuzzy``).
    """

    name: ClassVar[str] = "tm"

    def __init__(
        self,
        memory: TranslationMemory,
        fallback: Engine | None = None,
        decoding: DecodingOptions | None = None,
        *,
        reviewed_only: bool = False,
    ) -> None:
        if decoding is None:
            decoding = fallback.decoding if fallback is not None else DecodingOptions()
        super().__init__(fallback.model if fallback is not None else None, decoding)
        self.memory = memory
        self.fallback = fallback
        self.reviewed_only = reviewed_only

    @property
    def info(self) -> EngineInfo:
        if self.fallback is None:
            return EngineInfo(self.name, self.memory.path.name, "", self.decoding)
        inner = self.fallback.info
        return EngineInfo(f"tm+{inner.name}", inner.model_id, inner.revision, self.decoding)

    def match_for(self, text: str, pair: LanguagePair) -> Match | None:
        """The memory match ``translate`` uses for ``text`` (``None``: it goes to MT)."""
        return self.memory.lookup(text, pair, reviewed_only=self.reviewed_only)

    def translate(
        self,
        texts: Sequence[str],
        pair: LanguagePair,
        *,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[Hypothesis]:
        """Translate each text; N in, N out, same order (see the module docstring)."""
        return [out.hypothesis for out in self.translate_with_origin(texts, pair, prefixes)]

    def translate_with_origin(
        self,
        texts: Sequence[str],
        pair: LanguagePair,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[TmOutput]:
        """Like ``translate``, with the memory match behind each hypothesis."""
        items = _strings(texts, "texts")
        wanted = _prefixes(prefixes, len(items))
        self._check_pair(pair)
        outputs: list[TmOutput | None] = [None] * len(items)
        misses: list[int] = []
        for index, (text, prefix) in enumerate(zip(items, wanted, strict=True)):
            if not text.strip():
                outputs[index] = TmOutput(Hypothesis(text="", pieces=0), None)
                continue
            match = self.match_for(text, pair)
            if match is not None and (prefix is None or match.target.startswith(prefix.rstrip())):
                outputs[index] = TmOutput(Hypothesis(text=match.target, score=0.0), match)
            else:
                misses.append(index)
        if misses and self.fallback is not None:
            translated = self.fallback.translate(
                [items[i] for i in misses], pair, prefixes=[wanted[i] for i in misses]
            )
            if len(translated) != len(misses):
                raise RuntimeError(
                    f"{self.fallback.name}: {len(misses)} inputs gave {len(translated)} outputs"
                )
            for index, hypothesis in zip(misses, translated, strict=True):
                outputs[index] = TmOutput(hypothesis, None)
        return [out or TmOutput(Hypothesis(text="", pieces=0), None) for out in outputs]

    def score(
        self, sources: Sequence[str], targets: Sequence[str], pair: LanguagePair
    ) -> list[float]:
        """The fallback's score; without one, log-similarity to the stored translation."""
        if self.fallback is not None:
            return self.fallback.score(sources, targets, pair)
        src = _strings(sources, "sources")
        tgt = _strings(targets, "targets")
        if len(src) != len(tgt):
            raise ValueError(f"{len(src)} sources but {len(tgt)} targets")
        scores: list[float] = []
        for source, target in zip(src, tgt, strict=True):
            match = self.match_for(source.strip(), pair)
            stored = match.target.strip() if match is not None else ""
            given = target.strip()
            ratio = difflib.SequenceMatcher(None, stored, given, autojunk=False).ratio()
            scores.append(0.0 if stored and stored == given else math.log(max(ratio, _FLOOR)))
        return scores

    # -- hooks: the public methods above never call them ------------------------------------

    def _count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        raise RuntimeError("TranslationMemoryEngine translates whole texts in translate()")

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        raise RuntimeError("TranslationMemoryEngine scores in score()")
