"""CSV glossaries: our full layout and the upload layouts of DeepL, Google and Amazon.

Reading (standard CSV quoting, ``""`` escapes; a quoted field left open at end of file is an
error, as is a term containing a line break):

- a header of column names (``id``, language codes, ``pos``, ``status``, ``note``...): our
  layout; Google "equivalent term sets" (language codes + optional ``pos``/``description``)
  and Amazon Translate custom terminology (language codes) are special cases of it;
- a header with ``sourceString``/``targetString`` (+ ``sourceLang``/``targetLang``, optional id
  and pos/description), as in the TICO-19 term lists;
- no header: ``source,target[,comment]`` rows (DeepL, OmegaT CSV).

Writing layouts: ``full`` (lossless, same columns as our TSV), ``deepl`` (no header, source
and target, each source once, at most 1024 UTF-8 bytes per term), ``google`` (one row per
concept, preferred terms, ``pos`` and ``description`` columns), ``amazon`` (header of
language codes, one row per usable source term). Cells are made safe against spreadsheet
formula injection.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from transpipe.errors import GlossaryError
from transpipe.lang.codes import normalize as normalize_lang
from transpipe.terms.glossary import Concept, Glossary, Term
from transpipe.terms.tsv import (
    ReadProblems,
    Row,
    check_term_text,
    concepts_from_pairs,
    concepts_from_table,
    looks_like_header,
    pair_rows,
    spreadsheet_safe,
    table_rows,
    unguard,
)

DEEPL_MAX_TERM_BYTES = 1024
DEEPL_MAX_BYTES = 10 * 1024 * 1024
_STRING_LAYOUT = {"sourcestring", "targetstring"}


def _read_rows(text: str, path: str | Path) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    done = 0  # physical lines consumed by complete rows
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append(Row(done + 1, tuple(cells)))
            done = reader.line_num
    except csv.Error as exc:
        reason = str(exc)
        if "unexpected end of data" in reason or text.count('"') % 2:
            reason = "unbalanced quotes: a quoted field is never closed"
        raise GlossaryError(f"malformed CSV: {reason}", path=path, line=done + 1) from None
    return rows


def _string_layout(header: tuple[str, ...], rows: list[Row], path: str | Path) -> list[Concept]:
    index = {c.strip().lower(): i for i, c in enumerate(header)}
    id_col = index.get("id", index.get("stringid"))
    note_col = index.get("description", index.get("note"))
    concepts: list[Concept] = []
    for row in rows:
        cells = list(row.cells) + [""] * (len(header) - len(row.cells))

        def cell(col: int | None, cells: list[str] = cells) -> str:
            return unguard(cells[col].strip()) if col is not None else ""

        src, tgt = cell(index["sourcestring"]), cell(index["targetstring"])
        if not src or not tgt:
            raise GlossaryError("row needs a source and a target string", path=path, line=row.line)
        check_term_text(src, path, row.line)
        check_term_text(tgt, path, row.line)
        src_lang = normalize_lang(cell(index.get("sourcelang")) or "en")
        tgt_lang = normalize_lang(cell(index.get("targetlang")) or "ru")
        pos, note = cell(index.get("pos")), cell(note_col)
        concepts.append(
            Concept(
                id=cell(id_col) or f"L{row.line}",
                terms=(
                    Term(lang=src_lang, text=src, pos=pos, line=row.line),
                    Term(lang=tgt_lang, text=tgt, pos=pos, line=row.line),
                ),
                definition=note,
                line=row.line,
            )
        )
    return concepts


def parse_csv(
    text: str,
    *,
    path: str | Path,
    name: str = "",
    source_lang: str | None = None,
    target_lang: str | None = None,
    problems: ReadProblems | None = None,
) -> Glossary:
    """Parse a CSV glossary in any of the layouts in the module docstring (``problems``: see
    ``tsv.parse_tsv``)."""
    rows = _read_rows(text, path)
    if not rows:
        return Glossary((), name=name)
    header = rows[0].cells
    lowered = {c.strip().lower() for c in header}
    if lowered >= _STRING_LAYOUT:
        return Glossary(tuple(_string_layout(header, rows[1:], path)), name=name)
    if [c.strip().lower() for c in header[:2]] == ["source", "target"]:
        return Glossary(
            tuple(concepts_from_pairs(rows[1:], path, source_lang, target_lang, problems)),
            name=name,
        )
    if looks_like_header(header) or header[0].strip().lower() == "id":
        return Glossary(tuple(concepts_from_table(header, rows[1:], path, problems)), name=name)
    concepts = concepts_from_pairs(rows, path, source_lang, target_lang, problems)
    return Glossary(tuple(concepts), name=name)


def _write(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(c) for c in row])
    return buffer.getvalue().encode("utf-8")


def unique_sources(pairs: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The first row for each source term: DeepL refuses a glossary repeating a source."""
    seen: set[str] = set()
    unique = []
    for row in pairs:
        if row[0] not in seen:
            seen.add(row[0])
            unique.append(row)
    return unique


def render_csv(
    glossary: Glossary, *, layout: str = "full", source: str = "en", target: str = "ru"
) -> bytes:
    """Serialise to one of the CSV layouts: full, deepl, google, amazon."""
    if layout == "full":
        header, rows = table_rows(glossary)
        return _write([header, *rows])
    if layout == "deepl":
        pairs = unique_sources(pair_rows(glossary, source, target))
        for src, tgt, _ in pairs:
            for term in (src, tgt):
                if len(term.encode("utf-8")) > DEEPL_MAX_TERM_BYTES:
                    raise GlossaryError(
                        f"term {term[:40]!r}... is over DeepL's {DEEPL_MAX_TERM_BYTES}-byte limit"
                    )
        data = _write([[src, tgt] for src, tgt, _ in pairs])
        if len(data) > DEEPL_MAX_BYTES:
            raise GlossaryError(f"glossary is over DeepL's {DEEPL_MAX_BYTES}-byte limit")
        return data
    if layout == "amazon":
        pairs = pair_rows(glossary, source, target)
        return _write([[source, target]] + [[s, t] for s, t, _ in pairs])
    if layout == "google":
        rows = [[source, target, "pos", "description"]]
        for concept in glossary:
            first, second = concept.preferred(source), concept.preferred(target)
            if first is not None and second is not None:
                description = concept.definition or concept.note
                rows.append([first.text, second.text, first.pos or second.pos, description])
        return _write(rows)
    raise GlossaryError(f"unknown CSV layout {layout!r}")
