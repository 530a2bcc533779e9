"""Combining and comparing glossaries: ``merge_glossaries`` and ``diff_glossaries``.

Merge (A wins): every concept of A keeps its id and its terms. A concept of B is the same
concept as one of A when they have the same id and share a term (lemma level, one language),
or else when a usable term of B has the lemma key of a usable term of A in the same language
(the A concept sharing most such terms). Its new terms (an inflected form of a term A has is
not new) are added to that A concept; a
preferred term where A already has a different preferred one is added as admitted. Anything
A and B disagree on is a conflict, reported and decided for A: a term's status, a concept
attribute. A concept of B that matches nothing is added with its own id, or, when A already
uses that id for another concept, with ``<id>-2`` (then ``-3``...), reported as renamed. So
the ids of A never change, and the ids of B change only on a clash.

Diff: concepts matched by id; per concept the terms added and removed and the terms whose
status or note changed (terms are identified by language and text), and changed attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from transpipe.lang.codes import primary
from transpipe.model import TermStatus
from transpipe.terms.glossary import Concept, Glossary, Term
from transpipe.terms.phrases import term_key

Key = tuple[str, tuple[str, ...]]
CONCEPT_FIELDS = ("domain", "definition", "note", "source")


@dataclass(frozen=True)
class MergeReport:
    """The merged glossary and what happened to B's concepts."""

    glossary: Glossary
    merged: tuple[tuple[str, str], ...]  # (B id, A id) concepts found in A
    added: tuple[str, ...]  # ids of B concepts added as they were
    renamed: tuple[tuple[str, str], ...]  # (B id, new id) added under a new id
    conflicts: tuple[tuple[str, str], ...]  # (concept id in the result, what A and B disagree on)


def _keys(concept: Concept, usable_only: bool) -> set[Key]:
    return {
        (primary(term.lang), term_key(term.text, term.lang))
        for term in concept.terms
        if not usable_only or term.status is not TermStatus.FORBIDDEN
    }


def _match(concept: Concept, first: Glossary, index: dict[Key, list[str]]) -> str | None:
    """The A concept that ``concept`` (from B) is, or None."""
    try:
        same_id = first.concept(concept.id)
    except KeyError:
        same_id = None
    if same_id is not None and _keys(same_id, False) & _keys(concept, False):
        return same_id.id
    votes: dict[str, int] = {}
    for key in _keys(concept, True):
        for concept_id in index.get(key, ()):
            votes[concept_id] = votes.get(concept_id, 0) + 1
    if not votes:
        return None
    return max(votes, key=lambda concept_id: (votes[concept_id], -list(votes).index(concept_id)))


def _combine(mine: Concept, theirs: Concept, conflicts: list[tuple[str, str]]) -> Concept:
    terms = list(mine.terms)
    by_key = {(t.lang, term_key(t.text, t.lang)): t for t in mine.terms}
    added = False
    for term in theirs.terms:
        have = by_key.get((term.lang, term_key(term.text, term.lang)))
        if have is not None:
            if have.status is not term.status:
                conflicts.append(
                    (
                        mine.id,
                        f"{term.lang} {term.text!r} is {have.status.value} in A and "
                        f"{term.status.value} in B; kept {have.status.value}",
                    )
                )
            continue
        if term.status is TermStatus.PREFERRED:
            current = next(
                (t for t in terms if t.lang == term.lang and t.status is TermStatus.PREFERRED),
                None,
            )
            if current is not None:
                conflicts.append(
                    (
                        mine.id,
                        f"{term.lang} preferred {current.text!r} in A, {term.text!r} in B; "
                        f"kept A's, added {term.text!r} as admitted",
                    )
                )
                term = replace(term, status=TermStatus.ADMITTED)
        terms.append(term)
        by_key[(term.lang, term_key(term.text, term.lang))] = term
        added = True
    values = {}
    for name in CONCEPT_FIELDS:
        ours, other = getattr(mine, name), getattr(theirs, name)
        values[name] = ours or other
        if ours and other and ours != other:
            conflicts.append((mine.id, f"{name} differs: kept A's {ours!r}, not B's {other!r}"))
    if added:  # lines of two files do not identify rows any more
        terms = [replace(t, line=0) for t in terms]
    return replace(mine, terms=tuple(terms), **values)


def merge_glossaries(first: Glossary, second: Glossary) -> MergeReport:
    """Merge ``second`` (B) into ``first`` (A); see the module docstring."""
    concepts = {c.id: c for c in first}
    order = [c.id for c in first]
    index: dict[Key, list[str]] = {}
    for concept in first:
        for key in _keys(concept, True):
            index.setdefault(key, []).append(concept.id)
    merged: list[tuple[str, str]] = []
    added: list[str] = []
    renamed: list[tuple[str, str]] = []
    conflicts: list[tuple[str, str]] = []
    for concept in second:
        target = _match(concept, first, index)
        if target is not None:
            concepts[target] = _combine(concepts[target], concept, conflicts)
            merged.append((concept.id, target))
            continue
        new_id, number = concept.id, 1
        while new_id in concepts:
            number += 1
            new_id = f"{concept.id}-{number}"
        if new_id != concept.id:
            renamed.append((concept.id, new_id))
            conflicts.append((new_id, f"B's {concept.id!r} is another concept in A; renamed"))
        else:
            added.append(concept.id)
        concepts[new_id] = replace(concept, id=new_id)
        order.append(new_id)
    result = Glossary(tuple(concepts[i] for i in order), name=first.name)
    return MergeReport(result, tuple(merged), tuple(added), tuple(renamed), tuple(conflicts))


@dataclass(frozen=True)
class Change:
    """One difference between two glossaries."""

    kind: str  # concept-added, concept-removed, term-added, term-removed, status, note, field
    concept: str
    detail: str


def _describe(term: Term) -> str:
    return f"{term.lang} {term.text!r} ({term.status.value})"


def diff_glossaries(old: Glossary, new: Glossary) -> list[Change]:
    """What changed from ``old`` to ``new``, concept by concept in ``new``'s order."""
    changes: list[Change] = []
    old_ids = {c.id for c in old}
    new_ids = {c.id for c in new}
    for concept in old:
        if concept.id not in new_ids:
            terms = ", ".join(_describe(t) for t in concept.terms)
            changes.append(Change("concept-removed", concept.id, terms))
    for concept in new:
        if concept.id not in old_ids:
            terms = ", ".join(_describe(t) for t in concept.terms)
            changes.append(Change("concept-added", concept.id, terms))
            continue
        before = old.concept(concept.id)
        was = {(t.lang, t.text): t for t in before.terms}
        now = {(t.lang, t.text): t for t in concept.terms}
        for key, term in was.items():
            if key not in now:
                changes.append(Change("term-removed", concept.id, _describe(term)))
        for key, term in now.items():
            previous = was.get(key)
            if previous is None:
                changes.append(Change("term-added", concept.id, _describe(term)))
            elif previous.status is not term.status:
                changes.append(
                    Change(
                        "status",
                        concept.id,
                        f"{term.lang} {term.text!r}: {previous.status.value} -> "
                        f"{term.status.value}",
                    )
                )
            elif previous.note != term.note:
                changes.append(
                    Change(
                        "note",
                        concept.id,
                        f"{term.lang} {term.text!r}: {previous.note!r} -> {term.note!r}",
                    )
                )
        for name in CONCEPT_FIELDS:
            if getattr(before, name) != getattr(concept, name):
                changes.append(
                    Change(
                        "field",
                        concept.id,
                        f"{name}: {getattr(before, name)!r} -> {getattr(concept, name)!r}",
                    )
                )
    return changes
