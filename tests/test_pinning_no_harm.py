"""Agreement outside a replaced term, and the words pinning must leave alone (no harm).

``reagree`` on its own, then through the pinner on the shipped IdentityEngine (its "output" is
the text given), where a replacement that would leave a word disagreeing is either re-agreed
or not made (the term fails, the segment is for review) - never silently broken.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.config import DecodingOptions
from transpipe.engines import create_engine
from transpipe.engines.base import Engine
from transpipe.model import LanguagePair, Span, TermMatch, TermOutcome, TermStatus
from transpipe.pinning import TermPinner, needs_review
from transpipe.pinning.agree import Features, phrase_features, reagree
from transpipe.pinning.nearforms import near_forms, same_word_but_ending
from transpipe.terms import Glossary, load_glossary

EN_RU = LanguagePair("en", "ru")
RU_EN = LanguagePair("ru", "en")
MASC = Features("masc", "sing")


def _reagree_ru(text: str, rendering: str, form: str, case: str, new: Features) -> str | None:
    start = text.index(rendering)
    span = Span(start, start + len(rendering))
    old = phrase_features(rendering, case)
    return reagree(text, span, form, "ru", case=case, old=old, new=new)


@pytest.mark.parametrize(
    ("text", "rendering", "form", "case", "expected"),
    [
        (
            "Киргизия заявила о поддержке и подчеркнула её важность для всех.",
            "Киргизия",
            "Кыргызстан",
            "nomn",
            None,
        ),  # «её» may refer to it: cannot tell
        (
            "Киргизия заявила о поддержке и подчеркнула важность.",
            "Киргизия",
            "Кыргызстан",
            "nomn",
            "Кыргызстан заявил о поддержке и подчеркнул важность.",
        ),
        (
            "Вчера заявила Киргизия о поддержке.",
            "Киргизия",
            "Кыргызстан",
            "nomn",
            "Вчера заявил Кыргызстан о поддержке.",
        ),
        (
            "Киргизия была готова к переговорам.",
            "Киргизия",
            "Кыргызстан",
            "nomn",
            "Кыргызстан был готов к переговорам.",
        ),
        (
            "Киргизия, которая вступила в ОДКБ, была приглашена.",
            "Киргизия",
            "Кыргызстан",
            "nomn",
            "Кыргызстан, который вступил в ОДКБ, был приглашён.",
        ),
        (
            "Выборы прошли в этой Киргизии.",
            "Киргизии",
            "Кыргызстане",
            "loct",
            "Выборы прошли в этом Кыргызстане.",
        ),
        (
            "Делегация посетила эту Киргизию в мае.",
            "Киргизию",
            "Кыргызстан",
            "accs",
            "Делегация посетила этот Кыргызстан в мае.",
        ),
        # a comma after the subject hides its predicate: refuse rather than guess
        ("Киргизия, член ОДКБ, заявила о поддержке.", "Киргизия", "Кыргызстан", "nomn", None),
        (
            "Киргизия заявила, что Россия поддержала решение.",
            "Киргизия",
            "Кыргызстан",
            "nomn",
            None,
        ),
        # same gender and number: nothing else changes
        (
            "Белоруссия заявила о поддержке.",
            "Белоруссия",
            "Беларусь",
            "nomn",
            "Беларусь заявила о поддержке.",
        ),
    ],
)
def test_russian_words_agreeing_with_the_rendering_are_reinflected(
    text: str, rendering: str, form: str, case: str, expected: str | None
) -> None:
    new = Features("femn", "sing") if form == "Беларусь" else MASC
    assert _reagree_ru(text, rendering, form, case, new) == expected


def test_english_verb_follows_a_change_of_number() -> None:
    text = "The peacekeeping troops are ready."
    start = text.index("peacekeeping troops")
    span = Span(start, start + len("peacekeeping troops"))
    out = reagree(
        text,
        span,
        "peacekeeping force",
        "en",
        case="base",
        old=Features("", "plur"),
        new=Features("", "sing"),
    )
    assert out == "The peacekeeping force is ready."


@pytest.fixture(scope="module")
def engine() -> Engine:
    return create_engine("identity", None, DecodingOptions())


def _match(concept: str, lang: str = "en", surface: str = "") -> TermMatch:
    return TermMatch(concept, Span(0, 1), surface or concept, lang, TermStatus.PREFERRED)


@pytest.fixture(scope="module")
def glossary(repo_root: Path) -> Glossary:
    return load_glossary(repo_root / "corpora" / "pinning" / "glossary.tsv")


def test_gender_change_is_reagreed_by_the_pinner(glossary: Glossary, engine: Engine) -> None:
    result = TermPinner(glossary, EN_RU, engine).translate(
        ["Киргизия заявила о поддержке решения."], [[_match("kg")]]
    )[0]
    assert result.hypothesis.text == "Кыргызстан заявил о поддержке решения."
    assert result.audit[0].outcome is TermOutcome.REPAIRED


def test_replacement_that_cannot_be_reagreed_fails_for_review(
    glossary: Glossary, engine: Engine
) -> None:
    raw = "Киргизия заявила, что она поддержит решение."
    result = TermPinner(glossary, EN_RU, engine).translate([raw], [[_match("kg")]])[0]
    assert result.hypothesis.text == raw  # never "Кыргызстан заявила ... она"
    assert result.audit[0].outcome is TermOutcome.FAILED
    assert needs_review(result.audit)


def test_unlisted_synonym_of_the_head_is_left_alone(engine: Engine, tmp_path: Path) -> None:
    """«войска» shares nothing with «силы»: without a forbidden row it is not guessed at."""
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tpos\tstatus\tnote\n"
        "pkf\tpeacekeeping forces\tмиротворческие силы\tnoun\tpreferred\t\n",
        encoding="utf-8",
    )
    raw = "Офицеры служат в миротворческих войсках."
    result = TermPinner(load_glossary(path), EN_RU, engine).translate([raw], [[_match("pkf")]])
    assert result[0].hypothesis.text == raw
    assert result[0].audit[0].outcome is TermOutcome.FAILED


def test_shared_modifier_with_another_head_is_not_a_rendering(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tpos\tstatus\tnote\nairway\tairway\tдыхательная трубка\tnoun\tpreferred\t\n",
        encoding="utf-8",
    )
    raw = "Вирус поражает клетки дыхательного эпителия человека."
    result = TermPinner(load_glossary(path), EN_RU, engine).translate([raw], [[_match("airway")]])
    assert result[0].hypothesis.text == raw


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("Тасмагамбетов", "Тасмагамбетова", True),
        ("государство-член", "государств-членов", True),
        ("Россия", "Российская", False),
        ("Кыргызстан", "Киргизия", False),
        ("ООН", "ОДКБ", False),
    ],
)
def test_same_word_but_ending(a: str, b: str, near: bool) -> None:
    assert same_word_but_ending(a, b) is near


def test_near_forms_skip_an_english_article_and_keep_phrases_whole() -> None:
    text = "to stop the spread of the virus, said Тасмагамбетова"
    found = [text[s.start : s.end] for s in near_forms(["spread of virus", "Тасмагамбетов"], text)]
    assert found == ["spread of the virus", "Тасмагамбетова"]
    assert near_forms(["spread of virus"], "spread. Of virus") == []


def test_correct_inflection_the_paradigm_does_not_know_is_honoured(
    engine: Engine, tmp_path: Path
) -> None:
    """An unknown surname in the accusative is left as the model wrote it (issue 13)."""
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tpos\tstatus\tnote\n"
        "nm\tAigerim Zhumabekova\tАйгерим Жумабекова\tproper-noun\tpreferred\t\n",
        encoding="utf-8",
    )
    raw = "Президент принял Айгерим Жумабекову в Бишкеке."
    result = TermPinner(load_glossary(path), EN_RU, engine).translate(
        [raw], [[_match("nm", surface="Aigerim Zhumabekova")]]
    )[0]
    assert result.hypothesis.text == raw
    assert result.audit[0].outcome is TermOutcome.HONOURED


def test_any_approved_or_admitted_term_honours_any_occurrence(
    engine: Engine, repo_root: Path
) -> None:
    """After "CSTO" once, a later full name is not expected in the abbreviated form."""
    csto = load_glossary(repo_root / "glossary" / "csto.tsv")
    pinner = TermPinner(csto, EN_RU, engine)
    abbreviation = TermMatch(
        "csto", Span(0, 4), "CSTO", "en", TermStatus.ADMITTED, (("ru", "ОДКБ"),)
    )
    full = TermMatch(
        "csto",
        Span(0, 39),
        "Collective Security Treaty Organization",
        "en",
        TermStatus.PREFERRED,
        (("ru", "Организация Договора о коллективной безопасности"),),
    )
    texts = [
        "Генеральный секретарь ОДКБ прибыл в Минск.",
        "Сессия Организации Договора о коллективной безопасности открылась.",
        "ОДКБ провела сессию.",
    ]
    results = pinner.translate(texts, [[abbreviation], [abbreviation], [full]])
    assert [r.hypothesis.text for r in results] == texts
    assert all(r.audit[0].outcome is TermOutcome.HONOURED for r in results)
    assert results[2].audit[0].expected == "Организация Договора о коллективной безопасности"


def test_modifier_of_another_glossary_term_is_not_swapped(engine: Engine, repo_root: Path) -> None:
    """Source "regional and international security", model «региональной безопасности»: the
    words render "regional security" (a glossary term too), not "international security"."""
    csto = load_glossary(repo_root / "glossary" / "csto.tsv")
    raw = "Организация работает в интересах укрепления региональной безопасности."
    result = TermPinner(csto, EN_RU, engine).translate(
        [raw], [[_match("international-security", surface="international security")]]
    )[0]
    assert result.hypothesis.text == raw
    assert result.audit[0].outcome is TermOutcome.FAILED


def test_modifier_synonym_agreeing_with_the_head_is_replaced(
    engine: Engine, repo_root: Path
) -> None:
    csto = load_glossary(repo_root / "glossary" / "csto.tsv")
    raw = "Стороны обсудили двухстороннее сотрудничество в сфере безопасности."
    result = TermPinner(csto, EN_RU, engine).translate(
        [raw], [[_match("bilateral-cooperation", surface="bilateral cooperation")]]
    )[0]
    wanted = "Стороны обсудили двустороннее сотрудничество в сфере безопасности."
    assert result.hypothesis.text == wanted
    assert result.audit[0].outcome is TermOutcome.REPAIRED
