"""Report records back into domain values: term matches, term audits and findings.

Owns the inverse of the run report's record functions (``report.build.term_match_record``,
``report.build.term_audit_record``, ``quality.records.issue_record``), so the review store can
keep the report's JSON as it is and still run the checks on an edited sentence. A record that
does not have the expected shape raises ``FormatError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transpipe.errors import FormatError
from transpipe.model import Issue, Severity, Span, TermAudit, TermMatch, TermOutcome, TermStatus
from transpipe.quality.records import issue_record
from transpipe.report.build import term_audit_record

_SEVERITIES = {s.label: s for s in Severity}
_OUTCOMES = {o.value: o for o in TermOutcome}
_STATUSES = {s.value: s for s in TermStatus}


def _text(record: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = record.get(key, default)
    if not isinstance(value, str):
        raise FormatError(f"record field {key!r} is not text: {str(value)[:40]!r}")
    return value


def _offset(record: Mapping[str, Any], key: str) -> int:
    value = record.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise FormatError(f"record field {key!r} is not an offset: {str(value)[:40]!r}")
    return value


def term_match(record: Mapping[str, Any]) -> TermMatch:
    start, end = _offset(record, "start"), _offset(record, "end")
    if end < start:
        raise FormatError(f"term match ends before it starts ({start}, {end})")
    preferred = record.get("preferred", {})
    if not isinstance(preferred, Mapping):
        raise FormatError("record field 'preferred' is not an object")
    status = _STATUSES.get(_text(record, "status", "preferred"))
    if status is None:
        raise FormatError(f"unknown term status {record.get('status')!r}")
    return TermMatch(
        concept_id=_text(record, "concept"),
        span=Span(start, end),
        surface=_text(record, "surface", ""),
        lang=_text(record, "lang", ""),
        status=status,
        preferred=tuple((str(k), str(v)) for k, v in sorted(preferred.items())),
    )


def term_audit(record: Mapping[str, Any]) -> TermAudit:
    outcome = _OUTCOMES.get(_text(record, "outcome"))
    if outcome is None:
        raise FormatError(f"unknown term outcome {record.get('outcome')!r}")
    return TermAudit(
        concept_id=_text(record, "concept"),
        source_surface=_text(record, "source", ""),
        expected=_text(record, "expected", ""),
        outcome=outcome,
        target_surface=_text(record, "target", ""),
    )


def issue(record: Mapping[str, Any]) -> Issue:
    severity = _SEVERITIES.get(_text(record, "severity"))
    if severity is None:
        raise FormatError(f"unknown severity {record.get('severity')!r}")
    span = None
    if "start" in record or "end" in record:
        start, end = _offset(record, "start"), _offset(record, "end")
        if end >= start:
            span = Span(start, end)
    return Issue(
        check=_text(record, "check"),
        severity=severity,
        message=_text(record, "message", ""),
        span=span,
        side=_text(record, "side", "target"),
    )


def audit_records(audits: tuple[TermAudit, ...]) -> list[dict[str, Any]]:
    return [term_audit_record(a) for a in audits]


def issue_records(issues: tuple[Issue, ...]) -> list[dict[str, Any]]:
    return [dict(issue_record(i)) for i in issues]
