"""The run report as data: ``build_report(bitext, ...) -> dict`` (JSON-ready, deterministic).

Owns what a report contains: one record per segment (id, texts, score, status, score
components, findings, term matches, term audit) and the summary (segment and status counts,
score distribution, findings by check, term summary, corpus metrics with sacrebleu
signatures, run information). Writers (``json_writer``, ``html_writer``) only render this.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from transpipe.model import Bitext, TermAudit, TermMatch, Unit
from transpipe.quality.records import issue_record

REPORT_VERSION = 1
STATUSES = ("good", "review", "bad", "unscored")
SEVERITIES = ("critical", "major", "minor", "info")


def _jsonable(value: object) -> Any:
    """Plain JSON values for run info given by the caller (paths, dataclasses -> strings)."""
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
    if metrics is not None:
        record["metrics"] = dict(metrics[index])
    return record


def _histogram(scores: Sequence[float], bins: int = 10) -> list[int]:
    counts = [0] * bins
    for value in scores:
        counts[min(bins - 1, max(0, int(value // (100 / bins))))] += 1
    return counts


def build_report(
    bitext: Bitext,
    *,
    source_name: str,
    run: Mapping[str, object],
    metrics: Mapping[str, object] | None = None,
) -> dict[str, Any]:
    """Everything a reader of one run needs, as plain JSON values.

    ``run`` is what produced the translation (engine, model id/revision, decoding options,
    timings...); ``metrics`` is the result of ``reference_metrics`` when references were given
    (its per-segment values are attached to the segments when the counts agree).
    """
    per_segment: Sequence[Mapping[str, Any]] | None = None
    corpus: dict[str, Any] | None = None
    if metrics is not None:
        seg_metrics = metrics.get("segments")
        if isinstance(seg_metrics, list) and len(seg_metrics) == len(bitext.units):
            per_segment = seg_metrics
        corpus = _jsonable({k: v for k, v in metrics.items() if k != "segments"})
    segments = [_segment(u, i, per_segment) for i, u in enumerate(bitext.units)]
    scores = [s["score"] for s in segments if s["score"] is not None]
    statuses = Counter(s["status"] for s in segments)
    by_check: dict[str, Counter[str]] = {}
    for unit in bitext.units:
        for issue in unit.issues:
            by_check.setdefault(issue.check, Counter())[issue.severity.label] += 1
    findings: list[dict[str, Any]] = [
        {"check": check, "count": sum(c.values()), **{sev: c.get(sev, 0) for sev in SEVERITIES}}
        for check, c in sorted(by_check.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    ]
    outcomes = Counter(a.outcome.value for u in bitext.units for a in u.term_audit)
    concepts = Counter(m.concept_id for u in bitext.units for m in u.term_matches)
    summary = {
        "segments": len(segments),
        "statuses": {status: statuses.get(status, 0) for status in STATUSES},
        "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
        "score_histogram": _histogram(scores),
        "findings": findings,
        "segments_with_findings": sum(1 for u in bitext.units if u.issues),
        "terms": {
            "matches": sum(concepts.values()),
            "concepts": dict(sorted(concepts.items())),
            "audit": dict(sorted(outcomes.items())),
        },
        "metrics": corpus,
    }
    return {
        "report_version": REPORT_VERSION,
        "name": bitext.name,
        "source_name": source_name,
        "pair": str(bitext.pair),
        "source_lang": bitext.pair.source,
        "target_lang": bitext.pair.target,
        "created": bitext.created,
        "props": {k: v for k, v in bitext.props},
        "run": _jsonable(dict(run)),
        "summary": summary,
        "segments": segments,
    }
