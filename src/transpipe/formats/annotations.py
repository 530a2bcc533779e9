"""The text form of a unit's review annotations, shared by TMX props, PO comments and XLIFF.

Owns how the typed parts of a :class:`~transpipe.model.Unit` that no interchange format has a
field for (term audit, quality findings, score, review flag, term matches) become readable
``(key, value)`` pairs, and how those pairs are parsed back, so a TMX, PO or XLIFF file read by
transpipe yields the same ``Unit`` it was written from (spans excepted: formats have no place
for character offsets).

Keys: ``x-term`` (audit: ``concept: outcome | source -> expected | target surface``),
``x-issue`` (``severity check: message``), ``x-score`` / ``x-status`` (unless the unit's props
already carry ``score`` / ``status``), ``x-score-components`` (``name=value; ...``),
``x-review`` (``fuzzy``), ``x-term-match`` (``surface -> preferred target term (status)``,
written for people; read back as a plain prop, since a format has no place for its span).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transpipe.lang.codes import primary
from transpipe.model import (
    Issue,
    Score,
    SegmentStatus,
    Severity,
    TermAudit,
    TermOutcome,
    Unit,
)

TERM = "x-term"
ISSUE = "x-issue"
SCORE = "x-score"
STATUS = "x-status"
COMPONENTS = "x-score-components"
REVIEW = "x-review"
TERM_MATCH = "x-term-match"
INLINE = "x-transpipe-inline"
"""Prop holding the inline-code table of a unit (see :mod:`transpipe.formats.inline`)."""

_TERM_RE = re.compile(  # the target surface may be empty (and its space stripped by a reader)
    r"^(?P<concept>.*?): (?P<outcome>\w+) \| (?P<src>.*) -> (?P<exp>.*?) \|(?: (?P<tgt>.*))?$", re.S
)
_ISSUE_RE = re.compile(r"^(?P<sev>info|minor|major|critical) (?P<check>\S+): (?P<msg>.*)$", re.S)
_SEVERITIES = {s.label: s for s in Severity}
_OUTCOMES = {o.value: o for o in TermOutcome}
_STATUSES = {s.value: s for s in SegmentStatus}


def annotation_pairs(unit: Unit, target_lang: str = "") -> list[tuple[str, str]]:
    """The annotation ``(key, value)`` pairs of ``unit`` in a fixed order (props excluded).

    A term match shows the preferred term in ``target_lang`` when the glossary has one,
    otherwise every preferred term as ``lang=term``.
    """
    pairs: list[tuple[str, str]] = []
    want = primary(target_lang)
    for match in unit.term_matches:
        wanted = [term for lang, term in match.preferred if primary(lang) == want]
        preferred = wanted[0] if wanted else "; ".join(f"{lg}={t}" for lg, t in match.preferred)
        pairs.append((TERM_MATCH, f"{match.surface} -> {preferred} ({match.status.value})"))
    for audit in unit.term_audit:
        pairs.append(
            (
                TERM,
                f"{audit.concept_id}: {audit.outcome.value} | {audit.source_surface}"
                f" -> {audit.expected} | {audit.target_surface}",
            )
        )
    for issue in unit.issues:
        pairs.append((ISSUE, f"{issue.severity.label} {issue.check}: {issue.message}"))
    keys = {key for key, _ in unit.props}
    if unit.score is not None:
        if "score" not in keys:
            pairs.append((SCORE, repr(float(unit.score.value))))
        if unit.score.components:
            parts = "; ".join(f"{name}={float(v)!r}" for name, v in unit.score.components)
            pairs.append((COMPONENTS, parts))
        if "status" not in keys:
            pairs.append((STATUS, unit.score.status.value))
    if unit.fuzzy:
        pairs.append((REVIEW, "fuzzy"))
    return pairs


@dataclass(frozen=True)
class Annotations:
    """Typed fields recovered from annotation pairs; ``props`` holds everything else."""

    props: tuple[tuple[str, str], ...]
    term_audit: tuple[TermAudit, ...]
    issues: tuple[Issue, ...]
    score: Score | None
    fuzzy: bool


def parse_pairs(pairs: list[tuple[str, str]]) -> Annotations:
    """Split ``pairs`` into typed annotations and the remaining plain props (order kept)."""
    props: list[tuple[str, str]] = []
    audits: list[TermAudit] = []
    issues: list[Issue] = []
    score_value: float | None = None
    status: SegmentStatus | None = None
    fuzzy = False
    components: tuple[tuple[str, float], ...] = ()
    for key, value in pairs:
        if key == TERM and (m := _TERM_RE.match(value)) and m["outcome"] in _OUTCOMES:
            audits.append(
                TermAudit(m["concept"], m["src"], m["exp"], _OUTCOMES[m["outcome"]], m["tgt"] or "")
            )
        elif key == ISSUE and (m := _ISSUE_RE.match(value)):
            issues.append(Issue(m["check"], _SEVERITIES[m["sev"]], m["msg"]))
        elif key in (SCORE, "score") and _float(value) is not None:
            score_value = _float(value)
            if key == "score":
                props.append((key, value))
        elif key in (STATUS, "status") and value in _STATUSES:
            status = _STATUSES[value]
            if key == "status":
                props.append((key, value))
        elif key == COMPONENTS and (parsed := _components(value)) is not None:
            components = parsed
        elif key == REVIEW and value == "fuzzy":
            fuzzy = True
        else:
            props.append((key, value))
    score = None
    if score_value is not None and status is not None:
        score = Score(score_value, status, components)
    return Annotations(tuple(props), tuple(audits), tuple(issues), score, fuzzy)


def _components(value: str) -> tuple[tuple[str, float], ...] | None:
    out: list[tuple[str, float]] = []
    for part in value.split("; "):
        name, sep, number = part.partition("=")
        parsed = _float(number)
        if not sep or parsed is None:
            return None
        out.append((name, parsed))
    return tuple(out)


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number else None  # NaN is not a score
