"""Checks of the shipped sample data: ``corpora/`` pairs and ``glossary/csto.tsv``.

The corpora are used as gold alignments and as sentence pairs for training the demo model, so
the two language versions of an item must agree paragraph by paragraph and sentence by
sentence. Only the top level of ``corpora/`` is checked (``corpora/extra/`` has its own owner).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from transpipe.segment import segment_text

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA = REPO_ROOT / "corpora"
GLOSSARY = REPO_ROOT / "glossary" / "csto.tsv"
GLOSSARY_README = REPO_ROOT / "glossary" / "README.md"
HEADER = ["id", "en", "ru", "pos", "status", "note"]
POS = {"noun", "noun-phrase", "proper-noun", "abbreviation", "adjective", "verb"}
STATUSES = {"preferred", "admitted", "forbidden"}
# A paragraph "ends a sentence" when its last visible characters are . ! ? (optionally
# followed by closing quotes or a bracket); headlines and navigation lines do not.
SENTENCE_END = re.compile(r"[.!?][»\"”’)]*\Z")
SEED_SLUGS = {
    "graduates-diplomacy-school",
    "unsc-debate-remarks",
    "unsc-debate-participation",
    "belta-interview",
    "japarov-meets-secretary-general",
}


def _slugs() -> list[str]:
    return sorted(p.name[: -len(".en.txt")] for p in CORPORA.glob("*.en.txt"))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _paragraphs(text: str) -> list[str]:
    return text.rstrip("\n").split("\n\n")


def _glossary_rows() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _corpus_text(lang: str) -> str:
    return _normalise("\n".join(_read(p) for p in sorted(CORPORA.glob(f"*.{lang}.txt"))))


def _russian_pattern(term: str) -> re.Pattern[str]:
    """Each word of ``term`` by a short stem, in order, so any inflection matches.

    The stem is the first five letters, but never the whole of a longer-than-three-letter
    word (``школа`` -> ``школ`` so that ``школе`` matches).
    """
    words = re.findall(r"\w+", _normalise(term))
    stems = [w if len(w) <= 3 else w[: min(5, len(w) - 1)] for w in words]
    return re.compile(r"[\s\-–]+".join(re.escape(s) + r"\w*" for s in stems))


def test_corpora_has_the_seed_items_and_enough_own_items() -> None:
    slugs = set(_slugs())
    assert slugs >= SEED_SLUGS
    assert len(slugs - SEED_SLUGS) >= 6


def test_every_file_has_a_partner() -> None:
    names = {p.name for p in CORPORA.glob("*.txt")}
    assert names, "corpora/ is empty"
    for name in names:
        match = re.fullmatch(r"(?P<slug>[a-z0-9-]+)\.(?P<lang>en|ru)\.txt", name)
        assert match, f"{name}: expected <slug>.en.txt or <slug>.ru.txt"
        other = "ru" if match["lang"] == "en" else "en"
        assert f"{match['slug']}.{other}.txt" in names, f"{name} has no .{other} partner"


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.txt")), ids=lambda p: p.name)
def test_file_is_clean_utf8_text(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "BOM"
    text = raw.decode("utf-8")
    assert "\r" not in text and "\t" not in text
    assert unicodedata.is_normalized("NFC", text)
    assert text.endswith("\n") and not text.endswith("\n\n"), "exactly one final newline"
    assert not text.startswith("\n"), "leading blank line"
    assert "\n\n\n" not in text, "paragraphs are separated by exactly one blank line"
    for number, line in enumerate(text.split("\n")[:-1], 1):
        assert line == line.rstrip(), f"line {number}: trailing whitespace"
        assert line.isprintable() or line == "", f"line {number}: control character"


@pytest.mark.parametrize("slug", _slugs())
def test_pair_has_same_paragraph_count_and_shape(slug: str) -> None:
    en = _paragraphs(_read(CORPORA / f"{slug}.en.txt"))
    ru = _paragraphs(_read(CORPORA / f"{slug}.ru.txt"))
    assert len(en) == len(ru)
    for number, (a, b) in enumerate(zip(en, ru, strict=True), 1):
        assert a.count("\n") == b.count("\n"), f"p{number}: different number of lines"
        assert bool(SENTENCE_END.search(a)) == bool(SENTENCE_END.search(b)), (
            f"p{number}: one side ends with sentence punctuation, the other does not"
        )


@pytest.mark.parametrize("slug", _slugs())
def test_pair_has_same_segments_per_paragraph(slug: str) -> None:
    docs = {
        lang: segment_text(_read(CORPORA / f"{slug}.{lang}.txt"), lang, slug)
        for lang in ("en", "ru")
    }
    counts = {lang: [len(p.segments) for p in doc.paragraphs] for lang, doc in docs.items()}
    assert counts["en"] == counts["ru"], f"{slug}: segments per paragraph differ"
    seed_en = _paragraphs(_read(CORPORA / f"{slug}.en.txt"))
    assert len(counts["en"]) == len(seed_en)


def test_glossary_format() -> None:
    lines = _read(GLOSSARY).split("\n")
    assert lines[0].split("\t") == HEADER
    assert lines[-1] == "", "file ends with a newline"
    rows = _glossary_rows()
    assert len({row["id"] for row in rows}) >= 70
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows, 2):
        assert None not in row and all(v is not None for v in row.values()), f"line {number}"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["id"]), f"line {number}: id"
        assert row["pos"] in POS, f"line {number}: pos {row['pos']!r}"
        assert row["status"] in STATUSES, f"line {number}: status {row['status']!r}"
        assert row["en"] or row["ru"], f"line {number}: no term"
        if row["status"] != "forbidden":
            assert row["en"] and row["ru"], f"line {number}: only forbidden rows may be one-sided"
        for field in ("en", "ru"):
            assert row[field] == row[field].strip(), f"line {number}: spaces around {field}"
        assert not re.search(r"[A-Za-z]", row["ru"]), f"line {number}: Latin letters in ru"
        assert not re.search(r"[А-Яа-яЁё]", row["en"]), f"line {number}: Cyrillic in en"
        key = (row["id"], row["en"], row["ru"])
        assert key not in seen, f"line {number}: duplicate row"
        seen.add(key)


def test_every_concept_has_one_preferred_row() -> None:
    preferred: dict[str, int] = {}
    for row in _glossary_rows():
        preferred.setdefault(row["id"], 0)
        preferred[row["id"]] += row["status"] == "preferred"
    assert {cid: n for cid, n in preferred.items() if n != 1} == {}


def test_glossary_covers_the_required_concepts_and_forbidden_variants() -> None:
    rows = _glossary_rows()
    pairs = {(r["en"], r["ru"]) for r in rows if r["status"] == "preferred"}
    for pair in [
        ("Collective Security Council", "Совет коллективной безопасности"),
        ("Secretary General", "Генеральный секретарь"),
        (
            "Collective Security Treaty Organization",
            "Организация Договора о коллективной безопасности",
        ),
        ("Peacekeeping Forces", "Миротворческие силы"),
        ("Kyrgyz Republic", "Кыргызская Республика"),
        ("Press Secretary", "пресс-секретарь"),
        ("member state", "государство-член"),
    ]:
        assert pair in pairs
    forbidden = {r["en"] or r["ru"] for r in rows if r["status"] == "forbidden"}
    assert len(forbidden) >= 8
    assert {"генсек", "Киргизия", "Совет по коллективной безопасности"} <= forbidden


def _documented_absences() -> set[str]:
    """Concept ids listed as ``- `id`: reason`` under the README's "not in the corpora" heading."""
    text = _read(GLOSSARY_README) if GLOSSARY_README.exists() else ""
    section = text.partition("## Preferred terms not in the corpora")[2].partition("\n## ")[0]
    return set(re.findall(r"^- `([a-z0-9-]+)`:", section, flags=re.MULTILINE))


def test_preferred_terms_occur_in_corpora() -> None:
    english, russian = _corpus_text("en"), _corpus_text("ru")
    documented = _documented_absences()
    missing = []
    for row in _glossary_rows():
        if row["status"] != "preferred":
            continue
        found = (row["en"] and _normalise(row["en"]) in english) or (
            row["ru"] and _russian_pattern(row["ru"]).search(russian)
        )
        if not found and row["id"] not in documented:
            missing.append(row["id"])
    assert missing == []


def test_both_sides_of_preferred_terms_occur_in_corpora() -> None:
    english, russian = _corpus_text("en"), _corpus_text("ru")
    missing = [
        row["id"]
        for row in _glossary_rows()
        if row["status"] == "preferred"
        and not (_normalise(row["en"]) in english and _russian_pattern(row["ru"]).search(russian))
    ]
    assert missing == []


def test_forbidden_terms_do_not_occur_in_corpora() -> None:
    english, russian = _corpus_text("en"), _corpus_text("ru")
    used = [
        row["en"] or row["ru"]
        for row in _glossary_rows()
        if row["status"] == "forbidden"
        and (
            (row["en"] and _normalise(row["en"]) in english)
            or (row["ru"] and _normalise(row["ru"]) in russian)
        )
    ]
    assert used == []
