"""The README main run leaves correct names alone and writes every name in a correct form.

Issue 13: in ``japarov-meets-secretary-general`` the model wrote the correct accusative
«принял Генерального секретаря ОДКБ Имангали Тасмагамбетова» and pinning "repaired" it into
the nominative. Over all 13 sample articles (``transpipe translate corpora/*.en.txt --from en
--to ru --glossary glossary/csto.tsv --model demo``), for every person of the glossary
(``TermMatcher.is_person``) and every occurrence of the name in the output (full name or
surname alone, any initials):

- it is a correct form of the name (``lang.names``: paradigm of the glossary's name);
- its case fits its position: a governing preposition, or the title right before it that it
  stands in apposition to («Генерального секретаря ОДКБ» -> genitive or accusative);
- a name the model already wrote in a correct form is never ``repaired`` or ``pinned`` (the
  same run without pinning shows what the model wrote).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from transpipe.cli import main
from transpipe.lang import names
from transpipe.lang.russian import preposition_cases
from transpipe.model import Span
from transpipe.pinning.inflect import russian_rendering_slots
from transpipe.pinning.nearforms import near_forms
from transpipe.terms import CompiledGlossary, Glossary, TermMatcher, load_glossary

REPO = Path(__file__).resolve().parents[1]
INITIALS = re.compile(r"(?:[А-ЯЁA-Z]\.[\s\u00a0]*)*$")  # "В. " before "Зайнетдинов"
ARTICLES = sorted((REPO / "corpora").glob("*.en.txt"))
Segments = dict[str, dict[str, Any]]  # segment id -> its report.json entry


def _translate(out: Path, *extra: str) -> Segments:
    argv = [
        "translate",
        *map(str, ARTICLES),
        "--from",
        "en",
        "--to",
        "ru",
        "--glossary",
        str(REPO / "glossary" / "csto.tsv"),
        "--model",
        "demo",
        "--out",
        str(out),
        *extra,
    ]
    assert main(argv) == 0
    segments: Segments = {}
    for report in sorted(out.glob("*.report.json")):
        for segment in json.loads(report.read_text(encoding="utf-8"))["segments"]:
            segments[segment["id"]] = segment
    return segments


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Segments, Segments]]:
    store = tmp_path_factory.mktemp("store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSPIPE_MODELS_DIR", str(store))
        pinned = _translate(tmp_path_factory.mktemp("pinned"))
        plain = _translate(tmp_path_factory.mktemp("plain"), "--no-pin")
    yield pinned, plain


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(REPO / "glossary" / "csto.tsv")


def _people(glossary: Glossary) -> dict[str, list[names.NameParadigm]]:
    """Person concept -> paradigms of its Russian names and of their surnames alone."""
    people: dict[str, list[names.NameParadigm]] = {}
    for concept in glossary:
        if not TermMatcher.is_person(concept):
            continue
        terms = [t.text for t in concept.terms_in("ru") if t.status.value != "forbidden"]
        surnames = {t.split()[-1] for t in terms}
        people[concept.id] = [names.name_paradigm(t) for t in [*terms, *sorted(surnames)]]
    return people


def _occurrences(text: str, paradigms: list[names.NameParadigm]) -> list[Span]:
    """Where the name (or a word-for-word near form of it) stands in ``text``."""
    return near_forms([p.name for p in paradigms], text)


def _cases(surface: str, paradigms: list[names.NameParadigm]) -> set[str]:
    return {f.case for p in paradigms for f in p.slots_of(surface)}


def _title_cases(text: str, span: Span, terms: CompiledGlossary) -> set[str] | None:
    """Cases of the title the name stands in apposition to: the chain of glossary terms that
    ends right before it ("Генерального секретаря" + "ОДКБ"), read from its first term."""
    chain = []
    end = span.start
    for match in reversed(terms.find(text, "ru")):
        if match.span.end <= end and not text[match.span.end : end].strip():
            chain.append(match)
            end = match.span.start
    if not chain:
        return None
    first = chain[-1]
    slots = russian_rendering_slots(text[first.span.start : first.span.end])
    return {s.case for s in slots} or None


def test_every_name_is_a_correct_form_for_its_position(
    runs: tuple[Segments, Segments], glossary: Glossary
) -> None:
    pinned, _ = runs
    people = _people(glossary)
    terms = CompiledGlossary(glossary)
    checked = 0
    for segment_id, segment in pinned.items():
        target = str(segment["target"])
        for concept, paradigms in people.items():
            for span in _occurrences(target, paradigms):
                surface = target[span.start : span.end]
                cases = _cases(surface, paradigms)
                assert cases, f"{segment_id}: {surface!r} is no form of {concept}"
                start = len(INITIALS.sub("", target[: span.start]))
                governed = preposition_cases(target[:start])
                if governed is not None:
                    assert cases & governed, f"{segment_id}: {surface!r} after a preposition"
                title = _title_cases(target, Span(start, span.end), terms)
                if title is not None:
                    assert cases & title, f"{segment_id}: {surface!r} after its title"
                checked += 1
    assert checked >= 25  # Тасмагамбетов, Жапаров, Лукашенко, Зайнетдинов across the articles


def test_correct_names_are_never_repaired(
    runs: tuple[Segments, Segments], glossary: Glossary
) -> None:
    pinned, plain = runs
    people = _people(glossary)
    for segment_id, segment in pinned.items():
        for audit in segment["term_audit"]:
            if audit["concept"] not in people or audit["outcome"] not in ("repaired", "pinned"):
                continue
            paradigms = people[audit["concept"]]
            before = str(plain[segment_id]["target"])
            correct = [
                before[s.start : s.end]
                for s in _occurrences(before, paradigms)
                if _cases(before[s.start : s.end], paradigms)
            ]
            assert not correct, f"{segment_id}: {correct} was right and got {audit['outcome']}"


def test_the_issue_sentence_keeps_its_accusative(runs: tuple[Segments, Segments]) -> None:
    pinned, _ = runs
    segment = pinned["japarov-meets-secretary-general:p3:s1"]
    assert "Имангали Тасмагамбетова" in str(segment["target"])
    outcomes = {a["concept"]: a["outcome"] for a in segment["term_audit"]}
    assert outcomes["tasmagambetov"] == "honoured"
