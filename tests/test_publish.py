"""``transpipe publish``: the readiness gate, and an article that keeps every paragraph in place.

Inputs are real: PO/TMX files written by ``transpipe translate`` (identity engine, the shipped
double, or the demo Marian model for the editor's journey), edited as a translator would (text
edits of the PO), and a real translation memory. Structure is compared with the source article.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
from pathlib import Path

import pytest

from review_support import GLOSSARY, paragraph_shape, translate_identity, transpipe
from transpipe.formats.po import read_po, write_po
from transpipe.formats.text import render_translated_text
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.model import Bitext, TermAudit, TermOutcome
from transpipe.publish import prepare_article
from transpipe.publish.render import render_article

REPO = Path(__file__).resolve().parents[1]
JAPAROV = REPO / "corpora" / "japarov-meets-secretary-general.en.txt"
MINSK = REPO / "corpora" / "csc-session-minsk.en.txt"


@pytest.fixture(scope="module")
def identity_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Machine translation as ``translate`` writes it (identity engine: fuzzy, term audits)."""
    return translate_identity([JAPAROV, MINSK], tmp_path_factory.mktemp("identity"))


@pytest.fixture(scope="module")
def aligned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Bitext]:
    """A finished human translation per article: ``transpipe align`` of the corpus pair."""
    out = tmp_path_factory.mktemp("aligned")
    found = {}
    for article in (JAPAROV, MINSK):
        name = article.name.removesuffix(".en.txt")
        po = out / f"{name}.po"
        transpipe("align", article, article.with_name(f"{name}.ru.txt"), "--from", "en",
                  "--to", "ru", "--out", po)  # fmt: skip
        found[name] = read_po(po)
    return found


def reference(article: Path) -> str:
    return article.with_name(article.name.replace(".en.", ".ru.")).read_text("utf-8")


def write(bitext: Bitext, path: Path) -> Path:
    with path.open("wb") as stream:
        (write_tmx if path.suffix == ".tmx" else write_po)(bitext, stream)
    return path


def test_layout_from_ids_is_the_layout_the_translated_text_has(identity_run: Path) -> None:
    bitext = read_po(identity_run / "japarov-meets-secretary-general.po")
    article, rest = prepare_article(bitext.units, name=bitext.name, pair=bitext.pair)
    data = render_article(article, "text", unreviewed=False).decode("utf-8")
    assert rest == ()
    assert data == render_translated_text(bitext)
    assert paragraph_shape(data) == paragraph_shape(JAPAROV.read_text("utf-8"))


def test_reviewed_translation_with_its_source_is_the_reference_article(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    for name, bitext in aligned.items():
        po = write(bitext, tmp_path / f"{name}.po")
        out = tmp_path / f"{name}.ru.txt"
        done = transpipe("publish", po, out, "--source", REPO / "corpora" / f"{name}.en.txt")
        units = len(bitext.units)
        summary = f"{units} approved ({units} reviewed, 0 machine), 0 fuzzy, 0 untranslated"
        assert summary + ", 0 term failures" in done.stdout
        assert out.read_text("utf-8") == reference(REPO / "corpora" / f"{name}.en.txt")


def test_source_article_beside_the_file_is_found(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["japarov-meets-secretary-general"]
    po = write(bitext, tmp_path / "japarov-meets-secretary-general.po")
    transpipe("publish", po, tmp_path / "ids-only.txt")
    shutil.copy(JAPAROV, tmp_path / JAPAROV.name)
    transpipe("publish", po, tmp_path / "with-source.txt")
    ids_only = (tmp_path / "ids-only.txt").read_text("utf-8")
    with_source = (tmp_path / "with-source.txt").read_text("utf-8")
    assert with_source == reference(JAPAROV)
    assert ids_only != with_source  # the soft line break only the source article knows
    assert ids_only.split() == with_source.split()


def test_refusal_is_one_line_names_the_counts_and_writes_nothing(
    identity_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "article.ru.txt"
    result = transpipe("publish", identity_run / "csc-session-minsk.po", out, check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not ready to publish" in lines[0]
    assert re.search(
        r"\d+ approved \(\d+ reviewed, \d+ machine\), [1-9]\d* fuzzy, 0 untranslated, "
        r"\d+ term failures?",
        lines[0],
    )
    assert "Traceback" not in result.stderr and not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_untranslated_dateline_keeps_its_paragraph(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["csc-session-minsk"]
    units = tuple(
        dataclasses.replace(u, target="") if u.id.endswith(":p2:s1") else u for u in bitext.units
    )
    po = write(dataclasses.replace(bitext, units=units), tmp_path / "csc-session-minsk.po")
    refused = transpipe("publish", po, tmp_path / "a.txt", check=False)
    assert refused.returncode == 1 and ", 1 untranslated," in refused.stderr
    draft = tmp_path / "draft.ru.txt"
    ok = transpipe("publish", po, draft, "--allow-unreviewed")
    assert "1 untranslated" in ok.stdout and "marked unreviewed draft" in ok.stdout
    text = draft.read_text("utf-8")
    body = text.split("\n\n", 1)[1]  # after the draft banner
    assert text.startswith("[Unreviewed draft, not for publication:")
    assert paragraph_shape(body) == paragraph_shape(MINSK.read_text("utf-8"))
    assert body.split("\n\n")[1] == "[untranslated: Minsk, 23.11.2023]"
    # convert drops that paragraph; publish never does
    assert len(body.split("\n\n")) == len(MINSK.read_text("utf-8").strip().split("\n\n"))


def test_cat_tool_tmx_without_ids_is_laid_out_by_the_source_article(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["japarov-meets-secretary-general"]
    shuffled = [
        dataclasses.replace(u, id=f"tu{i}", paragraph=0, props=())
        for i, u in enumerate(bitext.units)
    ]
    random.Random(7).shuffle(shuffled)
    tmx = write(dataclasses.replace(bitext, units=tuple(shuffled)), tmp_path / "omegat.tmx")
    assert [u.id for u in read_tmx(tmx).units] != [u.id for u in bitext.units]
    source = tmp_path / "japarov-meets-secretary-general.en.txt"
    shutil.copy(JAPAROV, source)

    out = tmp_path / "published.txt"
    transpipe("publish", tmx, out, "--source", source)
    assert out.read_text("utf-8") == reference(JAPAROV)


def test_shuffled_transpipe_ids_are_put_back_in_order(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["japarov-meets-secretary-general"]
    units = list(bitext.units)
    random.Random(3).shuffle(units)
    tmx = write(dataclasses.replace(bitext, units=tuple(units)), tmp_path / "x.tmx")
    out = tmp_path / "x.md"
    transpipe("publish", tmx, out)
    published = out.read_text("utf-8")
    assert published.startswith("# ")
    plain = published.replace("\\", "")
    positions = [plain.index(u.target) for u in bitext.units]
    assert positions == sorted(positions)


def test_a_gap_in_the_ids_is_a_missing_segment_never_a_silent_drop(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["csc-session-minsk"]
    units = tuple(u for u in bitext.units if not u.id.endswith(":p4:s2"))
    po = write(dataclasses.replace(bitext, units=units), tmp_path / "gap.po")
    refused = transpipe("publish", po, tmp_path / "gap.txt", check=False)
    assert refused.returncode == 1 and "1 untranslated" in refused.stderr
    transpipe("publish", po, tmp_path / "gap.txt", "--allow-unreviewed")
    text = (tmp_path / "gap.txt").read_text("utf-8")
    assert "[missing: csc-session-minsk:p4:s2]" in text


def test_term_failure_blocks_until_the_approved_term_is_in(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["csc-session-minsk"]
    audit = TermAudit(
        "csc",
        "Collective Security Council",
        "Совет коллективной безопасности",
        TermOutcome.HONOURED,
        "Совета коллективной безопасности",
    )  # what translate records; the PO carries it as an x-term comment
    headline = dataclasses.replace(bitext.units[0], term_audit=(audit,))
    assert "Совета коллективной безопасности" in headline.target
    broken = dataclasses.replace(headline, target="Сессия ОДКБ в Минске")
    po = write(dataclasses.replace(bitext, units=(broken, *bitext.units[1:])), tmp_path / "t.po")
    refused = transpipe("publish", po, tmp_path / "t.txt", check=False)
    assert refused.returncode == 1
    assert re.search(r"0 fuzzy, 0 untranslated, [1-9]\d* term failures?", refused.stderr)
    fixed = dataclasses.replace(headline, target="Сессия Совета коллективной безопасности ОДКБ")
    po = write(dataclasses.replace(bitext, units=(fixed, *bitext.units[1:])), tmp_path / "t.po")
    transpipe("publish", po, tmp_path / "t.txt")
    first = (tmp_path / "t.txt").read_text("utf-8").splitlines()[0]
    assert first == "Сессия Совета коллективной безопасности ОДКБ"


def test_markup_in_segments_stays_text_in_html_and_markdown(
    aligned: dict[str, Bitext], tmp_path: Path
) -> None:
    bitext = aligned["csc-session-minsk"]
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> *bold* [link](x)'
    units = (dataclasses.replace(bitext.units[0], target=hostile), *bitext.units[1:])
    po = write(dataclasses.replace(bitext, units=units), tmp_path / "h.po")
    transpipe("publish", po, tmp_path / "h.html", "--allow-unreviewed")
    page = (tmp_path / "h.html").read_text("utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    transpipe("publish", po, tmp_path / "h.md", "--allow-unreviewed")
    markdown = (tmp_path / "h.md").read_text("utf-8")
    assert "\\<script\\>" in markdown and "\\*bold\\*" in markdown and "\\[link\\]" in markdown


def test_existing_output_is_kept_without_force(aligned: dict[str, Bitext], tmp_path: Path) -> None:
    bitext = aligned["csc-session-minsk"]
    po = write(bitext, tmp_path / "ok.po")
    out = tmp_path / "ok.html"
    out.write_text("the editor's page", encoding="utf-8")
    refused = transpipe("publish", po, out, check=False)
    assert refused.returncode == 1 and "already exists" in refused.stderr
    assert out.read_text("utf-8") == "the editor's page"
    transpipe("publish", po, out, "--force")
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-draft="no"' in page
    assert page.count("<p>") == len(MINSK.read_text("utf-8").strip().split("\n\n")) - 1


def test_memory_and_source_article(aligned: dict[str, Bitext], tmp_path: Path) -> None:
    bitext = aligned["csc-session-minsk"]
    units = tuple(u for u in bitext.units if not u.id.endswith(":p6:s2"))  # one never reviewed
    po = write(dataclasses.replace(bitext, units=units), tmp_path / "reviewed.po")
    memory = tmp_path / "tm.db"
    transpipe("tm", "import", po, "--db", memory, "--from", "en", "--to", "ru")
    out = tmp_path / "from-memory.txt"
    refused = transpipe("publish", memory, out, "--source", MINSK, "--to", "ru", check=False)
    assert refused.returncode == 1 and ", 1 untranslated," in refused.stderr
    transpipe("publish", memory, out, "--source", MINSK, "--to", "ru", "--allow-unreviewed")
    text = out.read_text("utf-8").split("\n\n", 1)[1]
    assert paragraph_shape(text) == paragraph_shape(MINSK.read_text("utf-8"))
    assert "[missing: They also expressed their gratitude" in text
    assert all(u.target in text for u in units)


@pytest.mark.slow
def test_editor_journey_refuses_fuzzy_then_publishes_the_reviewed_article(
    tmp_path: Path,
) -> None:
    """Issue 12 editor persona: MT with fuzzy entries is refused; once a translator has
    reviewed every entry (a plain text edit of the PO), the article is published with the
    source's paragraph structure and every reviewed sentence."""
    out = tmp_path / "run"
    transpipe(
        "translate", MINSK, "--from", "en", "--to", "ru", "--glossary", GLOSSARY,
        "--model", "demo", "--out", out,
    )  # fmt: skip
    po = out / "csc-session-minsk.po"
    article = tmp_path / "csc-session-minsk.ru.html"
    first = transpipe("publish", po, article, check=False)
    assert first.returncode == 1 and re.search(r", [1-9]\d* fuzzy,", first.stderr)
    assert not article.exists()

    # the translator reviews in a text editor: fixes terms, clears every fuzzy flag
    text = po.read_text("utf-8")
    for unit in read_po(po).units:
        for audit in unit.term_audit:
            if audit.outcome.value == "failed" and audit.expected not in unit.target:
                fixed = unit.target.rstrip(".") + f" ({audit.expected})."
                text = text.replace(f'msgstr "{unit.target}"', f'msgstr "{fixed}"', 1)
                unit = dataclasses.replace(unit, target=fixed)
    text = text.replace("#, fuzzy\n", "")
    po.write_text(text, encoding="utf-8")

    done = transpipe("publish", po, article, "--glossary", GLOSSARY)
    assert re.search(r"\d+ approved \(.*?\), 0 fuzzy, 0 untranslated, 0 term failures", done.stdout)
    page = article.read_text("utf-8")
    assert 'data-draft="no"' in page and "<mark" not in page
    paragraphs = re.findall(r"<(?:h1|p)>(.*?)</(?:h1|p)>", page, re.S)
    source_paragraphs = MINSK.read_text("utf-8").strip().split("\n\n")
    assert len(paragraphs) == len(source_paragraphs)
    text_out = transpipe("publish", po, tmp_path / "a.ru.txt").stdout
    assert "0 fuzzy" in text_out
    published = (tmp_path / "a.ru.txt").read_text("utf-8")
    assert paragraph_shape(published) == paragraph_shape(MINSK.read_text("utf-8"))
    reviewed_units = read_po(po).units
    positions = [published.index(u.target) for u in reviewed_units]
    assert positions == sorted(positions)
