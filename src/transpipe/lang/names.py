"""Russian personal names: how given names, patronymics and surnames inflect.

Owns the name rules, which apply whatever the dictionary says: pymorphy3 reads the unknown
nominative «Тасмагамбетов» as a genitive plural of «тасмагамбет» and declines «Имангали» like
a noun, while a name follows its own pattern:

- surnames in -ов/-ев/-ёв/-ин/-ын: «Тасмагамбетов», «-а», «-у», «-а», «-ым», «-е»; female
  «Тасмагамбетова», «-ой», «-ой», «-у», «-ой», «-ой»; plural «Тасмагамбетовы», «-ых», ...;
- adjectival surnames in -ский/-цкий/-ой/-ый: «Вишневский», «-ого», «-ому», «-ого», «-им»,
  «-ом»; female «Вишневская», «-ой», «-ой», «-ую», «-ой», «-ой»;
- indeclinable surnames: ending in a vowel other than -а/-я («Лукашенко», «Шойгу»), in
  -ых/-их («Черных»), and every female surname ending in a consonant («Анна Шевчук»,
  «Мария Петрович»);
- other surnames and given names decline like nouns by their ending: «Садыр», «Садыра»,
  «Садыром»; «Шевчук», «Шевчуком»; «Игорь», «Игорем»; «Никита», «Никиты»; «Мария», «Марии»;
  given names ending in -и/-о/-у/-е/-ю/-э (Kazakh and Kyrgyz «Имангали», «Али») and female
  given names ending in a consonant («Айгерим») do not inflect;
- patronymics: «Нургалиевич», «-а», «-у», «-а», «-ем», «-е»; «Петровна», «-ы», «-е», «-у»,
  «-ой», «-е»; Turkic «-улы»/«-кызы» do not inflect;
- initials («И.Н.», «Дж.») never change; in a hyphenated given name only the last part
  inflects («Касым-Жомарта»), in a hyphenated surname every part («Римского-Корсакова»).

After a hushing consonant or ц the instrumental ending may be written either way
(«Шевчуком» / «Бабичем», «Сашей»): both are correct forms, the first listed is preferred.

Roles in a full name come from the words themselves (a patronymic or surname suffix, the
dictionary's Name/Surn/Patr readings) and their order («Имя [Отчество] Фамилия», or the
official «Фамилия Имя Отчество»); the gender from the patronymic, then the surname, then the
given name. A name of unknown gender («Шевчук» alone) has the forms of both.

    name_paradigm("Имангали Тасмагамбетов").form("ablt") -> "Имангали Тасмагамбетовым"
    is_name_form("Имангали Тасмагамбетова", "Имангали Тасмагамбетов") -> True
    inflect_name("Садыр Жапаров", "datv") -> "Садыру Жапарову"
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from transpipe.lang.chars import YO_FOLD
from transpipe.lang.morphology import CASES, PERSONAL_NAME_GRAMMEMES, analyzer

GIVEN, PATRONYMIC, SURNAME, INITIALS = "given", "patronymic", "surname", "initials"
MASC, FEMN = "masc", "femn"

_VELAR_HUSHING = "гкхжшчщ"  # "ы" is written "и" after these
_HUSHING_TS = "жшчщц"  # unstressed "о" of an ending is written "е" after these
_INDECLINABLE_VOWELS = "еиоуыэю"
_CONSONANTS = "бвгджзклмнпрстфхцчшщ"

_POSSESSIVE = ("ов", "ев", "ёв", "ин", "ын")
_POSSESSIVE_FEMN = ("ова", "ева", "ёва", "ина", "ына")
_ADJECTIVAL = ("ский", "цкий", "ской", "цкой")
_ADJECTIVAL_FEMN = ("ская", "цкая")
_PATRONYMIC_MASC = ("ович", "евич", "ьич")
_PATRONYMIC_FEMN = ("овна", "евна", "ична", "инична")
_TURKIC_PATRONYMIC = ("улы", "уулу", "кызы", "гызы", "оглы")
_INITIALS_RE = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]?\.[\u00a0 ]?)+$")
_SPLIT_RE = re.compile(r"(\S+)")

# Endings by case, singular and plural: (nomn, gent, datv, accs, ablt, loct).
_POSSESSIVE_SING = ("", "а", "у", "а", "ым", "е")
_POSSESSIVE_FEMN_SING = ("а", "ой", "ой", "у", "ой", "ой")
_POSSESSIVE_PLUR = ("ы", "ых", "ым", "ых", "ыми", "ых")
_ADJ_MASC_SING = ("ий", "ого", "ому", "ого", "им", "ом")
_ADJ_HARD_MASC_SING = ("ый", "ого", "ому", "ого", "ым", "ом")
_ADJ_FEMN_SING = ("ая", "ой", "ой", "ую", "ой", "ой")
_ADJ_PLUR = ("ие", "их", "им", "их", "ими", "их")
_ADJ_HARD_PLUR = ("ые", "ых", "ым", "ых", "ыми", "ых")


@dataclass(frozen=True)
class NameForm:
    """One form of a name: its text and grammatical slot."""

    text: str
    case: str
    number: str
    gender: str


@dataclass(frozen=True)
class NameParadigm:
    """Every correct form of one personal name, preferred spelling of each slot first."""

    name: str
    gender: str  # "masc", "femn", or "" when the name does not tell
    forms: tuple[NameForm, ...]

    def form(self, case: str, number: str = "sing", gender: str = "") -> str:
        """The preferred form for a slot (the name itself when there is none)."""
        for form in self.forms:
            if (form.case, form.number) == (case, number) and gender in ("", form.gender):
                return form.text
        return self.name

    def surfaces(self) -> tuple[str, ...]:
        """Distinct forms, the name itself first."""
        return tuple(dict.fromkeys([self.name, *(f.text for f in self.forms)]))

    def slots_of(self, surface: str) -> tuple[NameForm, ...]:
        """The forms equal to ``surface`` (letter case, ё/е and spacing ignored)."""
        key = _fold(surface)
        return tuple(f for f in self.forms if _fold(f.text) == key)

    def accepts(self, surface: str) -> bool:
        """Whether ``surface`` is a correct form of the name."""
        return bool(self.slots_of(surface))


def _fold(text: str) -> str:
    return " ".join(text.lower().translate(YO_FOLD).replace("\u00a0", " ").split())


# -- words --------------------------------------------------------------------------------


def is_initials(word: str) -> bool:
    """Initials or an abbreviated name: «И.», «И.Н.», «И. Н.», «Дж.»."""
    return bool(_INITIALS_RE.match(word))


def _dictionary_roles(word: str) -> set[str]:
    roles = set()
    for reading in analyzer().parse(word):
        if "Name" in reading.grammemes:
            roles.add(GIVEN)
        if "Surn" in reading.grammemes:
            roles.add(SURNAME)
        if "Patr" in reading.grammemes:
            roles.add(PATRONYMIC)
    return roles


def _capitalised(word: str) -> bool:
    letters = word.replace("-", "")
    return (
        letters.isalpha()
        and word[:1].isupper()
        and not (len(letters) > 1 and letters.isupper())
        and all(part[:1].isupper() for part in word.split("-") if part)
    )


def is_name_word(word: str) -> bool:
    """A capitalised word the dictionary reads as a first name, surname or patronymic, or
    does not know (its guesses for unknown names are unreliable: treat them as names)."""
    if not _capitalised(word):
        return False
    morph = analyzer()
    if any(a.has(*PERSONAL_NAME_GRAMMEMES) for a in morph.parse(word)):
        return True
    return not morph.is_known(word)


def _has_surname_suffix(lower: str) -> bool:
    return len(lower) > 4 and lower.endswith(
        _POSSESSIVE + _POSSESSIVE_FEMN + _ADJECTIVAL + _ADJECTIVAL_FEMN
    )


def _has_patronymic_suffix(lower: str) -> bool:
    return len(lower) > 5 and lower.endswith(
        _PATRONYMIC_MASC + _PATRONYMIC_FEMN + _TURKIC_PATRONYMIC
    )


def looks_like_name_word(word: str) -> bool:
    """:func:`is_name_word`, or a capitalised word with a surname or patronymic suffix that
    the dictionary only knows as something else («Токаев», read as a form of «токай»)."""
    if is_name_word(word):
        return True
    if not _capitalised(word):
        return False
    lower = word.lower()
    if not (_has_surname_suffix(lower) or _has_patronymic_suffix(lower)):
        return False
    # a dictionary word in its nominative ("Договор", "Китайский") is that word, not a name
    return not any(a.case == "nomn" for a in analyzer().parse(word))


def has_name_evidence(word: str) -> bool:
    """The dictionary reads ``word`` as a name, or it has a surname or patronymic suffix."""
    lower = word.lower()
    return (
        bool(_dictionary_roles(word)) or _has_surname_suffix(lower) or _has_patronymic_suffix(lower)
    )


def is_name_sequence(words: Sequence[str]) -> bool:
    """Words that make a personal name: each initials («И.», «Н») or a name word by
    :func:`looks_like_name_word`, and at least one a name word by :func:`is_name_word`
    (a suffix alone does not make «Московской» a name)."""
    named = [w for w in words if not (is_initials(w) or (len(w) == 1 and w.isupper()))]
    if not named or not all(_capitalised(w) for w in named):  # no dictionary needed
        return False
    return all(looks_like_name_word(w) for w in named) and any(is_name_word(w) for w in named)


def is_personal_name(text: str) -> bool:
    """A text that is a personal name: «Имангали Тасмагамбетов», «И.Н. Тасмагамбетов»,
    «Касым-Жомарт Токаев» (see :func:`is_name_sequence`)."""
    return is_name_sequence(text.split())


# -- roles and gender ---------------------------------------------------------------------


def _word_gender(word: str, role: str) -> str:
    lower = word.lower()
    if role == PATRONYMIC:
        if lower.endswith(_PATRONYMIC_MASC) or lower.endswith("ич"):
            return MASC
        if lower.endswith(_PATRONYMIC_FEMN):
            return FEMN
        return ""
    if role == SURNAME:
        if len(lower) > 4 and lower.endswith(_POSSESSIVE_FEMN + _ADJECTIVAL_FEMN):
            return FEMN
        if len(lower) > 3 and lower.endswith(_POSSESSIVE + _ADJECTIVAL):
            return MASC
        return ""
    if role == GIVEN:
        last = lower.split("-")[-1]
        genders = {
            a.gender
            for a in analyzer().parse(last)
            if "Name" in a.grammemes and a.case == "nomn" and a.gender in (MASC, FEMN)
        }
        if len(genders) == 1:
            return genders.pop()
        if genders:
            return ""
        if last.endswith(("а", "я")):
            return FEMN
        if last[-1:] in _CONSONANTS or last.endswith(("й", "ь")):
            return MASC
    return ""


def name_roles(words: list[str]) -> list[str]:
    """The role of each word of a name (``given``, ``patronymic``, ``surname``, ``initials``)."""
    roles = [INITIALS if is_initials(w) else "" for w in words]
    named = [i for i, role in enumerate(roles) if not role]
    if not named:
        return roles
    lowers = {i: words[i].lower() for i in named}
    dictionary = {i: _dictionary_roles(words[i]) for i in named}
    if len(named) == 1:
        (i,) = named
        if _has_patronymic_suffix(lowers[i]) and lowers[i].endswith(_PATRONYMIC_FEMN):
            roles[i] = PATRONYMIC
        elif dictionary[i] == {GIVEN} and not _has_surname_suffix(lowers[i]):
            roles[i] = GIVEN
        else:
            roles[i] = SURNAME
        return roles
    first, last = named[0], named[-1]
    official = _has_surname_suffix(lowers[first]) and any(
        _has_patronymic_suffix(lowers[i]) for i in named[1:]
    )
    surname = first if official else last
    if not official:
        suffixed = [
            i for i in named if _has_surname_suffix(lowers[i]) and GIVEN not in dictionary[i]
        ]
        if suffixed:
            surname = suffixed[-1]
    for i in named:
        if i == surname:
            roles[i] = SURNAME
        elif i != first and _has_patronymic_suffix(lowers[i]) and (i != last or official):
            roles[i] = PATRONYMIC
        else:
            roles[i] = GIVEN
    return roles


def name_gender(name: str) -> str:
    """``masc``, ``femn`` or ``""``: from the patronymic, then the surname, then the given name."""
    words = name.split()
    roles = name_roles(words)
    for wanted in (PATRONYMIC, SURNAME, GIVEN):
        for word, role in zip(words, roles, strict=True):
            if role == wanted:
                gender = _word_gender(word, role)
                if gender:
                    return gender
    return ""


# -- inflection of one word ---------------------------------------------------------------

Endings = dict[tuple[str, str], tuple[str, ...]]  # (case, number) -> forms, preferred first


def _attach(stem: str, endings: tuple[str, ...], number: str, upper: bool) -> Endings:
    return {
        (case, number): ((stem + (ending.upper() if upper else ending)),)
        for case, ending in zip(CASES, endings, strict=True)
    }


def _spell(stem: str, ending: str) -> str:
    """Russian spelling rules at the stem boundary: «ы» -> «и» after г к х ж ш ч щ."""
    last = stem[-1:].lower()
    if ending.startswith("ы") and last in _VELAR_HUSHING:
        return "и" + ending[1:]
    return ending


def _noun_forms(word: str, gender: str, upper: bool) -> Endings | None:
    """Singular forms of a name declined like a noun by its ending, None if it does not."""
    lower = word.lower()
    last = lower[-1:]

    def make(stem: str, endings: tuple[str, ...], ablt: tuple[str, ...] = ()) -> Endings:
        out: Endings = {}
        for case, ending in zip(CASES, endings, strict=True):
            texts = [stem + _spell(stem, ending)]
            if case == "ablt" and ablt:
                texts = [stem + e for e in ablt]
            out[(case, "sing")] = tuple(t.upper() if upper else t for t in texts)
        return out

    if last == "а" or (last == "я" and not lower.endswith("ия")):
        stem = word[:-1]
        soft = last == "я"
        nomn = "я" if soft else "а"
        gent = "и" if soft else "ы"
        accs = "ю" if soft else "у"
        ablt: tuple[str, ...] = ("ей",) if soft else ("ой",)
        if not soft and stem[-1:].lower() in _HUSHING_TS:
            ablt = ("ей", "ой")
        return make(stem, (nomn, gent, "е", accs, ablt[0], "е"), ablt)
    if lower.endswith("ия"):
        return make(word[:-1], ("я", "и", "и", "ю", "ей", "и"))
    if gender == FEMN:
        if last == "ь":
            return make(word[:-1], ("ь", "и", "и", "ь", "ью", "и"))
        return None  # female names ending in a consonant or another vowel do not inflect
    if last in _INDECLINABLE_VOWELS:
        return None
    if lower.endswith("ий"):
        return make(word[:-1], ("й", "я", "ю", "я", "ем", "и"))
    if last in ("й", "ь"):
        return make(word[:-1], (last, "я", "ю", "я", "ем", "е"))
    if last in _CONSONANTS:
        ablt = ("ем", "ом") if last in _HUSHING_TS else ("ом",)
        return make(word, ("", "а", "у", "а", ablt[0], "е"), ablt)
    return None


def _surname_forms(word: str, gender: str) -> Endings | None:
    lower = word.lower()
    upper = len(word) > 1 and word.isupper()
    if lower.endswith(("ых", "их")) or lower.endswith(("аго", "яго")):
        return None
    if gender == FEMN:
        if len(lower) > 4 and lower.endswith(_POSSESSIVE_FEMN):
            stem = word[:-1]
            return _attach(stem, _POSSESSIVE_FEMN_SING, "sing", upper) | _attach(
                stem, _POSSESSIVE_PLUR, "plur", upper
            )
        if len(lower) > 4 and lower.endswith(("ая", "яя")):
            stem = word[:-2]
            plural = _ADJ_PLUR if stem[-1:].lower() in _VELAR_HUSHING else _ADJ_HARD_PLUR
            return _attach(stem, _ADJ_FEMN_SING, "sing", upper) | _attach(
                stem, plural, "plur", upper
            )
        if lower.endswith(("а", "я")):
            return _noun_forms(word, FEMN, upper)
        return None  # «Анна Шевчук», «Мария Петрович»
    if len(lower) > 3 and lower.endswith(_POSSESSIVE):
        return _attach(word, _POSSESSIVE_SING, "sing", upper) | _attach(
            word, _POSSESSIVE_PLUR, "plur", upper
        )
    if len(lower) > 4 and lower.endswith(("ий", "ой", "ый")):
        stem = word[:-2]
        soft = stem[-1:].lower() in _VELAR_HUSHING
        if lower.endswith("ий") and not soft:
            return _noun_forms(word, MASC, upper)
        sing = _ADJ_MASC_SING if soft else _ADJ_HARD_MASC_SING
        sing = (word[-2:].lower(), *sing[1:])
        return _attach(stem, sing, "sing", upper) | _attach(
            stem, _ADJ_PLUR if soft else _ADJ_HARD_PLUR, "plur", upper
        )
    return _noun_forms(word, MASC, upper)


def _patronymic_forms(word: str, gender: str) -> Endings | None:
    lower = word.lower()
    upper = len(word) > 1 and word.isupper()
    if lower.endswith(_TURKIC_PATRONYMIC):
        return None
    if lower.endswith("на"):
        return _attach(word[:-1], ("а", "ы", "е", "у", "ой", "е"), "sing", upper)
    if lower.endswith("ич") and gender != FEMN:
        return _attach(word, ("", "а", "у", "а", "ем", "е"), "sing", upper)
    return None


def _single_word_forms(word: str, role: str, gender: str) -> Endings | None:
    upper = len(word) > 1 and word.isupper()
    if role == SURNAME:
        return _surname_forms(word, gender)
    if role == PATRONYMIC:
        return _patronymic_forms(word, gender)
    if role == GIVEN:
        return None if _fixed_given_name(word) else _noun_forms(word, gender, upper)
    return None


def _fixed_given_name(word: str) -> bool:
    """A given name the dictionary knows as indeclinable («Франсуа», «Мари»)."""
    morph = analyzer()
    readings = [a for a in morph.parse(word) if "Name" in a.grammemes]
    return morph.is_known(word) and bool(readings) and all(a.has("Fixd") for a in readings)


def word_forms(word: str, role: str, gender: str) -> Endings:
    """Forms of one word of a name by (case, number); an indeclinable word has its own text
    in every singular case. Hyphenated: every part of a surname inflects, only the last part
    of a given name."""
    if role == INITIALS:
        return {(case, "sing"): (word,) for case in CASES}
    parts = word.split("-")
    if len(parts) > 1 and all(parts):
        inflecting = range(len(parts)) if role == SURNAME else [len(parts) - 1]
        per_part = [
            word_forms(part, role, gender) if i in inflecting else {}
            for i, part in enumerate(parts)
        ]
        slots = set.intersection(*(set(p) for p in per_part if p)) if per_part else set()
        out: Endings = {}
        for slot in sorted(slots, key=_slot_order):
            choices = [p[slot] if p else (part,) for p, part in zip(per_part, parts, strict=True)]
            out[slot] = tuple("-".join(c) for c in itertools.product(*choices))
        return out
    forms = _single_word_forms(word, role, gender)
    if forms is None:
        return {(case, "sing"): (word,) for case in CASES}
    return forms


def _slot_order(slot: tuple[str, str]) -> tuple[int, int]:
    return (slot[1] != "sing", CASES.index(slot[0]))


# -- whole names --------------------------------------------------------------------------


def name_paradigm(name: str, gender: str = "") -> NameParadigm:
    """Every correct form of ``name`` (one or more words, initials included), singular for a
    full name, singular and plural for a surname alone; both genders when ``gender`` is not
    given and the name does not tell."""
    pieces = _SPLIT_RE.split(name.strip())
    words = pieces[1::2]
    if not words:
        return NameParadigm(name, gender, ())
    roles = name_roles(words)
    own_gender = gender or name_gender(name)
    genders = [own_gender] if own_gender else [MASC, FEMN]
    forms: list[NameForm] = []
    seen: set[tuple[str, str, str, str]] = set()
    for g in genders:
        per_word = [word_forms(w, r, g) for w, r in zip(words, roles, strict=True)]
        slots = set.intersection(*(set(p) for p in per_word))
        if len(words) > 1:
            slots = {s for s in slots if s[1] == "sing"}
        for case, number in sorted(slots, key=_slot_order):
            choices = [p[(case, number)] for p in per_word]
            for combination in itertools.product(*choices):
                parts = list(pieces)
                parts[1::2] = combination
                text = "".join(parts)
                key = (text, case, number, g)
                if key not in seen:
                    seen.add(key)
                    forms.append(NameForm(text, case, number, g))
    return NameParadigm(name.strip(), own_gender, tuple(forms))


def is_name_form(surface: str, name: str, gender: str = "") -> bool:
    """Whether ``surface`` is a correct form of the personal name ``name``."""
    return name_paradigm(name, gender).accepts(surface)


def inflect_name(name: str, case: str, gender: str = "", number: str = "sing") -> str:
    """``name`` in ``case`` (and ``number``), preferred spelling; unchanged if it has no
    such form."""
    return name_paradigm(name, gender).form(case, number, gender)
