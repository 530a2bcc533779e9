"""Per-language segmentation rules as data: loading and validating the rules files.

The bundled rules are language data, shipped as ``transpipe/lang/data/segment.<lang>.toml``
(see :mod:`transpipe.lang.resources`); ``rules_from_file`` reads a user's file of the same
shape.

Owns the ``LanguageRules`` value: sentence-final punctuation, quote and bracket characters,
dashes, list bullets, abbreviation classes, sentence-starter words, emoticons that may end a
sentence (":)", "))"), separators before which an enumeration item starts a new segment
("; 2) ...") and page-boilerplate lines.
The segmenter (``segmenter.py``) and the SRX exporter (``srx.py``) read only this value, so a
rule change is a data change.

Abbreviation classes, in order of precedence (an abbreviation is in at most one of the
classes marked *; ``before_number`` combines with any of them):

- ``nonfinal``* never ends a sentence ("Mr.", "т.е.", "проф.");
- ``before_number`` never ends a sentence when a number follows ("No. 5", "ст. 105");
- ``after_number``* ends a sentence only after a number ("в 2020 г. В ..."), never elsewhere
  ("г. Москва", "см. ниже");
- ``ambiguous``* ends a sentence only before a sentence-starter word ("U.S. The ...");
- ``final``* may end a sentence: breaks before a capitalised word ("и т.д. Это ...").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from transpipe.errors import ConfigError, FormatError
from transpipe.lang.codes import primary
from transpipe.lang.resources import data_names, data_path, has_data, read_data

ABBREVIATION_CLASSES = ("nonfinal", "before_number", "after_number", "ambiguous", "final")
EXCLUSIVE_CLASSES = ("nonfinal", "after_number", "ambiguous", "final")
_CHAR_FIELDS = (
    "terminators",
    "closers",
    "openers",
    "dashes",
    "bullets",
    "currency",
    "continuations",
    "enumeration_separators",
)


def normalise_abbreviation(text: str) -> str:
    """Lookup key of an abbreviation: lower case, no spaces, no final period."""
    return "".join(text.split()).lower().rstrip(".")


@dataclass(frozen=True)
class LanguageRules:
    """Everything the rule segmenter knows about one language."""

    language: str
    terminators: frozenset[str]
    closers: frozenset[str]
    openers: frozenset[str]
    dashes: frozenset[str]
    bullets: frozenset[str]
    currency: frozenset[str]
    continuations: frozenset[str]
    enumeration_separators: frozenset[str]
    emoticons: frozenset[str]
    nonfinal: frozenset[str]
    before_number: frozenset[str]
    after_number: frozenset[str]
    ambiguous: frozenset[str]
    final: frozenset[str]
    sentence_starters: frozenset[str]
    boilerplate: frozenset[str]

    def abbreviation_class(self, key: str) -> str | None:
        """The exclusive class of a normalised abbreviation, or ``None``."""
        for name in EXCLUSIVE_CLASSES:
            if key in getattr(self, name):
                return name
        return None


def _strings(data: dict[str, Any], key: str, source: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise FormatError(f"{key!r} must be a list of non-empty strings", path=source)
    return list(value)


def normalise_boilerplate(text: str) -> str:
    """Comparison key of a boilerplate line: case-folded, single spaces, no end punctuation."""
    return " ".join(text.split()).casefold().strip(" .:!?…»«\"'|>•·-–—")


def rules_from_mapping(data: dict[str, Any], source: str = "<rules>") -> LanguageRules:
    """Build and validate ``LanguageRules`` from a parsed TOML/JSON mapping."""
    language = data.get("language")
    if not isinstance(language, str) or not language:
        raise FormatError("missing 'language' (e.g. language = \"ru\")", path=source)
    chars: dict[str, frozenset[str]] = {}
    for key in _CHAR_FIELDS:
        values = _strings(data, key, source)
        if any(len(v) != 1 for v in values):
            raise FormatError(f"{key!r} must list single characters", path=source)
        chars[key] = frozenset(values)
    if not chars["terminators"]:
        raise FormatError("'terminators' must not be empty", path=source)
    abbreviations = data.get("abbreviations", {})
    if not isinstance(abbreviations, dict):
        raise FormatError("'abbreviations' must be a table", path=source)
    unknown = sorted(set(abbreviations) - set(ABBREVIATION_CLASSES))
    if unknown:
        raise FormatError(
            f"unknown abbreviation class {unknown[0]!r}",
            path=source,
            hint="known: " + ", ".join(ABBREVIATION_CLASSES),
        )
    classes: dict[str, frozenset[str]] = {}
    seen: dict[str, str] = {}
    for name in ABBREVIATION_CLASSES:
        keys = frozenset(normalise_abbreviation(a) for a in _strings(abbreviations, name, source))
        classes[name] = keys
        if name in EXCLUSIVE_CLASSES:
            for key in sorted(keys):
                if key in seen:
                    raise FormatError(
                        f"abbreviation {key!r} is in both {seen[key]!r} and {name!r}",
                        path=source,
                    )
                seen[key] = name
    return LanguageRules(
        language=language,
        terminators=chars["terminators"],
        closers=chars["closers"],
        openers=chars["openers"],
        dashes=chars["dashes"],
        bullets=chars["bullets"],
        currency=chars["currency"],
        continuations=chars["continuations"],
        enumeration_separators=chars["enumeration_separators"],
        emoticons=frozenset(_strings(data, "emoticons", source)),
        nonfinal=classes["nonfinal"],
        before_number=classes["before_number"],
        after_number=classes["after_number"],
        ambiguous=classes["ambiguous"],
        final=classes["final"],
        sentence_starters=frozenset(_strings(data, "sentence_starters", source)),
        boilerplate=frozenset(
            normalise_boilerplate(b) for b in _strings(data, "boilerplate", source)
        ),
    )


def rules_from_file(path: str | Path) -> LanguageRules:
    """Load rules from a TOML file shaped like ``transpipe/lang/data/segment.ru.toml``."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("rules file not found", path=p) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read rules: {exc}", path=p) from None
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"invalid TOML: {exc}", path=p) from None
    return rules_from_mapping(data, str(p))


_PREFIX, _SUFFIX = "segment.", ".toml"


def available_languages() -> tuple[str, ...]:
    """Languages with a bundled rules file."""
    return tuple(name[len(_PREFIX) : -len(_SUFFIX)] for name in data_names(_PREFIX, _SUFFIX))


@cache
def load_rules(lang: str) -> LanguageRules:
    """The bundled rules for ``lang`` ("ru", "en"); parsed once per process (immutable)."""
    code = primary(lang)
    name = f"{_PREFIX}{code}{_SUFFIX}"
    if not code.isalpha() or not has_data(name):
        raise ConfigError(
            f"no segmentation rules for language {lang!r}",
            hint="known: " + ", ".join(available_languages()),
        )
    return rules_from_mapping(tomllib.loads(read_data(name)), data_path(name))
