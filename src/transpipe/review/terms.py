"""Term help for a reviewer: the approved term inflected to fit, and the glossary entry.

Owns what the page offers next to a sentence's term audit: the form to insert (the approved
form the run found in this very sentence, else the term inflected for where the cursor is:
the case of the words it replaces, or the case a preposition before the cursor governs,
capitalised at the start of a sentence) and the glossary entry of each concept (every term
in both languages with its status and note, the concept's note and definition).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SENTENCE_END = ".!?…"


def suggestion(current: Mapping[str, Any], at_mt_time: Mapping[str, Any] | None) -> str:
    """The form to offer for one audit record: the approved surface seen in this sentence
    (now, or in the machine translation), else the expected term as the glossary has it."""
    for record in (current, at_mt_time or {}):
        surface = record.get("target")
        if isinstance(surface, str) and surface.strip():
            return surface
    expected = current.get("expected")
    return expected if isinstance(expected, str) else ""


def inflect_for_context(term: str, lang: str, *, before: str, replaced: str, default: str) -> str:
    """``term`` in the form that fits after ``before`` in place of ``replaced``."""
    from transpipe.lang.russian import preposition_cases
    from transpipe.pinning.inflect import capitalise_first, choose_slots, paradigm

    form = default or term
    governed = lang == "ru" and preposition_cases(before) is not None
    if replaced.strip() or governed:
        par = paradigm(term, lang)
        slots = choose_slots(par, before, replaced)
        if slots:
            form = par.form(slots[0])
    stripped = before.rstrip().rstrip('«"“„(')
    if not stripped or stripped[-1] in SENTENCE_END or replaced[:1].isupper():
        form = capitalise_first(form)
    return form


def glossary_entries(
    glossary: object | None, concepts: Iterable[str], matches: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The glossary entry of each concept (in first-seen order)."""
    wanted = list(dict.fromkeys(concepts))
    entries: list[dict[str, Any]] = []
    for concept_id in wanted:
        entry = _from_glossary(glossary, concept_id) if glossary is not None else None
        if entry is None:
            entry = _from_matches(concept_id, matches)
        entries.append(entry)
    return entries


def _from_glossary(glossary: object, concept_id: str) -> dict[str, Any] | None:
    from transpipe.terms import Glossary

    if not isinstance(glossary, Glossary):
        return None
    try:
        concept = glossary.concept(concept_id)
    except KeyError:
        return None
    return {
        "concept": concept_id,
        "note": concept.note,
        "definition": concept.definition,
        "terms": [
            {"lang": t.lang, "text": t.text, "status": t.status.value, "note": t.note}
            for t in concept.terms
        ],
    }


def _from_matches(concept_id: str, matches: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    terms: dict[tuple[str, str], dict[str, str]] = {}
    for match in matches:
        if match.get("concept") != concept_id:
            continue
        preferred = match.get("preferred", {})
        if isinstance(preferred, Mapping):
            for lang, text in sorted(preferred.items()):
                terms.setdefault(
                    (str(lang), str(text)),
                    {"lang": str(lang), "text": str(text), "status": "preferred", "note": ""},
                )
    return {"concept": concept_id, "note": "", "definition": "", "terms": list(terms.values())}
