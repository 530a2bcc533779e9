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

from transpipe.model import LanguagePair, TermEntry, TermStatus

_STATUS_ORDER = {TermStatus.PREFERRED: 0, TermStatus.ADMITTED: 1, TermStatus.FORBIDDEN: 2}
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)

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


def parse_status(text: str) -> TermStatus | None:
    """Map a status word from any supported format to ``TermStatus`` (None if unknown)."""
    key = text.strip().lower().replace(" ", "").removesuffix("-admn-sts")
    return STATUS_ALIASES.get(key)


def is_language_code(text: str) -> bool:
    """True for a BCP-47-like code such as ``en``, ``ru``, ``en-US``, ``ru_RU``."""
    return bool(_LANG_RE.match(text.strip()))


def normalize_lang(code: str) -> str:
    """Canonical spelling of a language code: lower case, ``-`` as the subtag separator."""
    return code.strip().lower().replace("_", "-")


def lang_matches(code: str, wanted: str) -> bool:
    """True if ``code`` is ``wanted`` or one of its regional variants (``en-us`` for ``en``)."""
    code, wanted = normalize_lang(code), normalize_lang(wanted)
    return code == wanted or (("-" not in wanted) and code.split("-", 1)[0] == wanted)


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
        concept has a usable target term; ``target`` is the concept's preferred target term.
        """
        rows: list[TermEntry] = []
        for concept in self.concepts:
            target = concept.preferred(pair.target)
            if target is None:
                continue
            for term in concept.terms_in(pair.source):
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
