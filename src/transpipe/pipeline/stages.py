"""The stages of ``translate``: small callables with one signature, records in, records out.

Owns what each stage adds to a :class:`~transpipe.model.SegmentRecord` (a new frozen copy per
record, ``dataclasses.replace``; N records in, N out, same order):

- :class:`SourceTerms` / :class:`TargetTerms`: glossary matches of each side, once per segment,
  through the run's one :class:`~transpipe.terms.CompiledGlossary`;
- the translation chain, each stage filling the drafts the stages before it left empty:
  :class:`FixedBoilerplate` (navigation lines from a fixed table), then the memory
  (:class:`transpipe.tm.engine.MemoryStage`), then :class:`MachineTranslation` (the engine) or
  :class:`NoTranslation` (a memory-only run), then :class:`TermPinning` (the glossary enforced
  on machine drafts, with the term audit);
- :class:`FoundTermsAudit`: the audit of segments the pinner did not see (terms found,
  nothing enforced);
- :class:`RuleChecks` (findings) and :class:`QualityEstimate` (score and status).

Configuration goes into each stage's ``__init__`` (structlog-processor style). A stage that
calls an engine turns a foreign failure into an ``EngineError`` naming the segment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from transpipe.config import ChecksConfig, EstimatorSettings, QualityThresholds
from transpipe.engines.base import Engine
from transpipe.errors import EngineError, TranspipeError
from transpipe.lang.boilerplate import translate_boilerplate
from transpipe.model import (
    Draft,
    DraftKind,
    Hypothesis,
    Issue,
    LanguagePair,
    SegmentKind,
    SegmentRecord,
    Severity,
    TermAudit,
    TermMatch,
    TermOutcome,
)

if TYPE_CHECKING:
    from transpipe.embeddings import SentenceEncoder
    from transpipe.pinning import PinnedTranslation, TermPinner
    from transpipe.terms import CompiledGlossary

T = TypeVar("T")


class Stage(Protocol):
    """One step of the pipeline: N records in, N records out, same order."""

    name: str

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]: ...


# -- terms ------------------------------------------------------------------------------------


class SourceTerms:
    """Glossary terms in each source segment (``()`` when there are none)."""

    name = "source terms"

    def __init__(self, terms: CompiledGlossary, lang: str) -> None:
        self.terms = terms
        self.lang = lang

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        find = self.terms.find
        return [
            replace(r, source_terms=find(r.segment.text, self.lang, segment_id=r.segment.id))
            for r in records
        ]


class TargetTerms:
    """Glossary terms in each translation (matched once, after the translation chain; a
    translation the pinner already matched keeps the pinner's matches)."""

    name = "target terms"

    def __init__(self, terms: CompiledGlossary, lang: str) -> None:
        self.terms = terms
        self.lang = lang

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        find = self.terms.find
        return [
            r
            if r.target_terms is not None
            else replace(r, target_terms=find(r.target, self.lang, segment_id=r.segment.id))
            for r in records
        ]


# -- the translation chain --------------------------------------------------------------------


class FixedBoilerplate:
    """Navigation lines get their fixed translation; unknown ones are kept and flagged."""

    name = "boilerplate"

    def __init__(self, pair: LanguagePair) -> None:
        self.pair = pair

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        return [
            replace(r, draft=self._draft(r.segment.text))
            if r.draft is None and r.segment.kind is SegmentKind.BOILERPLATE
            else r
            for r in records
        ]

    def _draft(self, text: str) -> Draft:
        fixed = translate_boilerplate(text, self.pair.source, self.pair.target)
        issues: tuple[Issue, ...] = ()
        if fixed is None:
            issues = (
                Issue(
                    "boilerplate",
                    Severity.MINOR,
                    "navigation line with no known translation; kept as is",
                ),
            )
        return Draft(
            Hypothesis(text=text if fixed is None else fixed),
            origin="boilerplate",
            kind=DraftKind.FIXED,
            issues=issues,
        )


class MachineTranslation:
    """Every record still without a draft is translated by the engine, in one call."""

    name = "engine"

    def __init__(self, engine: Engine, pair: LanguagePair) -> None:
        self.engine = engine
        self.pair = pair
        self.origin = engine.info.name

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        todo = [i for i, r in enumerate(records) if r.draft is None]
        if not todo:
            return list(records)
        hypotheses = engine_call(
            self.engine,
            lambda chosen: self.engine.translate([r.segment.text for r in chosen], self.pair),
            [records[i] for i in todo],
        )
        out = list(records)
        for i, hypothesis in zip(todo, hypotheses, strict=True):
            out[i] = replace(
                records[i], draft=Draft(hypothesis, origin=self.origin, kind=DraftKind.MACHINE)
            )
        return out


class NoTranslation:
    """A memory-only run: records nothing could translate get an empty draft."""

    name = "untranslated"

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        empty = Draft(Hypothesis(text="", pieces=0), origin="none", kind=DraftKind.MISSING)
        return [replace(r, draft=empty) if r.draft is None else r for r in records]


class TermPinning:
    """Machine drafts with glossary terms get the approved terms, inflected, and an audit."""

    name = "pinning"

    def __init__(self, pinner: TermPinner) -> None:
        self.pinner = pinner

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        todo = [
            (i, r.draft)
            for i, r in enumerate(records)
            if r.draft is not None
            and r.draft.kind is DraftKind.MACHINE
            and r.source_terms is not None
        ]
        if not todo:
            return list(records)
        pinned = engine_call(self.pinner.engine, self._pin, [records[i] for i, _ in todo])
        out = list(records)
        for (i, draft), result in zip(todo, pinned, strict=True):
            segment_id = records[i].segment.id
            target_terms = result.target_terms
            out[i] = replace(
                records[i],
                draft=replace(draft, hypothesis=result.hypothesis),
                term_audit=result.audit,
                target_terms=None
                if target_terms is None
                else tuple(replace(m, segment_id=segment_id) for m in target_terms),
            )
        return out

    def _pin(self, records: Sequence[SegmentRecord]) -> list[PinnedTranslation]:
        return self.pinner.pin(
            [r.segment.text for r in records],
            [r.draft.hypothesis if r.draft is not None else Hypothesis("") for r in records],
            [r.source_terms or () for r in records],
        )


class FoundTermsAudit:
    """Segments the pinner did not handle: every source term found, nothing enforced."""

    name = "term audit"

    def __init__(self, pair: LanguagePair) -> None:
        self.pair = pair

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        return [
            replace(r, term_audit=self._found(r.source_terms))
            if r.term_audit is None and r.source_terms is not None
            else r
            for r in records
        ]

    def _found(self, matches: Sequence[TermMatch]) -> tuple[TermAudit, ...]:
        target = self.pair.target
        return tuple(
            TermAudit(
                m.concept_id,
                m.surface,
                next((t for lang, t in m.preferred if lang == target), ""),
                TermOutcome.FOUND,
            )
            for m in matches
        )


# -- quality ------------------------------------------------------------------------------------


class RuleChecks:
    """Findings of every enabled rule check (segment and document level) per record."""

    name = "checks"

    def __init__(self, pair: LanguagePair, config: ChecksConfig) -> None:
        from transpipe.quality.checks import validate_checks

        validate_checks(config.named_checks)
        self.pair = pair
        self.config = config

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        from transpipe.quality import run_checks, run_document_checks

        targets = [r.target for r in records]
        document = run_document_checks(targets, self.pair, config=self.config)
        out: list[SegmentRecord] = []
        for record, document_level in zip(records, document, strict=True):
            found = run_checks(
                record.segment.text,
                record.target,
                self.pair,
                source_terms=record.source_terms,
                target_terms=record.target_terms,
                term_audit=record.term_audit or (),
                config=self.config,
            )
            drafted = record.draft.issues if record.draft is not None else ()
            out.append(replace(record, issues=(*found, *drafted, *document_level)))
        return out


class QualityEstimate:
    """A 0-100 score and status per record from similarity, engine confidence and findings."""

    name = "estimate"

    def __init__(
        self,
        pair: LanguagePair,
        encoder: SentenceEncoder,
        thresholds: QualityThresholds,
        settings: EstimatorSettings,
    ) -> None:
        self.pair = pair
        self.encoder = encoder
        self.thresholds = thresholds
        self.settings = settings

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        from transpipe.quality import estimate_quality

        scores = estimate_quality(
            [r.segment.text for r in records],
            [r.target for r in records],
            self.pair,
            issues=[r.issues or () for r in records],
            engine_scores=[r.draft.hypothesis.score if r.draft else None for r in records],
            encoder=self.encoder,
            thresholds=self.thresholds,
            settings=self.settings,
        )
        return [replace(r, score=s) for r, s in zip(records, scores, strict=True)]


# -- engine failures ----------------------------------------------------------------------------


def engine_call(
    engine: Engine,
    work: Callable[[Sequence[SegmentRecord]], list[T]],
    records: Sequence[SegmentRecord],
) -> list[T]:
    """``work(records)``; a foreign failure becomes an ``EngineError`` naming the first
    segment that fails on its own (found by retrying one record at a time)."""
    try:
        return work(records)
    except TranspipeError:
        raise
    except Exception as batch_error:  # any failure of an engine library
        failure: Exception = batch_error
        culprit = records[0] if len(records) == 1 else None
        if culprit is None:
            for record in records:
                try:
                    work([record])
                except TranspipeError:
                    raise
                except Exception as single_error:
                    failure, culprit = single_error, record
                    break
        where = f"segment {culprit.segment.id}" if culprit is not None else "a batch"
        raise EngineError(
            f"{where}: engine {engine.info.name} failed: {type(failure).__name__}: {failure}"
        ) from failure
