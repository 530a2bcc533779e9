"""Hostile and broken inputs (../shared/notes/bad-inputs.md rows X1-X21, P1-P16), crafted here.

Every case asserts an explicit behaviour: a clean rejection naming the file (and the line when
one makes sense) with the right error class, or a documented acceptance. The CLI cases check
exit code 1, one stderr line, no traceback and no output file.
"""

# ruff: noqa: E501  (inline XML/PO fixtures read best unbroken)

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.errors import EncodingError, FormatError, UnsafeInputError
from transpipe.formats.po import read_po
from transpipe.formats.tmx import read_tmx
from transpipe.formats.xliff import read_xliff
from transpipe.model import LanguagePair

EN_RU = LanguagePair("en", "ru")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def tmx(
    body: str, *, srclang: str = "en", doctype: str = "", root: str = '<tmx version="1.4">'
) -> str:
    return (
        f'{HEAD}{doctype}{root}\n<header creationtool="t" creationtoolversion="1" segtype="sentence" '
        f'o-tmf="t" adminlang="en" srclang="{srclang}" datatype="plaintext"/>\n<body>\n{body}\n</body>\n</tmx>\n'
    )


def tu(en: str = "Good morning.", ru: str = "Доброе утро.", extra: str = "") -> str:
    return (
        f'<tu tuid="t1"{extra}><tuv xml:lang="en"><seg>{en}</seg></tuv>'
        f'<tuv xml:lang="ru"><seg>{ru}</seg></tuv></tu>'
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ----------------------------------------------------------------------------------- XML

ENTITY_DOCTYPES = {
    "X1-billion-laughs": '<!DOCTYPE tmx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
    '&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n',
    "X2-quadratic": '<!DOCTYPE tmx [<!ENTITY a "' + "x" * 5000 + '">]>\n',
    "X3-xxe-file": '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
    "X4-parameter-entity": '<!DOCTYPE tmx [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n',
}


@pytest.mark.parametrize("case", sorted(ENTITY_DOCTYPES))
def test_entity_doctypes_are_refused_before_parsing(tmp_path: Path, case: str) -> None:
    seg = {"X1-billion-laughs": "&lol3;", "X2-quadratic": "&a;&a;&a;", "X3-xxe-file": "&xxe;"}.get(
        case, "x"
    )
    path = write(tmp_path, "h.tmx", tmx(tu(en=seg), doctype=ENTITY_DOCTYPES[case]))
    with pytest.raises(UnsafeInputError) as info:
        read_tmx(path, EN_RU)
    assert str(info.value).startswith(f"{path}:2: refusing a DOCTYPE")
    assert "root:" not in str(info.value)  # nothing of /etc/passwd leaked into the message


def test_doctype_after_comment_and_pi_is_still_found(tmp_path: Path) -> None:
    doctype = '<!-- c --><?pi x?>\n<!DOCTYPE tmx [\n<!ENTITY e "x">]>\n'
    path = write(tmp_path, "h.tmx", tmx(tu(en="&e;"), doctype=doctype))
    with pytest.raises(UnsafeInputError):
        read_tmx(path, EN_RU)


def test_x5_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">\n'
    path = write(tmp_path, "h.tmx", tmx(tu(), doctype=doctype))
    (unit,) = read_tmx(path, EN_RU).units  # parsed without touching the network
    assert unit.target == "Доброе утро."


def test_x6_xxe_in_xliff_is_refused(tmp_path: Path) -> None:
    content = (
        f'{HEAD}<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" '
        'target-language="ru" datatype="plaintext" original="x"><body><trans-unit id="1">'
        "<source>&xxe;</source></trans-unit></body></file></xliff>"
    )
    with pytest.raises(UnsafeInputError):
        read_xliff(write(tmp_path, "h.xlf", content))


def test_x7_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    data = (
        tmx(tu(en="PLACEHOLDER")).encode("utf-8").replace(b"PLACEHOLDER", b"bad \xc3\x28\xff\xfe")
    )
    path = write(tmp_path, "h.tmx", data)
    with pytest.raises(EncodingError) as info:
        read_tmx(path, EN_RU)
    assert str(info.value).startswith(f"{path}:5:")


def test_x8_cp1251_declared_utf8_gets_a_hint(tmp_path: Path) -> None:
    data = tmx(tu(ru="Доброе утро, как дела у всех вас сегодня?")).encode("utf-8")
    data = data.replace(
        "Доброе утро, как дела у всех вас сегодня?".encode(),
        "Доброе утро, как дела у всех вас сегодня?".encode("cp1251"),
    )
    with pytest.raises(EncodingError, match="cp1251"):
        read_tmx(write(tmp_path, "h.tmx", data), EN_RU)


def test_x9_utf16_body_with_utf8_declaration_is_accepted(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + tmx(tu()).encode("utf-16-le")
    (unit,) = read_tmx(write(tmp_path, "h.tmx", data), EN_RU).units
    assert unit.target == "Доброе утро."


@pytest.mark.parametrize("seg", ["bell &#x7;", "nul &#0;", "raw \x0c form feed"])
def test_x10_control_characters_are_rejected_with_line(tmp_path: Path, seg: str) -> None:
    path = write(tmp_path, "h.tmx", tmx(tu(en=seg)))
    with pytest.raises(FormatError) as info:
        read_tmx(path, EN_RU)
    assert str(info.value).startswith(f"{path}:5: not well-formed XML")


def test_x11_truncated_file(tmp_path: Path) -> None:
    text = tmx(tu())
    path = write(tmp_path, "h.tmx", text[: text.index('xml:lang="ru"') + 6])
    with pytest.raises(FormatError, match=r"h\.tmx:\d+: not well-formed"):
        read_tmx(path, EN_RU)


@pytest.mark.parametrize(
    ("levels", "message"), [(3000, "nested too deep"), (40, "inline markup nested deeper than 32")]
)
def test_x12_deep_nesting_is_capped(tmp_path: Path, levels: int, message: str) -> None:
    deep = "<hi>" * levels + "x" + "</hi>" * levels
    path = write(tmp_path, "h.tmx", tmx(tu(en=deep)))
    with pytest.raises(UnsafeInputError, match=message) as info:
        read_tmx(path, EN_RU)
    assert str(info.value).startswith(f"{path}:5: ")


def test_x13_huge_tuid_and_odd_attributes_are_kept_as_strings(tmp_path: Path) -> None:
    body = tu(extra=f' usagecount="many" creationdate="yesterday" x-junk="{"j" * 20000}"').replace(
        'tuid="t1"', f'tuid="{"9" * 400}"'
    )
    (unit,) = read_tmx(write(tmp_path, "h.tmx", tmx(body)), EN_RU).units
    assert unit.id == "9" * 400


def test_x14_source_chosen_by_code_not_header(tmp_path: Path) -> None:
    path = write(tmp_path, "h.tmx", tmx(tu(), srclang="de"))
    (unit,) = read_tmx(path, EN_RU).units
    assert (unit.source, unit.target) == ("Good morning.", "Доброе утро.")
    (unit,) = read_tmx(path, EN_RU.reversed()).units
    assert (unit.source, unit.target) == ("Доброе утро.", "Good morning.")


def test_x15_x16_units_without_a_side_are_skipped_and_counted(tmp_path: Path) -> None:
    body = (
        '<tu><tuv xml:lang="ru"><seg>Только русский.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Only English.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="en"><seg>Two.</seg></tuv></tu>'
        "<tu/>" + tu()
    )
    bitext = read_tmx(write(tmp_path, "h.tmx", tmx(body, srclang="*all*")), EN_RU)
    assert [u.target for u in bitext] == ["Доброе утро."]
    assert dict(bitext.props)["x-transpipe-skipped"] == "4"


def test_x17_two_segs_or_nested_seg_are_rejected(tmp_path: Path) -> None:
    two = '<tu><tuv xml:lang="en"><seg>a</seg><seg>b</seg></tuv><tuv xml:lang="ru"><seg>б</seg></tuv></tu>'
    with pytest.raises(FormatError, match="more than one <seg>"):
        read_tmx(write(tmp_path, "a.tmx", tmx(two)), EN_RU)
    with pytest.raises(FormatError, match="nested"):
        read_tmx(write(tmp_path, "b.tmx", tmx(tu(en="outer <seg>inner</seg> tail"))), EN_RU)


def test_x18_xml_lang_wins_over_lang_and_case_region_are_normalised(tmp_path: Path) -> None:
    body = (
        '<tu><tuv xml:lang="EN-us" lang="ru"><seg>Hello.</seg></tuv>'
        '<tuv lang="ru_RU"><seg>Привет.</seg></tuv></tu>'
    )
    (unit,) = read_tmx(write(tmp_path, "h.tmx", tmx(body)), EN_RU).units
    assert (unit.source, unit.target) == ("Hello.", "Привет.")


def test_x19_unpaired_inline_tags_are_kept_and_restored(tmp_path: Path) -> None:
    from transpipe.formats.tmx import write_tmx

    en = 'A <bpt i="1">&lt;b&gt;</bpt>bold<ept i="9">&lt;/b&gt;</ept> <ph>{x<sub>alt</sub>}</ph> <ut>u</ut>'
    path = write(tmp_path, "h.tmx", tmx(tu(en=en)))
    bitext = read_tmx(path, EN_RU)
    (unit,) = bitext.units
    assert unit.source == "A ⟦1⟧bold⟦2⟧ ⟦3⟧ ⟦4⟧"
    out = tmp_path / "out.tmx"
    with out.open("wb") as stream:
        write_tmx(bitext, stream)
    assert en in out.read_text("utf-8")


def test_x20_markup_inside_ph_is_data(tmp_path: Path) -> None:
    en = 'Click <ph x="1">&lt;script&gt;alert(1)&lt;/script&gt;</ph><ph x="2">&lt;img onerror=x&gt;</ph>.'
    (unit,) = read_tmx(write(tmp_path, "h.tmx", tmx(tu(en=en))), EN_RU).units
    assert "<script>" not in unit.source and unit.source == "Click ⟦1⟧⟦2⟧."
    assert "&lt;script&gt;" in dict(unit.props)["x-transpipe-inline"]


def test_x21_namespaced_tmx_is_read_not_silently_empty(tmp_path: Path) -> None:
    content = tmx(tu(), root='<tmx xmlns="http://www.lisa.org/tmx14" version="1.4">')
    (unit,) = read_tmx(write(tmp_path, "h.tmx", content), EN_RU).units
    assert unit.target == "Доброе утро."


def test_not_a_tmx_root_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="root element is <html>"):
        read_tmx(write(tmp_path, "h.tmx", "<html><body/></html>"), EN_RU)


def test_size_cap(tmp_path: Path) -> None:
    from transpipe.formats.xmlsafe import open_checked

    path = write(tmp_path, "h.tmx", tmx(tu()))
    with pytest.raises(UnsafeInputError, match="above the 100-byte limit"):
        open_checked(path, max_bytes=100)


def test_huge_segment_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "h.tmx", tmx(tu(en="слово " * 200_000)))
    with pytest.raises(UnsafeInputError, match="segment longer than"):
        read_tmx(path, EN_RU)


# ------------------------------------------------------------------------------------ PO

PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
)


def po(body: str, header: str = PO_HEADER) -> str:
    return header + body


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('msgid "tab"\nmsgstr "таб\\q"\n', 8, "invalid escape sequence \\q"),  # P1
        ('msgid "a"\nmsgstr "\\777"\n', 8, "unsupported octal escape"),  # P1
        ('msgid "Hello\nmsgstr "Привет"\n', 7, "unterminated string"),  # P2
        (
            'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "a"\nmsgstr[2] "b"\nmsgstr[7] "c"\n',
            7,
            "gap",
        ),  # P4
        ('msgid "x"\nmsgstr "y"\n\nmsgfoo "z"\n', 10, "unknown keyword 'msgfoo'"),  # P16
        ('#~ garbage here\nmsgid "x"\nmsgstr "y"\n', 7, "unknown keyword 'garbage'"),  # P16
        ('#|\nmsgid "x"\nmsgstr "y"\n', 7, "dangling '#|'"),  # P16
        (
            'msgid "x"\nmsgstr "y"\n\nmsgid "x"\nmsgstr "z"\n',
            10,
            "duplicate message definition",
        ),  # P10
        (
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=KOI8-R\\n"\n',
            7,
            "a second header entry",
        ),  # P15
        ('msgid "x"\nmsgstr "y" trailing\n', 8, "unexpected text after the closing quote"),
        ('msgid "x"\n\nmsgid "y"\nmsgstr "z"\n', 9, "msgid twice"),
    ],
)
def test_po_syntax_errors_name_the_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = write(tmp_path, "h.po", po(body))
    with pytest.raises(FormatError) as info:
        read_po(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


def test_p1_known_escapes_are_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "h.po", po('msgid "a\\tb\\\\c\\"d\\x41\\101"\nmsgstr "\\a\\n"\n'))
    (unit,) = read_po(path).units
    assert (unit.source, unit.target) == ('a\tb\\c"dAA', "\a\n")


def test_p3_missing_plural_forms_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.po",
        po('msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d файл"\nmsgstr[1] "%d файла"\n'),
    )
    (unit,) = read_po(path).units
    assert unit.target == "%d файл"
    assert dict(unit.props)["x-po-msgstr[1]"] == "%d файла"


def test_p5_nul_byte_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "h.po", po('msgid "x"\nmsgstr "a\x00b"\n'))
    with pytest.raises(FormatError, match=r"h\.po:8: NUL"):
        read_po(path)


def test_p6_p7_crlf_and_bom_are_accepted(tmp_path: Path) -> None:
    text = po('msgid "Yes"\nmsgstr "Да"\n').replace("\n", "\r\n")
    (unit,) = read_po(write(tmp_path, "h.po", codecs.BOM_UTF8 + text.encode("utf-8"))).units
    assert unit.target == "Да"


def test_p8_utf8_bytes_declared_koi8r_are_rejected(tmp_path: Path) -> None:
    text = po('msgid "Privet"\nmsgstr "Привет"\n', PO_HEADER.replace("UTF-8", "KOI8-R"))
    with pytest.raises(EncodingError, match="declares charset KOI8-R but the file is UTF-8"):
        read_po(write(tmp_path, "h.po", text))


@pytest.mark.parametrize("charset", ["CP1251", "KOI8-R"])
def test_p9_declared_legacy_charsets_are_converted(tmp_path: Path, charset: str) -> None:
    text = po('msgid "Hello"\nmsgstr "Привет, ёжик"\n', PO_HEADER.replace("UTF-8", charset))
    (unit,) = read_po(write(tmp_path, "h.po", text.encode(charset))).units
    assert unit.target == "Привет, ёжик"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_undeclared_legacy_cyrillic_is_named(tmp_path: Path, encoding: str) -> None:
    text = po('msgid "Hello"\nmsgstr "Привет всем, это обычное предложение на русском языке"\n')
    with pytest.raises(EncodingError, match=f"look like {encoding}"):
        read_po(write(tmp_path, "h.po", text.encode(encoding)))


@pytest.mark.parametrize(
    ("forms", "message"),
    [
        (
            "nplurals=2; plural=__import__('os').system('touch pwned');",
            "invalid plural expression",
        ),  # P12
        ("nplurals=2; plural=n/0;", "fails for n=0"),  # P13
        ("nplurals=100000000; plural=n;", "outside 1..6"),  # P14
        ("nplurals=2; plural=n+5;", "gives form"),
    ],
)
def test_p12_p14_plural_forms_are_validated_not_evaluated(
    tmp_path: Path, forms: str, message: str
) -> None:
    header = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'
    path = write(tmp_path, "h.po", po('msgid "x"\nmsgstr "y"\n', header))
    with pytest.raises(FormatError, match=message):
        read_po(path)
    assert not (tmp_path / "pwned").exists()


def test_russian_four_form_header_is_honoured(tmp_path: Path) -> None:
    forms = (
        "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || "
        "n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);"
    )
    header = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'
    body = 'msgid "%d day"\nmsgid_plural "%d days"\nmsgstr[0] "%d день"\nmsgstr[1] "%d дня"\nmsgstr[2] "%d дней"\nmsgstr[3] "%d дня"\n'
    (unit,) = read_po(write(tmp_path, "h.po", po(body, header))).units
    assert dict(unit.props)["x-po-msgstr[3]"] == "%d дня"


# ----------------------------------------------------------------------------------- CLI


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x1.tmx", tmx(tu(en="&lol3;"), doctype=ENTITY_DOCTYPES["X1-billion-laughs"])),
        ("x11.tmx", tmx(tu())[:200]),
        ("p2.po", po('msgid "Hello\nmsgstr "x"\n')),
        (
            "p12.po",
            po(
                'msgid "x"\nmsgstr "y"\n',
                PO_HEADER.replace("plural=(n%10", "plural=__import__('os')+(n%10"),
            ),
        ),
        ("missing.tmx", None),
    ],
)
def test_cli_rejects_cleanly_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | None
) -> None:
    source = tmp_path / name if content is None else write(tmp_path, name, content)
    out = tmp_path / "out.po"
    code = main(["convert", str(source), str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"transpipe: error: {source}")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == ([] if content is None else [source])


def test_cli_failed_run_keeps_existing_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.tmx", tmx(tu())[:150])
    out = write(tmp_path, "work.po", "# a translator's work\n")
    assert main(["convert", str(bad), str(out), "--force"]) == 1
    assert out.read_text() == "# a translator's work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tmx", "work.po"]
