"""Domain values shared by every stage: documents, segments, terms, hypotheses, findings.

Owns the vocabulary of the pipeline. Everything here is a frozen dataclass or an enum with no
I/O and no heavy imports, so any module may import it. Package-specific values (glossary
concepts, alignment links, engine internals) live in their own packages.

One segment's way through ``translate`` is one :class:`SegmentRecord`: the stages of
``transpipe.pipeline`` each return a copy with their part filled in (``dataclasses.replace``):
source term matches, a :class:`Draft` (hypothesis, where it came from), target term matches,
the term audit, findings and the quality score. ``None`` in a field means "not computed";
an empty tuple means "computed, nothing found".

Segment ids follow the contract ``"{doc}:p{paragraph}:s{sentence}"`` (1-based numbers); they
become the TMX ``tuid``, the PO ``msgctxt`` and the key for putting a reviewed translation back.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class LanguagePair:
    """A translation direction, e.g. ``LanguagePair("ru", "en")``."""

    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.source}-{self.target}"

    def reversed(self) -> LanguagePair:
        return LanguagePair(self.target, self.source)


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so ``max()`` gives the worst."""

    INFO = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into some text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class SegmentKind(enum.Enum):
    """What a segment is, so boilerplate and headlines are not treated as prose."""

    SENTENCE = "sentence"
    HEADLINE = "headline"
    BOILERPLATE = "boilerplate"


def segment_id(doc: str, paragraph: int, sentence: int) -> str:
    """Build the stable segment id; ``paragraph`` and ``sentence`` are 1-based."""
    return f"{doc}:p{paragraph}:s{sentence}"


@dataclass(frozen=True)
class Segment:
    """One sentence (or headline, or boilerplate line) of a document.

    ``span`` points into the original document text, so ``doc.text[span.start:span.end]``
    equals ``text`` and a reviewed translation can be put back exactly.
    """

    id: str
    text: str
    paragraph: int
    index: int
    span: Span
    kind: SegmentKind = SegmentKind.SENTENCE


@dataclass(frozen=True)
class Paragraph:
    """A block of text separated from the next by a blank line."""

    index: int
    span: Span
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Document:
    """A monolingual article: its original text and its segmentation."""

    name: str
    lang: str
    text: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for p in self.paragraphs for s in p.segments)


class TermStatus(enum.Enum):
    """Normative status of a term in the glossary."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class TermEntry:
    """One glossary row as the pipeline sees it: a concept's term pair and its status."""

    concept_id: str
    source: str
    target: str
    status: TermStatus = TermStatus.PREFERRED
    pos: str = ""
    note: str = ""


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a text, with its span and the concept it belongs to.

    ``preferred`` gives, per language, the term a translation of this occurrence should use:
    the concept's preferred term, except that an admitted variant such as an abbreviation
    maps to its own counterpart on the same glossary row (ОДКБ -> CSTO, not the full name).
    """

    concept_id: str
    span: Span
    surface: str
    lang: str
    status: TermStatus
    preferred: tuple[tuple[str, str], ...] = ()  # (lang, preferred term) per language
    segment_id: str = ""


class TermOutcome(enum.Enum):
    """What happened to one source term occurrence during translation."""

    FOUND = "found"  # in the source; pinning off or not attempted
    HONOURED = "honoured"  # the model produced an approved form by itself
    PINNED = "pinned"  # the approved form was forced during decoding
    REPAIRED = "repaired"  # the output was post-edited to the approved form
    FAILED = "failed"  # the approved form is not in the output


@dataclass(frozen=True)
class TermAudit:
    """Audit record for one source term occurrence in one segment."""

    concept_id: str
    source_surface: str
    expected: str
    outcome: TermOutcome
    target_surface: str = ""


@dataclass(frozen=True)
class Hypothesis:
    """One engine output for one input sentence.

    ``score`` is the mean token log-probability when the engine reports it (``None``
    otherwise); ``pieces`` counts how many chunks a too-long input was split into.
    """

    text: str
    score: float | None = None
    pieces: int = 1
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issue:
    """A quality finding: a value, never an exception."""

    check: str
    severity: Severity
    message: str
    span: Span | None = None
    side: str = "target"


class SegmentStatus(enum.Enum):
    """Review status of a translated segment, from quality estimation."""

    GOOD = "good"
    REVIEW = "review"
    BAD = "bad"


@dataclass(frozen=True)
class Score:
    """A segment's quality: 0-100 estimate, status and the parts it was combined from."""

    value: float
    status: SegmentStatus
    components: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Unit:
    """A bilingual translation unit: what TMX ``tu``, PO entries and XLIFF units hold.

    ``notes`` are free-text remarks; ``props`` are typed key/value pairs kept in order (TMX
    ``prop``); ``fuzzy`` marks a unit that needs review.
    """

    id: str
    source: str
    target: str
    paragraph: int = 0
    kind: SegmentKind = SegmentKind.SENTENCE
    fuzzy: bool = False
    notes: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()
    term_matches: tuple[TermMatch, ...] = ()
    term_audit: tuple[TermAudit, ...] = ()
    issues: tuple[Issue, ...] = ()
    score: Score | None = None


@dataclass(frozen=True)
class Bitext:
    """A bilingual document: ordered units in one language pair, plus provenance.

    Format writers take a ``Bitext`` and a binary stream; readers return one.
    ``created`` is an ISO-8601 UTC timestamp string (``YYYYMMDDTHHMMSSZ`` in TMX) passed in
    from the caller's clock, so output is deterministic.
    """

    name: str
    pair: LanguagePair
    units: tuple[Unit, ...]
    created: str = ""
    props: tuple[tuple[str, str], ...] = ()

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)


class DraftKind(enum.Enum):
    """Where a segment's translation came from."""

    FIXED = "fixed"  # a fixed table (page boilerplate)
    MEMORY = "memory"  # a translation memory unit
    MACHINE = "machine"  # an MT engine (then possibly pinned)
    MISSING = "missing"  # nothing could translate it (memory-only run, no match)


@dataclass(frozen=True)
class Draft:
    """A segment's translation with its origin.

    ``origin`` is what TMX/PO record as ``x-origin`` (``"ct2"``, ``"tm:reviewed.po"``,
    ``"boilerplate"``, ``"none"``); ``needs_review`` marks a draft that must be reviewed
    whatever its score (a memory unit imported as unreviewed); ``issues`` are findings raised
    while producing it (a navigation line with no known translation); ``props`` are further
    facts the formats record with the unit (a fuzzy memory match offered beside it).
    """

    hypothesis: Hypothesis
    origin: str
    kind: DraftKind
    needs_review: bool = False
    issues: tuple[Issue, ...] = ()
    props: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return self.hypothesis.text


@dataclass(frozen=True)
class SegmentRecord:
    """Everything the pipeline knows about one segment; stages fill the fields in turn.

    ``None`` = not computed (no glossary, stage not run yet); ``()`` = computed, none found.
    """

    segment: Segment
    source_terms: tuple[TermMatch, ...] | None = None
    draft: Draft | None = None
    target_terms: tuple[TermMatch, ...] | None = None
    term_audit: tuple[TermAudit, ...] | None = None
    issues: tuple[Issue, ...] | None = None
    score: Score | None = None

    @property
    def target(self) -> str:
        """The translation so far ("" before a draft exists)."""
        return self.draft.hypothesis.text if self.draft is not None else ""


@dataclass(frozen=True)
class Provenance:
    """What produced a run's translations: the one place the run's provenance is kept.

    TMX/PO/XLIFF headers get it as :meth:`props`; the run report as its ``run`` record.
    """

    engine: str
    model: str = ""
    model_revision: str = ""
    decoding: str = ""
    term_pinning: bool = False

    def props(self) -> tuple[tuple[str, str], ...]:
        """``x-*`` properties for bilingual file headers, in a fixed order."""
        return (
            ("x-engine", self.engine),
            ("x-model", self.model),
            ("x-model-revision", self.model_revision),
            ("x-decoding", self.decoding),
            ("x-term-pinning", "on" if self.term_pinning else "off"),
        )
