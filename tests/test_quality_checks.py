"""Rule checks: each check finds what it should and stays quiet on good translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.errors import ConfigError
from transpipe.model import (
    Issue,
    LanguagePair,
    Severity,
    Span,
    TermAudit,
    TermMatch,
    TermOutcome,
    TermStatus,
)
from transpipe.quality import (
    CHECK_NAMES,
    ChecksConfig,
    configure_checks,
    run_checks,
    run_document_checks,
)
from transpipe.quality.checks_numbers import extract_numbers

RU_EN = LanguagePair("ru", "en")
EN_RU = LanguagePair("en", "ru")


def checks_of(issues: list[Issue], *, at_least: Severity = Severity.INFO) -> set[str]:
    return {i.check for i in issues if i.severity >= at_least}


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (
            "Встреча пройдёт 14 апреля 2025 г. в Бишкеке.",
            "The meeting will be held on April 14, 2025 in Bishkek.",
        ),
        ("Документ подписан 02.11.2024.", "The document was signed on 2 November 2024."),
        ("Рост составил 2,75% за год.", "Growth was 2.75% over the year."),
        ("В учениях участвовали 4 500 военных.", "Some 4,500 troops took part in the exercise."),
        ("Бюджет — 3,2 млрд рублей.", "The budget is 3.2 billion roubles."),
        ("Выделено 1,5 тыс. тонн груза.", "1,500 tonnes of cargo were allocated."),
        ("Прибыли пять делегаций и 2 наблюдателя.", "Five delegations and two observers arrived."),
        ("Это случилось в 90-х годах.", "It happened in the 1990s."),
        ("Заседание XXI века.", "A meeting of the 21st century."),
    ],
)
def test_numbers_in_locale_forms_are_equal(source: str, target: str) -> None:
    assert checks_of(run_checks(source, target, RU_EN)) & {"numbers"} == set()


def test_changed_number_is_a_major_finding_on_the_source_side() -> None:
    issues = run_checks("Погибли 17 человек.", "Seventy people died, 71 injured.", RU_EN)
    major = [i for i in issues if i.check == "numbers" and i.severity == Severity.MAJOR]
    assert len(major) == 1
    assert major[0].side == "source"
    assert major[0].span == Span(8, 10)
    extra = [i for i in issues if i.check == "numbers" and i.severity == Severity.MINOR]
    assert "71" in extra[0].message


def test_dropped_month_and_wrong_date() -> None:
    issues = run_checks("Саммит открылся 10 марта.", "The summit opened on May 10.", RU_EN)
    messages = [i.message for i in issues if i.check == "numbers"]
    assert any("марта" in m for m in messages)
    assert any("May" in m for m in messages)


def test_number_parsing_keeps_both_readings_of_ambiguous_separators() -> None:
    (token,) = extract_numbers("1,500", "en")
    assert token.values == {1500.0, 1.5}
    (token,) = extract_numbers("1 000 000", "ru")
    assert token.values == {1_000_000.0}
    assert [t.values for t in extract_numbers("10.03.2023", "ru")] == [{10.0}, {3.0}, {2023.0}]


def test_urls_emails_phones() -> None:
    source = (
        "Пишите на press@example.org, звоните +7 (495) 123-45-67, сайт https://example.org/news."
    )
    good = "Write to press@example.org, call +7 (495) 123-45-67, website https://example.org/news."
    bad = "Write to press@example.com, call +7 (495) 123-45-76, website https://example.org/new."
    assert checks_of(run_checks(source, good, RU_EN), at_least=Severity.MINOR) == set()
    assert {"urls", "emails", "phones"} <= checks_of(run_checks(source, bad, RU_EN))


def test_empty_untranslated_truncated_repetition() -> None:
    src = "Министры обсудили вопросы региональной безопасности и сотрудничества."
    assert checks_of(run_checks(src, "  ", RU_EN)) == {"empty"}
    copied = run_checks(src, src, RU_EN)
    assert any(i.check == "untranslated" and i.severity == Severity.CRITICAL for i in copied)
    partial = run_checks(src, "The ministers discussed regional безопасности issues.", RU_EN)
    assert "untranslated" in checks_of(partial, at_least=Severity.MAJOR)
    cut = run_checks(src, "The ministers discussed issues of regional", RU_EN)
    assert "truncated" in checks_of(cut, at_least=Severity.MAJOR)
    loop = run_checks(
        src,
        "The ministers discussed issues of regional security security and and cooperation.",
        RU_EN,
    )
    assert "repetition" not in checks_of(loop)  # a doubled single word is not a loop
    loop = run_checks(
        src,
        "The ministers discussed regional security and regional security and cooperation.",
        RU_EN,
    )
    assert "repetition" in checks_of(loop, at_least=Severity.MAJOR)


def test_latin_run_left_in_russian_target() -> None:
    src = "The new policy was announced today by the government officials."
    tgt = "Новая политика была announced today by the правительством."
    assert "untranslated" in checks_of(run_checks(src, tgt, EN_RU), at_least=Severity.MAJOR)
    names = "Об этом сообщила газета The Wall Street Journal."
    assert "untranslated" not in checks_of(run_checks(src, names, EN_RU))


def test_length_ratio_and_sentence_count() -> None:
    src = "Переговоры продлились три часа. Стороны договорились о новой встрече."
    short = run_checks(src, "Talks.", RU_EN)
    assert "length_ratio" in checks_of(short, at_least=Severity.MAJOR)
    merged = run_checks(src, "Talks lasted three hours and the sides agreed to meet again.", RU_EN)
    assert "sentence_count" in checks_of(merged)
    same = run_checks(src, "Talks lasted three hours. The sides agreed to meet again.", RU_EN)
    assert checks_of(same, at_least=Severity.MINOR) == set()


def test_mixed_script_word() -> None:
    issues = run_checks("Москва.", "Mоscow.", RU_EN)  # Cyrillic "о"
    assert "mixed_script" in checks_of(issues, at_least=Severity.MAJOR)
    assert "mixed_script" not in checks_of(run_checks("IT-компания.", "IT-компания.", EN_RU))


def test_russian_typography() -> None:
    src = 'He said "yes" - and left.'
    bad = 'Он сказал "да" - и ушёл , а потом ушел .'
    messages = [i.message for i in run_checks(src, bad, EN_RU) if i.check == "typography"]
    assert any("«" in m for m in messages)
    assert any("dash" in m for m in messages)
    assert any("space before ','" in m for m in messages)
    assert any("ё" in m for m in messages)
    good = "Он сказал «да» — и ушёл."
    assert not [i for i in run_checks(src, good, EN_RU) if i.check == "typography"]


def test_english_typography() -> None:
    issues = run_checks("Он сказал «да».", "He said «yes» .", RU_EN)
    assert len([i for i in issues if i.check == "typography"]) == 3


def test_yo_consistency_across_a_document() -> None:
    found = run_document_checks(["Ещё рано.", "Еще рано.", "Ещё и еще.", "Всё и все."], EN_RU)
    assert found[0] == []
    assert [i.check for i in found[1]] == ["yo_consistency"]
    assert found[2] == []  # both spellings in one segment: a typography finding instead
    assert found[3] == []  # все/всё are different words


def test_names_from_russian_source_must_survive() -> None:
    issues = run_checks(
        "Компания Apple выпустила iPhone.", "The company released the phone.", RU_EN
    )
    assert sorted(i.message.split("'")[1] for i in issues if i.check == "names") == [
        "Apple",
        "iPhone",
    ]


def test_term_audit_and_matches_without_glossary() -> None:
    match = TermMatch(
        "csc",
        Span(0, 32),
        "Совет коллективной безопасности",
        "ru",
        TermStatus.PREFERRED,
        preferred=(("en", "Collective Security Council"),),
    )
    src = "Совет коллективной безопасности собрался в Минске."
    ok = run_checks(
        src, "The Collective Security Council met in Minsk.", RU_EN, source_terms=[match]
    )
    assert "glossary" not in checks_of(ok)
    bad = run_checks(
        src, "The Council of Collective Security met in Minsk.", RU_EN, source_terms=[match]
    )
    assert "glossary" in checks_of(bad, at_least=Severity.MAJOR)
    audit = TermAudit(
        "csc", "Совет коллективной безопасности", "Collective Security Council", TermOutcome.FAILED
    )
    found = TermAudit(
        "csc", "Совет коллективной безопасности", "Collective Security Council", TermOutcome.FOUND
    )
    unpinned = run_checks(
        src,
        "The Council of Collective Security met in Minsk.",
        RU_EN,
        source_terms=[match],
        term_audit=[found],
    )
    assert "glossary" in checks_of(unpinned, at_least=Severity.MAJOR)
    failed = run_checks(
        src, "The Collective Security Council met in Minsk.", RU_EN, term_audit=[audit]
    )
    assert "glossary" in checks_of(failed)


def test_glossary_adherence_and_forbidden_terms(repo_root: Path) -> None:
    path = repo_root / "glossary" / "csto.tsv"
    if not path.exists():
        pytest.skip("glossary/csto.tsv not in this checkout")
    from transpipe.terms import CompiledGlossary, load_glossary

    terms = CompiledGlossary(load_glossary(path))
    src = "Генеральный секретарь ОДКБ прибыл в Минск."
    good = run_checks(src, "The CSTO Secretary General arrived in Minsk.", RU_EN, terms=terms)
    assert checks_of(good, at_least=Severity.MAJOR) == set()
    bad = run_checks(src, "The CSTO General Secretary arrived in Minsk.", RU_EN, terms=terms)
    assert {"glossary", "forbidden_terms"} <= checks_of(bad, at_least=Severity.MAJOR)
    inflected = run_checks(
        "The CSTO Secretary General arrived.",
        "Прибыл Генеральный секретарь Организации Договора о коллективной безопасности.",
        EN_RU,
        terms=terms,
    )
    assert checks_of(inflected, at_least=Severity.MAJOR) == set()


def test_config_disables_and_overrides_severity() -> None:
    src, tgt = "Погибли 17 человек.", "Seventy people died."
    config = configure_checks(ChecksConfig(), disable=["numbers"])
    assert "numbers" not in checks_of(run_checks(src, tgt, RU_EN, config=config))
    config = configure_checks(ChecksConfig(), severities={"numbers": Severity.INFO})
    assert {i.severity for i in run_checks(src, tgt, RU_EN, config=config)} == {Severity.INFO}
    with pytest.raises(ConfigError, match="unknown check 'nubmers'"):
        configure_checks(ChecksConfig(), disable=["nubmers"])
    # a configuration built directly is validated by the registry before anything runs
    with pytest.raises(ConfigError, match="unknown check 'nubmers'"):
        run_checks(src, tgt, RU_EN, config=ChecksConfig(disabled=frozenset({"nubmers"})))
    assert len(set(CHECK_NAMES)) == len(CHECK_NAMES)


def test_findings_are_sorted_worst_first() -> None:
    issues = run_checks("Погибли 17 человек.", "Погибли 17 человек.", RU_EN)
    assert issues[0].severity == max(i.severity for i in issues)
