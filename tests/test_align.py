"""Tests for transpipe.align: link types, confidence, Bitext conventions, the corridor search."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from transpipe.align import AlignWeights, Link, align_documents, align_segments, links_to_bitext
from transpipe.align.cost import SignalCost
from transpipe.align.search import Bead, Corridor, plan_corridor, search
from transpipe.align.signals import (
    AnchorIndex,
    SideBlocks,
    anchor_mismatch,
    build_side,
    sentence_anchors,
)
from transpipe.embeddings import SentenceEncoder
from transpipe.lang.translit import skeleton
from transpipe.model import Document, LanguagePair, Paragraph, Segment, Span, segment_id

RU_EN = LanguagePair("ru", "en")

# Our own parallel mini-article (not taken from any corpus).
RU = [
    "Городской совет Новоозёрска утвердил бюджет на 2025 год.",
    "Депутаты проголосовали за документ 14 марта.",
    "Расходы на общественный транспорт вырастут на 12%.",
    "Мэр Ирина Воронцова назвала решение разумным компромиссом.",
    "Новый мост через реку Светлую откроют в сентябре.",
    "Его строительство обошлось в 3,5 млрд рублей.",
    "Оппозиция потребовала провести аудит подрядчика.",
]
EN = [
    "The Novoozyorsk city council has approved the budget for 2025.",
    "Deputies voted for the document on March 14.",
    "Spending on public transport will grow by 12%.",
    "Mayor Irina Vorontsova called the decision a reasonable compromise.",
    "The new bridge across the Svetlaya river will open in September.",
    "Its construction cost 3.5 billion roubles.",
    "The opposition demanded an audit of the contractor.",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def pairs(links: list[Link]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.source, link.target) for link in links]


def test_one_to_one(encoder: SentenceEncoder) -> None:
    links = align_segments(RU, EN, RU_EN, encoder=encoder)
    assert pairs(links) == [((k,), (k,)) for k in range(len(RU))]
    assert all(0.0 <= link.score <= 1.0 for link in links)
    assert min(link.score for link in links) > 0.5


def test_one_to_two_and_two_to_one(encoder: SentenceEncoder) -> None:
    en = [*EN[:1], EN[1][:-1] + ", and s" + EN[2][1:], *EN[3:]]  # EN 1 and 2 merged
    links = align_segments(RU, en, RU_EN, encoder=encoder)
    assert ((1, 2), (1,)) in pairs(links)
    assert links[1].kind == "2-1"
    back = align_segments(en, RU, RU_EN.reversed(), encoder=encoder)
    assert ((1,), (1, 2)) in pairs(back)
    assert back[1].kind == "1-2"


def test_two_to_two(encoder: SentenceEncoder) -> None:
    # The sentence boundary moves: RU splits after the vote, EN after the mayor's name.
    ru = [
        *RU[:1],
        "Депутаты проголосовали за документ 14 марта, а расходы на транспорт вырастут на 12%.",
        "Мэр Ирина Воронцова назвала это компромиссом, а оппозиция потребовала аудит.",
        *RU[4:6],
    ]
    en = [
        *EN[:1],
        "Deputies voted for the document on March 14.",
        "Transport spending will grow by 12%, which Mayor Irina Vorontsova called a compromise, "
        "while the opposition demanded an audit.",
        *EN[4:6],
    ]
    links = align_segments(ru, en, RU_EN, encoder=encoder)
    assert pairs(links) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,)), ((4,), (4,))]
    assert links[1].kind == "2-2"


def test_deleted_and_added_sentences(encoder: SentenceEncoder) -> None:
    ru = RU[:3] + RU[4:]  # the mayor's sentence only exists in English: 0-1
    en = EN[:5] + EN[6:]  # the cost sentence only exists in Russian: 1-0
    links = align_segments(ru, en, RU_EN, encoder=encoder)
    got = pairs(links)
    assert ((), (3,)) in got
    assert ((4,), ()) in got
    assert [link.kind for link in links].count("1-1") == 5
    null = [link for link in links if link.is_null]
    assert all(0.0 <= link.score <= 1.0 for link in null)


def test_links_are_in_document_order_and_cover_everything(encoder: SentenceEncoder) -> None:
    ru = [*RU[:2], RU[2] + " " + RU[3], *RU[5:]]
    en = EN[:4] + EN[5:]
    links = align_segments(ru, en, RU_EN, encoder=encoder)
    src = [i for link in links for i in link.source]
    tgt = [j for link in links for j in link.target]
    assert src == list(range(len(ru)))
    assert tgt == list(range(len(en)))


def test_empty_sides_give_null_links() -> None:
    assert pairs(align_segments([], ["One.", "Two."], RU_EN)) == [((), (0,)), ((), (1,))]
    assert pairs(align_segments(["Один."], [], RU_EN)) == [((0,), ())]
    assert align_segments([], [], RU_EN) == []


def test_unrelated_sentence_is_not_linked_with_confidence(encoder: SentenceEncoder) -> None:
    en = [*EN[:3], "Football fans in Lisbon celebrated late into the night.", *EN[4:]]
    links = align_segments(RU, en, RU_EN, encoder=encoder)
    threshold = AlignWeights().low_confidence
    for link in links:
        if 3 in link.source or 3 in link.target:
            assert link.is_null or link.score < threshold
        else:
            assert link.kind == "1-1" and link.score > 0.5


def test_paragraph_length_mismatch_is_rejected() -> None:
    with pytest.raises(ValueError, match="src_paragraphs"):
        align_segments(["A.", "B."], ["A."], RU_EN, src_paragraphs=[1])


def test_gale_church_baseline_aligns_by_length() -> None:
    links = align_segments(RU, EN, RU_EN, length_only=True)
    assert [link.kind for link in links].count("1-1") >= 5


def _document(name: str, lang: str, paragraphs: list[list[str]]) -> Document:
    paras = []
    offset = 0
    for p, sentences in enumerate(paragraphs, start=1):
        segments = []
        start = offset
        for s, text in enumerate(sentences, start=1):
            segments.append(
                Segment(segment_id(name, p, s), text, p, s, Span(offset, offset + len(text)))
            )
            offset += len(text) + 1
        paras.append(Paragraph(p, Span(start, offset), tuple(segments)))
        offset += 1
    text = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
    return Document(name=name, lang=lang, text=text, paragraphs=tuple(paras))


def test_align_documents_bitext_conventions(encoder: SentenceEncoder) -> None:
    src = _document("budget", "ru", [RU[:3], RU[3:]])
    tgt = _document("budget", "en", [EN[:1], [EN[1][:-1] + ", and s" + EN[2][1:]], EN[4:]])
    links, bitext = align_documents(
        src, tgt, RU_EN, encoder=encoder, created="2026-01-02T03:04:05Z"
    )
    assert bitext.created == "2026-01-02T03:04:05Z"
    assert bitext.pair == RU_EN
    content = [link for link in links if not link.is_null]
    assert len(bitext) == len(content)
    ids = [unit.id for unit in bitext]
    assert ids[0] == "budget:p1:s1"
    merged = next(unit for unit in bitext if dict(unit.props)["x-align-type"] == "2-1")
    assert merged.id == "budget:p1:s2"
    assert merged.source == f"{RU[1]} {RU[2]}"
    assert dict(merged.props)["x-align-target"] == "budget:p2:s1"
    # the mayor's sentence has no English counterpart: a 1-0 link, not a unit
    assert ((3,), ()) in pairs(links)
    assert all(RU[3] not in unit.source for unit in bitext)
    assert dict(bitext.props)["x-align-unaligned-source"] == "1"
    assert [unit.paragraph for unit in bitext] == [1, 1, 2, 2, 2]


def test_low_confidence_units_are_fuzzy_with_a_note() -> None:
    src = _document("d", "ru", [RU[:2]])
    tgt = _document("d", "en", [EN[:2]])
    links = [Link((0,), (0,), 0.92), Link((1,), (1,), 0.21)]
    bitext = links_to_bitext(links, src, tgt, RU_EN, threshold=0.5)
    assert [unit.fuzzy for unit in bitext] == [False, True]
    assert bitext.units[1].notes and "review" in bitext.units[1].notes[0]
    assert dict(bitext.units[1].props)["x-align-score"] == "0.210"


# --- signals ---------------------------------------------------------------------------------


def test_transliterated_names_share_anchors() -> None:
    assert skeleton("Хабаровского")[:4] == skeleton("Khabarovsk")[:4]
    assert skeleton("Дегтярев") == skeleton("Degtyarev")
    assert skeleton("Москва") == skeleton("Moscow")
    ru = sentence_anchors(
        "Врио главы Михаил Дегтярев 15 июля заявил, что НАТО и США потратили 3,5 млрд."
    )
    en = sentence_anchors(
        "On July 15, acting head Mikhail Degtyarev said NATO and the US spent 3.5 billion."
    )
    assert {"D:15", "D:3", "D:5", "M:07", "A:NATO", "A:US"} <= ru & en
    assert ru == en


def test_anchor_mismatch_is_one_minus_dice() -> None:
    index = AnchorIndex()
    a = index.bits(frozenset({"D:2025", "N:nvzr"}))
    b = index.bits(frozenset({"D:2025"}))
    assert anchor_mismatch(a, b) == pytest.approx(1 - 2 * 1 / 3)
    assert anchor_mismatch(0, 0) == 0.0
    assert anchor_mismatch(a, 0) == 1.0


# --- search ----------------------------------------------------------------------------------


def _synthetic(n: int, deleted: set[int], seed: int = 3) -> tuple[SignalCost, list[Bead]]:
    """Random unit vectors; the target is a noisy copy with some sentences removed."""
    rng = np.random.default_rng(seed)
    src = rng.normal(size=(n, 64)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    keep = [k for k in range(n) if k not in deleted]
    noise = rng.normal(size=(len(keep), 64)).astype(np.float32)
    tgt = (src[keep] + 0.25 * noise / 8).astype(np.float32)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)

    def side(vectors: npt.NDArray[np.float32]) -> SideBlocks:
        pairs2 = vectors[:-1] + vectors[1:]
        pairs2 /= np.linalg.norm(pairs2, axis=1, keepdims=True)
        texts = ["x" * 40] * len(vectors)
        return build_side(texts, vectors, pairs2, [0] * len(vectors), None)

    cost = SignalCost(side(src), side(tgt), AlignWeights())
    expected: list[Bead] = []
    j = 0
    for k in range(n):
        if k in deleted:
            expected.append(((k,), ()))
        else:
            expected.append(((k,), (j,)))
            j += 1
    return cost, expected


def test_corridor_search_finds_the_full_search_path() -> None:
    cost, expected = _synthetic(120, {7, 50, 51, 90})
    corridor = plan_corridor(cost.src.vectors1, cost.tgt.vectors1, full_grid_cells=0)
    assert corridor is not None
    assert corridor.cells < Corridor.full(cost.n, cost.m).cells / 3
    full = [bead for bead, _ in search(cost)]
    narrow = [bead for bead, _ in search(cost, corridor)]
    assert narrow == full == expected


def test_large_input_uses_a_linear_corridor() -> None:
    cost, expected = _synthetic(900, set(range(100, 900, 97)), seed=5)
    corridor = plan_corridor(cost.src.vectors1, cost.tgt.vectors1)
    assert corridor is not None
    assert corridor.cells < 60 * (cost.n + 1)
    assert [bead for bead, _ in search(cost, corridor)] == expected
