"""Sentence alignment of two language versions: the public entry points.

Owns the orchestration - embed both sides (single sentences and adjacent pairs), collect the
anchor and paragraph signals, plan the search corridor, run the search, attach a confidence to
every link - and the conversion of links into a ``model.Bitext`` of translation units.

Embedding every adjacent pair doubles the encoding work, which dominates the run time. Up to
``AlignWeights.encode_pairs_up_to`` sentences a side, all pairs are encoded. Longer documents
take two passes: the first uses the normalised sum of the two sentence vectors as the pair's
vector; then only the pairs around the first path's merges and null links are encoded and
the search runs again (on newstest2021 both ways give the same F1 at every level).

Bitext conventions (``align_documents``):

* one unit per content link (1-1, 1-2, 2-1, 2-2); the text of merged sentences is joined with
  one space;
* unit id = the segment id of the link's first source sentence (``"{doc}:p{P}:s{S}"``), so a
  reviewed unit maps back to the source document; ``paragraph`` = that sentence's paragraph;
* 1-0 and 0-1 links are **not** units (an empty side is not a translation unit, and an empty
  PO ``msgid`` is the header); they stay in the returned link list (and the CLI's ``--jsonl``),
  and their count is recorded in the Bitext props ``x-align-unaligned-source/-target``;
* links with confidence below ``AlignWeights.low_confidence`` get ``fuzzy=True`` and a note;
  every unit carries props ``x-align-score`` (3 decimals), ``x-align-type`` and
  ``x-align-target`` (the target segment ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from transpipe import model
from transpipe.align.cost import AlignWeights, CostModel, GaleChurchCost, SignalCost
from transpipe.align.link import Link
from transpipe.align.search import Bead, plan_corridor, search
from transpipe.align.signals import (
    AnchorIndex,
    SideBlocks,
    build_side,
    pair_texts,
    sentence_anchors,
)
from transpipe.embeddings import EMBEDDING_DIM, SentenceEncoder, shared_encoder

if TYPE_CHECKING:
    from transpipe.terms import Glossary

LOW_CONFIDENCE_NOTE = "alignment needs review (low confidence)"


def align_segments(
    src: Sequence[str],
    tgt: Sequence[str],
    pair: model.LanguagePair,
    *,
    glossary: Glossary | None = None,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
    encoder: SentenceEncoder | None = None,
    weights: AlignWeights | None = None,
    length_only: bool = False,
) -> list[Link]:
    """Align two sentence lists; returns links in document order, null links included.

    ``glossary`` (a ``transpipe.terms`` glossary) adds matched concept ids as anchors.
    ``src_paragraphs``/``tgt_paragraphs`` give each sentence's paragraph number (soft anchors).
    ``weights`` overrides the tuned signal weights (``AlignWeights.embeddings_only()`` is the
    embeddings-only baseline); ``length_only=True`` runs the Gale-Church baseline instead.
    """
    _check_paragraphs(src, src_paragraphs, "src_paragraphs")
    _check_paragraphs(tgt, tgt_paragraphs, "tgt_paragraphs")
    if not src or not tgt:
        return [Link((i,), (), 1.0) for i in range(len(src))] + [
            Link((), (j,), 1.0) for j in range(len(tgt))
        ]
    weights = weights or AlignWeights()
    index = AnchorIndex()
    src_terms = _term_tokens(glossary, pair.source, src)
    tgt_terms = _term_tokens(glossary, pair.target, tgt)
    if length_only:
        src_side = _side(src, None, index, src_terms, src_paragraphs)
        tgt_side = _side(tgt, None, index, tgt_terms, tgt_paragraphs)
        cost: CostModel = GaleChurchCost(src_side, tgt_side)
        return _links(cost, search(cost))
    encoder = encoder or shared_encoder()
    encode_pairs = max(len(src), len(tgt)) <= weights.encode_pairs_up_to
    src_side = _side(src, encoder, index, src_terms, src_paragraphs, encode_pairs=encode_pairs)
    tgt_side = _side(tgt, encoder, index, tgt_terms, tgt_paragraphs, encode_pairs=encode_pairs)
    cost = SignalCost(src_side, tgt_side, weights)
    corridor = plan_corridor(src_side.vectors1, tgt_side.vectors1)
    path = search(cost, corridor)
    if not encode_pairs:
        src_blocks, tgt_blocks = _doubtful_pair_blocks(path, len(src), len(tgt))
        src_side = _encode_pair_blocks(src_side, src, src_blocks, encoder)
        tgt_side = _encode_pair_blocks(tgt_side, tgt, tgt_blocks, encoder)
        cost = SignalCost(src_side, tgt_side, weights)
        path = search(cost, corridor)
    return _links(cost, path)


def _doubtful_pair_blocks(
    path: Sequence[tuple[Bead, tuple[int, int]]], n: int, m: int
) -> tuple[list[int], list[int]]:
    """Two-sentence blocks near the first path's merges and null links (worth encoding)."""
    src_blocks: set[int] = set()
    tgt_blocks: set[int] = set()
    for (source, target), (row, col) in path:
        if len(source) == 1 and len(target) == 1:
            continue
        src_blocks.update(range(max(row - 1, 0), min(row + len(source) + 1, n - 1)))
        tgt_blocks.update(range(max(col - 1, 0), min(col + len(target) + 1, m - 1)))
    return sorted(src_blocks), sorted(tgt_blocks)


def _encode_pair_blocks(
    side: SideBlocks, texts: Sequence[str], blocks: Sequence[int], encoder: SentenceEncoder
) -> SideBlocks:
    """Replace the summed vectors of ``blocks`` by embeddings of the concatenated text."""
    if not blocks:
        return side
    vectors2 = side.vectors2.copy()
    vectors2[list(blocks)] = encoder.encode([f"{texts[k]} {texts[k + 1]}" for k in blocks])
    return replace(side, vectors2=vectors2)


def align_documents(
    src_doc: model.Document,
    tgt_doc: model.Document,
    pair: model.LanguagePair,
    *,
    glossary: Glossary | None = None,
    encoder: SentenceEncoder | None = None,
    weights: AlignWeights | None = None,
    created: str = "",
) -> tuple[list[Link], model.Bitext]:
    """Align two segmented documents; returns the links and a Bitext of the content links."""
    src_segments = src_doc.segments
    tgt_segments = tgt_doc.segments
    links = align_segments(
        [s.text for s in src_segments],
        [s.text for s in tgt_segments],
        pair,
        glossary=glossary,
        src_paragraphs=[s.paragraph for s in src_segments],
        tgt_paragraphs=[s.paragraph for s in tgt_segments],
        encoder=encoder,
        weights=weights,
    )
    threshold = (weights or AlignWeights()).low_confidence
    return links, links_to_bitext(
        links, src_doc, tgt_doc, pair, threshold=threshold, created=created
    )


def links_to_bitext(
    links: Sequence[Link],
    src_doc: model.Document,
    tgt_doc: model.Document,
    pair: model.LanguagePair,
    *,
    threshold: float = AlignWeights.low_confidence,
    created: str = "",
) -> model.Bitext:
    """Translation units for the content links (conventions in the module docstring)."""
    src_segments = src_doc.segments
    tgt_segments = tgt_doc.segments
    units: list[model.Unit] = []
    for link in links:
        if link.is_null:
            continue
        first = src_segments[link.source[0]]
        fuzzy = link.score < threshold
        units.append(
            model.Unit(
                id=first.id,
                source=" ".join(src_segments[i].text for i in link.source),
                target=" ".join(tgt_segments[j].text for j in link.target),
                paragraph=first.paragraph,
                kind=first.kind,
                fuzzy=fuzzy,
                notes=(LOW_CONFIDENCE_NOTE,) if fuzzy else (),
                props=(
                    ("x-align-score", f"{link.score:.3f}"),
                    ("x-align-type", link.kind),
                    ("x-align-target", " ".join(tgt_segments[j].id for j in link.target)),
                ),
            )
        )
    unaligned_src = sum(1 for link in links if link.source and not link.target)
    unaligned_tgt = sum(1 for link in links if link.target and not link.source)
    return model.Bitext(
        name=src_doc.name,
        pair=pair,
        units=tuple(units),
        created=created,
        props=(
            ("x-align-source-document", src_doc.name),
            ("x-align-target-document", tgt_doc.name),
            ("x-align-unaligned-source", str(unaligned_src)),
            ("x-align-unaligned-target", str(unaligned_tgt)),
        ),
    )


def _check_paragraphs(texts: Sequence[str], paragraphs: Sequence[int] | None, name: str) -> None:
    if paragraphs is not None and len(paragraphs) != len(texts):
        raise ValueError(f"{name} has {len(paragraphs)} entries for {len(texts)} sentences")


def _side(
    texts: Sequence[str],
    encoder: SentenceEncoder | None,
    index: AnchorIndex,
    terms: Sequence[Sequence[str]],
    paragraphs: Sequence[int] | None,
    *,
    encode_pairs: bool = True,
) -> SideBlocks:
    """Block features of one side; pair vectors are encoded, or summed when that is too slow."""
    pairs = pair_texts(texts)
    if encoder is None:
        vectors1: npt.NDArray[np.float32] = np.zeros((len(texts), EMBEDDING_DIM), np.float32)
        vectors2: npt.NDArray[np.float32] = np.zeros((len(pairs), EMBEDDING_DIM), np.float32)
    elif encode_pairs:
        both = encoder.encode([*texts, *pairs])
        vectors1, vectors2 = both[: len(texts)], both[len(texts) :]
    else:
        vectors1 = encoder.encode(texts)
        summed = vectors1[:-1] + vectors1[1:]
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        vectors2 = np.asarray(summed / np.maximum(norms, 1e-12), dtype=np.float32)
    anchors = [index.bits(sentence_anchors(t, extra=x)) for t, x in zip(texts, terms, strict=True)]
    return build_side(texts, vectors1, vectors2, anchors, paragraphs)


def _term_tokens(glossary: Glossary | None, lang: str, texts: Sequence[str]) -> list[list[str]]:
    """``T:<concept id>`` tokens per sentence from the glossary matcher (none without one)."""
    if glossary is None:
        return [[] for _ in texts]
    from transpipe.terms import TermMatcher  # pymorphy3 loads on first Russian match

    matcher = TermMatcher(glossary, lang)
    return [sorted({f"T:{m.concept_id}" for m in matcher.find(text)}) for text in texts]


def _links(cost: CostModel, path: Sequence[tuple[Bead, tuple[int, int]]]) -> list[Link]:
    return [
        Link(source, target, round(cost.confidence(source, target, at), 4))
        for (source, target), at in path
    ]
