"""The pinning mechanism on the shipped IdentityEngine (no model): repair, audit, no harm.

The identity engine "translates" a text into itself, so the source text here plays the role
of the model's raw output; TermMatch values say which glossary concept the (imagined) source
sentence contained.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.config import DecodingOptions
from transpipe.engines import create_engine
from transpipe.engines.base import Engine
from transpipe.model import LanguagePair, Span, TermMatch, TermOutcome, TermStatus
from transpipe.pinning import (
    AuditSummary,
    PinnedTranslation,
    PinningOptions,
    TermPinner,
    needs_review,
)
from transpipe.terms import Glossary, load_glossary

EN_RU = LanguagePair("en", "ru")
RU_EN = LanguagePair("ru", "en")


@pytest.fixture(scope="module")
def glossary(repo_root: Path) -> Glossary:
    return load_glossary(repo_root / "corpora" / "pinning" / "glossary.tsv")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return create_engine("identity", None, DecodingOptions())


def match(concept_id: str, lang: str = "en") -> TermMatch:
    return TermMatch(concept_id, Span(0, 1), concept_id, lang, TermStatus.PREFERRED)


def pin(
    glossary: Glossary, engine: Engine, pair: LanguagePair, text: str, *concepts: str
) -> PinnedTranslation:
    pinner = TermPinner(glossary, pair, engine)
    lang = pair.source
    return pinner.translate([text], [[match(c, lang) for c in concepts]])[0]


@pytest.mark.parametrize(
    ("raw", "concept", "expected"),
    [
        (
            "Сессия Совета по коллективной безопасности открылась в Москве.",
            "csc",
            "Сессия Совета коллективной безопасности открылась в Москве.",
        ),
        (
            "Решение было одобрено Советом по коллективной безопасности.",
            "csc",
            "Решение было одобрено Советом коллективной безопасности.",
        ),
        (
            "Президент встретился с генсеком во вторник.",
            "sg",
            "Президент встретился с Генеральным секретарём во вторник.",
        ),
        (
            "Делегация поблагодарила генсека за визит.",
            "sg",
            "Делегация поблагодарила Генерального секретаря за визит.",
        ),
        ("Генсек прибыл в Бишкек.", "sg", "Генеральный секретарь прибыл в Бишкек."),
        ("Выборы прошли в Киргизии в январе.", "kg", "Выборы прошли в Кыргызстане в январе."),
        (
            "Офицеры служат в миротворческих войсках.",
            "pkf",
            "Офицеры служат в миротворческих силах.",
        ),
        (
            "Миротворческие войска вернулись на базы.",
            "pkf",
            "Миротворческие силы вернулись на базы.",
        ),
    ],
)
def test_russian_rendering_is_repaired_in_the_needed_form(
    glossary: Glossary, engine: Engine, raw: str, concept: str, expected: str
) -> None:
    result = pin(glossary, engine, EN_RU, raw, concept)
    assert result.hypothesis.text == expected
    assert [a.outcome for a in result.audit] == [TermOutcome.REPAIRED]
    assert result.audit[0].expected == glossary.preferred(concept, "ru")


@pytest.mark.parametrize(
    ("raw", "concept", "expected"),
    [
        (
            "The Secretary-General's statement was published.",
            "sg",
            "The Secretary General's statement was published.",
        ),
        ("Kirghizia's army held exercises.", "kg", "Kyrgyzstan's army held exercises."),
        ("Peacekeeping troops left the city.", "pkf", "Peacekeeping forces left the city."),
        (
            "The Council for Collective Security approved the budget.",
            "csc",
            "The Collective Security Council approved the budget.",
        ),
    ],
)
def test_english_rendering_is_repaired(
    glossary: Glossary, engine: Engine, raw: str, concept: str, expected: str
) -> None:
    result = pin(glossary, engine, RU_EN, raw, concept)
    assert result.hypothesis.text == expected
    assert result.audit[0].outcome is TermOutcome.REPAIRED


def test_two_terms_in_one_sentence(glossary: Glossary, engine: Engine) -> None:
    raw = "Генсек выступил перед Советом по коллективной безопасности."
    result = pin(glossary, engine, EN_RU, raw, "sg", "csc")
    assert result.hypothesis.text == (
        "Генеральный секретарь выступил перед Советом коллективной безопасности."
    )
    assert [a.outcome for a in result.audit] == [TermOutcome.REPAIRED, TermOutcome.REPAIRED]
    assert [a.target_surface for a in result.audit] == [
        "Генеральный секретарь",
        "Советом коллективной безопасности",
    ]


def test_honoured_term_is_left_alone(glossary: Glossary, engine: Engine) -> None:
    raw = "Журналисты поговорили с Генеральным секретарём ОДКБ."
    result = pin(glossary, engine, EN_RU, raw, "sg", "csto")
    assert result.hypothesis.text == raw
    assert [a.outcome for a in result.audit] == [TermOutcome.HONOURED, TermOutcome.HONOURED]
    assert result.audit[0].target_surface == "Генеральным секретарём"


def test_approved_form_with_a_forbidden_one_still_removes_the_forbidden(
    glossary: Glossary, engine: Engine
) -> None:
    raw = "Генеральный секретарь и генсек прибыли."
    result = pin(glossary, engine, EN_RU, raw, "sg")
    assert "генсек" not in result.hypothesis.text.lower()
    assert result.audit[0].outcome is TermOutcome.REPAIRED


def test_missing_rendering_fails_honestly(glossary: Glossary, engine: Engine) -> None:
    # Nothing in the output points at the concept: a blind replacement is kept only when the
    # engine scores it no worse than its own output (tolerance 0), which never happens here.
    raw = "Погода была хорошей весь день."
    pinner = TermPinner(glossary, EN_RU, engine, PinningOptions(window_tolerance=0.0))
    result = pinner.translate([raw], [[match("sg")]])[0]
    assert result.hypothesis.text == raw
    assert [a.outcome for a in result.audit] == [TermOutcome.FAILED]
    assert needs_review(result.audit)


def test_sentences_without_matches_are_the_plain_translation(
    glossary: Glossary, engine: Engine
) -> None:
    sources = ["Встреча продолжится завтра.", "Генсек прибыл.", "Переговоры шли три часа."]
    plain = engine.translate(sources, EN_RU)
    pinner = TermPinner(glossary, EN_RU, engine)
    pinned = pinner.translate(sources, [[], [match("sg")], []])
    assert pinned[0].hypothesis == plain[0]
    assert pinned[2].hypothesis == plain[2]
    assert pinned[0].audit == () and pinned[2].audit == ()
    assert pinned[1].hypothesis.text == "Генеральный секретарь прибыл."


def test_concept_without_target_term_is_only_found(glossary: Glossary, engine: Engine) -> None:
    result = pin(glossary, engine, EN_RU, "Текст без термина.", "no-such-concept")
    assert result.hypothesis.text == "Текст без термина."
    assert [a.outcome for a in result.audit] == [TermOutcome.FOUND]


def test_mismatched_lengths_are_refused(glossary: Glossary, engine: Engine) -> None:
    with pytest.raises(ValueError, match="2 sources but 1"):
        TermPinner(glossary, EN_RU, engine).translate(["a", "b"], [[]])


def test_audit_summary_line(glossary: Glossary, engine: Engine) -> None:
    pinner = TermPinner(glossary, EN_RU, engine, PinningOptions(window_tolerance=0.0))
    results = pinner.translate(
        ["Генсек прибыл.", "Генеральный секретарь ОДКБ прибыл.", "Погода была хорошей весь день."],
        [[match("sg")], [match("sg"), match("csto")], [match("sg")]],
    )
    summary = AuditSummary.of(r.audit for r in results)
    assert summary.total == 4
    assert summary.adherent == 3
    assert summary.line() == "terms: 4 found, 2 honoured, 0 pinned, 1 repaired, 1 failed"


def test_admitted_target_term_counts_as_honoured(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tpos\tstatus\tnote\n"
        "pk\tpeacekeepers\tмиротворцы\tnoun\tpreferred\t\n"
        "pk\t\tмиротворческий контингент\tnoun\tadmitted\t\n",
        encoding="utf-8",
    )
    result = pin(load_glossary(path), engine, EN_RU, "Миротворческий контингент прибыл.", "pk")
    assert result.hypothesis.text == "Миротворческий контингент прибыл."
    assert result.audit[0].outcome is TermOutcome.HONOURED
    assert result.audit[0].expected == "миротворцы"


def test_rewritten_sentence_keeps_the_engine_score_of_its_final_text(
    glossary: Glossary, engine: Engine
) -> None:
    """Quality estimation needs the engine's confidence for exactly the rewritten sentences."""
    sources = ["Генсек прибыл в Бишкек.", "Выборы прошли в Киргизии в январе."]
    results = TermPinner(glossary, EN_RU, engine).translate(sources, [[match("sg")], [match("kg")]])
    for source, result in zip(sources, results, strict=True):
        assert result.hypothesis.text != source  # rewritten
        assert result.hypothesis.score is not None
        assert result.hypothesis.score == pytest.approx(
            engine.score([source], [result.hypothesis.text], EN_RU)[0]
        )


def test_pin_starts_from_given_translations(glossary: Glossary, engine: Engine) -> None:
    """``pin`` enforces the glossary on translations the caller already has."""
    pinner = TermPinner(glossary, RU_EN, engine)
    given = engine.translate(["Kirghizia's army held exercises."], RU_EN)
    result = pinner.pin(["Армия Киргизии провела учения."], given, [[match("kg", "ru")]])[0]
    assert result.hypothesis.text == "Kyrgyzstan's army held exercises."
    assert result.audit[0].outcome is TermOutcome.REPAIRED
    with pytest.raises(ValueError, match="1 sources, 0 translations"):
        pinner.pin(["x"], [], [[]])
