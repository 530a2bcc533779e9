"""The demo models' training data: sentence pairs read from the repository's ``corpora/``.

Owns ``training_pairs`` and ``corpus_digest``. Pairs come from every
``corpora/<slug>.en.txt``/``<slug>.ru.txt`` article, segmented with
``transpipe.segment.segment_text`` exactly as ``translate`` segments its input and zipped by
(paragraph, sentence) - a paragraph whose sentence counts differ is skipped with a warning -
followed by every ``corpora/extra/*.tsv`` line (``en<TAB>ru``; ``#`` starts a comment). Both
directions train on the same pairs. The digest of the pairs is recorded in each demo model, so
a change in the corpora or in the segmentation rules shows up as a stale model in the tests
(retrain with ``transpipe models train-demo``) instead of silently different inputs.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

from transpipe.errors import FormatError, InputError
from transpipe.inputs import read_text
from transpipe.model import LanguagePair

MAX_CORPUS_FILE_BYTES = 10 * 1024 * 1024


def training_pairs(corpora_dir: Path, pair: LanguagePair) -> list[tuple[str, str]]:
    """(source, target) sentence pairs from ``corpora_dir``, oriented for ``pair``, no repeats."""
    if {pair.source, pair.target} != {"en", "ru"}:
        raise InputError(f"the demo model is en<->ru only, not {pair}")
    if not corpora_dir.is_dir():
        raise InputError("corpora directory not found", path=corpora_dir)
    en_ru: list[tuple[str, str]] = []
    for en_path in sorted(corpora_dir.glob("*.en.txt")):
        ru_path = en_path.with_name(en_path.name[: -len(".en.txt")] + ".ru.txt")
        if ru_path.is_file():
            en_ru.extend(_article_pairs(en_path, ru_path))
    extra = corpora_dir / "extra"
    for tsv in sorted(extra.glob("*.tsv")) if extra.is_dir() else []:
        en_ru.extend(_tsv_pairs(tsv))
    seen: set[tuple[str, str]] = set()
    oriented: list[tuple[str, str]] = []
    for en, ru in en_ru:
        item = (en, ru) if pair.source == "en" else (ru, en)
        if item not in seen:
            seen.add(item)
            oriented.append(item)
    if not oriented:
        raise InputError("no sentence pairs found", path=corpora_dir)
    return oriented


def corpus_digest(pairs: list[tuple[str, str]]) -> str:
    """sha256 of the training pairs (order included)."""
    payload = json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _article_pairs(en_path: Path, ru_path: Path) -> list[tuple[str, str]]:
    from transpipe.segment import segment_text

    slug = en_path.name[: -len(".en.txt")]
    en_doc = segment_text(_read(en_path), "en", slug)
    ru_doc = segment_text(_read(ru_path), "ru", slug)
    if len(en_doc.paragraphs) != len(ru_doc.paragraphs):
        warnings.warn(
            f"{slug}: {len(en_doc.paragraphs)} English vs {len(ru_doc.paragraphs)} Russian "
            "paragraphs; pairing the common ones",
            stacklevel=3,
        )
    pairs: list[tuple[str, str]] = []
    for en_par, ru_par in zip(en_doc.paragraphs, ru_doc.paragraphs, strict=False):
        if len(en_par.segments) != len(ru_par.segments):
            warnings.warn(
                f"{slug}: paragraph {en_par.index} has {len(en_par.segments)} English and "
                f"{len(ru_par.segments)} Russian sentences; skipped for the demo model",
                stacklevel=3,
            )
            continue
        pairs.extend(
            (e.text.strip(), r.text.strip())
            for e, r in zip(en_par.segments, ru_par.segments, strict=True)
            if e.text.strip() and r.text.strip()
        )
    return pairs


def _tsv_pairs(path: Path) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(_read(path).split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            raise FormatError("expected 'English<TAB>Russian'", path=path, line=number)
        pairs.append((fields[0].strip(), fields[1].strip()))
    return pairs


def _read(path: Path) -> str:
    """A corpus file as text (the corpora are the repository's own UTF-8 files)."""
    return read_text(path, max_bytes=MAX_CORPUS_FILE_BYTES)
