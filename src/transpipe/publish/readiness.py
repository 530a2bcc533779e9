"""Whether a translation may be published: each segment's review state and its term failures.

Owns the readiness rule that ``transpipe publish`` gates on and that the review page shows:

* a segment is **untranslated** when its target is empty (or it is missing from the file),
  **fuzzy** when it has not been reviewed, **approved** otherwise (:func:`segment_state` is the
  one place that reads the review state a format carries);
* a **term failure** is a ``glossary`` or ``forbidden_terms`` finding on the *current* text.
  Term audits written at MT time go stale once a person edits a sentence, so
  :func:`check_segment` first re-verifies every audit record against the text as it is now
  (an approved form present anywhere in any inflection: the form the run saw, any form of the
  expected term's paradigm, or, with a glossary, any approved or admitted term of the concept)
  and then runs the rule checks with the re-verified audit.

An article is ready when nothing is fuzzy, untranslated or failing a term check.
"""

from __future__ import annotations

import enum
import functools
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
    TermStatus,
    Unit,
)
from transpipe.quality import run_checks
from transpipe.quality.checks import CHECK_NAMES
from transpipe.quality.checks_config import ChecksConfig

TERM_CHECKS = ("glossary", "forbidden_terms")
"""Checks whose findings are term failures."""

TERMS_ONLY = ChecksConfig(disabled=frozenset(CHECK_NAMES) - frozenset(TERM_CHECKS))
"""Check configuration that runs the term checks alone (what the publish gate needs)."""


class SegmentState(enum.Enum):
    """Review state of one segment as far as publishing is concerned."""

    APPROVED = "approved"
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"


def segment_state(unit: Unit) -> SegmentState:
    """The review state a unit read from PO, XLIFF or TMX carries.

    Today formats carry one bit (PO ``fuzzy``, XLIFF ``approved``/``state``, TMX props), read
    into ``Unit.fuzzy``; a richer MT-vs-reviewed state from the readers plugs in here.
    """
    if not unit.target.strip():
        return SegmentState.UNTRANSLATED
    if unit.fuzzy:
        return SegmentState.FUZZY
    return SegmentState.APPROVED


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
    glossary: object | None = None,
    config: ChecksConfig | None = None,
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
            glossary,
            alternatives(record, term_matches, props, pair.target),
        )
        for record in term_audit
    )
    issues = run_checks(
        source,
        target,
        pair,
        term_matches=term_matches,
        term_audit=audit,
        glossary=glossary,
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
    glossary: object | None,
    also: Sequence[str] = (),
) -> TermAudit:
    """``record`` judged on ``target``: FAILED when no approved form of the concept is in it
    (``also``: more approved terms, in any inflection).

    A record that still holds keeps its outcome (the form found becomes its target surface);
    a failed record whose term is now present becomes HONOURED.
    """
    if record.outcome is TermOutcome.FOUND:
        return record
    found = approved_form_in(target, record, lang, glossary, also)
    if found is None:
        if record.outcome is TermOutcome.FAILED and not record.target_surface:
            return record
        return replace(record, outcome=TermOutcome.FAILED, target_surface="")
    outcome = TermOutcome.HONOURED if record.outcome is TermOutcome.FAILED else record.outcome
    return replace(record, outcome=outcome, target_surface=found)


def approved_form_in(
    target: str,
    record: TermAudit,
    lang: str,
    glossary: object | None,
    also: Sequence[str] = (),
) -> str | None:
    """The surface of an approved form of ``record``'s concept in ``target``, if any."""
    candidates = [record.target_surface] if record.target_surface else []
    for term in (record.expected, *also):
        candidates += list(term_forms(term, lang)) if term else []
    key = _key(target)
    for candidate in candidates:
        words = candidate.split()
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(_key(w)) for w in words) + r"(?!\w)"
        m = re.search(pattern, key)
        if m:
            return target[m.start() : m.end()]
    if glossary is not None:
        from transpipe.quality.checks_terms import find_terms

        for match in find_terms(glossary, lang, target):
            if match.concept_id == record.concept_id and match.status is not TermStatus.FORBIDDEN:
                return match.surface
    return None


@functools.lru_cache(maxsize=4096)
def term_forms(term: str, lang: str) -> tuple[str, ...]:
    """Every surface form of ``term`` in ``lang`` (its paradigm), citation form first."""
    from transpipe.pinning.inflect import paradigm

    return paradigm(term, lang).surfaces()


def _key(text: str) -> str:
    """Comparison key of the same length as ``text``: lower case, ё as е, ’ as '."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(_FOLD.get(low, low) if len(low) == 1 else ch)
    return "".join(out)


_FOLD = {"ё": "е", "’": "'"}


@dataclass(frozen=True)
class Readiness:
    """Counts an editor decides on: ready when only approved segments without term failures."""

    approved: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    term_failures: int = 0

    @property
    def ready(self) -> bool:
        return not (self.fuzzy or self.untranslated or self.term_failures)

    @property
    def segments(self) -> int:
        return self.approved + self.fuzzy + self.untranslated

    def line(self) -> str:
        """``12 approved, 1 fuzzy, 0 untranslated, 2 term failures``."""
        return (
            f"{self.approved} approved, {self.fuzzy} fuzzy, {self.untranslated} untranslated, "
            f"{self.term_failures} term failure{'' if self.term_failures == 1 else 's'}"
        )

    def add(self, state: SegmentState, term_failures: int = 0) -> Readiness:
        return Readiness(
            self.approved + (state is SegmentState.APPROVED),
            self.fuzzy + (state is SegmentState.FUZZY),
            self.untranslated + (state is SegmentState.UNTRANSLATED),
            self.term_failures + term_failures,
        )
