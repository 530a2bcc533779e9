"""Sentence pairs to mine terms from: line-aligned files, TMX, PO/XLIFF, the translation
memory, and a directory of article pairs aligned on the fly.

Owns turning every bilingual source the workbench accepts into ``(source, target)`` sentence
pairs. Article pairs (``<slug>.en.txt`` beside ``<slug>.ru.txt``) are segmented and aligned
with ``transpipe.align`` (the same API ``transpipe align`` uses); links the aligner is unsure
of (fuzzy units) are left out. The translation memory gives its reviewed units only.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from transpipe.errors import FormatError, InputError
from transpipe.model import LanguagePair
from transpipe.terms.files import read_bytes
from transpipe.terms.glossary import Glossary, lang_matches
from transpipe.terms.tbx import XML_LANG, refuse_entities, safe_parser


def read_parallel(source: str | Path, target: str | Path) -> list[tuple[str, str]]:
    """Sentence pairs from two line-aligned UTF-8 files (blank pairs skipped)."""
    from transpipe.terms.files import decode

    src_lines = decode(read_bytes(source), source).split("\n")
    tgt_lines = decode(read_bytes(target), target).split("\n")
    while src_lines and not src_lines[-1].strip():
        src_lines.pop()
    while tgt_lines and not tgt_lines[-1].strip():
        tgt_lines.pop()
    if len(src_lines) != len(tgt_lines):
        raise FormatError(
            f"files are not line-aligned: {len(src_lines)} vs {len(tgt_lines)} lines "
            f"({target} differs)",
            path=source,
        )
    return [(s, t) for s, t in zip(src_lines, tgt_lines, strict=True) if s.strip() and t.strip()]


def read_tmx_pairs(path: str | Path, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    """(source, target) segment texts of each TMX ``tu`` having both languages (first wins)."""
    data = read_bytes(path)
    refuse_entities(data, path)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise FormatError(f"malformed TMX: {exc.msg}", path=path, line=line) from exc
    pairs: list[tuple[str, str]] = []
    for tu in root.iter("{*}tu", "tu"):
        texts: dict[str, str] = {}
        for tuv in tu:
            if etree.QName(tuv).localname != "tuv":
                continue
            lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
            seg = next((c for c in tuv if etree.QName(c).localname == "seg"), None)
            if seg is None:
                continue
            text = " ".join("".join(seg.itertext()).split())
            for wanted in (source_lang, target_lang):
                if lang_matches(lang, wanted):
                    texts.setdefault(wanted, text)
        if texts.get(source_lang) and texts.get(target_lang):
            pairs.append((texts[source_lang], texts[target_lang]))
    return pairs


def read_memory_pairs(path: str | Path, pair: LanguagePair) -> list[tuple[str, str]]:
    """Reviewed units of ``pair`` in a translation memory."""
    from transpipe.tm.store import TranslationMemory

    with TranslationMemory(path, create=False) as memory:
        bitext = memory.export(pair, reviewed_only=True)
    return [(u.source, u.target) for u in bitext.units]


def read_bitext_pairs(path: str | Path, pair: LanguagePair) -> list[tuple[str, str]]:
    """Non-fuzzy units of a PO, XLIFF or bilingual TSV file (reviewed translations)."""
    from transpipe.tm.files import read_bitext

    bitext = read_bitext(Path(path), pair)
    return [(u.source, u.target) for u in bitext.units if not u.fuzzy and u.target.strip()]


def article_pairs(folder: str | Path, pair: LanguagePair) -> list[tuple[Path, Path]]:
    """``(<slug>.<source>.txt, <slug>.<target>.txt)`` file pairs in ``folder``, by slug."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a directory of article pairs", path=root)
    found = []
    for source in sorted(root.glob(f"*.{pair.source}.txt")):
        slug = source.name[: -len(f".{pair.source}.txt")]
        target = root / f"{slug}.{pair.target}.txt"
        if target.is_file():
            found.append((source, target))
    if not found:
        raise InputError(f"no <slug>.{pair.source}.txt / <slug>.{pair.target}.txt pairs", path=root)
    return found


def read_aligned_articles(
    folder: str | Path, pair: LanguagePair, glossary: Glossary | None = None
) -> list[tuple[str, str]]:
    """Sentence pairs of every article pair in ``folder``, aligned (confident links only)."""
    from transpipe.align import align_documents
    from transpipe.segment import segment_text
    from transpipe.terms.files import decode

    pairs: list[tuple[str, str]] = []
    for source, target in article_pairs(folder, pair):
        slug = source.name[: -len(f".{pair.source}.txt")]
        src_doc = segment_text(decode(read_bytes(source), source), pair.source, slug)
        tgt_doc = segment_text(decode(read_bytes(target), target), pair.target, slug)
        _, bitext = align_documents(src_doc, tgt_doc, pair, glossary=glossary)
        pairs.extend((u.source, u.target) for u in bitext.units if not u.fuzzy)
    return pairs
