"""The translation memory in front of MT: translation stages and an engine wrapper.

Owns what a memory contributes to a translation, in one place:

- an exact or normalized match (:meth:`TranslationMemory.lookup`: reviewed first, then newest)
  is the segment's translation (:func:`memory_draft`): the stored target as
  ``Hypothesis(text, score=0.0)`` - a person approved it, so its log-probability is taken as 0
  (certain) - with origin ``tm:<file the stored unit came from>``; a unit imported as
  unreviewed (``tm import --include-fuzzy``) is marked ``needs_review``;
- a fuzzy match (similarity at or above the threshold, 75% by default) is *offered*
  (:class:`FuzzyMemory`): the segment is machine translated as usual, then whichever of the two
  has the higher estimate fills it - the match's similarity (%) against the machine
  translation's quality score (0-100) - and the other is recorded beside it
  (:mod:`transpipe.formats.leverage`: PO ``#| msgid`` and ``#.`` notes, TMX props, report).
  The segment stays fuzzy until a person reviews it.

Why both, and why the higher estimate: a CAT tool pre-translates with the best fuzzy match and
shows machine translation beside it (Trados, memoQ), or compares the match percentage with a
machine-translation quality estimate on one 0-100 scale (Phrase); post-editing studies put the
break-even of fuzzy matches and good MT around 75-85%, so neither always wins. A 93% match of a
sentence the translator already reviewed (a changed date) beats fresh MT that rephrases it all;
a 76% match loses to MT the estimator rates 90. Keeping the loser in the file costs a line and
loses nothing. Empty texts are never looked up.

Three ways to use it:

- :class:`MemoryStage`, a stage of ``transpipe.pipeline`` (one signature with the others:
  records in, records out): records without a draft get one from the memory. The pipeline
  runs it before the engine stage, so "memory first" is the order of its stage chain.
- :class:`FuzzyMemory`, the stage after quality estimation that offers fuzzy matches and
  re-runs the given stages (target terms, checks, estimate) when a match replaced the MT.
- :class:`TranslationMemoryEngine`, an :class:`~transpipe.engines.base.Engine` for callers
  that want one engine (``Engine`` contract: N texts in, N hypotheses out, same order; an
  empty text gives ``pieces == 0``): memory hits first, all other texts to the *fallback*
  engine in **one** ``translate`` call; with no fallback they get an empty hypothesis.
  ``prefixes[i]`` is honoured: a stored target that does not start with the prefix is not
  used. ``score`` is the fallback's; with no fallback it is ``log`` of the similarity of the
  target to the stored translation (0.0 for the stored translation itself). Its
  ``info.name`` is ``tm+<fallback name>`` (``tm`` alone without a fallback). It uses exact
  and normalized matches only.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from transpipe.config import DecodingOptions
from transpipe.engines.base import Engine, EngineInfo, checked_prefixes, checked_texts
from transpipe.formats.leverage import (
    MT_ALTERNATIVE,
    PREVIOUS_SOURCE,
    TM_MATCH,
    TM_SOURCE,
    TM_TARGET,
    match_label,
    percent,
)
from transpipe.model import Draft, DraftKind, Hypothesis, LanguagePair, SegmentRecord
from transpipe.tm.store import Match, TranslationMemory

RecordStage = Callable[[Sequence[SegmentRecord]], list[SegmentRecord]]

_FLOOR = 1e-9


def memory_draft(match: Match) -> Draft:
    """The draft a memory match gives a segment."""
    return Draft(
        Hypothesis(text=match.target, score=0.0),
        origin=f"tm:{match.origin}",
        kind=DraftKind.MEMORY,
        needs_review=not match.reviewed,
    )


class MemoryStage:
    """Pipeline stage: a draft from the memory for every record that has none yet."""

    name = "memory"

    def __init__(
        self, memory: TranslationMemory, pair: LanguagePair, *, reviewed_only: bool = False
    ) -> None:
        self.memory = memory
        self.pair = pair
        self.reviewed_only = reviewed_only

    def match_for(self, text: str) -> Match | None:
        """The memory match used for ``text`` (``None``: it goes to the next stage)."""
        if not text.strip():
            return None
        return self.memory.lookup(text, self.pair, reviewed_only=self.reviewed_only)

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        out: list[SegmentRecord] = []
        for record in records:
            match = None if record.draft is not None else self.match_for(record.segment.text)
            out.append(record if match is None else replace(record, draft=memory_draft(match)))
        return out


class FuzzyMemory:
    """Pipeline stage after quality estimation: offers the best fuzzy match of each machine
    translated (or untranslated) record at or above ``threshold`` (a similarity in (0, 1]).

    The match fills the record when its similarity (as a percentage) is at least the machine
    translation's quality score, or when nothing translated the record; then the record is
    re-scored by ``rescore`` (the target-term and quality stages, run over the whole document
    since some checks look at every segment). Otherwise the machine translation stays and the
    match is recorded beside it. Either way the record needs review.
    """

    name = "fuzzy memory"

    def __init__(
        self,
        memory: TranslationMemory,
        pair: LanguagePair,
        *,
        threshold: float,
        reviewed_only: bool = False,
        rescore: Sequence[RecordStage] = (),
    ) -> None:
        self.memory = memory
        self.pair = pair
        self.threshold = threshold
        self.reviewed_only = reviewed_only
        self.rescore = tuple(rescore)

    def best_match(self, text: str) -> Match | None:
        """The most similar stored source at or above the threshold (``None``: none)."""
        if not text.strip():
            return None
        found = self.memory.fuzzy_lookup(
            text, self.pair, threshold=self.threshold, limit=1, reviewed_only=self.reviewed_only
        )
        return found[0] if found else None

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        out = list(records)
        replaced = False
        for index, record in enumerate(records):
            draft = record.draft
            if draft is None or draft.kind not in (DraftKind.MACHINE, DraftKind.MISSING):
                continue
            match = self.best_match(record.segment.text)
            if match is None:
                continue
            if _memory_wins(match, record):
                out[index] = SegmentRecord(
                    record.segment,
                    source_terms=record.source_terms,
                    draft=leveraged_draft(match, draft),
                )
                replaced = True
            else:
                out[index] = replace(record, draft=offered_beside(match, draft))
        if replaced:
            for stage in self.rescore:
                out = stage(out)
        return out


def _memory_wins(match: Match, record: SegmentRecord) -> bool:
    if record.draft is None or record.draft.kind is DraftKind.MISSING or record.score is None:
        return True
    return percent(match.score) >= record.score.value  # the percentage people are shown


def leveraged_draft(match: Match, machine: Draft) -> Draft:
    """The draft of a record filled with a fuzzy match; the machine translation is kept
    beside it (an untranslated record has none)."""
    props = [
        (TM_MATCH, match_label(match.score, match.origin, reviewed=match.reviewed)),
        (PREVIOUS_SOURCE, match.source),
    ]
    if machine.kind is DraftKind.MACHINE and machine.text.strip():
        props.append((MT_ALTERNATIVE, machine.text))
    return Draft(
        Hypothesis(text=match.target),
        origin=f"tm:{match.origin}",
        kind=DraftKind.MEMORY,
        needs_review=True,
        props=tuple(props),
    )


def offered_beside(match: Match, machine: Draft) -> Draft:
    """The machine draft with the fuzzy match recorded beside it, to be reviewed."""
    offer = (
        (TM_MATCH, match_label(match.score, match.origin, reviewed=match.reviewed)),
        (TM_SOURCE, match.source),
        (TM_TARGET, match.target),
    )
    return replace(machine, needs_review=True, props=(*machine.props, *offer))


@dataclass(frozen=True)
class TmOutput:
    """One output of the memory engine: the hypothesis and the memory match it came from
    (``None`` when the fallback engine produced it, or nothing could)."""

    hypothesis: Hypothesis
    match: Match | None

    @property
    def origin(self) -> str:
        """``tm:<file the stored unit came from>``, or ``mt`` for the fallback."""
        return memory_draft(self.match).origin if self.match is not None else "mt"


class TranslationMemoryEngine:
    """An engine that answers from a translation memory and asks ``fallback`` for the rest.

    ``decoding`` (what ``info`` states) defaults to the fallback's options; ``reviewed_only``
    ignores stored translations imported as unreviewed.
    """

    name = "tm"

    def __init__(
        self,
        memory: TranslationMemory,
        fallback: Engine | None = None,
        decoding: DecodingOptions | None = None,
        *,
        reviewed_only: bool = False,
    ) -> None:
        self.memory = memory
        self.fallback = fallback
        self.reviewed_only = reviewed_only
        if decoding is None:
            decoding = fallback.info.decoding if fallback is not None else DecodingOptions()
        self.decoding = decoding

    @property
    def info(self) -> EngineInfo:
        if self.fallback is None:
            return EngineInfo(self.name, self.memory.path.name, "", self.decoding)
        inner = self.fallback.info
        return EngineInfo(f"tm+{inner.name}", inner.model_id, inner.revision, self.decoding)

    def stage(self, pair: LanguagePair) -> MemoryStage:
        """The memory part of this engine as a pipeline stage for ``pair``."""
        return MemoryStage(self.memory, pair, reviewed_only=self.reviewed_only)

    def match_for(self, text: str, pair: LanguagePair) -> Match | None:
        """The memory match ``translate`` uses for ``text`` (``None``: it goes to MT)."""
        return self.stage(pair).match_for(text)

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
        items = checked_texts(texts, "texts")
        wanted = checked_prefixes(prefixes, len(items))
        stage = self.stage(pair)
        outputs: list[TmOutput | None] = [None] * len(items)
        misses: list[int] = []
        for index, (text, prefix) in enumerate(zip(items, wanted, strict=True)):
            match = stage.match_for(text)
            if match is not None and (prefix is None or match.target.startswith(prefix.rstrip())):
                outputs[index] = TmOutput(memory_draft(match).hypothesis, match)
            elif text.strip():
                misses.append(index)
        if misses and self.fallback is not None:
            translated = self.fallback.translate(
                [items[i] for i in misses], pair, prefixes=[wanted[i] for i in misses]
            )
            if len(translated) != len(misses):
                raise RuntimeError(
                    f"{self.fallback.info.name}: {len(misses)} inputs gave "
                    f"{len(translated)} outputs"
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
        src = checked_texts(sources, "sources")
        tgt = checked_texts(targets, "targets")
        if len(src) != len(tgt):
            raise ValueError(f"{len(src)} sources but {len(tgt)} targets")
        stage = self.stage(pair)
        scores: list[float] = []
        for source, target in zip(src, tgt, strict=True):
            match = stage.match_for(source.strip())
            stored = match.target.strip() if match is not None else ""
            given = target.strip()
            ratio = difflib.SequenceMatcher(None, stored, given, autojunk=False).ratio()
            scores.append(0.0 if stored and stored == given else math.log(max(ratio, _FLOOR)))
        return scores
