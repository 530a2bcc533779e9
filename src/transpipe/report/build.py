"""The run report: the typed :class:`Report` and its JSON form (``Report.to_json()``).

Owns what a report contains: the bilingual units with their scores, findings and terms; the
run's provenance (:class:`~transpipe.model.Provenance`, kept once and rendered as both the
``props`` and the ``run`` records); stage timings; corpus metrics with sacrebleu signatures.
``to_json`` derives one record per segment (id, texts, score, status, score components,
findings, term matches, term audit, a fuzzy memory match when one was offered) and the summary
(segment and status counts, score distribution, findings by check, term summary, metrics, run
information), deterministically.
Writers (``json_writer``, ``html_writer``) only render that JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from transpipe.formats.leverage import memory_offer
from transpipe.model import Bitext, Provenance, TermAudit, TermMatch, Unit
from transpipe.quality.records import issue_record

REPORT_VERSION = 1
STATUSES = ("good", "review", "bad", "unscored")
SEVERITIES = ("critical", "major", "minor", "info")


def _jsonable(value: object) -> Any:
    """Plain JSON values for metrics given by the caller (paths, dataclasses -> strings)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)


def term_match_record(match: TermMatch) -> dict[str, Any]:
    return {
        "concept": match.concept_id,
        "start": match.span.start,
        "end": match.span.end,
        "surface": match.surface,
        "lang": match.lang,
        "status": match.status.value,
        "preferred": {lang: term for lang, term in match.preferred},
    }


def term_audit_record(audit: TermAudit) -> dict[str, Any]:
    return {
        "concept": audit.concept_id,
        "source": audit.source_surface,
        "expected": audit.expected,
        "outcome": audit.outcome.value,
        "target": audit.target_surface,
    }


def _segment(unit: Unit, index: int, metrics: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "n": index + 1,
        "id": unit.id,
        "paragraph": unit.paragraph,
        "kind": unit.kind.value,
        "source": unit.source,
        "target": unit.target,
        "score": unit.score.value if unit.score else None,
        "status": unit.score.status.value if unit.score else "unscored",
        "components": {k: v for k, v in unit.score.components} if unit.score else {},
        "issues": [issue_record(i) for i in unit.issues],
        "term_matches": [term_match_record(m) for m in unit.term_matches],
        "term_audit": [term_audit_record(a) for a in unit.term_audit],
        "fuzzy": unit.fuzzy,
        "notes": list(unit.notes),
    }
    offer = memory_offer(unit)
    if offer is not None:  # a fuzzy translation-memory match (translate --tm)
        record["memory_match"] = {
            "percent": offer.percent,
            "origin": offer.origin,
            "reviewed": offer.reviewed,
            "source": offer.source,
            "target": offer.target,
            "used": offer.used,
            "machine_translation": offer.alternative,
        }
    if metrics is not None:
        record["metrics"] = dict(metrics[index])
    return record


def _histogram(scores: Sequence[float], bins: int = 10) -> list[int]:
    counts = [0] * bins
    for value in scores:
        counts[min(bins - 1, max(0, int(value // (100 / bins))))] += 1
    return counts


_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Report:
    """Everything a reader of one run needs; ``to_json()`` is what the writers render.

    ``provenance`` is what produced the translation (``None`` for a bitext that was read, not
    translated: the report then shows the bitext's own props); ``timings`` are seconds per
    pipeline stage; ``metrics`` is the result of ``reference_metrics`` when references were
    given (its per-segment values are attached to the segments when the counts agree);
    ``extra`` holds further facts about the run for the reader (e.g. the glossary used).
    """

    bitext: Bitext
    source_name: str
    provenance: Provenance | None = None
    timings: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    metrics: Mapping[str, Any] | None = None
    extra: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def props(self) -> dict[str, str]:
        """The header properties the run's bilingual files carry."""
        pairs = self.provenance.props() if self.provenance is not None else self.bitext.props
        return dict(pairs)

    def run_record(self) -> dict[str, Any]:
        """The ``run`` record: provenance, clock, direction and stage timings."""
        record: dict[str, Any] = dict(self.extra)
        if self.provenance is not None:
            record.update(
                engine=self.provenance.engine,
                model=self.provenance.model,
                model_revision=self.provenance.model_revision,
                decoding=self.provenance.decoding,
                term_pinning=self.provenance.term_pinning,
                created=self.bitext.created,
                pair=str(self.bitext.pair),
            )
        if self.timings:
            record["timings_s"] = {stage: round(s, 3) for stage, s in self.timings.items()}
        return record

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON values (``report_version`` 1 schema)."""
        bitext = self.bitext
        per_segment: Sequence[Mapping[str, Any]] | None = None
        corpus: dict[str, Any] | None = None
        if self.metrics is not None:
            seg_metrics = self.metrics.get("segments")
            if isinstance(seg_metrics, list) and len(seg_metrics) == len(bitext.units):
                per_segment = seg_metrics
            corpus = _jsonable({k: v for k, v in self.metrics.items() if k != "segments"})
        segments = [_segment(u, i, per_segment) for i, u in enumerate(bitext.units)]
        return {
            "report_version": REPORT_VERSION,
            "name": bitext.name,
            "source_name": self.source_name,
            "pair": str(bitext.pair),
            "source_lang": bitext.pair.source,
            "target_lang": bitext.pair.target,
            "created": bitext.created,
            "props": self.props(),
            "run": self.run_record(),
            "summary": _summary(bitext.units, segments, corpus),
            "segments": segments,
        }


def _summary(
    units: Sequence[Unit], segments: Sequence[Mapping[str, Any]], corpus: dict[str, Any] | None
) -> dict[str, Any]:
    scores = [s["score"] for s in segments if s["score"] is not None]
    statuses = Counter(s["status"] for s in segments)
    by_check: dict[str, Counter[str]] = {}
    for unit in units:
        for issue in unit.issues:
            by_check.setdefault(issue.check, Counter())[issue.severity.label] += 1
    findings: list[dict[str, Any]] = [
        {"check": check, "count": sum(c.values()), **{sev: c.get(sev, 0) for sev in SEVERITIES}}
        for check, c in sorted(by_check.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    ]
    outcomes = Counter(a.outcome.value for u in units for a in u.term_audit)
    concepts = Counter(m.concept_id for u in units for m in u.term_matches)
    return {
        "segments": len(segments),
        "statuses": {status: statuses.get(status, 0) for status in STATUSES},
        "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
        "score_histogram": _histogram(scores),
        "findings": findings,
        "segments_with_findings": sum(1 for u in units if u.issues),
        "terms": {
            "matches": sum(concepts.values()),
            "concepts": dict(sorted(concepts.items())),
            "audit": dict(sorted(outcomes.items())),
        },
        "metrics": corpus,
    }
