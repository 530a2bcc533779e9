"""Fixed translations of page boilerplate (navigation lines) that must not go through MT.

News pages end with navigation such as "Go back" / "Назад". The segmenter marks such lines as
``SegmentKind.BOILERPLATE``; this table gives their counterpart in the other language. A line
with no entry is kept as it is and flagged for review, never sent to the MT engine as prose.
"""

from __future__ import annotations

_PAIRS: tuple[tuple[str, str], ...] = (
    ("Go back", "Назад"),
    ("Back", "Назад"),
    ("Back to the section", "Вернуться в раздел"),
    ("Back to the all news", "Вернуться ко всем новостям"),
    ("Back to all news", "Вернуться ко всем новостям"),
    ("All news", "Все новости"),
    ("Print", "Печать"),
    ("Print version", "Версия для печати"),
    ("Share", "Поделиться"),
    ("Read more", "Подробнее"),
    ("Home", "Главная"),
)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


_TABLE: dict[tuple[str, str], dict[str, str]] = {
    ("en", "ru"): {_key(en): ru for en, ru in _PAIRS},
    ("ru", "en"): {_key(ru): en for en, ru in reversed(_PAIRS)},
}


def translate_boilerplate(text: str, source: str, target: str) -> str | None:
    """Return the fixed translation of a navigation line, or ``None`` when it is unknown."""
    return _TABLE.get((source, target), {}).get(_key(text))
