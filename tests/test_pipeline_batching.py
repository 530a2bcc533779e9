"""``Pipeline.run_many``: several documents with their sentences in one engine batch.

The sentences of every document go to the engine together, shortest first, and each result
goes back to its document; the documents' records, bitexts and reports are those of running
each document alone (with an engine whose output does not depend on its batch: the shipped
identity double). The translation time is shared out by record count.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from transpipe.config import DecodingOptions, TranslateConfig
from transpipe.embeddings import SentenceEncoder
from transpipe.engines.identity import IdentityEngine
from transpipe.errors import InputError
from transpipe.model import Document, Hypothesis, LanguagePair, SegmentKind
from transpipe.pipeline import Pipeline, StageTimer
from transpipe.segment import segment_text
from transpipe.terms import load_glossary

REPO = Path(__file__).resolve().parents[1]
PAIR = LanguagePair("en", "ru")


class RecordingEngine(IdentityEngine):
    """The identity double, remembering every batch it was given."""

    name: ClassVar[str] = "recording"

    def __init__(self) -> None:
        super().__init__(None, DecodingOptions(batch_size=64))
        self.batches: list[list[str]] = []

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        self.batches.append(list(texts))
        return super()._translate_batch(texts, prefixes)


def _documents(names: Sequence[str]) -> list[Document]:
    return [
        segment_text((REPO / "corpora" / f"{n}.en.txt").read_text("utf-8"), "en", n) for n in names
    ]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(cache_dir=REPO / "models" / "cache")


def test_run_many_batches_all_sentences_once_and_routes_them_back(
    encoder: SentenceEncoder,
) -> None:
    docs = _documents(["press-briefing", "belta-interview", "unsc-debate-remarks"])
    config = TranslateConfig(
        pair=PAIR, created="2024-01-01T00:00:00Z", stage_timings=False, pin_terms=False
    )
    glossary = load_glossary(REPO / "glossary" / "csto.tsv")
    together = RecordingEngine()
    encoder.clear_cache()
    runs = Pipeline(config, engine=together, encoder=encoder, glossary=glossary).run_many(docs)

    sources = [s.text for d in docs for s in d.segments if s.kind is not SegmentKind.BOILERPLATE]
    first = together.batches[0]
    assert sorted(first) == sorted(sources)  # one engine call for all three documents
    assert [len(t) for t in first] == sorted(len(t) for t in first)  # shortest first

    encoder.clear_cache()  # the same encoding calls as above: one document after another
    alone = Pipeline(config, engine=RecordingEngine(), encoder=encoder, glossary=glossary)
    for doc, run in zip(docs, runs, strict=True):
        single = alone.run(doc)
        assert run.source is doc
        assert run.bitext == single.bitext
        assert run.records == single.records
        assert run.report.to_json() == single.report.to_json()
        assert "timings_s" not in run.report.to_json()["run"]


def test_translation_time_is_shared_by_record_count(encoder: SentenceEncoder) -> None:
    docs = _documents(["press-briefing", "belta-interview"])
    config = TranslateConfig(pair=PAIR, created="2024-01-01T00:00:00Z")
    timers = [StageTimer(), StageTimer()]
    runs = Pipeline(config, engine=RecordingEngine(), encoder=encoder).run_many(docs, timers=timers)
    shares = [t.seconds["translate"] for t in timers]
    sizes = [len(d.segments) for d in docs]
    assert shares[0] / shares[1] == pytest.approx(sizes[0] / sizes[1])
    assert list(timers[0].seconds) == ["terms", "translate", "quality", "report"]
    assert runs[1].report.to_json()["run"]["timings_s"]["translate"] == round(shares[1], 3)


def test_run_many_refuses_a_document_in_another_language(encoder: SentenceEncoder) -> None:
    config = TranslateConfig(pair=PAIR, created="2024-01-01T00:00:00Z")
    russian = segment_text("Генеральный секретарь ОДКБ.", "ru", "r")
    with pytest.raises(InputError, match="does not match --from en"):
        Pipeline(config, engine=RecordingEngine(), encoder=encoder).run_many(
            [*_documents(["press-briefing"]), russian]
        )
