"""The translate pipeline: one record per segment, the glossary compiled once, terms matched once.

The counting test instruments the real ``TermMatcher`` with ``sys.setprofile`` (the
interpreter's own call hook): nothing is replaced or subclassed, every construction and
``find`` call anywhere in the run is seen.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pytest

from transpipe.cli import main
from transpipe.config import DecodingOptions, TranslateConfig
from transpipe.embeddings import SentenceEncoder
from transpipe.engines.identity import IdentityEngine
from transpipe.model import DraftKind, LanguagePair, TermOutcome
from transpipe.pipeline import Pipeline
from transpipe.segment import segment_text
from transpipe.terms import TermMatcher, load_glossary

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossary" / "csto.tsv"
EN_RU = LanguagePair("en", "ru")


@dataclass
class MatcherCalls:
    """Constructions and ``find`` calls of ``TermMatcher``, per language of the matcher."""

    built: Counter[str] = field(default_factory=Counter)
    finds: Counter[str] = field(default_factory=Counter)
    texts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (lang, text) found in


@contextmanager
def count_matcher_calls() -> Iterator[MatcherCalls]:
    calls = MatcherCalls()
    init_code = TermMatcher.__init__.__code__
    find_code = TermMatcher.find.__code__

    def hook(frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        if frame.f_code is init_code:
            calls.built[str(frame.f_locals["lang"])] += 1
        elif frame.f_code is find_code:
            lang = str(frame.f_locals["self"].lang)
            calls.finds[lang] += 1
            calls.texts[lang, str(frame.f_locals["text"])] += 1

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def test_glossary_compiled_once_and_each_side_matched_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run compiles each side's matcher once; a second run loads both from the
    on-disk matcher cache and compiles none. Each source segment is matched once, and no
    target text twice: the final translation keeps the matches the pinner made of it (the
    pinner also matches the candidates it tries, here with the identity engine's English)."""
    monkeypatch.setenv("TRANSPIPE_MODELS_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    articles = [
        REPO / "corpora" / f"{name}.en.txt"
        for name in ("unsc-debate-remarks", "peacekeeping-exercise", "csc-session-minsk")
    ]
    segments = sum(
        len(segment_text(a.read_text(encoding="utf-8"), "en").segments) for a in articles
    )
    assert segments > 20
    argv = ["translate", *map(str, articles), "--from", "en", "--to", "ru"]
    argv += ["--engine", "identity", "--glossary", str(GLOSSARY)]
    with count_matcher_calls() as calls:
        assert main([*argv, "--out", str(tmp_path / "cold")]) == 0
    assert calls.built == {"en": 1, "ru": 1}
    assert calls.finds["en"] == segments
    assert max(calls.texts.values()) == 1
    targets = {
        s["target"]
        for report in (tmp_path / "cold").glob("*.report.json")
        for s in json.loads(report.read_text(encoding="utf-8"))["segments"]
    }
    assert {text for lang, text in calls.texts if lang == "ru"} >= targets
    assert len(list((tmp_path / "cold").glob("*.report.json"))) == 3
    cold_finds = calls.finds
    with count_matcher_calls() as calls:
        assert main([*argv, "--out", str(tmp_path / "warm")]) == 0
    assert calls.built == {}
    assert calls.finds == cold_finds
    for cold in (tmp_path / "cold").glob("*.report.json"):
        warm = tmp_path / "warm" / cold.name
        assert _segments(cold) == _segments(warm)


def _segments(report: Path) -> object:
    return json.loads(report.read_text(encoding="utf-8"))["segments"]


@pytest.fixture(scope="module")
def encoder(repo_root: Path) -> SentenceEncoder:
    return SentenceEncoder(cache_dir=repo_root / "models" / "cache")


ARTICLE = (
    "CSTO Secretary General visits Minsk\n"
    "\n"
    "The CSTO Secretary General met the President in Minsk. The weather was fine.\n"
    "\n"
    "Go back\n"
)


def test_every_record_is_filled_by_the_stages(encoder: SentenceEncoder) -> None:
    config = TranslateConfig(pair=EN_RU, engine="identity", created="2026-01-01T00:00:00Z")
    pipeline = Pipeline(
        config,
        engine=IdentityEngine(None, DecodingOptions()),
        encoder=encoder,
        glossary=load_glossary(GLOSSARY),
    )
    run = pipeline.run(segment_text(ARTICLE, "en", name="note"))
    records = run.records
    assert [r.segment.id for r in records] == [u.id for u in run.bitext.units]
    headline, first, second, back = records
    assert back.draft is not None and back.draft.kind is DraftKind.FIXED
    assert back.target == "Назад"
    assert first.draft is not None and first.draft.kind is DraftKind.MACHINE
    # computed and found vs computed and none found
    assert {m.concept_id for m in first.source_terms or ()} >= {"csto"}
    assert second.source_terms == () and second.target_terms == ()
    # identity "translation" keeps English: every source term occurrence is in the audit
    assert first.term_audit is not None and len(first.term_audit) == len(first.source_terms or ())
    assert all(r.issues is not None and r.score is not None for r in records)
    assert run.bitext.props == pipeline.provenance.props()
    report = run.report.to_json()
    assert report["run"]["engine"] == "identity" and report["run"]["term_pinning"] is True
    assert report["props"]["x-term-pinning"] == "on"
    assert set(report["run"]["timings_s"]) >= {"terms", "translate", "quality"}
    assert headline.segment.text.startswith("CSTO Secretary General")


def test_without_glossary_terms_are_not_computed(encoder: SentenceEncoder) -> None:
    config = TranslateConfig(pair=EN_RU, engine="identity")
    pipeline = Pipeline(config, engine=IdentityEngine(None, DecodingOptions()), encoder=encoder)
    run = pipeline.run(segment_text(ARTICLE, "en", name="note"))
    assert all(r.source_terms is None and r.target_terms is None for r in run.records)
    assert all(r.term_audit is None for r in run.records)
    assert all(u.term_matches == () and u.term_audit == () for u in run.bitext.units)
    assert dict(run.bitext.props)["x-term-pinning"] == "off"


def test_pinning_off_audits_found_terms_with_the_expected_rendering(
    encoder: SentenceEncoder,
) -> None:
    config = TranslateConfig(pair=EN_RU, engine="identity", pin_terms=False)
    pipeline = Pipeline(
        config,
        engine=IdentityEngine(None, DecodingOptions()),
        encoder=encoder,
        glossary=load_glossary(GLOSSARY),
    )
    run = pipeline.run(segment_text(ARTICLE, "en", name="note"))
    audit = [a for r in run.records for a in r.term_audit or ()]
    assert audit and {a.outcome for a in audit} == {TermOutcome.FOUND}
    assert any(a.concept_id == "csto" and a.expected == "ОДКБ" for a in audit)


def test_a_run_needs_an_engine_or_a_memory(encoder: SentenceEncoder) -> None:
    from transpipe.errors import ConfigError

    with pytest.raises(ConfigError, match="engine or a translation memory"):
        Pipeline(TranslateConfig(pair=EN_RU), engine=None, encoder=encoder)
