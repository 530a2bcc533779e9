"""Summaries of term audits: counts per outcome and the one-line summary the CLI prints.

Owns the aggregation of :class:`transpipe.model.TermAudit` records produced by the pinner
(one record per source term occurrence) into per-run numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from transpipe.model import TermAudit, TermOutcome


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
