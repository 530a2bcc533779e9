"""``Pipeline``: built once per run, translates documents one by one.

Owns the composition: what is built once per run (the engine and memory stages, the compiled
glossary - one ``TermMatcher`` per language -, the pinner, the checks configuration, the
estimator and its sentence encoder, the run's provenance) and the order of the stages over
one document's records::

    terms       SourceTerms
    translate   FixedBoilerplate -> MemoryStage -> MachineTranslation | NoTranslation
                -> TermPinning
    terms       TargetTerms
    quality     FoundTermsAudit -> RuleChecks -> QualityEstimate [-> FuzzyMemory]

then the conversion of the finished records into a ``Bitext`` (one ``Unit`` each, with the
``x-origin`` / ``x-newline-before`` / ``x-pieces`` props the formats read) and a ``Report``.
``run_many`` translates several documents with their sentences in one engine batch, sorted by
length (what ``transpipe batch`` does); ``run`` is ``run_many`` of one document. Pure with
respect to files: reading inputs and writing outputs is the CLI's job.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transpipe.config import TranslateConfig
from transpipe.engines.base import Engine
from transpipe.errors import ConfigError, InputError
from transpipe.model import (
    Bitext,
    Document,
    DraftKind,
    Provenance,
    SegmentKind,
    SegmentRecord,
    TermOutcome,
    Unit,
)
from transpipe.pipeline.stages import (
    FixedBoilerplate,
    FoundTermsAudit,
    MachineTranslation,
    NoTranslation,
    QualityEstimate,
    RuleChecks,
    SourceTerms,
    Stage,
    TargetTerms,
    TermPinning,
)
from transpipe.report import Report

if TYPE_CHECKING:
    from transpipe.embeddings import SentenceEncoder
    from transpipe.terms import Glossary
    from transpipe.terms.matcher import MatcherCache
    from transpipe.tm.store import TranslationMemory


@dataclass
class StageTimer:
    """Wall time per pipeline stage, in seconds, in the order the stages ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` more for stage ``name`` (a share of a stage run for many)."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


@dataclass(frozen=True)
class TranslationRun:
    """The result of translating one document: its finished records, bitext and report."""

    source: Document
    records: tuple[SegmentRecord, ...]
    bitext: Bitext
    report: Report  # its ``timings`` are the seconds per stage of this document


class Pipeline:
    """Everything a ``translate`` run needs, built once; ``run(doc)`` per document.

    ``engine`` translates what the memory (if any) does not; ``engine=None`` needs a
    ``memory`` (a memory-only run: unmatched segments stay empty and are flagged). The
    ``encoder`` is the sentence encoder of quality estimation (the caller builds it once);
    ``matchers``, when given, keeps the glossary's compiled matchers on disk between runs.
    """

    def __init__(
        self,
        config: TranslateConfig,
        *,
        engine: Engine | None,
        encoder: SentenceEncoder,
        glossary: Glossary | None = None,
        memory: TranslationMemory | None = None,
        reviewed_only: bool = False,
        matchers: MatcherCache | None = None,
    ) -> None:
        if engine is None and memory is None:
            raise ConfigError("a run needs an engine or a translation memory")
        pair = config.pair
        self.config = config
        pinning = config.pin_terms and glossary is not None and engine is not None
        self.provenance = _provenance(config, engine, memory, pinning)
        self._source_terms: list[Stage] = []
        self._target_terms: list[Stage] = []
        if glossary is not None:
            from transpipe.terms import CompiledGlossary

            terms = CompiledGlossary(glossary, matchers)
            self._source_terms.append(SourceTerms(terms, pair.source))
            self._target_terms.append(TargetTerms(terms, pair.target))
        self._translation: list[Stage] = [FixedBoilerplate(pair)]
        if memory is not None:
            from transpipe.tm.engine import MemoryStage

            self._translation.append(MemoryStage(memory, pair, reviewed_only=reviewed_only))
        if engine is None:
            self._translation.append(NoTranslation())
        else:
            self._translation.append(MachineTranslation(engine, pair))
            if pinning and glossary is not None:
                from transpipe.pinning import TermPinner

                pinner = TermPinner(glossary, pair, engine, config.pinning, terms=terms)
                self._translation.append(TermPinning(pinner))
        self._quality: list[Stage] = [
            FoundTermsAudit(pair),
            RuleChecks(pair, config.checks),
            QualityEstimate(pair, encoder, config.thresholds, config.estimator),
        ]
        if memory is not None:
            from transpipe.tm.engine import FuzzyMemory

            rescore = [*self._target_terms, *self._quality]
            threshold = config.memory_threshold / 100
            self._quality.append(
                FuzzyMemory(
                    memory, pair, threshold=threshold, reviewed_only=reviewed_only, rescore=rescore
                )
            )

    def run(
        self,
        doc: Document,
        *,
        reference: Document | None = None,
        timer: StageTimer | None = None,
    ) -> TranslationRun:
        """Translate ``doc``; ``reference`` (a human translation) adds corpus metrics."""
        return self.run_many(
            [doc], references=[reference], timers=[timer] if timer is not None else None
        )[0]

    def run_many(
        self,
        docs: Sequence[Document],
        *,
        references: Sequence[Document | None] | None = None,
        timers: Sequence[StageTimer] | None = None,
    ) -> list[TranslationRun]:
        """Translate several documents with their sentences batched together.

        The translation stages (boilerplate, memory, engine, pinning) work record by record,
        so they run once over the records of every document, sorted by source length (one
        engine call with little padding), and each record goes back to its document; the
        other stages run per document, in ``docs`` order. Each document's report gets its
        share of the shared translation time, by record count. The result depends only on
        ``docs`` (and on nothing translated before), so a batch job that translates the
        same group of documents again writes the same bytes.
        """
        refs = list(references) if references is not None else [None] * len(docs)
        clocks = list(timers) if timers is not None else [StageTimer() for _ in docs]
        if not len(refs) == len(clocks) == len(docs):
            raise ValueError(f"{len(docs)} documents, {len(refs)} references, {len(clocks)} timers")
        pair = self.config.pair
        for doc in docs:
            if doc.lang != pair.source:
                raise InputError(
                    f"document language {doc.lang!r} does not match --from {pair.source}"
                )
        per_doc: list[list[SegmentRecord]] = []
        for doc, timer in zip(docs, clocks, strict=True):
            records = [SegmentRecord(segment) for segment in doc.segments]
            with timer.stage("terms"):
                records = _apply_all(self._source_terms, records)
            per_doc.append(records)
        counts = [len(records) for records in per_doc]
        with _shared_stage("translate", clocks, counts):
            together = _translated_together(self._translation, [r for rs in per_doc for r in rs])
        per_doc = _by_document(together, counts)
        runs: list[TranslationRun] = []
        for doc, reference, records, timer in zip(docs, refs, per_doc, clocks, strict=True):
            with timer.stage("terms"):
                records = _apply_all(self._target_terms, records)
            with timer.stage("quality"):
                records = _apply_all(self._quality, records)
            runs.append(self._finish(doc, reference, records, timer))
        return runs

    def _finish(
        self,
        doc: Document,
        reference: Document | None,
        records: list[SegmentRecord],
        timer: StageTimer,
    ) -> TranslationRun:
        """The bitext and report of one document's finished records."""
        with timer.stage("report"):
            breaks = _line_breaks(doc)
            bitext = Bitext(
                name=doc.name,
                pair=self.config.pair,
                units=tuple(_unit(r, r.segment.id in breaks) for r in records),
                created=self.config.created,
                props=self.provenance.props(),
            )
        metrics: dict[str, Any] | None = None
        if reference is not None:
            with timer.stage("metrics"):
                metrics = _reference_metrics(bitext, reference)
        report = Report(
            bitext,
            source_name=doc.name,
            provenance=self.provenance,
            timings=dict(timer.seconds) if self.config.stage_timings else {},
            metrics=metrics,
        )
        return TranslationRun(doc, tuple(records), bitext, report)


def _apply_all(stages: Sequence[Stage], records: list[SegmentRecord]) -> list[SegmentRecord]:
    for stage in stages:
        records = _apply(stage, records)
    return records


def _translated_together(
    stages: Sequence[Stage], records: list[SegmentRecord]
) -> list[SegmentRecord]:
    """``records`` through ``stages`` shortest source first, returned in their own order."""
    order = sorted(range(len(records)), key=lambda i: len(records[i].segment.text))
    done = _apply_all(stages, [records[i] for i in order])
    out: list[SegmentRecord] = list(records)
    for position, index in enumerate(order):
        out[index] = done[position]
    return out


def _by_document(records: list[SegmentRecord], counts: list[int]) -> list[list[SegmentRecord]]:
    starts = list(itertools.accumulate(counts, initial=0))
    return [records[start : start + count] for start, count in zip(starts, counts, strict=False)]


@contextmanager
def _shared_stage(name: str, timers: Sequence[StageTimer], counts: Sequence[int]) -> Iterator[None]:
    """Time a stage run for several documents at once: one document's timer times it as any
    stage; several get each its share of the wall time, by record count."""
    if len(timers) == 1:
        with timers[0].stage(name):
            yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        total = sum(counts)
        for timer, count in zip(timers, counts, strict=True):
            timer.add(name, seconds * count / total if total else seconds / len(timers))


def _apply(stage: Stage, records: list[SegmentRecord]) -> list[SegmentRecord]:
    done = stage(records)
    if len(done) != len(records):  # a bug in the stage, not a user error
        raise RuntimeError(f"stage {stage.name}: {len(records)} records in, {len(done)} out")
    return done


def _provenance(
    config: TranslateConfig, engine: Engine | None, memory: TranslationMemory | None, pinning: bool
) -> Provenance:
    if memory is not None:
        from transpipe.tm.engine import TranslationMemoryEngine

        info = TranslationMemoryEngine(memory, engine, decoding=config.decoding).info
    elif engine is not None:
        info = engine.info
    else:  # refused in Pipeline.__init__
        raise ConfigError("a run needs an engine or a translation memory")
    return Provenance(
        engine=info.name,
        model=info.model_id,
        model_revision=info.revision,
        decoding=info.decoding.describe(),
        term_pinning=pinning,
    )


def _unit(record: SegmentRecord, newline_before: bool) -> Unit:
    segment = record.segment
    draft = record.draft
    audit = record.term_audit or ()
    failed_term = any(a.outcome is TermOutcome.FAILED for a in audit)
    props: list[tuple[str, str]] = [("x-origin", draft.origin if draft else "none")]
    if newline_before:
        props.append(("x-newline-before", "1"))
    if draft is not None and draft.hypothesis.pieces > 1:
        props.append(("x-pieces", str(draft.hypothesis.pieces)))
    if draft is not None:
        props.extend(draft.props)
    score = record.score
    # a reviewed memory translation of this very source: a person approved it (a failed term
    # still sends it back); everything else a run produces - machine translation, however well
    # it scores - is fuzzy until a person approves it, so nothing unreviewed is published
    approved = draft is not None and draft.kind is DraftKind.MEMORY and not draft.needs_review
    return Unit(
        id=segment.id,
        source=segment.text,
        target=record.target,
        paragraph=segment.paragraph,
        kind=segment.kind,
        fuzzy=failed_term or (draft is not None and draft.needs_review) or not approved,
        props=tuple(props),
        term_matches=record.source_terms or (),
        term_audit=audit,
        issues=record.issues or (),
        score=score,
    )


def _line_breaks(doc: Document) -> set[str]:
    """Ids of segments with a line break between them and the segment before them in the
    same paragraph (e.g. a name line followed by a phone line)."""
    return {
        segment.id
        for paragraph in doc.paragraphs
        for previous, segment in itertools.pairwise(paragraph.segments)
        if "\n" in doc.text[previous.span.end : segment.span.start]
    }


def _reference_metrics(bitext: Bitext, reference: Document) -> dict[str, Any]:
    """Pair hypothesis and reference by sentence, or by paragraph when sentences differ."""
    from transpipe.quality import reference_metrics

    hyp_units = [u for u in bitext.units if u.kind is not SegmentKind.BOILERPLATE]
    ref_segments = [s for s in reference.segments if s.kind is not SegmentKind.BOILERPLATE]
    if len(hyp_units) == len(ref_segments):
        hyps = [u.target for u in hyp_units]
        refs = [s.text for s in ref_segments]
        level = "sentence"
    else:
        hyp_paras = _join_by_paragraph([(u.paragraph, u.target) for u in hyp_units])
        ref_paras = _join_by_paragraph([(s.paragraph, s.text) for s in ref_segments])
        if len(hyp_paras) != len(ref_paras):
            raise InputError(
                f"reference has {len(ref_paras)} paragraphs and {len(ref_segments)} sentences; "
                f"the source has {len(hyp_paras)} and {len(hyp_units)}: cannot pair them"
            )
        hyps, refs, level = hyp_paras, ref_paras, "paragraph"
    metrics = dict(reference_metrics(hyps, refs, target_lang=bitext.pair.target))
    metrics["paired_by"] = level
    return metrics


def _join_by_paragraph(items: Sequence[tuple[int, str]]) -> list[str]:
    joined: dict[int, list[str]] = {}
    for paragraph, text in items:
        joined.setdefault(paragraph, []).append(text)
    return [" ".join(parts) for _, parts in sorted(joined.items())]
