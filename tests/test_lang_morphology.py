"""The Russian morphology handle other stages rely on: typed analyses, lemmas, inflection."""

from __future__ import annotations

from transpipe.lang import morphology


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
    assert morphology.inflect_word("Совет", case="gent") == "Совета"
    assert morphology.inflect_word("сила", case="ablt", number="plur") == "силами"
    assert morphology.inflect_word("ОДКБ", case="gent") == "ОДКБ"
    assert morphology.normalize("Ёлка") == "елка"


def test_one_process_wide_handle_with_typed_inflection() -> None:
    handle = morphology.analyzer()
    assert morphology.analyzer() is handle
    council = next(a for a in handle.parse("совет") if a.pos == "NOUN")
    genitive = handle.inflect(council, {"gent", "plur"})
    assert genitive is not None and genitive.word == "советов" and genitive.case == "gent"
    assert "советами" in {form.word for form in handle.lexeme(council)}
    assert handle.is_known("совет") and not handle.is_known("тасмагамбетов")
