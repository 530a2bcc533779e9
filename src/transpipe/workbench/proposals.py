"""Mined term pairs written for review: the project TSV layout or TBX, status ``proposed``.

Owns the candidate files ``glossary extract`` writes. They use the glossary layouts a
linguist already edits (TSV: ``id <src> <tgt> pos status note``; TBX v2: one ``termEntry``
per pair), with every term marked as not yet reviewed: ``status`` ``proposed`` in TSV,
``processStatus`` ``provisionallyProcessed`` in TBX. The glossary readers refuse such terms
(``glossary.UNREVIEWED``), so an unreviewed candidate never reaches translation: the linguist
sets each kept row to preferred, admitted or forbidden and deletes the rest. The note carries the
evidence: co-occurrences, association score and one example sentence pair.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from transpipe.terms.tbx import XML_LANG
from transpipe.terms.tsv import spreadsheet_safe
from transpipe.workbench.mining import MinedPair

PROPOSED = "proposed"


def _note(pair: MinedPair) -> str:
    text = (
        f"mined: {pair.cooccurrences} sentence pairs, score {pair.score:.2f}; "
        f"e.g. {pair.example_source} | {pair.example_target}"
    )
    return " ".join(text.split())


def _ids(pairs: Sequence[MinedPair]) -> list[str]:
    return [f"mined-{rank}" for rank in range(1, len(pairs) + 1)]


def render_proposals_tsv(pairs: Sequence[MinedPair], source: str, target: str) -> bytes:
    """Our TSV layout, one row per pair, status ``proposed``."""
    lines = ["\t".join(("id", source, target, "pos", "status", "note"))]
    for concept_id, pair in zip(_ids(pairs), pairs, strict=True):
        cells = (concept_id, pair.source, pair.target, "", PROPOSED, _note(pair))
        lines.append("\t".join(spreadsheet_safe(" ".join(c.split())) for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_proposals_tbx(pairs: Sequence[MinedPair], source: str, target: str) -> bytes:
    """TBX v2 (``martif``, TBX-Basic), every term ``provisionallyProcessed``."""
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: source})
    header = etree.SubElement(root, "martifHeader")
    description = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(description, "p").text = "term pairs mined by transpipe, to review"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept_id, pair in zip(_ids(pairs), pairs, strict=True):
        entry = etree.SubElement(body, "termEntry", id=concept_id)
        etree.SubElement(entry, "note").text = _note(pair)
        for lang, text in ((source, pair.source), (target, pair.target)):
            tig = etree.SubElement(etree.SubElement(entry, "langSet", {XML_LANG: lang}), "tig")
            etree.SubElement(tig, "term").text = text
            status = etree.SubElement(tig, "termNote", type="processStatus")
            status.text = "provisionallyProcessed"
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
