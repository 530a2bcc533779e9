"""The jobs users run end to end (issue 12): the README's main command and one journey per
persona, through the real CLI, the demo Marian models and real files.

- The README's main command, exactly as the README prints it, in a copy of the files it needs
  (nothing is written into the clone), on every sample article; and from a directory outside
  the clone. It used to die with a traceback on ``unsc-counter-terrorism-debate``.
- Translator: translate -> edit the PO in a plain text edit -> the rerun refuses to overwrite it
  -> ``tm import`` -> ``translate --tm`` reuses the edit as reviewed and offers it as a fuzzy
  match for a sentence that changed.
- Linguist: a header-less, Russian-first glossary (the layout of real OmegaT glossaries) is
  imported with the right languages, and one that contradicts ``--from``/``--to`` is refused.

The editor's journey (publish) is in the review package's tests.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.formats.leverage import memory_offer
from transpipe.formats.po import read_po

REPO = Path(__file__).resolve().parents[1]
SETUP = "bash scripts/setup.sh && "
OUTPUTS = ("tmx", "po", "ru.txt", "report.json", "report.html")


def readme_main_command() -> str:
    """The command the README gives for installing and running the sample, minus the setup."""
    readme = (REPO / "README.md").read_text("utf-8")
    line = next((ln for ln in readme.splitlines() if ln.startswith(SETUP)), None)
    assert line is not None, "README.md no longer shows the one-command install and run"
    return line[len(SETUP) :]


@pytest.fixture
def models_store(tmp_path: Path, demo_model_en_ru: Path) -> Path:
    """A model store of the test's own holding the demo en->ru model (conversions and caches
    are written there, not into the clone)."""
    store = tmp_path / "store"
    shutil.copytree(demo_model_en_ru, store / "demo-en-ru")
    return store


def _environment(tmp_path: Path, store: Path) -> dict[str, str]:
    """The user's environment, with ``transpipe`` on PATH running these sources."""
    env = {**os.environ, "TRANSPIPE_MODELS_DIR": str(store), "SOURCE_DATE_EPOCH": "1700000000"}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "transpipe"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m transpipe "$@"\n')
    shim.chmod(0o755)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def _check_run(result: subprocess.CompletedProcess[str], articles: list[Path], out: Path) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "transpipe: error" not in result.stderr
    for article in articles:
        name = article.name.removesuffix(".en.txt")
        for suffix in OUTPUTS:
            path = out / f"{name}.{suffix}"
            assert path.is_file() and path.stat().st_size > 0, path
        source = article.read_text("utf-8").strip().split("\n\n")
        target = (out / f"{name}.ru.txt").read_text("utf-8").strip().split("\n\n")
        assert len(target) == len(source), name  # every paragraph, none dropped
        assert f"{name}: " in result.stderr
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert len(written) == len(OUTPUTS) * len(articles), written  # (and the hidden manifests)
    assert not [p for p in out.iterdir() if ".tmp" in p.name]
    if shutil.which("msgfmt"):
        for po in out.glob("*.po"):
            check = subprocess.run(
                ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert check.returncode == 0, check.stderr


def test_readme_main_command_translates_every_sample_article(
    tmp_path: Path, models_store: Path
) -> None:
    command = readme_main_command()
    assert command == (
        "transpipe translate corpora/*.en.txt --from en --to ru --glossary glossary/csto.tsv "
        "--model demo --out out/"
    )
    clone = tmp_path / "clone"
    shutil.copytree(REPO / "corpora", clone / "corpora")
    shutil.copytree(REPO / "glossary", clone / "glossary")
    articles = sorted((clone / "corpora").glob("*.en.txt"))
    assert len(articles) == 13
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=clone,
        env=_environment(tmp_path, models_store),
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    _check_run(result, articles, clone / "out")
    assert "unsc-counter-terrorism-debate: " in result.stderr  # where it used to crash


def test_readme_main_command_from_a_directory_outside_the_clone(tmp_path: Path) -> None:
    """A fresh model store and a working directory that is not the clone; three articles,
    the one that used to crash among them."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = tmp_path / "fresh-store"
    corpora = shlex.quote(str(REPO / "corpora"))
    glossary = shlex.quote(str(REPO / "glossary" / "csto.tsv"))
    command = readme_main_command()
    command = command.replace("corpora/*.en.txt", f"{corpora}/unsc-*.en.txt")
    command = command.replace("glossary/csto.tsv", glossary)
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=elsewhere,
        env=_environment(tmp_path, store),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    _check_run(result, sorted((REPO / "corpora").glob("unsc-*.en.txt")), elsewhere / "out")


# -- translator ---------------------------------------------------------------------------------


def _entry(po_text: str, segment: str) -> str:
    return next(e for e in po_text.split("\n\n") if f'msgctxt "{segment}"' in e)


def _edit(po_text: str, segment: str, translation: str) -> str:
    """What a translator does in a text editor: new msgstr, fuzzy flag removed."""
    entry = _entry(po_text, segment)
    edited = re.sub(r'\nmsgstr ".*"$', lambda _: f'\nmsgstr "{translation}"', entry)
    edited = edited.replace("#, fuzzy\n", "")
    assert edited != entry
    return po_text.replace(entry, edited)


HEADLINE = "press-briefing:p1:s1"
PLAN = "press-briefing:p3:s1"
HEADLINE_RU = "Брифинг пресс-секретаря ОДКБ в Москве"
PLAN_RU = (
    "По словам Владимира Зайнетдинова, план ОДКБ на 2024 год предусматривает проведение шести "
    "совместных учений с участием около 10 000 военнослужащих."
)


def test_translator_journey(
    tmp_path: Path,
    models_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRANSPIPE_MODELS_DIR", str(models_store))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    article = tmp_path / "press-briefing.en.txt"
    shutil.copy(REPO / "corpora" / article.name, article)
    out = tmp_path / "out"
    translate = ["translate", str(article), "--from", "en", "--to", "ru", "--model", "demo"]
    translate += ["--glossary", str(REPO / "glossary" / "csto.tsv")]
    assert main([*translate, "--out", str(out)]) == 0

    # 1. the translator corrects two translations in a plain text editor
    po = out / "press-briefing.po"
    edited = _edit(_edit(po.read_text("utf-8"), HEADLINE, HEADLINE_RU), PLAN, PLAN_RU)
    po.write_text(edited, "utf-8")
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    # 2. a rerun refuses to overwrite that work, and touches nothing
    capsys.readouterr()
    assert main([*translate, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "press-briefing.po: was edited after transpipe wrote it" in err
    assert "Traceback" not in err
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before

    # 3. tm import: the two edits are reviewed work; unedited machine output is fuzzy until a
    # person approves it, and stays out of the memory
    db = tmp_path / "tm.db"
    pair = ["--from", "en", "--to", "ru"]
    assert main(["tm", "import", str(po), "--db", str(db), *pair]) == 0
    assert "2 added, 0 updated, 0 unchanged, 10 skipped (10 fuzzy)" in capsys.readouterr().err
    assert main(["tm", "stats", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reviewed"] == 2

    # 4. the next version of the article: same headline, a changed figure in the plan
    text = article.read_text("utf-8")
    assert "about 10,000 military" in text
    article.write_text(text.replace("about 10,000 military", "about 12,000 military"), "utf-8")
    again = tmp_path / "again"
    assert main([*translate, "--tm", str(db), "--out", str(again)]) == 0
    units = {u.id: u for u in read_po(again / "press-briefing.po").units}

    headline = units[HEADLINE]  # reused as reviewed: not fuzzy, from the memory
    assert headline.target == HEADLINE_RU and not headline.fuzzy
    assert dict(headline.props)["x-origin"] == "tm:press-briefing.po"

    plan = units[PLAN]  # the edit offered as a fuzzy match, to be reviewed
    offer = memory_offer(plan)
    assert offer is not None and offer.percent >= 75 and offer.reviewed
    assert offer.target == PLAN_RU and "about 10,000 military" in offer.source
    assert plan.fuzzy
    po_text = (again / "press-briefing.po").read_text("utf-8")
    assert f"#. prop x-tm-match: {offer.percent}% press-briefing.po" in po_text
    if offer.used:
        assert f'#| msgid "{offer.source}"' in _entry(po_text, PLAN)


# -- linguist -----------------------------------------------------------------------------------

RUSSIAN_FIRST = (
    "Совет коллективной безопасности\tCollective Security Council\n"
    "государство-член\tmember State\n"
    "миротворческие силы\tpeacekeeping forces\n"
)


def _headerless(tmp_path: Path) -> Path:
    path = tmp_path / "client-glossary.txt"  # OmegaT's glossary file name
    path.write_text(RUSSIAN_FIRST, "utf-8")
    return path


def test_linguist_imports_a_headerless_russian_first_glossary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported = tmp_path / "project.tsv"
    assert main(["glossary", "import", str(_headerless(tmp_path)), str(imported)]) == 0
    header, *rows = imported.read_text("utf-8").splitlines()
    columns = header.split("\t")
    en, ru = columns.index("en"), columns.index("ru")
    pairs = [(row.split("\t")[en], row.split("\t")[ru]) for row in rows]
    assert pairs == [
        ("Collective Security Council", "Совет коллективной безопасности"),
        ("member State", "государство-член"),
        ("peacekeeping forces", "миротворческие силы"),
    ]
    # the imported glossary finds the Russian term, inflected, in a Russian text
    text = tmp_path / "note.ru.txt"
    text.write_text("Заседание Совета коллективной безопасности прошло в Минске.\n", "utf-8")
    capsys.readouterr()
    assert main(["terms", str(text), "--lang", "ru", "--glossary", str(imported)]) == 0
    found = capsys.readouterr().out
    assert "Совета коллективной безопасности" in found and "Collective Security Council" in found


def test_linguist_real_omegat_glossary_imports_with_its_languages(
    tmp_path: Path, shared_dir: Path
) -> None:
    real = shared_dir / "realfiles" / "termbase" / "glossary-omegat" / "loginom-ru-en-glossary.txt"
    imported = tmp_path / "loginom.tsv"
    assert main(["glossary", "import", str(real), str(imported)]) == 0
    header, first, *_ = imported.read_text("utf-8").splitlines()
    row = dict(zip(header.split("\t"), first.split("\t"), strict=True))
    source_first = real.read_text("utf-8").splitlines()[0].split("\t")
    assert (row["ru"], row["en"]) == (source_first[0], source_first[1])


def test_linguist_swapped_languages_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The defect: ``--from en --to ru`` on a Russian-first file swapped the languages."""
    imported = tmp_path / "project.tsv"
    argv = ["glossary", "import", str(_headerless(tmp_path)), str(imported)]
    assert main([*argv, "--from", "en", "--to", "ru"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "client-glossary.txt" in err[0]
    assert not imported.exists()
