"""Document-level segmentation, rules data, and SRX 2.0 import/export."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree

from transpipe.errors import ConfigError, FormatError, UnsafeInputError
from transpipe.model import SegmentKind, Span
from transpipe.registry import segmenters
from transpipe.segment import (
    RuleSegmenter,
    Segmenter,
    load_rules,
    rules_from_file,
    segment_text,
    split_sentences,
)
from transpipe.segment.rules import rules_from_mapping
from transpipe.segment.srx import SRX_NS, SrxSegmenter, export_srx, parse_srx

ARTICLE_RU = """Саммит ОДКБ завершился в Москве

Лидеры стран приняли декларацию, т.е. общий документ. Её подписал С. Жапаров.
Встреча длилась ок. 3 ч. Следующая пройдёт в 2024 г.

Пресс-секретарь ОДКБ Иван Петров
+7495-000-00-00 -тел

Вернуться ко всем новостям
"""

ARTICLE_EN = (
    "Summit ends in Moscow\r\n\r\nMr. Smith spoke first. Then Dr. Brown.\r\n\r\nGo back\r\n"
)


def test_document_paragraphs_ids_kinds_and_spans() -> None:
    doc = segment_text(ARTICLE_RU, "ru", name="csto")
    assert [p.index for p in doc.paragraphs] == [1, 2, 3, 4]
    got = [(s.id, s.kind, s.text) for s in doc.segments]
    assert got == [
        ("csto:p1:s1", SegmentKind.HEADLINE, "Саммит ОДКБ завершился в Москве"),
        (
            "csto:p2:s1",
            SegmentKind.SENTENCE,
            "Лидеры стран приняли декларацию, т.е. общий документ.",
        ),
        ("csto:p2:s2", SegmentKind.SENTENCE, "Её подписал С. Жапаров."),
        ("csto:p2:s3", SegmentKind.SENTENCE, "Встреча длилась ок. 3 ч."),
        ("csto:p2:s4", SegmentKind.SENTENCE, "Следующая пройдёт в 2024 г."),
        ("csto:p3:s1", SegmentKind.SENTENCE, "Пресс-секретарь ОДКБ Иван Петров"),
        ("csto:p3:s2", SegmentKind.SENTENCE, "+7495-000-00-00 -тел"),
        ("csto:p4:s1", SegmentKind.BOILERPLATE, "Вернуться ко всем новостям"),
    ]
    for paragraph in doc.paragraphs:
        assert all(s.paragraph == paragraph.index for s in paragraph.segments)
        assert [s.index for s in paragraph.segments] == list(range(1, len(paragraph.segments) + 1))
        body = ARTICLE_RU[paragraph.span.start : paragraph.span.end]
        assert body == body.strip()
        for segment in paragraph.segments:
            assert ARTICLE_RU[segment.span.start : segment.span.end] == segment.text
            assert paragraph.span.start <= segment.span.start < segment.span.end
            assert segment.span.end <= paragraph.span.end


def test_document_keeps_offsets_into_crlf_text() -> None:
    doc = segment_text(ARTICLE_EN, "en", name="n")
    assert [s.text for s in doc.segments] == [
        "Summit ends in Moscow",
        "Mr. Smith spoke first.",
        "Then Dr. Brown.",
        "Go back",
    ]
    assert [s.kind for s in doc.segments] == [
        SegmentKind.HEADLINE,
        SegmentKind.SENTENCE,
        SegmentKind.SENTENCE,
        SegmentKind.BOILERPLATE,
    ]
    for s in doc.segments:
        assert ARTICLE_EN[s.span.start : s.span.end] == s.text


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n \t\n", "\n\nOne.\n\n\n\n   Two.  \n"],
    ids=["empty", "only-blank-lines", "many-blank-lines"],
)
def test_blank_and_whitespace_texts(text: str) -> None:
    doc = segment_text(text, "en")
    assert [s.text for s in doc.segments] == [t for t in ("One.", "Two.") if t in text]
    assert doc.text == text


def test_spans_round_trip_on_random_text() -> None:
    """Property: every span is stripped, non-empty, ordered and slices to its segment text."""
    rng = random.Random(7)
    pieces = [
        "Mr.", "т.е.", "И.", "Н.", "U.S.", "г.", "1,5", "10.03.2023", "«Да!»", "—", "...", "…",
        "Москва", "news", "\n", "\n\n", " ", "?", "!", "\"", "(", ")", "1.", "- ", "www.a.ru",
    ]  # fmt: skip
    for _ in range(150):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for lang in ("ru", "en"):
            doc = segment_text(text, lang, name="r")
            previous_end = 0
            for s in doc.segments:
                assert text[s.span.start : s.span.end] == s.text
                assert s.text == s.text.strip() and s.text
                assert s.span.start >= previous_end
                previous_end = s.span.end
            assert "".join(text.split()) == "".join("".join(s.text.split()) for s in doc.segments)


def test_split_sentences_offsets_are_local_to_the_paragraph() -> None:
    text = "  Первое. Второе!  "
    assert split_sentences(text, "ru") == [Span(2, 9), Span(10, 17)]


def test_rule_segmenter_satisfies_protocol_and_registry() -> None:
    factory = segmenters.load("rules")
    assert factory is RuleSegmenter
    segmenter = RuleSegmenter("en")
    assert isinstance(segmenter, Segmenter)
    assert isinstance(SrxSegmenter.from_rules(load_rules("en")), Segmenter)


def test_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no segmentation rules for language 'de'"):
        RuleSegmenter("de")


def test_rules_are_data(tmp_path: Path) -> None:
    """A rules file changes behaviour without code: a new non-final abbreviation."""
    text = "Visit Zzq. Jones tomorrow."
    assert len(RuleSegmenter("en").split(text)) == 2
    source = (Path(__file__).parents[1] / "src/transpipe/lang/data/segment.en.toml").read_text(
        encoding="utf-8"
    )
    custom = tmp_path / "en-custom.toml"
    custom.write_text(source.replace("nonfinal = [\n", 'nonfinal = [\n  "zzq",\n'), "utf-8")
    segmenter = RuleSegmenter("en", rules_from_file(custom))
    assert [text[s.start : s.end] for s in segmenter.split(text)] == [text]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "missing 'language'"),
        ({"language": "xx", "terminators": []}, "'terminators' must not be empty"),
        ({"language": "xx", "terminators": ["..."]}, "single characters"),
        (
            {"language": "xx", "terminators": ["."], "abbreviations": {"odd": ["a"]}},
            "unknown abbreviation class 'odd'",
        ),
        (
            {
                "language": "xx",
                "terminators": ["."],
                "abbreviations": {"nonfinal": ["dr"], "final": ["Dr."]},
            },
            "'dr' is in both 'nonfinal' and 'final'",
        ),
    ],
    ids=["no-language", "no-terminators", "multi-char", "unknown-class", "conflict"],
)
def test_invalid_rules_are_format_errors(data: dict[str, object], message: str) -> None:
    with pytest.raises(FormatError, match=message):
        rules_from_mapping(data, "rules.toml")


def test_rules_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("language = \n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad\.toml: invalid TOML"):
        rules_from_file(bad)
    with pytest.raises(ConfigError, match="rules file not found"):
        rules_from_file(tmp_path / "missing.toml")


# -- SRX ---------------------------------------------------------------------------------------


def test_srx_export_is_valid_srx20_structure() -> None:
    data = export_srx([load_rules("ru"), load_rules("en")])
    root = etree.fromstring(data)
    ns = {"s": SRX_NS}
    assert root.get("version") == "2.0"
    names = [e.get("languagerulename") for e in root.findall(".//s:languagerule", ns)]
    assert names == ["Russian", "English"]
    maps = [
        (m.get("languagepattern"), m.get("languagerulename"))
        for m in root.findall(".//s:languagemap", ns)
    ]
    assert maps == [("ru.*", "Russian"), ("en.*", "English")]
    rules = root.findall(".//s:languagerule[@languagerulename='English']/s:rule", ns)
    assert {r.get("break") for r in rules} == {"yes", "no"}
    assert all(r.find("s:beforebreak", ns) is not None for r in rules)
    no_break_text = " ".join(
        r.findtext("s:beforebreak", namespaces=ns) or "" for r in rules if r.get("break") == "no"
    )
    assert "[mM][rR]" in no_break_text  # "Mr." exported as a no-break rule


def test_srx_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "transpipe.srx"
    path.write_bytes(export_srx([load_rules("ru"), load_rules("en")]))
    text = "Г-н Петров встретился с И.Н. Ивановым в г. Москве. Обсуждали бюджет, т.е. расходы."
    from_file = SrxSegmenter.from_file(path, "ru-RU")
    assert [text[s.start : s.end] for s in from_file.split(text)] == [
        text[s.start : s.end] for s in RuleSegmenter("ru").split(text)
    ]
    assert len(from_file.split(text)) == 2
    english = SrxSegmenter.from_file(path, "en")
    assert len(english.split("Mr. Smith came. He left.")) == 2


def test_srx_import_of_a_hand_written_file(tmp_path: Path) -> None:
    """A minimal OmegaT-style file: one exception, one break rule, cascade over two maps."""
    path = tmp_path / "omegat.srx"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="{SRX_NS}" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Default">
        <rule break="no"><beforebreak>\\bEtc\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Any">
        <rule break="yes"><beforebreak>[.?!]+</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="EN.*|en.*" languagerulename="Default"/>
      <languagemap languagepattern=".*" languagerulename="Any"/>
    </maprules>
  </body>
</srx>
""",
        encoding="utf-8",
    )
    segmenter = SrxSegmenter.from_file(path, "en")
    text = "One Etc. two. Three? Four"
    assert [text[s.start : s.end] for s in segmenter.split(text)] == [
        "One Etc. two.",
        "Three?",
        "Four",
    ]
    doc = segmenter.segment("Title\n\nA b. C d.", name="x")
    assert [(s.id, s.kind) for s in doc.segments] == [
        ("x:p1:s1", SegmentKind.HEADLINE),
        ("x:p2:s1", SegmentKind.SENTENCE),
        ("x:p2:s2", SegmentKind.SENTENCE),
    ]


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE srx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<srx><body/></srx>",
            UnsafeInputError,
            "declares XML entities",
        ),
        (b"<srx><body>", FormatError, "not well-formed XML"),
        (b"<tmx/>", FormatError, "root element is <tmx>, expected <srx>"),
        (
            b'<srx><body><languagerules><languagerule languagerulename="A"><rule>'
            b"<beforebreak>([</beforebreak><afterbreak/></rule></languagerule></languagerules>"
            b"</body></srx>",
            FormatError,
            "invalid regular expression",
        ),
        (
            b'<srx><body><maprules><languagemap languagepattern="de.*" '
            b'languagerulename="A"/></maprules></body></srx>',
            ConfigError,
            "no SRX rules map language 'ru'",
        ),
        (
            b'<srx><body><maprules><languagemap languagepattern="ru" '
            b'languagerulename="Missing"/></maprules></body></srx>',
            FormatError,
            "unknown rule 'Missing'",
        ),
    ],
    ids=["xxe-entity", "truncated", "wrong-root", "bad-regex", "no-map", "unknown-rule"],
)
def test_bad_srx_files_are_refused(
    tmp_path: Path, content: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "rules.srx"
    path.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        SrxSegmenter.from_file(path, "ru")
    assert "rules.srx" in str(info.value)
    assert "\n" not in str(info.value)


def test_parse_srx_never_reads_external_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE srx SYSTEM "{secret.as_uri()}">'
        '<srx><body><languagerules><languagerule languagerulename="A"><rule break="yes">'
        "<beforebreak>TOPSECRET</beforebreak><afterbreak/></rule></languagerule>"
        '</languagerules><maprules><languagemap languagepattern=".*" languagerulename="A"/>'
        "</maprules></body></srx>"
    ).encode()
    rules = parse_srx(data, "en")
    assert [r.before for r in rules] == ["TOPSECRET"]
