"""The glossary model: concepts, their terms per language, and the views the pipeline needs.

Owns ``Term``, ``Concept`` and ``Glossary`` (frozen values, no I/O). A concept groups every
designation of one meaning: full forms, abbreviations, admitted synonyms and forbidden
variants, in any number of languages. The pipeline's flat view of a direction is
``Glossary.entries(pair)`` (``model.TermEntry`` rows with the preferred target per concept).

Language codes are kept as written, lower-cased (``en``, ``ru``, ``en-us``); lookups by a bare
code (``"en"``) also find regional variants (``"en-us"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from transpipe.lang.codes import matches as lang_matches
from transpipe.lang.translit import transliterate
from transpipe.model import LanguagePair, TermEntry, TermStatus

_STATUS_ORDER = {TermStatus.PREFERRED: 0, TermStatus.ADMITTED: 1, TermStatus.FORBIDDEN: 2}

STATUS_ALIASES: dict[str, TermStatus] = {
    "preferred": TermStatus.PREFERRED,
    "approved": TermStatus.PREFERRED,
    "preferredterm": TermStatus.PREFERRED,
    "standardizedterm": TermStatus.PREFERRED,
    "legalterm": TermStatus.PREFERRED,
    "regulatedterm": TermStatus.PREFERRED,
    "admitted": TermStatus.ADMITTED,
    "admittedterm": TermStatus.ADMITTED,
    "allowed": TermStatus.ADMITTED,
    "synonym": TermStatus.ADMITTED,
    "forbidden": TermStatus.FORBIDDEN,
    "deprecated": TermStatus.FORBIDDEN,
    "deprecatedterm": TermStatus.FORBIDDEN,
    "supersededterm": TermStatus.FORBIDDEN,
    "notrecommended": TermStatus.FORBIDDEN,
    "obsolete": TermStatus.FORBIDDEN,
    "superseded": TermStatus.FORBIDDEN,
}


# Statuses of terms nobody reviewed yet (mined candidates): readers refuse them.
UNREVIEWED = frozenset({"proposed", "unprocessed", "provisionallyprocessed"})
UNREVIEWED_HINT = "review it: set its status to preferred, admitted or forbidden, or delete it"


def is_unreviewed(text: str) -> bool:
    """True for ``proposed`` (TSV/CSV) and TBX ``processStatus`` values short of finalised."""
    return text.strip().lower() in UNREVIEWED


def concept_slug(text: str, taken: set[str]) -> str:
    """A readable concept id from a term ("Secretary General" -> "secretary-general",
    "Делитель" -> "delitel"), made unique against ``taken`` (which it extends) with -2, -3..."""
    base = re.sub(r"[^a-z0-9]+", "-", transliterate(text)).strip("-")[:48] or "concept"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def parse_status(text: str) -> TermStatus | None:
    """Map a status word from any supported format to ``TermStatus`` (None if unknown)."""
    key = text.strip().lower().replace(" ", "").removesuffix("-admn-sts")
    return STATUS_ALIASES.get(key)


@dataclass(frozen=True)
class Term:
    """One designation of a concept in one language.

    ``type`` is the TBX term type (``fullForm``, ``abbreviation``, ``acronym``, ``synonym``...),
    ``case_sensitive`` forces exact-case matching, ``line`` is where it was read (not compared).
    """

    lang: str
    text: str
    status: TermStatus = TermStatus.PREFERRED
    pos: str = ""
    type: str = ""
    gender: str = ""
    number: str = ""
    case_sensitive: bool = False
    note: str = ""
    context: str = ""
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Concept:
    """A meaning and all its designations; ``domain`` is the subject field."""

    id: str
    terms: tuple[Term, ...]
    domain: str = ""
    definition: str = ""
    note: str = ""
    source: str = ""
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # Canonical order: by language code, glossary order within a language, so the same
        # concept read from TSV rows or TBX language sections compares equal.
        ordered = tuple(sorted(self.terms, key=lambda t: t.lang))
        if ordered != self.terms:
            object.__setattr__(self, "terms", ordered)

    @property
    def languages(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in self.terms:
            seen.setdefault(term.lang, None)
        return tuple(seen)

    def terms_in(self, lang: str) -> tuple[Term, ...]:
        """Terms in ``lang`` in glossary order."""
        return tuple(t for t in self.terms if lang_matches(t.lang, lang))

    def preferred(self, lang: str) -> Term | None:
        """The first preferred term in ``lang``, else the first admitted one, else None."""
        usable = [t for t in self.terms_in(lang) if t.status is not TermStatus.FORBIDDEN]
        if not usable:
            return None
        return min(usable, key=lambda t: _STATUS_ORDER[t.status])

    def rows(self) -> tuple[tuple[Term, ...], ...]:
        """The concept's terms grouped into glossary rows: at most one term per language each.

        A row is a term and its translations (one TSV/CSV line: "CSTO" / "ОДКБ"). Terms read
        from one table line (same ``line``, distinct per language) form a row; otherwise (TBX,
        terms built in code) a term joins the first later row whose terms have the same
        attributes (status, part of speech, type, note...) and no term in its language yet.
        """
        by_line = _lines_identify_rows(self.terms)
        groups: list[tuple[tuple[object, ...], dict[str, Term]]] = []
        last_row: dict[str, int] = {}
        for term in self.terms:
            key: tuple[object, ...] = (term.line,) if by_line else _row_attrs(term)
            start = last_row.get(term.lang, -1) + 1
            slot = next(
                (
                    i
                    for i in range(start, len(groups))
                    if groups[i][0] == key and term.lang not in groups[i][1]
                ),
                None,
            )
            if slot is None:
                groups.append((key, {}))
                slot = len(groups) - 1
            groups[slot][1][term.lang] = term
            last_row[term.lang] = slot
        return tuple(tuple(texts.values()) for _, texts in groups)

    def counterpart(self, term: Term, lang: str) -> Term | None:
        """The ``lang`` term a translation of ``term`` should use.

        The concept's preferred term, except for an admitted variant (abbreviation, synonym)
        that differs from the preferred term of its own language: then the usable term on its
        own glossary row, if the row has one ("ОДКБ" -> "CSTO", not the full name). Forbidden
        terms never provide a counterpart.
        """
        preferred = self.preferred(lang)
        if term.status is not TermStatus.ADMITTED or lang_matches(term.lang, lang):
            return preferred
        own = self.preferred(term.lang)
        if own is not None and own.text == term.text:
            return preferred
        for row in self.rows():
            if any(t is term for t in row):
                for other in row:
                    if lang_matches(other.lang, lang) and other.status is TermStatus.ADMITTED:
                        return other
                break
        return preferred


def _row_attrs(term: Term) -> tuple[object, ...]:
    return (
        term.status,
        term.pos,
        term.note,
        term.type,
        term.gender,
        term.number,
        term.case_sensitive,
        term.context,
    )


def _lines_identify_rows(terms: tuple[Term, ...]) -> bool:
    """True when ``line`` numbers group terms into table rows: every term has a line, no
    language repeats a line, and some line holds terms of two languages."""
    seen: set[tuple[int, str]] = set()
    langs_per_line: dict[int, set[str]] = {}
    for term in terms:
        if term.line <= 0 or (term.line, term.lang) in seen:
            return False
        seen.add((term.line, term.lang))
        langs_per_line.setdefault(term.line, set()).add(term.lang)
    return any(len(langs) > 1 for langs in langs_per_line.values())


@dataclass(frozen=True)
class Glossary:
    """An ordered collection of concepts, with a name (usually the file it came from)."""

    concepts: tuple[Concept, ...]
    name: str = ""
    _by_id: dict[str, Concept] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for concept in self.concepts:
            self._by_id.setdefault(concept.id, concept)

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    @property
    def languages(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for concept in self.concepts:
            for lang in concept.languages:
                seen.setdefault(lang, None)
        return tuple(seen)

    def concept(self, concept_id: str) -> Concept:
        """The concept with this id; ``KeyError`` if there is none."""
        return self._by_id[concept_id]

    def terms(self, concept_id: str, lang: str) -> tuple[Term, ...]:
        """All terms of a concept in ``lang`` (every status), in glossary order."""
        concept = self._by_id.get(concept_id)
        return concept.terms_in(lang) if concept else ()

    def preferred(self, concept_id: str, lang: str) -> str | None:
        """The preferred term text of a concept in ``lang`` (admitted if none is preferred)."""
        concept = self._by_id.get(concept_id)
        term = concept.preferred(lang) if concept else None
        return term.text if term else None

    def forbidden(self, concept_id: str, lang: str) -> list[str]:
        """Texts of the concept's forbidden terms in ``lang``."""
        return [t.text for t in self.terms(concept_id, lang) if t.status is TermStatus.FORBIDDEN]

    def entries(self, pair: LanguagePair) -> list[TermEntry]:
        """Flattened source/target rows for one direction.

        One entry per source-language term (forbidden ones included, with their status) whose
        concept has a usable target term; ``target`` is ``Concept.counterpart`` of the term:
        the concept's preferred target term, or an admitted variant's own row counterpart
        ("ОДКБ" -> "CSTO").
        """
        rows: list[TermEntry] = []
        for concept in self.concepts:
            if concept.preferred(pair.target) is None:
                continue
            for term in concept.terms_in(pair.source):
                target = concept.counterpart(term, pair.target)
                if target is None:
                    continue
                rows.append(
                    TermEntry(
                        concept_id=concept.id,
                        source=term.text,
                        target=target.text,
                        status=term.status,
                        pos=term.pos or target.pos,
                        note=term.note or concept.note,
                    )
                )
        return rows
