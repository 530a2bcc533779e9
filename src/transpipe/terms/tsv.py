"""Tab-separated glossaries: the project's table layout, OmegaT's layout, and the row model.

Owns the *table* view of a glossary shared by our TSV and our CSV ("full" layout):

    id  en  ru  pos  status  note  [type gender number case context domain definition
                                    concept_note concept_source]

One row per group of terms (one per language column) that share the row attributes; rows with
the same ``id`` are designations of one concept (full form, abbreviation, synonyms, forbidden
variants). A language cell may be empty (e.g. a forbidden variant in one language). Concept
attributes (``domain``, ``definition``, ``concept_note``, ``concept_source``) are read from the
first row of the concept that has them and written on the concept's first row. ``status`` is
``preferred`` (default when empty), ``admitted`` or ``forbidden``.

OmegaT's layout is ``source<TAB>target[<TAB>comment]`` without a header; ``#`` lines are
comments. Written, it keeps forbidden variants as rows whose comment starts with
``FORBIDDEN`` (OmegaT shows the comment beside the entry). OmegaT 3.6 reads such a file only
when it is named ``.txt``, ``.utf8`` or ``.tab`` (``.tsv`` files are ignored).

Writers prefix cells that a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``,
``@``, tab, CR) with ``'``; readers drop exactly that prefix again, so round trips are
lossless.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from transpipe.errors import GlossaryError
from transpipe.lang.codes import is_language_code, primary
from transpipe.lang.codes import normalize as normalize_lang
from transpipe.lang.script import letter_counts
from transpipe.model import TermStatus
from transpipe.terms.glossary import (
    UNREVIEWED_HINT,
    Concept,
    Glossary,
    Term,
    concept_slug,
    is_unreviewed,
    parse_status,
)

TERM_COLUMNS = ("pos", "status", "note", "type", "gender", "number", "case", "context")
CONCEPT_COLUMNS = ("domain", "definition", "concept_note", "concept_source")
ALWAYS_WRITTEN = ("pos", "status", "note")
COLUMN_ALIASES = {
    "description": "note",
    "comment": "note",
    "comments": "note",
    "part of speech": "pos",
    "partofspeech": "pos",
    "subject": "domain",
    "subjectfield": "domain",
    "case_sensitive": "case",
    "casesensitive": "case",
    "stringid": "id",
    "concept": "id",
}
# ISO 639-1 codes accepted as bare header cells (a region subtag makes any code acceptable).
_ISO_639_1_CODES = (
    "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho "
    "hr ht hu hy hz ia ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv "
    "kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no "
    "nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn "
    "so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo "
    "wa wo xh yi yo za zh zu "
)
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"yes", "true", "1", "y", "case-sensitive", "sensitive"}
_FALSE = {"", "no", "false", "0", "n", "insensitive"}


def spreadsheet_safe(cell: str) -> str:
    """Prefix a cell that a spreadsheet would treat as a formula with ``'``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def unguard(cell: str) -> str:
    """Undo ``spreadsheet_safe`` on read."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell


def header_column(cell: str) -> str | None:
    """The column a header cell names (attribute or normalised language code), or None."""
    key = cell.strip().lower()
    key = COLUMN_ALIASES.get(key, key)
    if key == "id" or key in TERM_COLUMNS or key in CONCEPT_COLUMNS:
        return key
    if is_language_code(key):
        code = normalize_lang(key)
        if "-" in code or code in ISO_639_1:
            return "lang:" + code
    return None


def looks_like_header(cells: Sequence[str]) -> bool:
    """True when every cell names a column and at least one names a language."""
    named = [header_column(c) for c in cells if c.strip()]
    return bool(named) and all(named) and any(n and n.startswith("lang:") for n in named)


def column_scripts(rows: Iterable[Sequence[str]]) -> tuple[str, str]:
    """Script of the first two columns of header-less rows: ``cyrillic`` when most rows with
    letters there have Cyrillic ones, ``latin`` when most have Latin ones, else ``other``."""
    counts = [[0, 0, 0], [0, 0, 0]]  # per column: cyrillic, latin, rows with letters
    for cells in rows:
        for column in (0, 1):
            if len(cells) > column and any(ch.isalpha() for ch in cells[column]):
                cyrillic, latin = letter_counts(cells[column])
                counts[column][0] += cyrillic > latin
                counts[column][1] += latin >= cyrillic and latin > 0
                counts[column][2] += 1
    scripts = []
    for cyrillic, latin, total in counts:
        if total and cyrillic * 2 > total:
            scripts.append("cyrillic")
        elif total and latin * 2 > total:
            scripts.append("latin")
        else:
            scripts.append("other")
    return scripts[0], scripts[1]


def guess_pair(rows: Iterable[Sequence[str]]) -> tuple[str, str]:
    """(source, target) for header-less two-column data: the Cyrillic column is ``ru``."""
    first, second = column_scripts(rows)
    return ("ru", "en") if first == "cyrillic" and second != "cyrillic" else ("en", "ru")


def check_pair(rows: Sequence[Sequence[str]], source: str, target: str, path: str | Path) -> None:
    """Refuse languages named for header-less columns that their script contradicts (a
    Russian column called ``en``): the glossary would be imported with its sides swapped."""
    scripts = column_scripts(rows)
    for column, (lang, script) in enumerate(zip((source, target), scripts, strict=True)):
        code = primary(lang)
        if (code == "ru" and script == "latin") or (code == "en" and script == "cyrillic"):
            raise GlossaryError(
                f"column {column + 1} is written in {script} letters but was named {lang!r}",
                path=path,
                hint="swap --from and --to, or leave them out to detect the languages",
            )


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line number and its cells."""

    line: int
    cells: tuple[str, ...]


EDGE_SPACE = " \t\u00a0\u2007\u202f"


@dataclass
class ReadProblems:
    """What a lenient read (``glossary check``) found: rows it could not use (skipped) and
    cells with spaces at an edge, which a strict read strips silently."""

    errors: list[GlossaryError] = field(default_factory=list)
    edge_spaces: list[tuple[int, str]] = field(default_factory=list)  # (line, cell)

    def check_edges(self, row: Row) -> None:
        for cell in row.cells:
            if cell.strip(EDGE_SPACE) and cell != cell.strip(EDGE_SPACE):
                self.edge_spaces.append((row.line, cell))


def _flag(value: str, path: str | Path, line: int) -> bool:
    key = value.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise GlossaryError(f"case column must be yes or no, not {value!r}", path=path, line=line)


def check_term_text(text: str, path: str | Path, line: int) -> None:
    """Refuse term texts that no format can carry: line breaks and control characters."""
    if "\n" in text or "\r" in text:
        raise GlossaryError("a term contains a line break", path=path, line=line)
    if any(ord(ch) < 32 and ch != "\t" for ch in text):
        raise GlossaryError("a term contains a control character", path=path, line=line)


def _table_row(
    columns: Sequence[str | None], row: Row, path: str | Path
) -> tuple[str, list[Term], dict[str, str]]:
    """One data row of the table layout: its concept id, terms and cell values."""
    if len(row.cells) > len(columns):
        raise GlossaryError(
            f"row has {len(row.cells)} fields but the header has {len(columns)}",
            path=path,
            line=row.line,
        )
    values: dict[str, str] = {}
    for name, cell in zip(columns, row.cells, strict=False):
        values[name or ""] = unguard(cell.strip(" \t\n\r"))
    get = values.get
    concept_id = get("id", "") or f"L{row.line}"
    status_text = get("status", "")
    if is_unreviewed(status_text):
        raise GlossaryError(
            f"a {status_text} term nobody has reviewed yet",
            path=path,
            line=row.line,
            hint=UNREVIEWED_HINT,
        )
    status = parse_status(status_text) if status_text else TermStatus.PREFERRED
    if status is None:
        raise GlossaryError(
            f"unknown status {status_text!r}",
            path=path,
            line=row.line,
            hint="use preferred, admitted or forbidden",
        )
    terms: list[Term] = []
    for name in columns:
        if name and name.startswith("lang:") and get(name, ""):
            check_term_text(get(name, ""), path, row.line)
            terms.append(
                Term(
                    lang=name[5:],
                    text=get(name, ""),
                    status=status,
                    pos=get("pos", ""),
                    type=get("type", ""),
                    gender=get("gender", ""),
                    number=get("number", ""),
                    case_sensitive=_flag(get("case", ""), path, row.line),
                    note=get("note", ""),
                    context=get("context", ""),
                    line=row.line,
                )
            )
    if not terms:
        raise GlossaryError("row has no term in any language column", path=path, line=row.line)
    return concept_id, terms, values


def concepts_from_table(
    header: Sequence[str],
    rows: Sequence[Row],
    path: str | Path,
    problems: ReadProblems | None = None,
) -> list[Concept]:
    """Build concepts from a header and data rows (our TSV/CSV layout). With ``problems``,
    a row that cannot be used is recorded there and skipped instead of raising."""
    columns = [header_column(c) for c in header]
    for index, name in enumerate(columns):
        if name is None:
            raise GlossaryError(
                f"unknown column {header[index]!r} in the header",
                path=path,
                line=1,
                hint="expected id, language codes (en, ru), pos, status, note",
            )
    if len(set(columns)) != len(columns):
        raise GlossaryError("a column is named twice in the header", path=path, line=1)
    if not any(c and c.startswith("lang:") for c in columns):
        raise GlossaryError("the header names no language column", path=path, line=1)
    order: list[str] = []
    grouped: dict[str, list[Term]] = {}
    attrs: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        if problems is not None:
            problems.check_edges(row)
        try:
            concept_id, terms, values = _table_row(columns, row, path)
        except GlossaryError as error:
            if problems is None:
                raise
            problems.errors.append(error)
            continue
        get = values.get
        if concept_id not in grouped:
            order.append(concept_id)
            grouped[concept_id] = []
            attrs[concept_id] = {}
            first_line[concept_id] = row.line
        grouped[concept_id].extend(terms)
        for name in CONCEPT_COLUMNS:
            if get(name, "") and not attrs[concept_id].get(name, ""):
                attrs[concept_id][name] = get(name, "")
    return [
        Concept(
            id=cid,
            terms=tuple(grouped[cid]),
            domain=attrs[cid].get("domain", ""),
            definition=attrs[cid].get("definition", ""),
            note=attrs[cid].get("concept_note", ""),
            source=attrs[cid].get("concept_source", ""),
            line=first_line[cid],
        )
        for cid in order
    ]


def _check_pair_row(cells: Sequence[str], line: int, path: str | Path) -> None:
    if len(cells) > 3:
        raise GlossaryError(
            f"row has {len(cells)} fields; expected source, target and an optional comment",
            path=path,
            line=line,
        )
    if len(cells) < 2 or not cells[0] or not cells[1]:
        raise GlossaryError("row needs a source and a target term", path=path, line=line)
    for text in cells[:2]:
        check_term_text(text, path, line)


def concepts_from_pairs(
    rows: Sequence[Row],
    path: str | Path,
    source_lang: str | None,
    target_lang: str | None,
    problems: ReadProblems | None = None,
) -> list[Concept]:
    """Header-less ``source, target[, comment]`` rows (OmegaT TSV/CSV, DeepL): one concept each,
    its id made from the English term ("Divisor" -> "divisor"), so ids of two imported files
    do not clash the way line numbers would. The columns' languages are detected by script
    (``guess_pair``) unless given; given ones must agree with the script (``check_pair``).
    Two Latin columns without given languages are read as ``en`` -> ``ru``, as before."""
    guessed = guess_pair(r.cells for r in rows)
    source = normalize_lang(source_lang or guessed[0])
    target = normalize_lang(target_lang or guessed[1])
    if source_lang or target_lang:
        check_pair([r.cells for r in rows], source, target, path)
    taken: set[str] = set()
    concepts: list[Concept] = []
    for row in rows:
        cells = [unguard(c.strip(" \t\n\r")) for c in row.cells]
        if problems is not None:
            problems.check_edges(row)
        try:
            _check_pair_row(cells, row.line, path)
        except GlossaryError as error:
            if problems is None:
                raise
            problems.errors.append(error)
            continue
        note = cells[2] if len(cells) == 3 else ""
        english = cells[0] if source.startswith("en") else cells[1]
        concepts.append(
            Concept(
                id=concept_slug(english, taken),
                terms=(
                    Term(lang=source, text=cells[0], note=note, line=row.line),
                    Term(lang=target, text=cells[1], note=note, line=row.line),
                ),
                line=row.line,
            )
        )
    return concepts


def parse_tsv(
    text: str,
    *,
    path: str | Path,
    name: str = "",
    source_lang: str | None = None,
    target_lang: str | None = None,
    problems: ReadProblems | None = None,
) -> Glossary:
    """Parse our TSV layout (header) or OmegaT's (no header); see the module docstring.
    ``problems`` collects unusable rows (skipped) instead of raising at the first one."""
    rows: list[Row] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(Row(number, tuple(line.split("\t"))))
    if not rows:
        return Glossary((), name=name)
    first = rows[0].cells
    if (looks_like_header(first) or first[0].strip().lower() == "id") and len(first) > 1:
        concepts = concepts_from_table(rows[0].cells, rows[1:], path, problems)
        return Glossary(tuple(concepts), name=name)
    if looks_like_header(rows[0].cells):
        raise GlossaryError(
            "header has a single column; expected tab-separated columns",
            path=path,
            line=rows[0].line,
        )
    concepts = concepts_from_pairs(rows, path, source_lang, target_lang, problems)
    return Glossary(tuple(concepts), name=name)


def ordered_languages(glossary: Glossary) -> list[str]:
    """Language columns: en, ru first when present, then the rest alphabetically."""
    langs = set(glossary.languages)
    first = [code for code in ("en", "ru") if code in langs]
    return first + sorted(langs - set(first))


def _term_attrs(term: Term) -> tuple[str, ...]:
    return (
        term.pos,
        term.status.value,
        term.note,
        term.type,
        term.gender,
        term.number,
        "yes" if term.case_sensitive else "",
        term.context,
    )


def table_rows(glossary: Glossary) -> tuple[list[str], list[list[str]]]:
    """Header and rows of our table layout: one line per ``Concept.rows()`` row."""
    langs = ordered_languages(glossary)
    used = set(ALWAYS_WRITTEN)
    for concept in glossary:
        for term in concept.terms:
            values = dict(zip(TERM_COLUMNS, _term_attrs(term), strict=True))
            used.update(k for k, v in values.items() if v)
        concept_tuple = (concept.domain, concept.definition, concept.note, concept.source)
        used.update(k for k, v in zip(CONCEPT_COLUMNS, concept_tuple, strict=True) if v)
    term_cols = [c for c in TERM_COLUMNS if c in used]
    concept_cols = [c for c in CONCEPT_COLUMNS if c in used]
    header = ["id", *langs, *term_cols, *concept_cols]
    out: list[list[str]] = []
    for concept in glossary:
        concept_values = dict(
            zip(
                CONCEPT_COLUMNS,
                (concept.domain, concept.definition, concept.note, concept.source),
                strict=True,
            )
        )
        for index, row_terms in enumerate(concept.rows()):
            values = dict(zip(TERM_COLUMNS, _term_attrs(row_terms[0]), strict=True))
            texts = {term.lang: term.text for term in row_terms}
            row = [concept.id, *(texts.get(lang, "") for lang in langs)]
            row += [values[c] for c in term_cols]
            row += [concept_values[c] if index == 0 else "" for c in concept_cols]
            out.append(row)
    return header, out


def _tsv_cell(cell: str) -> str:
    if "\t" in cell or "\n" in cell or "\r" in cell:
        raise GlossaryError(f"cannot write {cell[:40]!r} to TSV: it contains a tab or line break")
    return spreadsheet_safe(cell)


def pair_rows(
    glossary: Glossary, source: str, target: str, *, forbidden: bool = False
) -> list[tuple[str, str, str]]:
    """(source term, its translation, note) for each usable source term; the translation is
    ``Concept.counterpart`` ("ОДКБ" -> "CSTO"), as the matcher reports it.

    Forbidden terms are skipped, unless ``forbidden`` (OmegaT, where a translator should see
    them): then a forbidden source variant is listed with the concept's translation, and a
    forbidden target variant beside the concept's preferred source term, each with a note
    saying what to use instead.
    """
    rows: list[tuple[str, str, str]] = []
    for concept in glossary:
        for term in concept.terms_in(source):
            if term.status is TermStatus.FORBIDDEN:
                continue
            translation = concept.counterpart(term, target)
            if translation is not None:
                rows.append((term.text, translation.text, term.note or concept.note))
        if not forbidden:
            continue
        preferred_source = concept.preferred(source)
        preferred_target = concept.preferred(target)
        for term in concept.terms:
            if term.status is not TermStatus.FORBIDDEN:
                continue
            reason = f" ({term.note})" if term.note else ""
            if term.lang == source and preferred_target and preferred_source:
                note = f"FORBIDDEN source variant: use {preferred_source.text}{reason}"
                rows.append((term.text, preferred_target.text, note))
            elif term.lang == target and preferred_source and preferred_target:
                note = f"FORBIDDEN: do not use {term.text}; use {preferred_target.text}{reason}"
                rows.append((preferred_source.text, term.text, note))
    return rows


def render_tsv(
    glossary: Glossary, *, layout: str = "full", source: str = "en", target: str = "ru"
) -> bytes:
    """Our TSV layout (``full``, lossless) or OmegaT's (``omegat``: source, target, comment)."""
    if layout == "omegat":
        lines = [
            "\t".join(_tsv_cell(c) for c in ((s, t, n) if n else (s, t)))
            for s, t, n in pair_rows(glossary, source, target, forbidden=True)
        ]
    else:
        header, rows = table_rows(glossary)
        lines = ["\t".join(header)] + ["\t".join(_tsv_cell(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
