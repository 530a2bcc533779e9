"""Review states: who produced a unit's translation and whether a person approved it.

Owns the one definition every format, ``tm import`` and the text output use:

* ``UNTRANSLATED``: the target is empty;
* ``FUZZY``: the unit needs review (PO ``#, fuzzy``; XLIFF ``needs-review-*``/``initial``;
  TMX prop ``x-review: fuzzy``);
* ``MACHINE``: translated by a machine (prop ``x-origin`` names an engine, ``boilerplate``
  rules, ...) and not approved by anyone: publishable only as machine translation, stored in a
  memory as unreviewed, never XLIFF ``approved="yes"``;
* ``REVIEWED``: a person translated or approved it: the unit carries ``x-review: reviewed``
  (a reader adds it when a digest shows a person changed a machine translation, see
  :mod:`transpipe.formats.provenance`), comes from a reviewed memory entry
  (``x-origin: tm:<file>``), or has no machine origin at all (a foreign file's translation).

It also owns the readiness summary of a document (how many units are approved, fuzzy,
untranslated, and how many terms failed), the ``--min-score`` filter of writers and what of a
translation run a CAT tool may reuse as memory (:func:`reusable`: the TMX of ``translate``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from transpipe.formats.annotations import REVIEW
from transpipe.formats.leverage import PREVIOUS_SOURCE
from transpipe.formats.provenance import Check
from transpipe.model import Bitext, TermOutcome, Unit

ORIGIN = "x-origin"
MIN_SCORE = "x-min-score"
LEFT_OUT = "x-left-out"
REVIEWED = "reviewed"
MEMORY_ORIGIN = "tm:"


class ReviewState(enum.Enum):
    UNTRANSLATED = "untranslated"
    FUZZY = "fuzzy"
    MACHINE = "machine"
    REVIEWED = "reviewed"


def origin(unit: Unit) -> str:
    """The unit's ``x-origin`` prop ('' when it has none)."""
    return next((value for key, value in unit.props if key == ORIGIN), "")


def is_machine_origin(value: str) -> bool:
    """An origin naming a machine: anything but '' and a reviewed-memory ``tm:`` origin."""
    return bool(value) and not value.startswith(MEMORY_ORIGIN)


def review_state(unit: Unit) -> ReviewState:
    """The review state of ``unit`` (see the module docstring)."""
    if not unit.target.strip():
        return ReviewState.UNTRANSLATED
    if unit.fuzzy:
        return ReviewState.FUZZY
    if (REVIEW, REVIEWED) in unit.props or not is_machine_origin(origin(unit)):
        return ReviewState.REVIEWED
    return ReviewState.MACHINE


def explicitly_reviewed(unit: Unit) -> bool:
    """A person's approval is on record: ``x-review: reviewed`` or a reviewed-memory origin
    (a foreign translation without origin is ``REVIEWED`` by default, not on record)."""
    if unit.fuzzy or not unit.target.strip():
        return False
    return (REVIEW, REVIEWED) in unit.props or origin(unit).startswith(MEMORY_ORIGIN)


def mark_edits(units: Sequence[Unit], checks: Sequence[Check]) -> tuple[Unit, ...]:
    """Units whose unit digest no longer matches were changed by a person: a machine
    translation among them becomes ``REVIEWED`` (``x-review: reviewed`` added)."""
    marked = []
    for unit, check in zip(units, checks, strict=False):
        if check is Check.MISMATCH and review_state(unit) is ReviewState.MACHINE:
            unit = replace(unit, props=(*unit.props, (REVIEW, REVIEWED)))
        marked.append(unit)
    return (*marked, *units[len(marked) :])


@dataclass(frozen=True)
class Readiness:
    """How far a translated document is from publishable."""

    reviewed: int = 0
    machine: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    term_failures: int = 0

    @property
    def approved(self) -> int:
        """Translated and not fuzzy (reviewed or unreviewed machine translation)."""
        return self.reviewed + self.machine

    @property
    def ready(self) -> bool:
        """Every segment reviewed by a person: nothing machine-only, fuzzy, untranslated or
        failing a term."""
        return not (self.machine or self.fuzzy or self.untranslated or self.term_failures)

    def describe(self) -> str:
        failures = "term failure" if self.term_failures == 1 else "term failures"
        return (
            f"{self.approved} approved ({self.reviewed} reviewed, {self.machine} machine), "
            f"{self.fuzzy} fuzzy, {self.untranslated} untranslated, "
            f"{self.term_failures} {failures}"
        )


def readiness(units: Iterable[Unit]) -> Readiness:
    """Count the review states and failed terms of ``units``."""
    counts = dict.fromkeys(ReviewState, 0)
    failures = 0
    for unit in units:
        counts[review_state(unit)] += 1
        failures += sum(1 for a in unit.term_audit if a.outcome is TermOutcome.FAILED)
    return Readiness(
        reviewed=counts[ReviewState.REVIEWED],
        machine=counts[ReviewState.MACHINE],
        fuzzy=counts[ReviewState.FUZZY],
        untranslated=counts[ReviewState.UNTRANSLATED],
        term_failures=failures,
    )


def at_least_score(bitext: Bitext, min_score: float) -> tuple[Bitext, int]:
    """``bitext`` without the units scored below ``min_score`` (unscored units stay), and how
    many were left out."""
    kept = tuple(u for u in bitext.units if u.score is None or u.score.value >= min_score)
    return replace(bitext, units=kept), len(bitext.units) - len(kept)


@dataclass(frozen=True)
class LeftOut:
    """Units :func:`reusable` left out, by reason."""

    below_score: int = 0
    untranslated: int = 0
    other_source: int = 0  # a fuzzy memory match: the translation of another sentence

    @property
    def total(self) -> int:
        return self.below_score + self.untranslated + self.other_source

    def describe(self, min_score: float) -> str:
        reasons = [
            (self.below_score, f"scored below {min_score:g}"),
            (self.untranslated, "untranslated"),
            (self.other_source, "fuzzy memory matches to review"),
        ]
        return ", ".join(f"{count} {why}" for count, why in reasons if count)


def reusable(bitext: Bitext, min_score: float) -> tuple[Bitext, LeftOut]:
    """The units a CAT tool may take as translation memory, and what was left out.

    A CAT tool applies every unit of a TMX it is given (OmegaT's ``tm/auto`` inserts them as
    translations) and reads none of our review props, so only units that translate their own
    source and score at least ``min_score`` stay (unscored units stay): not an empty target,
    not a fuzzy memory match kept as a draft (it translates another sentence), not machine
    output the estimate calls bad. The header props say how many were left out and why.
    """
    kept: list[Unit] = []
    below = empty = other = 0
    for unit in bitext.units:
        if not unit.target.strip():
            empty += 1
        elif any(key == PREVIOUS_SOURCE for key, _ in unit.props):
            other += 1
        elif unit.score is not None and unit.score.value < min_score:
            below += 1
        else:
            kept.append(unit)
    left_out = LeftOut(below_score=below, untranslated=empty, other_source=other)
    props = [*bitext.props, (MIN_SCORE, f"{min_score:g}")]
    if left_out.total:
        props.append((LEFT_OUT, f"{left_out.total}: {left_out.describe(min_score)}"))
    return replace(bitext, units=tuple(kept), props=tuple(props)), left_out
