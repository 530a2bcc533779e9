"""What ``publish`` reads: a reviewed PO, XLIFF or TMX, or the translation memory plus the
source article, and the source article itself (given, or found beside the file).

Owns the input side of publishing. A bilingual file is read with
:func:`transpipe.formats.registry.read_bitext` (every format's reader, by extension, review
states included); :func:`translation_from_memory`
turns the memory's entries for each sentence of the source article into units (a reviewed
entry is approved, an unreviewed one fuzzy, no entry untranslated).
"""

from __future__ import annotations

import re
from pathlib import Path

from transpipe.errors import InputError
from transpipe.model import Document, LanguagePair, Unit

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_memory(path: Path) -> bool:
    """Whether ``path`` is an SQLite file (a translation memory), judged by its first bytes."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def find_source_article(path: Path, name: str, lang: str) -> Path | None:
    """``<name>.<lang>.txt`` beside ``path``, when there is one."""
    candidate = path.with_name(f"{name}.{lang}.txt")
    return candidate if candidate.is_file() else None


_ARTICLE_NAME = re.compile(r"^(?P<name>.+)\.(?P<lang>[a-z]{2,3})\.txt$", re.I)


def article_name_and_lang(path: Path) -> tuple[str, str | None]:
    """``csto-news.en.txt`` -> ``("csto-news", "en")``; no language part -> ``(stem, None)``."""
    m = _ARTICLE_NAME.match(path.name)
    if m:
        return m["name"], m["lang"].lower()
    return path.stem, None


def translation_from_memory(
    memory_path: Path, document: Document, pair: LanguagePair
) -> tuple[Unit, ...]:
    """One unit per sentence of ``document`` that the memory holds a translation of."""
    from transpipe.tm import TranslationMemory

    units: list[Unit] = []
    with TranslationMemory(memory_path, create=False) as memory:
        if pair not in memory.pairs():
            held = ", ".join(str(p) for p in memory.pairs()) or "nothing"
            raise InputError(
                f"the memory holds no {pair} translations (it holds {held})",
                path=memory_path,
                hint="check --from/--to",
            )
        for segment in document.segments:
            match = memory.lookup(segment.text, pair)
            if match is None:
                continue
            units.append(
                Unit(
                    id=segment.id,
                    source=segment.text,
                    target=match.target,
                    paragraph=segment.paragraph,
                    kind=segment.kind,
                    fuzzy=not match.reviewed,
                )
            )
    return tuple(units)
