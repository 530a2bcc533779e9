"""Term matching: Russian inflection, English variants, acronyms, overlaps, homonyms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from transpipe.model import LanguagePair, TermStatus
from transpipe.terms import Glossary, TermMatcher, load_glossary
from transpipe.terms.glossary import Concept, Term
from transpipe.terms.matcher import MatcherCache

DATA = Path(__file__).parent / "data" / "terms"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(DATA / "sample.tsv")


@pytest.fixture(scope="module")
def ru(glossary: Glossary) -> TermMatcher:
    return TermMatcher(glossary, "ru")


@pytest.fixture(scope="module")
def en(glossary: Glossary) -> TermMatcher:
    return TermMatcher(glossary, "en")


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.concept_id) for m in matcher.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Совет коллективной безопасности собрался",
        "решение Совета коллективной безопасности",
        "по предложению Совету коллективной безопасности",
        "доклад, одобренный Советом коллективной безопасности",
        "в Совете коллективной безопасности",
        "заседания советов коллективной безопасности",
    ],
)
def test_russian_head_noun_inflects_dependents_keep_their_form(ru: TermMatcher, text: str) -> None:
    matches = ru.find(text)
    assert [m.concept_id for m in matches] == ["csc"]
    surface = matches[0].surface
    assert surface.lower().endswith("коллективной безопасности")
    assert text[matches[0].span.start : matches[0].span.end] == surface


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("встреча Генерального секретаря с министрами", "Генерального секретаря"),
        ("письмо Генеральному секретарю", "Генеральному секретарю"),
        ("с Генеральным секретарем ОДКБ", "Генеральным секретарем"),
        ("о генеральном секретаре", "генеральном секретаре"),
        ("генеральные секретари встретились", "генеральные секретари"),
        ("поддержка генеральных секретарей", "генеральных секретарей"),
    ],
)
def test_russian_adjective_noun_all_cases_and_numbers(
    ru: TermMatcher, text: str, surface: str
) -> None:
    assert (surface, "sg") in found(ru, text)


@pytest.mark.parametrize(
    "text",
    [
        "Миротворческими силами руководит штаб",
        "миротворческих сил было мало",
        "миротворческим силам поручено",
        "в миротворческих силах служат",
        "миротворческая сила",
    ],
)
def test_russian_plural_term_matches_every_form(ru: TermMatcher, text: str) -> None:
    assert [m.concept_id for m in ru.find(text)] == ["pk"]


def test_agreement_is_required_between_adjective_and_noun(ru: TermMatcher) -> None:
    # "генерального" (genitive) does not agree with "секретарь" (nominative): not one phrase
    assert ("генерального секретарь", "sg") not in found(ru, "генерального секретарь")


def test_long_full_form_with_fixed_dependents(ru: TermMatcher) -> None:
    text = "саммит Организации Договора о коллективной безопасности"
    assert found(ru, text) == [("Организации Договора о коллективной безопасности", "csto")]


def test_different_dependents_are_a_different_term(ru: TermMatcher) -> None:
    assert found(ru, "резолюция Совета Безопасности ООН") == [("Совета Безопасности ООН", "unsc")]
    assert all(cid != "csc" for _, cid in found(ru, "Совет Безопасности ООН"))


def test_hyphenated_noun_pair_inflects_together(ru: TermMatcher) -> None:
    assert found(ru, "государства-члены и государствами-членами") == [
        ("государства-члены", "ms"),
        ("государствами-членами", "ms"),
    ]


def test_russian_acronyms_are_case_sensitive_and_take_endings(ru: TermMatcher) -> None:
    assert found(ru, "страны ОДКБ и глава МИДа") == [("ОДКБ", "csto"), ("МИДа", "mfa")]
    assert found(ru, "одкб и мид") == []


def test_forbidden_variant_is_reported_as_forbidden(ru: TermMatcher) -> None:
    matches = ru.find("генсек выступил, генсеку ответили")
    assert [m.status for m in matches] == [TermStatus.FORBIDDEN, TermStatus.FORBIDDEN]
    assert dict(matches[0].preferred) == {"en": "Secretary-General", "ru": "Генеральный секретарь"}


def test_homonyms_do_not_match_common_words(ru: TermMatcher) -> None:
    # "стали" is almost always the verb "стать"; the glossary term is the noun "сталь"
    assert found(ru, "они стали сильнее") == []
    assert found(ru, "производство стали и сталь") == [("сталь", "steel")]
    # the single-word term "Совет" (the body) is capitalised: "совет" (advice) is not it
    assert found(ru, "мой совет прост") == []
    assert found(ru, "Мой совет: Совет решил") == [("Совет", "council")]


def test_words_of_a_multiword_term_alone_do_not_match(ru: TermMatcher) -> None:
    assert found(ru, "коллективной безопасности нет") == []
    assert found(ru, "совет безопасности") != [("совет безопасности", "csc")]


def test_no_match_across_punctuation(ru: TermMatcher) -> None:
    assert found(ru, "Генеральный, секретарь") == []


@pytest.mark.parametrize(
    ("text", "surface", "concept"),
    [
        ("the member states agreed", "member states", "ms"),
        ("a member-state said", "member-state", "ms"),
        ("Member States", "Member States", "ms"),
        ("the Secretary-General's visit", "Secretary-General's", "sg"),
        ("the Secretary General spoke", "Secretary General", "sg"),
        ("secretaries-general of both", "secretaries-general", "sg"),
        ("peace-keeping forces arrived", "peace-keeping forces", "pk"),
        ("a peacekeeping force", "peacekeeping force", "pk"),
        ("the CSTO's summit", "CSTO's", "csto"),
        (
            "Collective Security Treaty Organization members",
            "Collective Security Treaty Organization",
            "csto",
        ),
    ],
)
def test_english_variants(en: TermMatcher, text: str, surface: str, concept: str) -> None:
    assert (surface, concept) in found(en, text)


def test_english_acronym_is_case_sensitive(en: TermMatcher) -> None:
    assert found(en, "WHO experts") == [("WHO", "who")]
    assert found(en, "those who know") == []


def test_overlaps_longest_match_wins(en: TermMatcher) -> None:
    assert found(en, "The Press Secretary said") == [("Press Secretary", "press")]
    assert found(en, "the UN Security Council met") == [("UN Security Council", "unsc")]
    assert found(en, "Press Secretary General Smith") == [("Press Secretary", "press")]


def test_spans_point_into_text_and_segment_id_is_kept(ru: TermMatcher) -> None:
    text = "Вчера Генеральный секретарь ОДКБ прибыл."
    matches = ru.find(text, segment_id="doc:p1:s1")
    assert [text[m.span.start : m.span.end] for m in matches] == ["Генеральный секретарь", "ОДКБ"]
    assert {m.segment_id for m in matches} == {"doc:p1:s1"}
    assert all(m.lang == "ru" for m in matches)


def test_case_sensitive_flag_keeps_letter_case() -> None:
    glossary = Glossary(
        (
            Concept(
                "bank",
                (
                    Term("en", "Bank of Russia", case_sensitive=True),
                    Term("ru", "Банк России", case_sensitive=True),
                ),
            ),
        )
    )
    ru = TermMatcher(glossary, "ru")
    assert found(ru, "решение Банка России") == [("Банка России", "bank")]
    assert found(ru, "решение банка России") == []
    assert found(TermMatcher(glossary, "en"), "the bank of Russia") == []


def test_entries_flatten_a_direction(glossary: Glossary) -> None:
    entries = glossary.entries(LanguagePair("ru", "en"))
    sg = [e for e in entries if e.concept_id == "sg"]
    assert [(e.source, e.target, e.status) for e in sg] == [
        ("Генеральный секретарь", "Secretary-General", TermStatus.PREFERRED),
        ("генсек", "Secretary-General", TermStatus.FORBIDDEN),
    ]
    assert glossary.preferred("csto", "en") == "Collective Security Treaty Organization"
    assert glossary.forbidden("sg", "ru") == ["генсек"]
    assert [t.text for t in glossary.terms("sg", "en")] == [
        "Secretary-General",
        "Secretary General",
    ]


def test_empty_text_and_empty_glossary() -> None:
    assert TermMatcher(Glossary(()), "ru").find("Совет") == []
    assert TermMatcher(Glossary(()), "en").find("") == []


def test_spaces_around_terms_are_stripped_and_nbsp_matches_space(tmp_path: Path) -> None:
    path = tmp_path / "g.txt"
    path.write_text("  New\u00a0York Times \tНью-Йорк таймс \n", encoding="utf-8")
    glossary = load_glossary(path)
    # original kept for output; header-less ids come from the English term
    assert glossary.preferred("new-york-times", "en") == "New\u00a0York Times"
    en = TermMatcher(glossary, "en")
    assert found(en, "the New York Times and the New\u00a0York\u00a0Times") == [
        ("New York Times", "new-york-times"),
        ("New\u00a0York\u00a0Times", "new-york-times"),
    ]


def test_initials_with_dots() -> None:
    glossary = Glossary(
        (Concept("t", (Term("en", "I. Tasmagambetov"), Term("ru", "И.Н. Тасмагамбетов"))),)
    )
    ru = TermMatcher(glossary, "ru")
    assert found(ru, "заявил И.Н. Тасмагамбетов.") == [("И.Н. Тасмагамбетов", "t")]
    assert found(ru, "с И. Н. Тасмагамбетовым") == [("И. Н. Тасмагамбетовым", "t")]
    # dots are required where the term has them: only the surname alone matches here
    assert found(ru, "и Н Тасмагамбетов") == [("Тасмагамбетов", "t")]
    assert found(TermMatcher(glossary, "en"), "said I. Tasmagambetov") == [
        ("I. Tasmagambetov", "t")
    ]


def test_personal_names_inflect_by_ending() -> None:
    glossary = Glossary(
        (
            Concept(
                "it", (Term("en", "Imangali Tasmagambetov"), Term("ru", "Имангали Тасмагамбетов"))
            ),
            Concept("sj", (Term("en", "Sadyr Japarov"), Term("ru", "Садыр Жапаров"))),
        )
    )
    ru = TermMatcher(glossary, "ru")
    assert found(ru, "встреча с Имангали Тасмагамбетовым") == [("Имангали Тасмагамбетовым", "it")]
    assert found(ru, "письмо Садыру Жапарову") == [("Садыру Жапарову", "sj")]
    assert found(ru, "визит Садыра Жапарова") == [("Садыра Жапарова", "sj")]
    # not the full name of either person; the surname alone still names one of them
    assert found(ru, "Садыр Тасмагамбетов") == [("Тасмагамбетов", "it")]


# -- follow-up gaps (issue 5) ---------------------------------------------------------------

GAPS_TSV = """id\ten\tru\tpos\tstatus\tnote
org\tTreaty Organization of the East\tОрганизация Восточного договора\tproper-noun\tpreferred\t
org\tTOE\tОВД\tabbreviation\tadmitted\t
org\t\tВосточная организация\tproper-noun\tforbidden\t
un\tUnited Nations\tОрганизация Объединённых Наций\tproper-noun\tpreferred\t
un\tUN\tООН\tabbreviation\tadmitted\t
us\tUnited States\tСоединённые Штаты\tproper-noun\tpreferred\t
us\tUS\tСША\tabbreviation\tadmitted\t
mp\tmilitary-political\tвоенно-политический\tadjective\tpreferred\t
border\tTajik-Afghan border\tтаджикско-афганская граница\tnoun-phrase\tpreferred\t
visit\tworking visit\tрабочий визит\tnoun-phrase\tpreferred\t
chs\tHeads of State Council\tСовет глав государств-членов ОВД\tproper-noun\tpreferred\t
person\tImangali Tasmagambetov\tИмангали Тасмагамбетов\tproper-noun\tpreferred\t
person2\tSadyr Japarov\tСадыр Жапаров\tproper-noun\tpreferred\t
"""


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    path = tmp_path_factory.mktemp("gaps") / "gaps.tsv"
    path.write_text(GAPS_TSV, encoding="utf-8")
    return load_glossary(path)


def test_abbreviation_expects_its_own_row_counterpart(gaps: Glossary) -> None:
    ru, en = TermMatcher(gaps, "ru"), TermMatcher(gaps, "en")
    (abbr,) = ru.find("Секретариат ОВД сообщил")
    assert dict(abbr.preferred) == {"en": "TOE", "ru": "Организация Восточного договора"}
    (full,) = ru.find("Организация Восточного договора сообщила")
    assert dict(full.preferred)["en"] == "Treaty Organization of the East"
    (un,) = en.find("the UN said")
    assert dict(un.preferred) == {"en": "United Nations", "ru": "ООН"}
    (bad,) = ru.find("Восточная организация сообщила")  # a forbidden row gives no counterpart
    assert bad.status is TermStatus.FORBIDDEN
    assert dict(bad.preferred)["en"] == "Treaty Organization of the East"
    targets = {e.source: e.target for e in gaps.entries(LanguagePair("ru", "en"))}
    assert targets["ОВД"] == "TOE" and targets["ООН"] == "UN"
    assert targets["Восточная организация"] == "Treaty Organization of the East"


def test_counterpart_survives_a_tbx_round_trip(gaps: Glossary, tmp_path: Path) -> None:
    from transpipe.terms import render_glossary

    path = tmp_path / "gaps.tbx"
    path.write_bytes(render_glossary(gaps, path))
    (abbr,) = TermMatcher(load_glossary(path), "ru").find("решение ОВД")
    assert dict(abbr.preferred)["en"] == "TOE"
    omegat = render_glossary(gaps, "g.txt", layout="omegat", source_lang="ru", target_lang="en")
    assert "ОВД\tTOE\n" in omegat.decode("utf-8")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Военно-политическая обстановка сложная", "Военно-политическая"),
        ("в связи с военно-политической обстановкой", "военно-политической"),
        ("о военно-политических рисках", "военно-политических"),
        ("на таджикско-афганской границе", "таджикско-афганской границе"),
        ("таджикско-афганскую границу закрыли", "таджикско-афганскую границу"),
    ],
)
def test_hyphenated_adjectives_inflect_in_their_last_part(
    gaps: Glossary, text: str, surface: str
) -> None:
    assert [m.surface for m in TermMatcher(gaps, "ru").find(text)] == [surface]


@pytest.mark.parametrize("text", ["прибыл с рабочим визитом", "в ходе рабочего визита"])
def test_adjective_with_a_noun_reading_agrees_with_its_noun(gaps: Glossary, text: str) -> None:
    (match,) = TermMatcher(gaps, "ru").find(text)
    assert match.concept_id == "visit"
    assert TermMatcher(gaps, "ru").find("рабочим визиты") == []  # no agreement


def test_dotted_acronyms_match_the_plain_acronym(gaps: Glossary) -> None:
    en = TermMatcher(gaps, "en")
    assert found(en, "the U.N. and the U.S. agreed") == [("U.N.", "un"), ("U.S.", "us")]
    assert found(en, "the UN and the US agreed") == [("UN", "un"), ("US", "us")]
    assert found(en, "let us go, u.n. staff") == []


@pytest.mark.parametrize("dash", [" – ", " — ", "-", " - "])
def test_spaced_dash_matches_a_hyphen_in_a_multiword_term(gaps: Glossary, dash: str) -> None:
    text = f"Совет глав государств{dash}членов ОВД собрался"
    assert found(TermMatcher(gaps, "ru"), text)[0] == (
        f"Совет глав государств{dash}членов ОВД",
        "chs",
    )


def test_dash_does_not_join_words_where_the_term_has_a_space(gaps: Glossary) -> None:
    assert found(TermMatcher(gaps, "ru"), "рабочий – визит") == []


@pytest.mark.parametrize(
    ("text", "surface", "concept"),
    [
        ("Тасмагамбетова встретили в аэропорту", "Тасмагамбетова", "person"),
        ("он побеседовал с Жапаровым", "Жапаровым", "person2"),
        ("заявил И.Н. Тасмагамбетов", "И.Н. Тасмагамбетов", "person"),
        ("заявил И. Тасмагамбетов", "И. Тасмагамбетов", "person"),
    ],
)
def test_surname_alone_names_the_person(
    gaps: Glossary, text: str, surface: str, concept: str
) -> None:
    assert found(TermMatcher(gaps, "ru"), text) == [(surface, concept)]


def test_surname_alone_in_english_and_only_capitalised(gaps: Glossary) -> None:
    en = TermMatcher(gaps, "en")
    assert found(en, "said I. Tasmagambetov") == [("I. Tasmagambetov", "person")]
    assert found(en, "Tasmagambetov's visit") == [("Tasmagambetov's", "person")]
    assert found(TermMatcher(gaps, "ru"), "тасмагамбетова") == []
    assert found(en, "the states and the border") == []  # other concepts: no last-word match


def test_glossary_check_compares_the_translations_the_matcher_reports(tmp_path: Path) -> None:
    from transpipe.terms.checks import check_glossary

    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tstatus\n"
        "a\tEast Treaty\tВосточный договор\tpreferred\n"
        "a\tET\tВД\tadmitted\n"
        "b\tEastern Treaty\tВосточный пакт\tpreferred\n"
        "b\tET\tВД\tadmitted\n"
        "c\tWest Pact\tЗападный пакт\tpreferred\n"
        "c\tWP\tВД\tadmitted\n",
        encoding="utf-8",
    )
    glossary = load_glossary(path)
    checks = {(f.check, f.message.split(" is ")[0]) for f in check_glossary(glossary)}
    # "ВД" is translated "ET" in a and b but "WP" in c: a conflict, reported once
    assert ("conflicting-translation", "ru term 'ВД'") in checks
    matcher = TermMatcher(glossary, "ru")
    assert {dict(m.preferred)["en"] for m in matcher.find("ВД", resolve_overlaps=False)} == {
        "ET",
        "WP",
    }
    path.write_text("\n".join(path.read_text(encoding="utf-8").split("\n")[:5]) + "\n", "utf-8")
    kinds = {f.check for f in check_glossary(load_glossary(path))}
    assert "duplicate-concept" in kinds and "conflicting-translation" not in kinds


def test_long_english_terms_match_through_a_hyphen_joined_word() -> None:
    glossary = Glossary(
        (
            Concept("pc", (Term("en", "peacekeeping operations centre"),)),
            Concept("ac", (Term("en", "the African Union Commission"),)),
        )
    )
    en = TermMatcher(glossary, "en")
    assert found(en, "the peace-keeping operations centre opened") == [
        ("peace-keeping operations centre", "pc")
    ]
    assert found(en, "the peacekeeping operations centres") == [
        ("peacekeeping operations centres", "pc")
    ]
    assert found(en, "The African Union Commission's chair") == [
        ("The African Union Commission's", "ac")
    ]
    assert found(en, "the African Union said") == []


def test_mixed_case_acronym_terms_are_not_persons() -> None:
    glossary = Glossary((Concept("m", (Term("en", "MERS CoV"), Term("ru", "MERS CoV"))),))
    assert found(TermMatcher(glossary, "en"), "human CoVs and the CoV") == []
    assert found(TermMatcher(glossary, "ru"), "коронавирус (CoV) и MERS CoV") == [("MERS CoV", "m")]


# -- names, compounds, compiled matchers on disk (issues 11-13) ----------------------------


def test_person_with_a_surname_the_dictionary_misreads(tmp_path: Path) -> None:
    glossary = Glossary(
        (Concept("kt", (Term("en", "Kassym-Jomart Tokayev"), Term("ru", "Касым-Жомарт Токаев"))),)
    )
    ru = TermMatcher(glossary, "ru")
    assert found(ru, "встреча с Касым-Жомартом Токаевым") == [("Касым-Жомартом Токаевым", "kt")]
    assert found(ru, "визит Токаева в Минск") == [("Токаева", "kt")]
    # a female form is not a form of this man's name
    assert found(ru, "с Касым-Жомартом Токаевой") == []


def test_compiled_matcher_from_disk_finds_the_same_without_the_dictionary(
    glossary: Glossary, tmp_path: Path
) -> None:
    cache = MatcherCache(tmp_path / "cache")
    compiled = cache.matcher(glossary, "ru")
    (stored,) = (tmp_path / "cache").iterdir()
    assert stored.name.startswith("terms-ru-") and stored.suffix == ".pickle"
    text = "Генеральный секретарь ОДКБ выступил в Совете коллективной безопасности"
    fresh = TermMatcher(glossary, "ru")
    assert compiled.find(text) == fresh.find(text)
    # a fresh process loads the stored matcher and matches Russian text without pymorphy3
    script = (
        "import sys; from pathlib import Path\n"
        "from transpipe.terms import load_glossary\n"
        "from transpipe.terms.matcher import MatcherCache\n"
        f"g = load_glossary(Path({str(DATA / 'sample.tsv')!r}))\n"
        f"m = MatcherCache(Path({str(tmp_path / 'cache')!r})).matcher(g, 'ru')\n"
        f"print(len(m.find({text!r})), 'pymorphy3' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [str(len(fresh.find(text))), "False"]


def test_a_damaged_or_stale_compiled_matcher_is_replaced(
    glossary: Glossary, tmp_path: Path
) -> None:
    cache = MatcherCache(tmp_path)
    path = cache.path(glossary, "en")
    path.write_bytes(b"not a pickle")
    assert found(cache.matcher(glossary, "en"), "the CSTO Secretary General") != []
    assert path.read_bytes() != b"not a pickle"
    changed = Glossary((*glossary.concepts, Concept("new", (Term("en", "new term"),))))
    assert cache.path(changed, "en") != path  # another glossary content, another file
    assert cache.path(glossary, "ru") != path
