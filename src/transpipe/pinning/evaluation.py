"""The pinning test set and its metrics: adherence, exact form, forbidden-term leaks.

Owns the file format of a pinning test set (``corpora/pinning/testset.tsv``: a header
``id<TAB>source_lang<TAB>source<TAB>expected_output<TAB>note``, ``#`` comment lines) and the
scores the benchmark and the tests report:

- *adherence*: share of source term occurrences whose approved target term appears in the
  output in any inflection;
- *exact form*: share of approved-term occurrences in the expected output that appear in the
  output with exactly the same surface (case, inflection, ё);
- *leaks*: forbidden target-term occurrences (any inflection, every concept of the glossary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from transpipe.errors import FormatError
from transpipe.inputs import read_text
from transpipe.model import LanguagePair, TermMatch, TermStatus
from transpipe.pinning.inflect import paradigm
from transpipe.pinning.locate import FormFinder
from transpipe.terms import Glossary

TESTSET_HEADER = ("id", "source_lang", "source", "expected_output", "note")


@dataclass(frozen=True)
class PinningCase:
    """One test sentence: its source, direction and exactly expected translation."""

    id: str
    source_lang: str
    source: str
    expected: str
    note: str = ""
    line: int = 0

    @property
    def pair(self) -> LanguagePair:
        return LanguagePair(self.source_lang, "en" if self.source_lang == "ru" else "ru")


def load_testset(path: str | Path) -> list[PinningCase]:
    """Read a pinning test set; malformed rows raise ``FormatError`` naming file and line."""
    p = Path(path)
    text = read_text(p)
    cases: list[PinningCase] = []
    header_seen = False
    ids: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            if tuple(cells[:4]) != TESTSET_HEADER[:4]:
                raise FormatError(
                    "expected the header " + " ".join(TESTSET_HEADER), path=p, line=number
                )
            header_seen = True
            continue
        if len(cells) < 4 or not all(c.strip() for c in cells[:4]):
            raise FormatError(
                "a row needs id, source_lang, source, expected_output", path=p, line=number
            )
        if cells[1] not in ("en", "ru"):
            raise FormatError(
                f"source_lang must be en or ru, not {cells[1]!r}", path=p, line=number
            )
        if cells[0] in ids:
            raise FormatError(f"duplicate id {cells[0]!r}", path=p, line=number)
        ids.add(cells[0])
        note = cells[4] if len(cells) > 4 else ""
        cases.append(PinningCase(cells[0], cells[1], cells[2], cells[3], note, number))
    if not header_seen:
        raise FormatError("empty pinning test set", path=p)
    return cases


@dataclass(frozen=True)
class PinningScores:
    """Counts behind the pinning metrics (ratios are properties)."""

    occurrences: int = 0
    adherent: int = 0
    expected_forms: int = 0
    exact_forms: int = 0
    sentences: int = 0
    exact_sentences: int = 0
    leaks: int = 0

    @property
    def adherence(self) -> float:
        return self.adherent / self.occurrences if self.occurrences else 1.0

    @property
    def form_accuracy(self) -> float:
        return self.exact_forms / self.expected_forms if self.expected_forms else 1.0

    @property
    def sentence_accuracy(self) -> float:
        return self.exact_sentences / self.sentences if self.sentences else 1.0

    def __add__(self, other: PinningScores) -> PinningScores:
        return PinningScores(*(a + b for a, b in zip(_fields(self), _fields(other), strict=True)))


def _fields(scores: PinningScores) -> tuple[int, ...]:
    return (
        scores.occurrences,
        scores.adherent,
        scores.expected_forms,
        scores.exact_forms,
        scores.sentences,
        scores.exact_sentences,
        scores.leaks,
    )


class PinningJudge:
    """Scores outputs against a glossary for one direction (paradigms are cached)."""

    def __init__(self, glossary: Glossary, pair: LanguagePair) -> None:
        self.glossary = glossary
        self.pair = pair
        self._approved: dict[str, FormFinder] = {}
        forbidden = [
            paradigm(term.text, pair.target)
            for concept in glossary
            for term in concept.terms_in(pair.target)
            if term.status is TermStatus.FORBIDDEN
        ]
        self.forbidden = FormFinder(tuple(forbidden))

    def approved(self, concept_id: str) -> FormFinder:
        if concept_id not in self._approved:
            terms = [
                t.text
                for t in self.glossary.terms(concept_id, self.pair.target)
                if t.status is not TermStatus.FORBIDDEN
            ]
            self._approved[concept_id] = FormFinder(
                tuple(paradigm(t, self.pair.target) for t in terms)
            )
        return self._approved[concept_id]

    def leaks(self, output: str) -> int:
        return len(self.forbidden.find(output))

    def score(
        self, output: str, matches: Sequence[TermMatch], expected: str | None = None
    ) -> PinningScores:
        """Scores of one output for the source terms ``matches`` (and an expected output)."""
        needed = Counter(m.concept_id for m in matches)
        occurrences = adherent = expected_forms = exact_forms = 0
        for concept_id, count in needed.items():
            finder = self.approved(concept_id)
            if not finder.paradigms:
                continue
            found = [output[s.start : s.end] for s in finder.find(output)]
            occurrences += count
            adherent += min(count, len(found))
            if expected is not None:
                wanted = Counter(expected[s.start : s.end] for s in finder.find(expected))
                got = Counter(found)
                expected_forms += sum(wanted.values())
                exact_forms += sum(min(n, got[surface]) for surface, n in wanted.items())
        return PinningScores(
            occurrences=occurrences,
            adherent=adherent,
            expected_forms=expected_forms,
            exact_forms=exact_forms,
            sentences=1 if expected is not None else 0,
            exact_sentences=1 if expected is not None and output == expected else 0,
            leaks=self.leaks(output),
        )
