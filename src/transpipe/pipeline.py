"""Composes the stages of ``translate``: segment, match terms, translate, check, score.

Pure with respect to files: takes a source ``Document`` (and optionally a reference one), an
engine and a glossary, and returns a ``TranslationRun`` holding the ``Bitext`` and the report
dictionary. Reading inputs and writing outputs is the CLI's job.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transpipe.config import TranslateConfig
from transpipe.errors import InputError
from transpipe.lang.boilerplate import translate_boilerplate
from transpipe.model import (
    Bitext,
    Document,
    Hypothesis,
    Issue,
    Segment,
    SegmentKind,
    SegmentStatus,
    Severity,
    TermAudit,
    TermMatch,
    TermOutcome,
    Unit,
)

if TYPE_CHECKING:
    from transpipe.engines.base import Engine
    from transpipe.terms import Glossary


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
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


@dataclass(frozen=True)
class TranslationRun:
    """The result of translating one document."""

    source: Document
    bitext: Bitext
    report: dict[str, Any]
    timings: Mapping[str, float]


@dataclass(frozen=True)
class _Translated:
    hypothesis: Hypothesis
    audit: tuple[TermAudit, ...]
    origin: str
    reviewed: bool = True


def translate_document(
    doc: Document,
    engine: Engine,
    config: TranslateConfig,
    *,
    glossary: Glossary | None = None,
    reference: Document | None = None,
    timer: StageTimer | None = None,
) -> TranslationRun:
    """Translate ``doc`` with ``engine`` and return the bilingual result with its report."""
    timer = timer or StageTimer()
    pair = config.pair
    if doc.lang != pair.source:
        raise InputError(f"document language {doc.lang!r} does not match --from {pair.source}")
    segments = doc.segments

    with timer.stage("terms"):
        matches = _match_terms(
            glossary, pair.source, [s.text for s in segments], [s.id for s in segments]
        )

    prose = [i for i, s in enumerate(segments) if s.kind is not SegmentKind.BOILERPLATE]
    with timer.stage("translate"):
        translated = _translate(
            engine,
            config,
            glossary,
            [segments[i].text for i in prose],
            [matches[i] for i in prose],
        )
    results: dict[int, _Translated] = dict(zip(prose, translated, strict=True))

    targets: list[str] = []
    boilerplate_issues: dict[int, Issue] = {}
    for i, segment in enumerate(segments):
        if i in results:
            targets.append(results[i].hypothesis.text)
            continue
        fixed = translate_boilerplate(segment.text, pair.source, pair.target)
        targets.append(fixed if fixed is not None else segment.text)
        if fixed is None:
            boilerplate_issues[i] = Issue(
                "boilerplate",
                Severity.MINOR,
                "navigation line with no known translation; kept as is",
            )

    with timer.stage("quality"):
        from transpipe.embeddings import shared_encoder
        from transpipe.quality import estimate_quality, run_checks, run_document_checks

        issues: list[list[Issue]] = []
        for i, segment in enumerate(segments):
            found = run_checks(
                segment.text,
                targets[i],
                pair,
                term_matches=matches[i],
                term_audit=results[i].audit if i in results else (),
                glossary=glossary,
            )
            if i in boilerplate_issues:
                found.append(boilerplate_issues[i])
            issues.append(found)
        for found, document_level in zip(issues, run_document_checks(targets, pair), strict=True):
            found.extend(document_level)
        scores = estimate_quality(
            [s.text for s in segments],
            targets,
            pair,
            issues=issues,
            engine_scores=[
                results[i].hypothesis.score if i in results else None for i in range(len(segments))
            ],
            encoder=shared_encoder(config.paths.models_dir / "cache"),
            thresholds=config.thresholds,
        )

    info = engine.info
    units: list[Unit] = []
    for i, segment in enumerate(segments):
        audit = results[i].audit if i in results else ()
        score = scores[i]
        failed_term = any(a.outcome is TermOutcome.FAILED for a in audit)
        origin = results[i].origin if i in results else "boilerplate"
        unreviewed = i in results and not results[i].reviewed
        props: list[tuple[str, str]] = [("x-origin", origin)]
        if _line_break_before(doc.text, segments, i):
            props.append(("x-newline-before", "1"))
        if i in results and results[i].hypothesis.pieces > 1:
            props.append(("x-pieces", str(results[i].hypothesis.pieces)))
        units.append(
            Unit(
                id=segment.id,
                source=segment.text,
                target=targets[i],
                paragraph=segment.paragraph,
                kind=segment.kind,
                fuzzy=score.status is not SegmentStatus.GOOD or failed_term or unreviewed,
                props=tuple(props),
                term_matches=tuple(matches[i]),
                term_audit=tuple(audit),
                issues=tuple(issues[i]),
                score=score,
            )
        )

    bitext = Bitext(
        name=doc.name,
        pair=pair,
        units=tuple(units),
        created=config.created,
        props=(
            ("x-engine", info.name),
            ("x-model", info.model_id),
            ("x-model-revision", info.revision),
            ("x-decoding", info.decoding.describe()),
            ("x-term-pinning", "on" if (config.pin_terms and glossary is not None) else "off"),
        ),
    )

    metrics: dict[str, Any] | None = None
    if reference is not None:
        with timer.stage("metrics"):
            metrics = _reference_metrics(bitext, reference)

    with timer.stage("report"):
        from transpipe.report import build_report

        run_info: dict[str, object] = {
            "engine": info.name,
            "model": info.model_id,
            "model_revision": info.revision,
            "decoding": info.decoding.describe(),
            "term_pinning": config.pin_terms and glossary is not None,
            "created": config.created,
            "pair": str(pair),
            "timings_s": {stage: round(sec, 3) for stage, sec in timer.seconds.items()},
        }
        report = build_report(bitext, source_name=doc.name, run=run_info, metrics=metrics)
    return TranslationRun(source=doc, bitext=bitext, report=report, timings=dict(timer.seconds))


def _line_break_before(text: str, segments: Sequence[Segment], index: int) -> bool:
    """True when the source has a line break between segment ``index`` and the one before it
    in the same paragraph (e.g. a name line followed by a phone line)."""
    if index == 0 or segments[index - 1].paragraph != segments[index].paragraph:
        return False
    gap = text[segments[index - 1].span.end : segments[index].span.start]
    return "\n" in gap


def _match_terms(
    glossary: Glossary | None, lang: str, texts: Sequence[str], ids: Sequence[str]
) -> list[list[TermMatch]]:
    if glossary is None:
        return [[] for _ in texts]
    from transpipe.terms import TermMatcher

    matcher = TermMatcher(glossary, lang)
    return [matcher.find(text, segment_id=sid) for text, sid in zip(texts, ids, strict=True)]


def _translate(
    engine: Engine,
    config: TranslateConfig,
    glossary: Glossary | None,
    texts: Sequence[str],
    matches: Sequence[Sequence[TermMatch]],
) -> list[_Translated]:
    """Translation memory hits first (kept as reviewed), then MT with pinning for the rest."""
    # A memory engine exists only if its module was imported; don't import it for plain MT runs.
    tm_engine = sys.modules.get("transpipe.tm.engine")
    if tm_engine is None or not isinstance(engine, tm_engine.TranslationMemoryEngine):
        return _machine_translate(engine, config, glossary, texts, matches)
    results: list[_Translated | None] = [None] * len(texts)
    misses: list[int] = []
    for i, text in enumerate(texts):
        hit = engine.match_for(text, config.pair) if text.strip() else None
        if hit is None:
            misses.append(i)
            continue
        results[i] = _Translated(
            Hypothesis(text=hit.target, score=0.0),
            tuple(_found_only(matches[i])),
            origin=f"tm:{hit.origin}",
            reviewed=hit.reviewed,
        )
    if misses:
        if engine.fallback is None:
            translated = [
                _Translated(Hypothesis(text="", pieces=0), tuple(_found_only(matches[i])), "none")
                for i in misses
            ]
        else:
            translated = _machine_translate(
                engine.fallback,
                config,
                glossary,
                [texts[i] for i in misses],
                [matches[i] for i in misses],
            )
        for i, result in zip(misses, translated, strict=True):
            results[i] = result
    return [r for r in results if r is not None]


def _machine_translate(
    engine: Engine,
    config: TranslateConfig,
    glossary: Glossary | None,
    texts: Sequence[str],
    matches: Sequence[Sequence[TermMatch]],
) -> list[_Translated]:
    if not texts:
        return []
    origin = engine.info.name
    if config.pin_terms and glossary is not None:
        from transpipe.pinning import TermPinner

        pinned = TermPinner(glossary, config.pair, engine).translate(texts, matches)
        return [_Translated(p.hypothesis, tuple(p.audit), origin) for p in pinned]
    hypotheses = engine.translate(texts, config.pair)
    return [
        _Translated(h, tuple(_found_only(m)), origin)
        for h, m in zip(hypotheses, matches, strict=True)
    ]


def _found_only(matches: Sequence[TermMatch]) -> list[TermAudit]:
    """Audit records for a run without pinning: terms were found, nothing was enforced."""
    audit = []
    for match in matches:
        expected = ""
        for lang, term in match.preferred:
            if lang != match.lang:
                expected = term
        audit.append(TermAudit(match.concept_id, match.surface, expected, TermOutcome.FOUND))
    return audit


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
        hyp_paras = _join_by_paragraph((u.paragraph, u.target) for u in hyp_units)
        ref_paras = _join_by_paragraph((s.paragraph, s.text) for s in ref_segments)
        if len(hyp_paras) != len(ref_paras):
            raise InputError(
                f"reference has {len(ref_paras)} paragraphs and {len(ref_segments)} sentences; "
                f"the source has {len(hyp_paras)} and {len(hyp_units)}: cannot pair them"
            )
        hyps, refs, level = hyp_paras, ref_paras, "paragraph"
    metrics = dict(reference_metrics(hyps, refs, target_lang=bitext.pair.target))
    metrics["paired_by"] = level
    return metrics


def _join_by_paragraph(items: Iterator[tuple[int, str]] | Sequence[tuple[int, str]]) -> list[str]:
    joined: dict[int, list[str]] = {}
    for paragraph, text in items:
        joined.setdefault(paragraph, []).append(text)
    return [" ".join(parts) for _, parts in sorted(joined.items())]
