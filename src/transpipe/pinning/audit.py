"""Term audits: whether a target holds an approved form, and the per-run summaries.

Owns the one rule for "this target already has an approved or admitted form of the concept"
used after MT time (:func:`approved_form_in`: the publish gate and the review page re-verify
edited text with it), and the aggregation of :class:`transpipe.model.TermAudit` records
produced by the pinner (one record per source term occurrence) into per-run numbers.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transpipe.model import TermAudit, TermOutcome, TermStatus
from transpipe.pinning.inflect import paradigm

if TYPE_CHECKING:
    from transpipe.terms import CompiledGlossary


@dataclass(frozen=True)
class AuditSummary:
    """How many source term occurrences ended in each outcome."""

    counts: tuple[tuple[TermOutcome, int], ...]

    @classmethod
    def of(cls, audits: Iterable[Iterable[TermAudit]]) -> AuditSummary:
        counter: Counter[TermOutcome] = Counter(
            record.outcome for records in audits for record in records
        )
        return cls(tuple((outcome, counter[outcome]) for outcome in TermOutcome))

    def count(self, outcome: TermOutcome) -> int:
        return dict(self.counts).get(outcome, 0)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def adherent(self) -> int:
        """Occurrences whose approved term is in the output (honoured, pinned or repaired)."""
        return sum(
            self.count(o) for o in (TermOutcome.HONOURED, TermOutcome.PINNED, TermOutcome.REPAIRED)
        )

    def line(self) -> str:
        """``terms: 12 found, 9 honoured, 2 pinned, 1 repaired, 0 failed``."""
        parts = [f"{self.total} found"] + [
            f"{self.count(o)} {o.value}"
            for o in (
                TermOutcome.HONOURED,
                TermOutcome.PINNED,
                TermOutcome.REPAIRED,
                TermOutcome.FAILED,
            )
        ]
        return "terms: " + ", ".join(parts)


def needs_review(records: Iterable[TermAudit]) -> bool:
    """A segment needs review (PO ``fuzzy``) when any of its terms failed."""
    return any(record.outcome is TermOutcome.FAILED for record in records)


def approved_form_in(
    target: str,
    record: TermAudit,
    lang: str,
    terms: CompiledGlossary | None,
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
    if terms is not None:
        for match in terms.find(target, lang):
            if match.concept_id == record.concept_id and match.status is not TermStatus.FORBIDDEN:
                return match.surface
    return None


@functools.lru_cache(maxsize=4096)
def term_forms(term: str, lang: str) -> tuple[str, ...]:
    """Every surface form of ``term`` in ``lang`` (its paradigm), citation form first."""
    return paradigm(term, lang).surfaces()


def _key(text: str) -> str:
    """Comparison key of the same length as ``text``: lower case, ё as е, ’ as '."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(_FOLD.get(low, low) if len(low) == 1 else ch)
    return "".join(out)


_FOLD = {"ё": "е", "’": "'"}
