"""Paradigms of glossary terms and the choice of the form a context needs (pymorphy3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.config import DecodingOptions
from transpipe.engines import create_engine
from transpipe.lang.english import plural as english_plural
from transpipe.lang.english import singular as english_singular
from transpipe.lang.russian import preposition_cases
from transpipe.model import LanguagePair, Span, TermMatch, TermOutcome, TermStatus
from transpipe.pinning import TermPinner
from transpipe.pinning.inflect import (
    Slot,
    capitalise_first,
    choose_slots,
    distinct_forms,
    fold,
    paradigm,
)
from transpipe.pinning.locate import FormFinder
from transpipe.terms import load_glossary


def test_multiword_head_inflects_and_genitive_tail_stays() -> None:
    par = paradigm("Совет коллективной безопасности", "ru")
    assert par.citation == Slot("nomn", "sing")
    assert par.form(Slot("gent", "sing")) == "Совета коллективной безопасности"
    assert par.form(Slot("datv", "sing")) == "Совету коллективной безопасности"
    assert par.form(Slot("ablt", "sing")) == "Советом коллективной безопасности"
    assert par.form(Slot("loct", "sing")) == "Совете коллективной безопасности"
    assert par.form(Slot("gent", "plur")) == "Советов коллективной безопасности"


def test_adjective_agrees_with_animate_head_and_keeps_capitals() -> None:
    par = paradigm("Генеральный секретарь", "ru")
    assert par.form(Slot("ablt", "sing")) == "Генеральным секретарём"
    # animate masculine: accusative = genitive, for the adjective too
    assert par.form(Slot("accs", "sing")) == "Генерального секретаря"
    assert par.form(Slot("datv", "sing")) == "Генеральному секретарю"
    assert par.form(Slot("accs", "plur")) == "Генеральных секретарей"


def test_fixed_abbreviation_tail_after_head() -> None:
    par = paradigm("Генеральный секретарь ОДКБ", "ru")
    assert par.form(Slot("gent", "sing")) == "Генерального секретаря ОДКБ"
    assert paradigm("ОДКБ", "ru").surfaces() == ("ОДКБ",)


def test_plural_citation_term() -> None:
    par = paradigm("миротворческие силы", "ru")
    assert par.citation == Slot("nomn", "plur")
    assert par.surfaces()[0] == "миротворческие силы"
    assert par.form(Slot("gent", "plur")) == "миротворческих сил"
    assert par.form(Slot("ablt", "plur")) == "миротворческими силами"
    assert par.form(Slot("loct", "plur")) == "миротворческих силах"
    assert par.form(Slot("accs", "plur")) == "миротворческие силы"  # inanimate


def test_plural_adjective_noun_with_tail() -> None:
    par = paradigm("Коллективные силы оперативного реагирования", "ru")
    assert par.citation == Slot("nomn", "plur")
    assert par.form(Slot("gent", "plur")) == "Коллективных сил оперативного реагирования"
    assert par.form(Slot("datv", "plur")) == "Коллективным силам оперативного реагирования"


def test_feminine_head_with_adjective_and_tail() -> None:
    par = paradigm("Шанхайская организация сотрудничества", "ru")
    assert par.form(Slot("accs", "sing")) == "Шанхайскую организацию сотрудничества"
    assert par.form(Slot("ablt", "sing")) == "Шанхайской организацией сотрудничества"


def test_proper_name_has_no_plural() -> None:
    par = paradigm("Кыргызстан", "ru")
    assert {slot.number for slot, _ in par.forms} == {"sing"}
    assert par.form(Slot("loct", "sing")) == "Кыргызстане"


@pytest.mark.parametrize(
    ("before", "replaced", "expected"),
    [
        ("Сессия", "Совета по коллективной безопасности", "Совета коллективной безопасности"),
        (
            "Министры направили доклад",
            "Совету по коллективной безопасности",
            "Совету коллективной безопасности",
        ),
        (
            "Решение было одобрено",
            "Советом по коллективной безопасности",
            "Советом коллективной безопасности",
        ),
        (
            "Новый план обсудили на",
            "Совете по коллективной безопасности",
            "Совете коллективной безопасности",
        ),
    ],
)
def test_case_of_the_replaced_rendering_is_kept(before: str, replaced: str, expected: str) -> None:
    par = paradigm("Совет коллективной безопасности", "ru")
    assert distinct_forms(par, choose_slots(par, before, replaced))[0] == expected


def test_preposition_narrows_ambiguous_case() -> None:
    par = paradigm("Кыргызстан", "ru")
    # "Киргизии" is genitive, dative or prepositional; "в" leaves the prepositional
    assert distinct_forms(par, choose_slots(par, "Выборы прошли в", "Киргизии")) == ("Кыргызстане",)
    assert distinct_forms(par, choose_slots(par, "Делегация прибыла в", "Киргизию")) == (
        "Кыргызстан",
    )
    sg = paradigm("Генеральный секретарь", "ru")
    assert distinct_forms(sg, choose_slots(sg, "Президент встретился с", "генсеком"))[0] == (
        "Генеральным секретарём"
    )


def test_number_of_the_rendering_is_kept() -> None:
    par = paradigm("миротворческие силы", "ru")
    slots = choose_slots(par, "служат в", "миротворческих войсках")
    assert distinct_forms(par, slots)[0] == "миротворческих силах"
    slots = choose_slots(par, "мандат", "миротворческих войск")
    assert distinct_forms(par, slots)[0] == "миротворческих сил"


def test_unknown_context_offers_every_form_citation_number_first() -> None:
    par = paradigm("миротворческие силы", "ru")
    slots = choose_slots(par, "", "")
    assert slots[0] == Slot("nomn", "plur")
    assert len(slots) == len(par.forms)


def test_preposition_lookup() -> None:
    assert preposition_cases("встретился с") == frozenset({"ablt", "gent"})
    assert preposition_cases("в рамках") == frozenset({"gent"})
    assert preposition_cases("Совет обсудил") is None
    assert preposition_cases("") is None


def test_english_paradigm_plural_and_possessive() -> None:
    par = paradigm("Collective Security Council", "en")
    assert par.form(Slot("poss", "sing")) == "Collective Security Council's"
    assert par.form(Slot("base", "plur")) == "Collective Security Councils"
    pk = paradigm("peacekeeping forces", "en")
    assert pk.citation == Slot("base", "plur")
    assert pk.form(Slot("base", "sing")) == "peacekeeping force"
    assert pk.form(Slot("poss", "plur")) == "peacekeeping forces'"


def test_english_choice_follows_the_replaced_words() -> None:
    sg = paradigm("Secretary General", "en")
    assert distinct_forms(sg, choose_slots(sg, "The", "Secretary-General's"))[0] == (
        "Secretary General's"
    )
    pk = paradigm("peacekeeping forces", "en")
    assert distinct_forms(pk, choose_slots(pk, "the", "peacekeeping troops"))[0] == (
        "peacekeeping forces"
    )
    assert distinct_forms(pk, choose_slots(pk, "a", "peacekeeping unit"))[0] == (
        "peacekeeping force"
    )


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("force", "forces"),
        ("country", "countries"),
        ("box", "boxes"),
        ("man", "men"),
        ("day", "days"),
        ("security", "security"),
    ],
)
def test_english_plural_round_trip(singular: str, plural: str) -> None:
    assert english_plural(singular) == plural
    if singular != plural:
        assert english_singular(plural) == singular


def test_capitalise_and_fold() -> None:
    assert capitalise_first("миротворческие силы") == "Миротворческие силы"
    assert capitalise_first("«миротворческие»") == "«Миротворческие»"
    assert fold("Генеральным  Секретарём") == "генеральным секретарем"
    assert fold("Council’s") == "council's"


# -- personal names and hyphenated compounds (issues 12 and 13) ---------------------------


def test_a_name_term_inflects_by_the_name_rules() -> None:
    par = paradigm("Имангали Тасмагамбетов", "ru")
    assert par.form(Slot("gent", "sing")) == "Имангали Тасмагамбетова"
    assert par.form(Slot("accs", "sing")) == "Имангали Тасмагамбетова"
    assert par.form(Slot("ablt", "sing")) == "Имангали Тасмагамбетовым"
    assert {slot.number for slot, _ in par.forms} == {"sing"}
    assert par.gender == "masc"
    assert par.slots_of("Имангали Тасмагамбетова") == (Slot("gent", "sing"), Slot("accs", "sing"))
    assert paradigm("Касым-Жомарт Токаев", "ru").form(Slot("datv", "sing")) == (
        "Касым-Жомарту Токаеву"
    )


def test_a_name_in_apposition_agrees_with_the_title() -> None:
    par = paradigm("Генеральный секретарь ОДКБ Имангали Тасмагамбетов", "ru")
    assert par.form(Slot("accs", "sing")) == "Генерального секретаря ОДКБ Имангали Тасмагамбетова"
    assert par.form(Slot("ablt", "sing")) == (
        "Генеральным секретарём ОДКБ Имангали Тасмагамбетовым"
    )
    assert {slot.number for slot, _ in par.forms} == {"sing"}


@pytest.mark.parametrize(
    ("slot", "form"),
    [
        (Slot("nomn", "sing"), "государство-член"),
        (Slot("gent", "sing"), "государства-члена"),
        (Slot("accs", "sing"), "государство-член"),
        (Slot("ablt", "sing"), "государством-членом"),
        (Slot("nomn", "plur"), "государства-члены"),
        (Slot("gent", "plur"), "государств-членов"),
        (Slot("datv", "plur"), "государствам-членам"),
        (Slot("accs", "plur"), "государства-члены"),
        (Slot("ablt", "plur"), "государствами-членами"),
        (Slot("loct", "plur"), "государствах-членах"),
    ],
)
def test_hyphenated_noun_pair_inflects_in_both_parts(slot: Slot, form: str) -> None:
    assert paradigm("государство-член", "ru").form(slot) == form


def test_hyphenated_pair_takes_the_animacy_of_its_first_part() -> None:
    assert paradigm("женщина-врач", "ru").form(Slot("accs", "sing")) == "женщину-врача"
    par = paradigm("государства-члены", "ru")
    assert par.citation == Slot("nomn", "plur")
    assert par.form(Slot("gent", "plur")) == "государств-членов"


def test_approved_forms_are_found_with_a_spaced_dash() -> None:
    finder = FormFinder((paradigm("государство-член", "ru"),))
    text = "Совет глав государств – членов ШОС и государств-членов ОДКБ"
    assert [text[s.start : s.end] for s in finder.find(text)] == [
        "государств – членов",
        "государств-членов",
    ]


def test_a_correct_inflected_name_is_honoured_not_repaired(repo_root: Path) -> None:
    """The README run: the model's correct accusative «Имангали Тасмагамбетова» must stay."""
    glossary = load_glossary(repo_root / "glossary" / "csto.tsv")
    engine = create_engine("identity", None, DecodingOptions())
    raw = "Президент принял Генерального секретаря ОДКБ Имангали Тасмагамбетова."
    concepts = ("secretary-general", "csto", "tasmagambetov")
    matches = [TermMatch(c, Span(0, 1), c, "en", TermStatus.PREFERRED) for c in concepts]
    result = TermPinner(glossary, LanguagePair("en", "ru"), engine).translate([raw], [matches])
    assert result[0].hypothesis.text == raw
    assert [a.outcome for a in result[0].audit] == [TermOutcome.HONOURED] * 3
