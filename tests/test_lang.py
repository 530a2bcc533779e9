"""Language knowledge in one place (transpipe.lang): codes, scripts and language detection,
English rules, months, numbers, boilerplate, and the one module that imports pymorphy3."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from transpipe.errors import ConfigError
from transpipe.lang import codes, english
from transpipe.lang.boilerplate import translate_boilerplate
from transpipe.lang.dates import month_number
from transpipe.lang.numbers import number_values, read_digits, roman_value, word_value
from transpipe.lang.script import detect_column_language, detect_language, script_of

SRC = Path(__file__).resolve().parents[1] / "src" / "transpipe"


# -- codes --------------------------------------------------------------------------------


def test_one_normaliser_of_language_codes() -> None:
    assert codes.normalize(" ru_RU ") == "ru-ru"
    assert codes.primary("EN-us") == "en"
    assert codes.matches("en-GB", "en") and codes.matches("ru", "ru")
    assert not codes.matches("en", "en-gb") and not codes.matches("enx", "en")
    assert codes.matches("en_GB", "en-gb")
    assert codes.is_language_code("ru_RU") and not codes.is_language_code("Russian text")
    assert codes.checked("RU_ru") == "ru-ru"
    with pytest.raises(ConfigError, match="invalid language code"):
        codes.checked("р у")


def test_no_other_module_normalises_language_codes_by_hand() -> None:
    """The four former helpers (glossary, TMX, TM files, TM store) now ask lang.codes."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert not defined & {"norm_lang", "normalize_lang", "language_code", "_primary"}, path


# -- scripts and detection ----------------------------------------------------------------


def test_script_of_words() -> None:
    assert [script_of(w) for w in ("ОДКБ", "CSTO", "Мoscow", "2024")] == [
        "cyrillic",
        "latin",
        "mixed",
        "other",
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Президент встретился с делегацией в Бишкеке.", "ru"),
        ("The president met the delegation in Bishkek.", "en"),
        # Latin names, acronyms and numbers in Russian text do not outvote it
        ("Компании Apple, Google и Microsoft представили в NASA план COVID-19 на 2024 год.", "ru"),
        ("Глава CSTO встретился с Imangali Tasmagambetov в New York.", "ru"),
        # a Russian name and acronym in English text
        ("The CSTO and ОДКБ officials met Тасмагамбетов in the capital.", "en"),
        ("", None),
        ("2024 — 15:00, +7 (495) 123-45-67", None),
        ("https://www.example.com/path info@example.com", None),
    ],
)
def test_text_language_by_script(text: str, lang: str | None) -> None:
    assert detect_language(text).lang == lang


def test_mixed_text_is_undecided_and_shares_are_reported() -> None:
    guess = detect_language("мир peace мир peace")
    assert guess.lang is None and 0.5 <= guess.share < 0.75
    russian = detect_language("Мир и безопасность")
    assert russian.lang == "ru" and russian.share == 1.0 and russian.latin == 0


def test_glossary_columns_by_script() -> None:
    english_column = ["Collective Security Treaty Organization", "CSTO", "member state"]
    russian_column = ["Организация Договора о безопасности", "ОДКБ", "государство-член"]
    assert detect_column_language(english_column).lang == "en"
    assert detect_column_language(russian_column).lang == "ru"
    assert detect_column_language(["ОДКБ", "СНГ", "ООН"]).lang == "ru"  # acronyms only
    assert detect_column_language(["Imangali Tasmagambetov"]).lang == "en"  # names only
    assert detect_column_language(["", "  "]).lang is None


# -- English ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("singular", "plural"),
    [("crisis", "crises"), ("Crisis", "Crises"), ("NGO", "NGOS"), ("series", "series"),
     ("policy", "policies"), ("day", "days"), ("bus", "buses")],
)  # fmt: skip
def test_one_home_for_english_plurals(singular: str, plural: str) -> None:
    assert english.plural(singular) == plural
    assert english.singular(plural) == singular
    assert plural.lower() in english.variants(singular)
    assert singular.lower() in english.variants(plural)


def test_english_possessive_and_keys() -> None:
    assert english.strip_possessive("Council’s") == "Council"
    assert english.key("Council's") == "council"
    assert english.possessive("member states", plural=True) == "member states'"
    assert english.is_plural("forces") and not english.is_plural("crisis")


# -- months and numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "number"),
    [("января", 1), ("мае", 5), ("марте", 3), ("Sept.", 9), ("December", 12), ("May", 5),
     ("may", 0), ("march", 0), ("январский", 0), ("Maybe", 0)],
)  # fmt: skip
def test_one_month_table(word: str, number: int) -> None:
    assert month_number(word) == number


def test_number_reading() -> None:
    assert number_values("1,5") == {1.5}
    assert number_values("1,000") == {1000.0, 1.0}
    assert [values for values, _, _ in read_digits("10.03.2023")] == [{10.0}, {3.0}, {2023.0}]
    assert read_digits("1 000")[0][0] == {1000.0}
    assert roman_value("XXI") == 21
    assert word_value("трёх", "ru") == 3
    assert word_value("восемнадцатилетний", "ru") == 18
    assert word_value("three", "en") == 3 and word_value("table", "en") is None


# -- boilerplate --------------------------------------------------------------------------


def test_boilerplate_table_is_package_data() -> None:
    assert translate_boilerplate("Go  back", "en", "ru") == "Назад"
    assert translate_boilerplate("назад", "ru", "en") == "Go back"  # the first row wins
    assert translate_boilerplate("Печать", "ru-RU", "en") == "Print"
    assert translate_boilerplate("Something else", "en", "ru") is None


# -- pymorphy3 ----------------------------------------------------------------------------


def test_pymorphy3_is_imported_in_exactly_one_module() -> None:
    importers = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] == "pymorphy3" for name in names):
                importers.append(path.relative_to(SRC).as_posix())
    assert sorted(set(importers)) == ["lang/morphology.py"]
