"""Sentence pairs to mine terms from: line-aligned files, TMX, PO/XLIFF, the translation
memory, and a directory of article pairs aligned on the fly.

Owns turning every bilingual source the workbench accepts into ``(source, target)`` sentence
pairs. Article pairs (``<slug>.en.txt`` beside ``<slug>.ru.txt``) are segmented and aligned
with ``transpipe.align`` (the same API ``transpipe align`` uses); links the aligner is unsure
of (fuzzy units) are left out. The translation memory gives its reviewed units only.
"""

from __future__ import annotations

from pathlib import Path

from transpipe.errors import FormatError, InputError
from transpipe.inputs import read_text
from transpipe.model import LanguagePair
from transpipe.terms.glossary import Glossary


def read_parallel(source: str | Path, target: str | Path) -> list[tuple[str, str]]:
    """Sentence pairs from two line-aligned UTF-8 files (blank pairs skipped)."""
    src_lines = read_text(source).split("\n")
    tgt_lines = read_text(target).split("\n")
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
    """(source, target) segment texts of each TMX unit having both languages, inline codes
    left out."""
    return read_bitext_pairs(path, LanguagePair(source_lang, target_lang), reviewed_only=False)


def read_memory_pairs(path: str | Path, pair: LanguagePair) -> list[tuple[str, str]]:
    """Reviewed units of ``pair`` in a translation memory."""
    from transpipe.tm.store import TranslationMemory

    with TranslationMemory(path, create=False) as memory:
        bitext = memory.export(pair, reviewed_only=True)
    return [(u.source, u.target) for u in bitext.units]


def read_bitext_pairs(
    path: str | Path, pair: LanguagePair, *, reviewed_only: bool = True
) -> list[tuple[str, str]]:
    """Units of a PO, XLIFF, TMX or bilingual TSV file, inline codes left out; with
    ``reviewed_only`` (PO, XLIFF), fuzzy units are skipped."""
    from transpipe.formats.inline import strip_tokens
    from transpipe.formats.registry import read_bitext

    pairs: list[tuple[str, str]] = []
    for unit in read_bitext(path, pair).units:
        if reviewed_only and unit.fuzzy:
            continue
        source, target = (" ".join(strip_tokens(t).split()) for t in (unit.source, unit.target))
        if source and target:
            pairs.append((source, target))
    return pairs


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

    pairs: list[tuple[str, str]] = []
    for source, target in article_pairs(folder, pair):
        slug = source.name[: -len(f".{pair.source}.txt")]
        src_doc = segment_text(read_text(source), pair.source, slug)
        tgt_doc = segment_text(read_text(target), pair.target, slug)
        _, bitext = align_documents(src_doc, tgt_doc, pair, glossary=glossary)
        pairs.extend((u.source, u.target) for u in bitext.units if not u.fuzzy)
    return pairs
