"""Every TMX and PO file in ../shared/realfiles is read completely or rejected cleanly.

Unit counts were verified by hand (TUs per file and per language, cross-checked against polib
for PO: non-obsolete entries without the header). Files that hold more than two languages are
read for an explicit pair. Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from transpipe.errors import EncodingError, FormatError, TranspipeError
from transpipe.formats.po import read_po, write_po
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.formats.xmlsafe import iterparse, open_checked
from transpipe.model import LanguagePair

# (path, requested (source, target) or None, resulting pair, units, TUs skipped for lacking a side)
TMX_FILES = [
    ("tmx/google-translator-toolkit/gtt.tmx", None, ("en", "ja"), 3, 0),
    ("tmx/lisa-compliance-kit/ExportTest1A.tmx", None, ("en", "fr"), 4, 0),
    ("tmx/lisa-compliance-kit/ExportTest1B.tmx", None, ("en", "fr"), 2, 0),
    ("tmx/lisa-compliance-kit/ExportTest1C.tmx", None, ("en", "fr"), 4, 0),
    ("tmx/lisa-compliance-kit/ExportTest1D.tmx", None, ("en", "fr"), 4, 0),
    ("tmx/lisa-compliance-kit/ExportTest1E.tmx", None, ("en", "fr"), 4, 0),
    ("tmx/lisa-compliance-kit/ExportTest2A.tmx", None, ("en", "fr"), 6, 0),
    ("tmx/lisa-compliance-kit/ImportTest1A.tmx", None, ("en", "fr"), 2, 0),
    ("tmx/lisa-compliance-kit/ImportTest1B.tmx", None, ("en", "fr"), 1, 0),
    ("tmx/lisa-compliance-kit/ImportTest1C.tmx", ("en-us", "ja"), ("en-us", "ja"), 3, 0),
    ("tmx/lisa-compliance-kit/ImportTest1D.tmx", None, ("en-us", "en-gb"), 3, 0),
    ("tmx/lisa-compliance-kit/ImportTest1E.tmx", None, ("en-us", "en-gb"), 3, 0),
    ("tmx/lisa-compliance-kit/ImportTest1F.tmx", None, ("en-us", "en-gb"), 3, 0),
    ("tmx/lisa-compliance-kit/ImportTest1G.tmx", None, ("en-us", "en-gb"), 3, 0),
    ("tmx/lisa-compliance-kit/ImportTest1H.tmx", None, ("en-us", "en-gb"), 3, 0),
    ("tmx/lisa-compliance-kit/ImportTest1I.tmx", None, ("en", "ja"), 1, 0),
    ("tmx/lisa-compliance-kit/ImportTest1J.tmx", ("en-us", "en-gb"), ("en-us", "en-gb"), 2, 0),
    ("tmx/lisa-compliance-kit/ImportTest1J_many.tmx", ("en-us", "en-gb"), ("en-us", "en-gb"), 2, 1),
    ("tmx/lisa-compliance-kit/ImportTest1K.tmx", ("en-gb", "de"), ("en-gb", "de"), 1, 1),
    ("tmx/lisa-compliance-kit/ImportTest1L.tmx", None, ("en", "fr"), 1, 0),
    ("tmx/lisa-compliance-kit/ImportTest2A-0index.tmx", None, ("en", "fr"), 7, 0),
    ("tmx/lisa-compliance-kit/ImportTest2A.tmx", None, ("en", "fr"), 7, 0),
    ("tmx/lisa-compliance-kit/ImportTest2B.tmx", None, ("en", "fr"), 7, 0),
    ("tmx/lisa-compliance-kit/ImportTest2C.tmx", None, ("en", "fr"), 1, 0),
    ("tmx/okapi/Paragraph_TM.tmx", None, ("en", "de"), 7, 0),
    ("tmx/okapi/html_test.tmx", None, ("en", "fr"), 11, 0),
    ("tmx/okapi/issue277.tmx", None, ("en", "de"), 2, 0),
    ("tmx/okapi/sample14b.tmx", None, ("en", "de"), 25, 0),
    ("tmx/okapi/tmxtest-attributes.tmx", None, ("en", "fr"), 9, 0),
    ("tmx/omegat/empty.tmx", ("en", "fr"), ("en", "fr"), 0, 0),
    ("tmx/omegat/en-US_en-GB_fr_sr.tmx", ("en", "sr"), ("en", "sr"), 1, 0),
    ("tmx/omegat/invalid.tmx", None, ("en", "be"), 1, 0),
    ("tmx/omegat/resegmenting11.tmx", None, ("en", "fr"), 1, 0),
    ("tmx/omegat/test-SMP.tmx", None, ("en", "be"), 1, 0),
    ("tmx/omegat/test-level1.tmx", ("en", "be"), ("en", "be"), 4, 0),
    ("tmx/omegat/test-level2.tmx", None, ("en", "be"), 4, 0),
    ("tmx/omegat/test-missingSource.tmx", ("en", "be"), ("en", "be"), 3, 1),
    ("tmx/omegat/test-multiple-tuv14.tmx", ("en", "fr"), ("en", "fr"), 2, 1),
    ("tmx/omegat/test-omegat-invalid.tmx", ("en", "be"), ("en", "be"), 4, 0),
    ("tmx/ru-en/loginom_omegat_project_save_ru-en.tmx", None, ("ru", "en"), 203, 0),
    ("tmx/ru-en/rltc_empty.tmx", ("ru", "en"), ("ru", "en"), 1, 0),
    ("tmx/ru-en/rltc_olifant_multi_target.tmx", ("ru", "en"), ("ru", "en"), 10, 0),
    ("tmx/spec-sample/tmx14b-spec-sample.tmx", None, ("en", "fr"), 2, 0),
]

# multi-language files refuse to guess a pair
TMX_NEEDS_PAIR = [
    "tmx/lisa-compliance-kit/ImportTest1C.tmx",
    "tmx/omegat/test-multiple-tuv14.tmx",
    "tmx/omegat/en-US_en-GB_fr_sr.tmx",
]

# (path, units, fuzzy units, target language) — counts agree with polib
PO_FILES = [
    ("po/django-debug-toolbar.ru.po", 146, 0, "ru"),
    ("po/gnome-calculator.ru.po", 791, 0, "ru"),
    ("po/gnu-gettext/gettext-examples.ru.po", 24, 0, "ru"),
    ("po/gnu-gettext/gettext-runtime.ru.po", 71, 0, "ru"),
    ("po/gnu-gettext/gettext-tools.ru.po", 785, 0, "ru"),
    ("po/gnu-gettext/mm-ko-comp.euc-kr.po", 310, 108, "und"),
    ("po/gnu-gettext/testdata-crlf.pot", 1, 0, "und"),
    ("po/omegat-tests/file-POFilter-be.po", 992, 52, "und"),
    ("po/omegat-tests/file-POFilter-fuzzyCtx-plural.po", 2, 0, "be"),
    ("po/omegat-tests/file-POFilter-fuzzyCtx.po", 2, 2, "be"),
    ("po/omegat-tests/file-POFilter-multilines.po", 3, 0, "und"),
    ("po/polib-tests/test_comment_ordering.po", 1, 0, "und"),
    ("po/polib-tests/test_fuzzy_header.po", 0, 0, "und"),
    ("po/polib-tests/test_indented.po", 2, 0, "und"),
    ("po/polib-tests/test_iso-8859-15.po", 5, 0, "und"),
    ("po/polib-tests/test_msgctxt.po", 3, 0, "und"),
    ("po/polib-tests/test_noencoding.po", 10, 0, "und"),
    ("po/polib-tests/test_obsolete_is_not_fuzzy.po", 2, 1, "und"),
    ("po/polib-tests/test_obsolete_previousmsgid.po", 1, 0, "ca"),
    ("po/polib-tests/test_previous_msgid.po", 3, 0, "und"),
    ("po/polib-tests/test_trailing_comment.po", 1, 0, "und"),
    ("po/polib-tests/test_ufeff.po", 1, 0, "und"),
    ("po/polib-tests/test_unusual_metadata_location.po", 1, 0, "und"),
    ("po/polib-tests/test_weird_occurrences.po", 47, 0, "und"),
    ("po/polib-tests/test_word_garbage.po", 1, 0, "und"),
    ("po/polib-tests/test_wrap.po", 3, 0, "und"),
    ("po/translate-toolkit-tests/fuzzy-one.po", 2, 1, "und"),
    ("po/translate-toolkit-tests/plural.po", 1, 0, "und"),
]

# (path, error class, message start after "path:") — documented clean rejections
PO_REJECTED = [
    ("po/omegat-tests/file-POFilter-multiple.po", FormatError, "37: msgid twice in one entry"),
    ("po/polib-tests/test_syntax_error1.po", FormatError, "5: msgstr twice in one entry"),
    (
        "po/translate-toolkit-tests/f43.tgif.fr.po",
        EncodingError,
        "9: the header declares charset koi8-r but the text does not look Cyrillic",
    ),
]


def _pair(codes: tuple[str, str] | None) -> LanguagePair | None:
    return LanguagePair(*codes) if codes else None


@pytest.mark.parametrize(("rel", "pair", "result", "count", "skipped"), TMX_FILES)
def test_real_tmx_is_read_completely(
    shared_dir: Path,
    rel: str,
    pair: tuple[str, str] | None,
    result: tuple[str, str],
    count: int,
    skipped: int,
) -> None:
    bitext = read_tmx(shared_dir / "realfiles" / rel, _pair(pair))
    assert bitext.pair == LanguagePair(*result)
    assert len(bitext) == count
    assert int(dict(bitext.props).get("x-transpipe-skipped", "0")) == skipped
    assert all(u.source for u in bitext)  # never a silently empty source


@pytest.mark.parametrize("rel", TMX_NEEDS_PAIR)
def test_multilingual_tmx_without_a_pair_is_rejected(shared_dir: Path, rel: str) -> None:
    with pytest.raises(FormatError, match="cannot tell the language pair"):
        read_tmx(shared_dir / "realfiles" / rel)


def test_every_real_tmx_and_po_is_in_the_matrix(shared_dir: Path) -> None:
    root = shared_dir / "realfiles"
    listed = {t[0] for t in TMX_FILES} | {p[0] for p in PO_FILES} | {p[0] for p in PO_REJECTED}
    present = {
        str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".tmx", ".po", ".pot")
    }
    assert present == listed


def test_real_tmx_spot_checks(shared_dir: Path) -> None:
    root = shared_dir / "realfiles" / "tmx"
    loginom = read_tmx(root / "ru-en/loginom_omegat_project_save_ru-en.tmx")
    assert loginom.pair == LanguagePair("ru", "en")
    assert any("<x1/>" in u.source for u in loginom)  # OmegaT tags are text there, kept verbatim
    rltc = read_tmx(root / "ru-en/rltc_olifant_multi_target.tmx", LanguagePair("en", "ru"))
    alternatives = [k for u in rltc for k, _ in u.props if k == "x-alt-target"]
    assert len(alternatives) == 12  # 22 Russian TUVs in 10 TUs: first wins, 12 kept as alternatives
    level2 = read_tmx(root / "lisa-compliance-kit/ImportTest2A.tmx")
    first = level2.units[0]
    assert first.source.startswith("The big ⟦1⟧black⟦2⟧ ⟦3⟧cat⟦4⟧")
    assert first.target.startswith("Le gros ⟦3⟧chat⟦4⟧ ⟦1⟧noir⟦2⟧")  # reordered codes keep tokens


@pytest.mark.parametrize(("rel", "count", "fuzzy", "target"), PO_FILES)
def test_real_po_is_read_completely(
    shared_dir: Path, rel: str, count: int, fuzzy: int, target: str
) -> None:
    bitext = read_po(shared_dir / "realfiles" / rel)
    assert len(bitext) == count
    assert sum(u.fuzzy for u in bitext) == fuzzy
    assert bitext.pair.target == target
    assert len({u.id for u in bitext}) == count


@pytest.mark.parametrize(("rel", "error", "message"), PO_REJECTED)
def test_real_po_rejections_are_clean(
    shared_dir: Path, rel: str, error: type[TranspipeError], message: str
) -> None:
    path = shared_dir / "realfiles" / rel
    with pytest.raises(error) as info:
        read_po(path)
    assert str(info.value).startswith(f"{path}:{message}")


def test_russian_plural_files(shared_dir: Path) -> None:
    django = read_po(shared_dir / "realfiles/po/django-debug-toolbar.ru.po")
    four = [u for u in django if any(k == "x-po-msgstr[3]" for k, _ in u.props)]
    assert four, "nplurals=4 entries keep their fourth form"
    gnome = read_po(shared_dir / "realfiles/po/gnome-calculator.ru.po")
    with_context = [u for u in gnome if not any(k == "x-po-no-msgctxt" for k, _ in u.props)]
    assert len(with_context) == 173  # every msgctxt kept (as the id, or as a prop when reused)


@pytest.mark.parametrize("rel", [p[0] for p in PO_FILES if p[1] > 0])
def test_real_po_rewritten_passes_msgfmt(shared_dir: Path, tmp_path: Path, rel: str) -> None:
    import shutil
    import subprocess

    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) not installed")
    bitext = read_po(shared_dir / "realfiles" / rel)
    out = tmp_path / "out.po"
    with out.open("wb") as stream:
        write_po(bitext, stream)
    result = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    back = read_po(out)
    assert len(back) == len(bitext)
    assert [u.fuzzy for u in back] == [u.fuzzy for u in bitext]  # no valid entry demoted


@pytest.mark.parametrize("rel", [t[0] for t in TMX_FILES])
def test_real_tmx_rewritten_is_dtd_valid(shared_dir: Path, rel: str) -> None:
    spec = next(t for t in TMX_FILES if t[0] == rel)
    bitext = read_tmx(shared_dir / "realfiles" / rel, _pair(spec[1]))
    buffer = io.BytesIO()
    write_tmx(bitext, buffer)
    dtd = etree.DTD(str(shared_dir / "realfiles/dtd/tmx14.dtd"))
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    tree = etree.fromstring(buffer.getvalue(), parser).getroottree()
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


@pytest.mark.parametrize(
    "rel",
    sorted(
        str(p.relative_to(Path(__file__).resolve().parents[2] / "shared" / "realfiles"))
        for p in (Path(__file__).resolve().parents[2] / "shared" / "realfiles" / "termbase").glob(
            "*/*.tbx"
        )
    ),
)
def test_real_tbx_passes_the_xml_safety_layer(shared_dir: Path, rel: str) -> None:
    path = shared_dir / "realfiles" / rel
    if rel.endswith("poorly_formed_xml.tbx"):
        with pytest.raises(FormatError, match="not well-formed"):
            list(iterparse(open_checked(path)))
        return
    events = list(iterparse(open_checked(path)))
    assert events


@pytest.mark.parametrize("spec", TMX_FILES, ids=[t[0] for t in TMX_FILES])
def test_real_tmx_converts_to_valid_po_and_lossless_xliff(
    shared_dir: Path,
    tmp_path: Path,
    spec: tuple[str, tuple[str, str] | None, tuple[str, str], int, int],
) -> None:
    import shutil
    import subprocess

    from transpipe.formats.xliff import read_xliff, write_xliff

    bitext = read_tmx(shared_dir / "realfiles" / spec[0], _pair(spec[1]))
    for version in ("1.2", "2.1"):
        path = tmp_path / f"x{version}.xlf"
        with path.open("wb") as stream:
            write_xliff(bitext, stream, version=version)
        assert read_xliff(path).units == bitext.units
    po_path = tmp_path / "x.po"
    with po_path.open("wb") as stream:
        write_po(bitext, stream)
    assert [(u.source, u.target) for u in read_po(po_path)] == [
        (u.source, u.target) for u in bitext
    ]
    if shutil.which("msgfmt") is not None:
        result = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po_path)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr[-2000:]
