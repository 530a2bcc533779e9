"""Whether a translation may be published: review states and term failures on the current text.

Owns the publish gate's judgement of one segment. Review states are the formats' own
(:func:`transpipe.formats.review.review_state`: untranslated, fuzzy, machine, reviewed) and
the counts are :class:`transpipe.formats.review.Readiness`, so ``publish``, ``convert`` and
the review page say the same thing. What this module adds is the term check on the text *as
it is now*: term audits written at MT time go stale once a person edits a sentence (and carry
false alarms), so :func:`check_segment` first re-verifies every audit record against the
current text (an approved form present in any inflection: the form the run saw, any form of
the expected term, of the term the glossary gives for the matched words, or, with a compiled
glossary, any approved or admitted term of the concept) and then runs the rule checks with
the re-verified audit. A **term failure** is a ``glossary`` or ``forbidden_terms`` finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from transpipe.formats.annotations import TERM_MATCH
from transpipe.model import (
    Issue,
    LanguagePair,
    TermAudit,
    TermMatch,
    TermOutcome,
)
from transpipe.pinning.audit import approved_form_in
from transpipe.quality import run_checks
from transpipe.quality.checks import CHECK_NAMES
from transpipe.quality.checks_config import ChecksConfig
from transpipe.terms import CompiledGlossary

TERM_CHECKS = ("glossary", "forbidden_terms")
"""Checks whose findings are term failures."""

TERMS_ONLY = ChecksConfig(disabled=frozenset(CHECK_NAMES) - frozenset(TERM_CHECKS))
"""Check configuration that runs the term checks alone (what the publish gate needs)."""


@dataclass(frozen=True)
class CheckedSegment:
    """The findings on a segment's current text and its re-verified term audit."""

    audit: tuple[TermAudit, ...]
    issues: tuple[Issue, ...]

    @property
    def term_failures(self) -> int:
        return count_term_failures(self.issues)


def count_term_failures(issues: Iterable[Issue]) -> int:
    return sum(1 for issue in issues if issue.check in TERM_CHECKS)


def check_segment(
    source: str,
    target: str,
    pair: LanguagePair,
    *,
    term_matches: Sequence[TermMatch] = (),
    term_audit: Sequence[TermAudit] = (),
    props: Sequence[tuple[str, str]] = (),
    terms: CompiledGlossary | None = None,
    config: ChecksConfig = ChecksConfig(),  # noqa: B008 - frozen value
) -> CheckedSegment:
    """Re-verify ``term_audit`` against ``target`` and run the checks (default: all).

    ``props`` are the unit's props: a file without term spans still names, per source term,
    the target term the glossary gives for it (``x-term-match``), which counts as approved.
    """
    audit = tuple(
        reverify(
            record,
            target,
            pair.target,
            terms,
            alternatives(record, term_matches, props, pair.target),
        )
        for record in term_audit
    )
    issues = run_checks(
        source,
        target,
        pair,
        source_terms=tuple(term_matches) if term_matches or terms is None else None,
        term_audit=audit,
        terms=terms,
        config=config,
    )
    return CheckedSegment(audit, tuple(issues))


_TERM_MATCH_NOTE = re.compile(r"^(?P<surface>.*) -> (?P<preferred>.*) \((?P<status>\w+)\)$", re.S)


def alternatives(
    record: TermAudit,
    term_matches: Sequence[TermMatch],
    props: Sequence[tuple[str, str]],
    lang: str,
) -> tuple[str, ...]:
    """Target terms the glossary gives for this occurrence besides ``record.expected``: the
    preferred term of the matched surface (an abbreviation's own counterpart, a full name's
    full name), from the term matches or, in a file without spans, their ``x-term-match``."""
    found = [
        term
        for match in term_matches
        if match.concept_id == record.concept_id
        for term_lang, term in match.preferred
        if term_lang == lang
    ]
    for key, value in props:
        m = _TERM_MATCH_NOTE.match(value) if key == TERM_MATCH else None
        if m and m["surface"] == record.source_surface and m["status"] != "forbidden":
            found.append(m["preferred"])
    return tuple(dict.fromkeys(t for t in found if t and t != record.expected))


def reverify(
    record: TermAudit,
    target: str,
    lang: str,
    terms: CompiledGlossary | None,
    also: Sequence[str] = (),
) -> TermAudit:
    """``record`` judged on ``target``: FAILED when no approved form of the concept is in it
    (``also``: more approved terms, in any inflection).

    A record that still holds keeps its outcome (the form found becomes its target surface);
    a failed record whose term is now present becomes HONOURED.
    """
    if record.outcome is TermOutcome.FOUND:
        return record
    found = approved_form_in(target, record, lang, terms, also)
    if found is None:
        if record.outcome is TermOutcome.FAILED and not record.target_surface:
            return record
        return replace(record, outcome=TermOutcome.FAILED, target_surface="")
    outcome = TermOutcome.HONOURED if record.outcome is TermOutcome.FAILED else record.outcome
    return replace(record, outcome=outcome, target_surface=found)
