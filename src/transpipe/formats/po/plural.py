"""PO ``Plural-Forms``: the forms we write per language and the check of a file's expression.

Owns plural-form knowledge for PO. An expression is never evaluated with ``eval``:
``nplurals`` is capped at :data:`MAX_NPLURALS` and the expression goes through
``gettext.c2py`` (a whitelist tokenizer) and is checked for n in 0..1000.
"""

from __future__ import annotations

import gettext
import re

from transpipe.lang.codes import primary

MAX_NPLURALS = 6
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
}


def nplurals(plural_forms: str) -> int:
    """The ``nplurals`` of a (valid) Plural-Forms value; 2 when it cannot be read."""
    m = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(m.group(1)) if m and len(m.group(1)) < 3 else 2


def plural_forms_for(language: str, declared: str = "") -> str:
    """``declared`` when it is valid, else the forms of ``language`` (English's if unknown)."""
    if valid_plural_forms(declared):
        return declared
    return PLURAL_FORMS.get(primary(language), PLURAL_FORMS["en"])


def valid_plural_forms(value: str) -> bool:
    try:
        check_plural_forms(value)
    except ValueError:
        return False
    return bool(value)


def check_plural_forms(value: str) -> int:
    """Validate a Plural-Forms value; return nplurals. Raises ValueError with the reason."""
    m = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*(?:plural\s*=\s*(.*?)\s*;?\s*)?", value, re.S)
    if not m:
        raise ValueError(f"cannot parse Plural-Forms {value[:60]!r}")
    if len(m.group(1)) > 2 or not 1 <= int(m.group(1)) <= MAX_NPLURALS:
        raise ValueError(f"nplurals={m.group(1)[:12]} is outside 1..{MAX_NPLURALS}")
    count = int(m.group(1))
    expression = m.group(2)
    if expression is None:
        return count
    if len(expression) > 300:
        raise ValueError("plural expression longer than 300 characters")
    try:
        function = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        raise ValueError(f"invalid plural expression {expression[:60]!r}") from exc
    for n in range(1001):
        try:
            form = function(n)
        except (ArithmeticError, RecursionError, TypeError, ValueError) as exc:
            raise ValueError(f"plural expression fails for n={n}") from exc
        if not 0 <= int(form) < count:
            raise ValueError(f"plural expression gives form {form} for n={n}, nplurals={count}")
    return count
