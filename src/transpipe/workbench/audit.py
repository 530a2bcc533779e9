"""Corpus audit against a glossary: forbidden variants, missing terms, renderings used.

Owns ``GlossaryAudit``, which reads texts and bilingual units and collects:

- ``forbidden``: every occurrence of a forbidden term of the glossary, in any inflected form
  (the ``TermMatcher`` rules), with file, line, column, segment id and context;
- ``missing``: a bilingual unit whose source has a concept (any of its terms) while the target
  has neither the concept's preferred nor an admitted term in any form;
- renderings: per concept and language, how often each glossary term of the concept was used
  (with the surface forms seen), and in bilingual units how often the target used none of
  them ("no glossary form").

Texts are segmented like ``translate`` does (segment ids ``<name>:pN:sM``); bilingual units
keep their own ids. Lines and columns are 1-based; a unit read from a structured file (PO,
TMX, XLIFF) is located in the file's text by its id, then by the surface after it (``line``
0 when it cannot be found, e.g. in a translation memory).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from transpipe.model import Bitext, TermStatus
from transpipe.terms.glossary import Glossary, Term
from transpipe.terms.matcher import TermMatcher

CONTEXT_CHARS = 40
FORBIDDEN, MISSING = "forbidden", "missing"
NO_GLOSSARY_FORM = ""


@dataclass(frozen=True)
class AuditFinding:
    """One violation: a forbidden variant, or a source concept the target does not render."""

    kind: str
    file: str
    line: int
    column: int
    segment: str
    concept: str
    lang: str
    surface: str
    expected: str
    context: str
    side: str = "text"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "concept": self.concept,
            "surface": self.surface,
            "kind": self.kind,
            "segment": self.segment,
            "lang": self.lang,
            "side": self.side,
            "expected": self.expected,
            "context": self.context,
        }


@dataclass
class Rendering:
    """How often one glossary term (or none: ``term == ""``) rendered a concept."""

    term: str
    status: TermStatus | None
    count: int = 0
    forms: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class AuditReport:
    findings: tuple[AuditFinding, ...]
    renderings: dict[tuple[str, str], list[Rendering]]
    files: int
    segments: int

    @property
    def violations(self) -> int:
        return len(self.findings)

    def by_concept(self) -> dict[str, list[AuditFinding]]:
        grouped: dict[str, list[AuditFinding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.concept, []).append(finding)
        return grouped


class Locator:
    """Line and column of text in a file: offsets found by searching the file's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._starts.append(index + 1)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        low, high = 0, len(self._starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1, offset - self._starts[low] + 1

    def find(self, unit_id: str, surface: str) -> tuple[int, int]:
        """Position of ``surface`` after the first mention of ``unit_id`` (0, 0 if absent)."""
        anchor = self.text.find(unit_id) if unit_id else 0
        if anchor < 0:
            return 0, 0
        for form in dict.fromkeys((surface, html.escape(surface, quote=False))):
            found = self.text.find(form, anchor)
            if found >= 0:
                return self.position(found)
        return 0, 0


def context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


class GlossaryAudit:
    """Collects findings and renderings over any number of texts and bitexts."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._matchers: dict[str, TermMatcher] = {}
        self._findings: list[AuditFinding] = []
        self._renderings: dict[tuple[str, str], dict[str, Rendering]] = {}
        self._files: set[str] = set()
        self._segments = 0

    def matcher(self, lang: str) -> TermMatcher:
        if lang not in self._matchers:
            self._matchers[lang] = TermMatcher(self.glossary, lang)
        return self._matchers[lang]

    def _expected(self, concept_id: str, lang: str) -> str:
        return self.glossary.preferred(concept_id, lang) or ""

    def _count(
        self, concept: str, lang: str, term: str, status: TermStatus | None, form: str
    ) -> None:
        table = self._renderings.setdefault((concept, lang), {})
        entry = table.setdefault(term, Rendering(term, status))
        entry.count += 1
        if form:
            entry.forms[form] += 1

    def audit_text(self, text: str, *, lang: str, file: str, name: str) -> None:
        """Audit running text: segmented into sentences, located by line and column."""
        from transpipe.segment import segment_text

        self._files.add(file)
        locator = Locator(text)
        matcher = self.matcher(lang)
        for segment in segment_text(text, lang, name).segments:
            self._segments += 1
            for match, term in matcher.find_terms(segment.text, segment_id=segment.id):
                self._count(match.concept_id, lang, term.text, term.status, match.surface)
                if term.status is not TermStatus.FORBIDDEN:
                    continue
                start = segment.span.start + match.span.start
                line, column = locator.position(start)
                self._findings.append(
                    AuditFinding(
                        FORBIDDEN,
                        file,
                        line,
                        column,
                        segment.id,
                        match.concept_id,
                        lang,
                        match.surface,
                        self._expected(match.concept_id, lang),
                        context(segment.text, match.span.start, match.span.end),
                    )
                )

    def audit_bitext(self, bitext: Bitext, *, file: str, raw: str = "") -> None:
        """Audit bilingual units: forbidden variants on both sides, unrendered concepts."""
        self._files.add(file)
        locator = Locator(raw)
        pair = bitext.pair
        source_matcher, target_matcher = self.matcher(pair.source), self.matcher(pair.target)
        for unit in bitext.units:
            if not unit.source.strip() or not unit.target.strip():
                continue
            self._segments += 1
            sides = (
                ("source", pair.source, unit.source, source_matcher),
                ("target", pair.target, unit.target, target_matcher),
            )
            for side, lang, text, matcher in sides:
                for match, term in matcher.find_terms(text, segment_id=unit.id):
                    if term.status is TermStatus.FORBIDDEN:
                        line, column = locator.find(unit.id, match.surface) if raw else (0, 0)
                        self._findings.append(
                            AuditFinding(
                                FORBIDDEN,
                                file,
                                line,
                                column,
                                unit.id,
                                match.concept_id,
                                lang,
                                match.surface,
                                self._expected(match.concept_id, lang),
                                context(text, match.span.start, match.span.end),
                                side,
                            )
                        )
            source_terms: dict[str, Term] = {}
            for m, t in source_matcher.find_terms(unit.source, resolve_overlaps=False):
                source_terms.setdefault(m.concept_id, t)
            target_all = target_matcher.find_terms(unit.target, resolve_overlaps=False)
            for concept, source_term in sorted(source_terms.items()):
                spans: dict[tuple[int, int], tuple[str, TermStatus, str]] = {}
                for m, t in target_all:
                    if m.concept_id == concept:  # one rendering per span, the first term
                        spans.setdefault((m.span.start, m.span.end), (t.text, t.status, m.surface))
                usable = list(spans.values())
                for text, status, surface in usable:
                    self._count(concept, pair.target, text, status, surface)
                if not usable:
                    self._count(concept, pair.target, NO_GLOSSARY_FORM, None, "")
                if any(status is not TermStatus.FORBIDDEN for _, status, _ in usable):
                    continue
                counterpart = self.glossary.concept(concept).counterpart(source_term, pair.target)
                expected = counterpart.text if counterpart else ""
                if not expected:
                    continue  # the glossary has nothing to require in this language
                line, column = locator.find(unit.id, unit.target[:30]) if raw else (0, 0)
                self._findings.append(
                    AuditFinding(
                        MISSING,
                        file,
                        line,
                        column,
                        unit.id,
                        concept,
                        pair.target,
                        "",
                        expected,
                        " ".join(unit.target.split())[: 2 * CONTEXT_CHARS + 20],
                        "target",
                    )
                )

    def report(self) -> AuditReport:
        renderings = {
            key: sorted(table.values(), key=lambda r: (-r.count, r.term))
            for key, table in sorted(self._renderings.items())
        }
        findings = sorted(
            self._findings, key=lambda f: (f.file, f.line, f.column, f.segment, f.concept)
        )
        return AuditReport(tuple(findings), renderings, len(self._files), self._segments)


def rendering_lines(report: AuditReport) -> Iterable[str]:
    """The distribution of renderings as text, one concept and language per line."""
    for (concept, lang), entries in report.renderings.items():
        parts = []
        for entry in entries:
            if not entry.term:
                parts.append(f"no glossary form {entry.count}")
                continue
            status = entry.status.value if entry.status else ""
            forms = ", ".join(f"{form} {n}" for form, n in entry.forms.most_common())
            parts.append(f"{entry.term} [{status}] {entry.count} ({forms})")
        yield f"{concept}\t{lang}\t" + "; ".join(parts)
