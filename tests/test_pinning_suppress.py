"""Forbidden terms suppressed in decoding: the list, both engines on the demo model, the CLI.

The demo en->ru model renders "The Secretary General arrived in Bishkek." as «Генсек прибыл
в Бишкек.» (it learnt the forbidden clipping, corpora/extra/pinning-synonyms.tsv); decoding
with ``DecodingOptions.suppress`` must never produce any form of «генсек».
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.config import DecodingOptions, Paths
from transpipe.engines import create_engine
from transpipe.model import LanguagePair
from transpipe.models.resolve import resolve_model
from transpipe.pinning import forbidden_surfaces
from transpipe.terms import Glossary, load_glossary

EN_RU = LanguagePair("en", "ru")
RU_EN = LanguagePair("ru", "en")
SOURCE = "The Secretary General arrived in Bishkek."


@pytest.fixture(scope="module")
def glossary(repo_root: Path) -> Glossary:
    return load_glossary(repo_root / "corpora" / "pinning" / "glossary.tsv")


def test_forbidden_surfaces_are_every_form_of_every_forbidden_term(glossary: Glossary) -> None:
    russian = forbidden_surfaces(glossary, EN_RU)
    wanted = {"генсек", "генсеку", "Генсек", "Киргизии", "Совета по коллективной безопасности"}
    assert wanted <= set(russian)
    assert not {"Генеральный секретарь", "Кыргызстан"} & set(russian)
    english = forbidden_surfaces(glossary, RU_EN)
    assert {"Kirghizia", "Kirghizia's", "Secretary-General"} <= set(english)
    assert "Secretary General" not in english


@pytest.mark.parametrize("name", ["marian", "ct2"])
def test_engine_never_generates_a_suppressed_term(
    name: str, glossary: Glossary, request: pytest.FixtureRequest
) -> None:
    directory: Path = request.getfixturevalue(
        "demo_model_en_ru" if name == "marian" else "demo_ct2_en_ru"
    )
    resolved = resolve_model(str(directory), EN_RU, name, Paths(models_dir=directory.parent))
    plain = create_engine(name, resolved, DecodingOptions()).translate([SOURCE], EN_RU)[0]
    assert "генсек" in plain.text.lower()  # what the demo model learnt
    banned = forbidden_surfaces(glossary, EN_RU)
    engine = create_engine(name, resolved, DecodingOptions(suppress=banned))
    out = engine.translate([SOURCE], EN_RU)[0]
    assert "генсек" not in out.text.lower()
    assert engine.info.decoding.describe().endswith(f"suppress={len(banned)}")


def test_cli_suppresses_forbidden_terms_and_says_so(
    tmp_path: Path, repo_root: Path, demo_ct2_en_ru: Path
) -> None:
    article = tmp_path / "note.en.txt"
    article.write_text(SOURCE + "\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        "translate",
        str(article),
        "--from",
        "en",
        "--to",
        "ru",
        "--model",
        str(demo_ct2_en_ru),
        "--glossary",
        str(repo_root / "corpora" / "pinning" / "glossary.tsv"),
        "--out",
        str(out),
        "--suppress-forbidden",
    ]
    assert main(argv) == 0
    report = json.loads((out / "note.report.json").read_text(encoding="utf-8"))
    assert "suppress=" in report["props"]["x-decoding"]
    assert "генсек" not in report["segments"][0]["target"].lower()


def test_batch_suppresses_forbidden_terms_like_translate(
    tmp_path: Path, repo_root: Path, demo_ct2_en_ru: Path
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "note.en.txt").write_text(SOURCE + "\n", encoding="utf-8")
    glossary = str(repo_root / "corpora" / "pinning" / "glossary.tsv")
    targets = {}
    for flag in ([], ["--suppress-forbidden"]):
        out = tmp_path / f"out{len(flag)}"
        argv = [
            "batch",
            str(feed),
            str(out),
            "--from",
            "en",
            "--to",
            "ru",
            "--quiet",
            "--model",
            str(demo_ct2_en_ru),
            "--glossary",
            glossary,
            "--workers",
            "1",
            *flag,
        ]
        assert main(argv) == 0
        report = json.loads((out / "note.report.json").read_text(encoding="utf-8"))
        targets[bool(flag)] = report["segments"][0]["target"].lower()
        assert ("suppress=" in report["props"]["x-decoding"]) is bool(flag)
    assert "генсек" not in targets[True]
    assert targets[True] != targets[False]  # the model's own choice was the forbidden clipping
