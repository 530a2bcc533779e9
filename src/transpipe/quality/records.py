"""JSON-ready records of findings and scores, shared by the CLI and the run report.

Owns the stable field names machines read: an issue is ``{check, severity, message, side,
start?, end?}`` (``start``/``end`` are character offsets into the side's text); a score is
``{score, status, components}``.
"""

from __future__ import annotations

from collections.abc import Sequence

from transpipe.model import Issue, Score

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def issue_record(issue: Issue) -> dict[str, JsonValue]:
    record: dict[str, JsonValue] = {
        "check": issue.check,
        "severity": issue.severity.label,
        "message": issue.message,
        "side": issue.side,
    }
    if issue.span is not None:
        record["start"] = issue.span.start
        record["end"] = issue.span.end
    return record


def score_record(score: Score | None, issues: Sequence[Issue]) -> dict[str, JsonValue]:
    return {
        "score": None if score is None else score.value,
        "status": None if score is None else score.status.value,
        "components": {} if score is None else {k: v for k, v in score.components},
        "issues": [issue_record(i) for i in issues],
    }
