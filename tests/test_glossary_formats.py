"""Glossary formats: TSV (ours, OmegaT), CSV (ours, DeepL, Google, Amazon), TBX v2/v3.

Round trips, encodings, malformed files (clear errors naming file and line), formula
injection on export, refused XML entities.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from transpipe.errors import EncodingError, FormatError, GlossaryError, InputError, UnsafeInputError
from transpipe.model import TermStatus
from transpipe.terms import Glossary, load_glossary, render_glossary
from transpipe.terms.glossary import Concept, Term

DATA = Path(__file__).parent / "data" / "terms"
REAL_VALID = [
    "termbase/glossary-omegat/loginom-ru-en-glossary.txt",
    "termbase/glossary-omegat/test.tab",
    "termbase/glossary-omegat/test.csv",
    "termbase/glossary-omegat/testUTF16LE.txt",
    "termbase/tbx-v2/omegat-sampleTBXfile.tbx",
    "termbase/tbx-v2/okapi-ibm_tbx.tbx",
    "termbase/tbx-v2/okapi-maryland.tbx",
    "termbase/tbx-v2/okapi-oracle_TBX.tbx",
    "termbase/tbx-v2/okapi-test01.tbx",
    "termbase/tbx-v2/okapi-test02_win1254.tbx",
    "termbase/tbx-v3-ltac/basic_good.tbx",
    "termbase/tbx-v3-ltac/core_structure_good.tbx",
    "termbase/tbx-v3-ltac/min_good.tbx",
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def round_trip(glossary: Glossary, tmp_path: Path, tbx_version: int) -> Glossary:
    """TSV -> TBX -> CSV -> TSV through files, as the CLI does."""
    current = glossary
    for name in ("a.tsv", f"b{tbx_version}.tbx", "c.csv", "d.tsv"):
        target = tmp_path / name
        target.write_bytes(render_glossary(current, target, tbx_version=tbx_version))
        current = load_glossary(target)
    return current


@pytest.mark.parametrize("tbx_version", [2, 3])
def test_round_trip_own_fixture(tmp_path: Path, tbx_version: int) -> None:
    original = load_glossary(DATA / "sample.tsv")
    assert round_trip(original, tmp_path, tbx_version).concepts == original.concepts
    # and our TSV writer reproduces the fixture byte for byte
    assert render_glossary(original, "x.tsv") == (DATA / "sample.tsv").read_bytes()


@pytest.mark.parametrize("tbx_version", [2, 3])
def test_round_trip_project_glossary(repo_root: Path, tmp_path: Path, tbx_version: int) -> None:
    path = repo_root / "glossary" / "csto.tsv"
    if not path.exists():
        pytest.skip("glossary/csto.tsv not in this checkout yet")
    original = load_glossary(path)
    assert len(original) > 50
    assert round_trip(original, tmp_path, tbx_version).concepts == original.concepts


@pytest.mark.parametrize("name", REAL_VALID)
def test_round_trip_real_files(shared_dir: Path, tmp_path: Path, name: str) -> None:
    original = load_glossary(shared_dir / "realfiles" / name)
    assert len(original) > 0
    for version in (2, 3):
        assert round_trip(original, tmp_path, version).concepts == original.concepts


def test_rich_attributes_survive_round_trip(tmp_path: Path) -> None:
    concept = Concept(
        "c1",
        (
            Term("en", "=HYPERLINK(1)", pos="noun", type="fullForm", note="formula-like"),
            Term("en", "+plus", status=TermStatus.ADMITTED, context="a +plus example"),
            Term("ru", "Совет", gender="masc", number="sing", case_sensitive=True),
            Term("ru", "совет", status=TermStatus.FORBIDDEN, note="lower case; «кавычки» — ё"),
            Term("fr", "conseil"),
        ),
        domain="politics",
        definition="a body",
        note="concept note",
        source="own",
    )
    original = Glossary((concept,))
    for version in (2, 3):
        assert round_trip(original, tmp_path, version).concepts == original.concepts


def test_omegat_tsv_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "g.txt", "# comment\nДелитель\tDivisor\tmath\n\nСумма\tSum\n")
    glossary = load_glossary(path)
    assert [(c.id, [(t.lang, t.text) for t in c.terms]) for c in glossary] == [
        ("divisor", [("en", "Divisor"), ("ru", "Делитель")]),
        ("sum", [("en", "Sum"), ("ru", "Сумма")]),
    ]
    assert glossary.concepts[0].terms[0].note == "math"
    out = render_glossary(glossary, "o.txt", layout="omegat", source_lang="ru", target_lang="en")
    assert out.decode() == "Делитель\tDivisor\tmath\nСумма\tSum\n"


def test_utf16_and_bom(tmp_path: Path) -> None:
    text = "id\ten\tru\tpos\tstatus\tnote\nx\tpeace\tмир\tnoun\tpreferred\t\n"
    for encoding in ("utf-16", "utf-8-sig"):
        path = write(tmp_path / f"{encoding}.tsv", text, encoding)
        assert load_glossary(path).preferred("x", "ru") == "мир"


def test_cp1251_is_named_and_can_be_read_on_request(tmp_path: Path) -> None:
    path = write(tmp_path / "legacy.txt", "мир\tpeace\nвойна\twar\n", "cp1251")
    with pytest.raises(EncodingError, match=r"legacy\.txt:1: .*cp1251"):
        load_glossary(path)
    glossary = load_glossary(path, encoding="cp1251")
    assert glossary.preferred("peace", "ru") == "мир"


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        (
            "bad.tsv",
            "id\ten\tru\tstatus\nx\ta\tб\tpreferred\ny\tb\tв\tmaybe\n",
            "unknown status",
            3,
        ),
        ("bad.tsv", "id\ten\tru\nx\ta\tб\textra\n", "4 fields but the header has 3", 2),
        ("bad.tsv", "id\ten\tru\nx\ta\tб\ny\t\t\n", "no term", 3),
        ("bad.tsv", "id\ten\tru\tcolour\n", "unknown column 'colour'", 1),
        ("bad.txt", "one\ttwo\nlonely\n", "needs a source and a target", 2),
        ("bad.txt", "a\tb\tc\td\n", "4 fields", 1),
        ("bad.tsv", "id\ten\tru\nx\ta\x00b\tв\n", "NUL", 2),
        ("bad.csv", 'en,ru\n"open,закрыто\nnext,далее\n', "quoted field is never closed", 2),
        ("bad.csv", 'en,ru\n"two\nlines",две\n', "line break", 2),
        ("bad.tbx", "<martif><text><body><termEntry><langSet>", "malformed XML", 1),
        ("bad.tbx", "<tmx version='1.4'/>", "not a TBX file", 1),
        (
            "bad.tbx",
            "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>x</term>"
            "<termNote type='administrativeStatus'>sometimes</termNote></tig></langSet>"
            "</termEntry></body></text></martif>",
            "unknown administrativeStatus",
            1,
        ),
    ],
)
def test_malformed_files_name_file_and_line(
    tmp_path: Path, name: str, content: str, message: str, line: int | None
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InputError) as info:
        load_glossary(path)
    text = str(info.value)
    assert str(path) in text
    assert message in text
    if line is not None:
        assert f"{path}:{line}:" in text
    assert "\n" not in text


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_glossary(tmp_path / "nope.tsv")
    with pytest.raises(InputError, match="directory"):
        load_glossary(tmp_path)


def test_entities_are_refused(tmp_path: Path) -> None:
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>&xxe;</term></tig>"
        "</langSet></termEntry></body></text></martif>"
    )
    with pytest.raises(UnsafeInputError, match=r"x\.tbx:2: .*entities"):
        load_glossary(write(tmp_path / "x.tbx", xxe))


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/none.dtd">\n'
        "<martif><text><body><termEntry id='a'><langSet xml:lang='en'><tig><term>t</term></tig>"
        "</langSet></termEntry></body></text></martif>"
    )
    assert load_glossary(write(tmp_path / "ok.tbx", doc)).terms("a", "en")[0].text == "t"


def test_real_invalid_tbx_files_fail_clearly(shared_dir: Path) -> None:
    base = shared_dir / "realfiles" / "termbase" / "tbx-v3-ltac"
    with pytest.raises(FormatError, match=r"poorly_formed_xml\.tbx:\d+: malformed XML"):
        load_glossary(base / "poorly_formed_xml.tbx")
    with pytest.raises(GlossaryError, match=r"min_bad\.tbx:\d+: unknown usageStatus"):
        load_glossary(base / "min_bad.tbx")


def test_tbx_v3_reads_status_and_parts_of_speech(shared_dir: Path) -> None:
    glossary = load_glossary(shared_dir / "realfiles/termbase/tbx-v3-ltac/min_good.tbx")
    statuses = {t.status for c in glossary for t in c.terms}
    assert statuses == {TermStatus.PREFERRED, TermStatus.ADMITTED, TermStatus.FORBIDDEN}
    assert {"en", "es"} <= set(glossary.languages)


def test_formula_injection_is_neutralised_on_export() -> None:
    glossary = Glossary(
        (
            Concept("f", (Term("en", "=1+2"), Term("ru", "@SUM(A1)"))),
            Concept("g", (Term("en", "-minus"), Term("ru", "+плюс"))),
        )
    )
    for layout in ("full", "deepl", "google", "amazon"):
        rows = list(
            csv.reader(io.StringIO(render_glossary(glossary, "x.csv", layout=layout).decode()))
        )
        cells = [c for row in rows for c in row]
        assert "'=1+2" in cells and "'@SUM(A1)" in cells
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    tsv = render_glossary(glossary, "x.tsv").decode()
    assert "\t'=1+2\t'@SUM(A1)\t" in tsv


def test_csv_layouts(tmp_path: Path) -> None:
    glossary = load_glossary(DATA / "sample.tsv")
    deepl = render_glossary(glossary, "x.csv", layout="deepl").decode().splitlines()
    assert (
        deepl[0] == "Collective Security Treaty Organization,"
        "Организация Договора о коллективной безопасности"
    )
    assert not any("генсек" in line for line in deepl)  # forbidden terms are not uploaded
    amazon = render_glossary(glossary, "x.csv", layout="amazon").decode().splitlines()
    assert amazon[0] == "en,ru"
    google = render_glossary(glossary, "x.csv", layout="google").decode().splitlines()
    assert google[0] == "en,ru,pos,description"
    assert len(google) == 1 + len(glossary)
    # each layout reads back with the right languages
    for layout, text in (("deepl", deepl), ("amazon", amazon), ("google", google)):
        path = write(tmp_path / f"{layout}.csv", "\n".join(text) + "\n")
        back = load_glossary(path)
        assert back.concepts[0].terms_in("ru")[0].text.startswith("Организация"), layout


def test_deepl_term_limit() -> None:
    glossary = Glossary((Concept("l", (Term("en", "x" * 1100), Term("ru", "y"))),))
    with pytest.raises(GlossaryError, match="1024-byte"):
        render_glossary(glossary, "x.csv", layout="deepl")


def test_tico_style_string_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.csv",
        "stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n"
        '7,en,ru,noun,"A disease, infectious",fever,лихорадка\n',
    )
    glossary = load_glossary(path)
    assert glossary.preferred("7", "ru") == "лихорадка"
    assert glossary.concept("7").definition == "A disease, infectious"


def test_header_less_russian_first_glossary_is_detected_by_script(tmp_path: Path) -> None:
    path = write(tmp_path / "ru-en.txt", "Делитель\tDivisor\nДелимое\tDividend\nAPI\tAPI\n")
    glossary = load_glossary(path)
    assert glossary.preferred("divisor", "ru") == "Делитель"
    assert glossary.preferred("divisor", "en") == "Divisor"
    # languages named the wrong way round are refused, not imported swapped
    with pytest.raises(GlossaryError, match=r"ru-en\.txt: column 1 is written in cyrillic"):
        load_glossary(path, source_lang="en", target_lang="ru")
    assert load_glossary(path, source_lang="ru", target_lang="en") == glossary


def test_header_less_ids_are_unique_readable_slugs(tmp_path: Path) -> None:
    path = write(tmp_path / "g.txt", "Sum\tСумма\nsum\tитог\nМир\tМир\n")
    assert [c.id for c in load_glossary(path)] == ["sum", "sum-2", "mir"]


def test_deepl_layout_lists_each_source_once() -> None:
    glossary = Glossary(
        (
            Concept("a", (Term("en", "council"), Term("ru", "совет"))),
            Concept("b", (Term("en", "council"), Term("ru", "муниципалитет"))),
        )
    )
    out = render_glossary(glossary, "x.csv", layout="deepl").decode()
    assert out == "council,совет\n"
