"""The pymorphy3 wrapper other stages rely on (term pinning): analyses, lemmas, inflection."""

from __future__ import annotations

from transpipe.terms import morphology


def test_parse_gives_frozen_analyses_with_folded_cases() -> None:
    readings = morphology.parse("Советом")
    assert readings[0].lemma == "совет"
    assert (readings[0].pos, readings[0].case, readings[0].number) == ("NOUN", "ablt", "sing")
    # secondary cases are folded: "в лесу" (loc2) is reported as loct
    assert any(a.case == "loct" for a in morphology.parse("лесу"))
    assert all(a.case not in ("loc2", "gen2", "acc2") for a in morphology.parse("лесу"))


def test_lemmas_are_normalised_and_complete() -> None:
    assert {"стать", "сталь"} <= morphology.lemmas("стали")
    assert "объединить" in morphology.lemmas("Объединённых")
    assert morphology.lemmas("объединенных") == morphology.lemmas("объединённых")  # ё = е


def test_likely_lemmas_drop_rare_readings() -> None:
    assert morphology.likely_lemmas("стали") == frozenset({"стать"})
    assert "мир" in morphology.likely_lemmas("мира")


def test_forms_cover_the_whole_paradigm() -> None:
    forms = morphology.forms("секретарь")
    assert {"секретаря", "секретарем", "секретарями"} <= forms


def test_inflect_keeps_letter_case() -> None:
    assert morphology.inflect("Совет", case="gent") == "Совета"
    assert morphology.inflect("сила", case="ablt", number="plur") == "силами"
    assert morphology.inflect("ОДКБ", case="gent") == "ОДКБ"
    assert morphology.normalize("Ёлка") == "елка"
