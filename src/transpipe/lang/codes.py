"""Language codes: the one normaliser every package uses.

Codes are BCP-47-like (``en``, ``ru``, ``en-US``, ``ru_RU``). The canonical spelling is lower
case with ``-`` between subtags (``ru_RU`` -> ``ru-ru``); the *primary* language is the first
subtag (``EN-us`` -> ``en``). A wanted code without a region matches every regional variant
(``en-gb`` matches ``en``); a wanted code with a region matches only itself.
"""

from __future__ import annotations

import re

from transpipe.errors import ConfigError

_CODE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)


def normalize(code: str) -> str:
    """Canonical spelling: stripped, lower case, ``-`` as the subtag separator."""
    return code.strip().lower().replace("_", "-")


def primary(code: str) -> str:
    """The primary language subtag: ``EN-us`` -> ``en``, ``ru_RU`` -> ``ru``."""
    return normalize(code).split("-", 1)[0]


def matches(code: str, wanted: str) -> bool:
    """``code`` is ``wanted`` or, when ``wanted`` has no region, one of its variants."""
    if code == wanted:
        return True
    code, wanted = normalize(code), normalize(wanted)
    if "-" in wanted:
        return code == wanted
    return code.split("-", 1)[0] == wanted


def is_language_code(text: str) -> bool:
    """True for a BCP-47-like code such as ``en``, ``ru``, ``en-US``, ``ru_RU``."""
    return bool(_CODE_RE.match(text.strip()))


def checked(code: str) -> str:
    """The canonical spelling of a code given by a user; ``ConfigError`` when it is not one
    (empty, or subtags that are not ASCII letters and digits)."""
    value = normalize(code)
    if not value or not all(part.isalnum() and part.isascii() for part in value.split("-")):
        raise ConfigError(f"invalid language code {code!r}", hint="use codes such as en, ru")
    return value
