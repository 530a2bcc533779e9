"""Checks on the translation as text: empty, truncated, untranslated, loops, length, sentences.

Owns the language-independent signs of a broken output: nothing produced, output cut short,
source text left in place (source script in the target), decoder loops (a phrase repeated back
to back), a length far from what the language pair predicts, a different number of sentences,
and words that mix Cyrillic and Latin letters (homoglyphs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from transpipe.lang.script import letter_counts, script_of
from transpipe.model import Issue, Severity, Span
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.scripts import blank_out, protected_spans, sentence_count, words

# target characters per source character, measured on newstest2021 references (docs/quality.md)
EXPECTED_LENGTH_RATIO = {("ru", "en"): 0.92, ("en", "ru"): 1.10}
_CLOSERS = "»\"”’')]}"
_FINAL = ".!?…"
_TOKEN_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
_LOOP_BREAK_RE = re.compile(r"[—–:;.!?()\"«»]|\s-\s")
_MOJIBAKE_RE = re.compile(r"[\u00C0-\u00FF]")


def check_empty(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    if ctx.source.strip() and not ctx.target.strip():
        return [Issue("empty", Severity.CRITICAL, "the translation is empty")]
    if ctx.target.strip() and not ctx.source.strip():
        return [Issue("empty", Severity.MINOR, "a translation was produced for an empty source")]
    return []


# words a complete sentence or headline does not end with: a cut left them dangling
DANGLING = {
    "en": frozenset(
        [
            "and",
            "or",
            "but",
            "nor",
            "of",
            "the",
            "a",
            "an",
            "to",
            "in",
            "on",
            "at",
            "for",
            "with",
            "by",
            "from",
            "that",
            "which",
            "who",
            "whom",
            "whose",
            "as",
            "than",
            "into",
            "about",
            "after",
            "before",
            "over",
            "under",
            "between",
            "its",
            "their",
            "his",
            "her",
            "our",
            "your",
            "my",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "has",
            "have",
            "had",
            "will",
            "would",
            "shall",
            "should",
            "can",
            "could",
            "may",
            "might",
            "not",
            "no",
            "very",
            "more",
            "most",
            "such",
            "this",
            "these",
            "those",
            "if",
            "when",
            "while",
            "because",
            "although",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "или",
            "а",
            "но",
            "да",
            "либо",
            "в",
            "во",
            "на",
            "с",
            "со",
            "к",
            "ко",
            "о",
            "об",
            "обо",
            "от",
            "до",
            "по",
            "за",
            "из",
            "у",
            "для",
            "при",
            "про",
            "что",
            "чтобы",
            "который",
            "которая",
            "которое",
            "которые",
            "которого",
            "которой",
            "которых",
            "как",
            "не",
            "ни",
            "же",
            "его",
            "ее",
            "её",
            "их",
            "между",
            "через",
            "без",
            "под",
            "над",
            "перед",
            "также",
            "если",
            "когда",
            "хотя",
            "потому",
            "этот",
            "эта",
            "это",
            "эти",
            "был",
            "была",
            "было",
            "были",
            "будет",
        ]
    ),
}


def check_truncated(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    source = ctx.source.strip().rstrip(_CLOSERS)
    target = ctx.target.strip()
    if len(source) < config.truncated_min_chars or not target:
        return []
    target_end = target.rstrip(_CLOSERS)
    start = max(0, len(ctx.target.rstrip()) - 1)
    span = Span(start, start + 1)
    target_words = words(target_end)
    source_words = words(source)
    dangling = DANGLING.get(ctx.pair.target, frozenset())
    last_word = target_words[-1].text.lower() if target_words else ""
    ends_in_word = bool(target_words) and target_words[-1].end == len(target_end)
    source_last = source_words[-1].text.lower() if source_words else ""
    if (
        ends_in_word
        and last_word in dangling
        and source_last not in DANGLING.get(ctx.pair.source, ())
    ):
        return [
            Issue(
                "truncated",
                Severity.MAJOR,
                f"the translation ends with {target_words[-1].text!r}: cut short?",
                Span(target_words[-1].start, target_words[-1].end),
            )
        ]
    if target[-1:] in ",-–—" and source[-1:] not in ",-–—":
        return [
            Issue("truncated", Severity.MAJOR, f"the translation ends with {target[-1]!r}", span)
        ]
    if source[-1:] in _FINAL and target_end[-1:] not in _FINAL + ":;" + _CLOSERS:
        last = target_end[-1:]
        expected = EXPECTED_LENGTH_RATIO.get((ctx.pair.source, ctx.pair.target), 1.0)
        ratio = len(target) / len(source) / expected
        # full length without the final stop is a headline style choice, not a cut
        severity = Severity.MAJOR if ratio < config.truncated_full_ratio else Severity.MINOR
        return [
            Issue(
                "truncated",
                severity,
                f"the source ends a sentence but the translation ends with {last!r}: cut short?",
                span,
            )
        ]
    return []


def check_untranslated(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    source_words = [w for w in words(ctx.source) if script_of(w.text) != "other"]
    if not ctx.target.strip() or check_mojibake(ctx, config):
        return []
    if ctx.source.strip().casefold() == ctx.target.strip().casefold() and len(source_words) >= 2:
        return [Issue("untranslated", Severity.CRITICAL, "the translation equals the source")]
    target = blank_out(ctx.target, protected_spans(ctx.target))
    cyr, lat = letter_counts(target)
    letters = cyr + lat
    if not letters:
        return []
    if ctx.pair.target == "en":
        foreign = cyr
    else:  # capitalised Latin words are names (The Wall Street Journal), not untranslated text
        foreign = sum(
            len(w.text)
            for w in words(target)
            if script_of(w.text) == "latin" and w.text[0].islower()
        )
    if ctx.pair.source != ctx.pair.target and foreign / letters >= config.untranslated_ratio:
        script = "Cyrillic" if ctx.pair.target == "en" else "Latin"
        return [
            Issue(
                "untranslated",
                Severity.CRITICAL,
                f"{100 * foreign // letters}% of the letters are {script}: left untranslated",
            )
        ]
    issues = []
    if ctx.pair.target == "en":
        for word in words(target):
            if script_of(word.text) == "cyrillic":
                # one letter (х in 105х195, С in °С) is a look-alike slip, not a lost phrase
                severity = Severity.MINOR if len(word.text) == 1 else Severity.MAJOR
                issues.append(
                    Issue(
                        "untranslated",
                        severity,
                        f"Cyrillic word {word.text!r} in the English translation",
                        Span(word.start, word.end),
                    )
                )
    elif ctx.pair.target == "ru":
        issues.extend(_latin_runs(target, config))
    return issues


def _latin_runs(target: str, config: ChecksConfig) -> list[Issue]:
    """Runs of Latin words with several lowercase ones: English prose left in Russian."""
    issues = []
    run: list[tuple[str, int, int]] = []
    tokens = list(re.finditer(r"\S+", target))
    for token in [*tokens, None]:
        word = token.group().strip(".,;:!?«»\"'()") if token else ""
        if token and word and script_of(word) == "latin":
            run.append((word, token.start(), token.end()))
            continue
        lowercase = sum(1 for w, _, _ in run if w[:1].islower())
        if len(run) >= config.untranslated_latin_words and lowercase >= 2:
            text = " ".join(w for w, _, _ in run)
            issues.append(
                Issue(
                    "untranslated",
                    Severity.MAJOR,
                    f"Latin text {text[:60]!r} left in the Russian translation",
                    Span(run[0][1], run[-1][2]),
                )
            )
        run = []
    return issues


def _loops(text: str, min_words: int, word_times: int) -> list[tuple[str, int, int]]:
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    words_only = [t for t, _, _ in tokens]
    # run_end[i]: where the run of words equal to words_only[i] ends (one backward pass, so
    # a long run of one word costs linear time)
    run_end = list(range(1, len(tokens) + 1))
    for k in range(len(tokens) - 2, -1, -1):
        if words_only[k] == words_only[k + 1]:
            run_end[k] = run_end[k + 1]
    found = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(8, (len(tokens) - i) // 2), min_words - 1, -1):
            if words_only[i : i + n] == words_only[i + n : i + 2 * n]:
                hit = n
                break
        if hit and _LOOP_BREAK_RE.search(text[tokens[i + hit - 1][2] : tokens[i + hit][1]]):
            hit = None  # "climate — climate": a rhetorical repeat across punctuation
        if hit:
            phrase = " ".join(words_only[i : i + hit])
            found.append((phrase, tokens[i][1], tokens[i + 2 * hit - 1][2]))
            i += 2 * hit
            continue
        same = run_end[i] - i
        if same >= word_times and not words_only[i].isdigit():
            found.append((words_only[i], tokens[i][1], tokens[i + same - 1][2]))
            i += same
            continue
        i += 1
    return found


def check_repetition(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    source_loops = {p for p, _, _ in _loops(ctx.source, config.repetition_min_words, 2)}
    issues = []
    for phrase, start, end in _loops(
        ctx.target, config.repetition_min_words, config.repetition_word_times
    ):
        if source_loops:
            continue  # the source repeats itself too; the translation may rightly do so
        issues.append(
            Issue(
                "repetition",
                Severity.MAJOR,
                f"{phrase!r} repeated back to back (decoder loop?)",
                Span(start, end),
            )
        )
    return issues


def check_mojibake(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    """Cyrillic decoded with a Western code page: ``Ðåöåíçèÿ`` instead of ``Рецензия``."""
    letters = sum(1 for ch in ctx.target if ch.isalpha())
    latin1 = len(_MOJIBAKE_RE.findall(ctx.target))
    if letters >= 8 and latin1 / letters > 0.3:
        return [
            Issue(
                "mojibake",
                Severity.CRITICAL,
                "the text looks like Cyrillic decoded as Latin-1/cp1252 (wrong encoding)",
            )
        ]
    return []


def check_length_ratio(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    source = ctx.source.strip()
    target = ctx.target.strip()
    if len(source) < config.length_ratio_min_chars or not target:
        return []
    expected = EXPECTED_LENGTH_RATIO.get((ctx.pair.source, ctx.pair.target), 1.0)
    ratio = len(target) / len(source) / expected
    low_major, high_major = config.length_ratio_major
    low_minor, high_minor = config.length_ratio_minor
    if ratio < low_major or ratio > high_major:
        severity = Severity.MAJOR
    elif ratio < low_minor or ratio > high_minor:
        severity = Severity.MINOR
    else:
        return []
    kind = "short" if ratio < 1 else "long"
    return [
        Issue(
            "length_ratio",
            severity,
            f"translation is {ratio:.2f}x the expected length ({kind})",
        )
    ]


def check_sentence_count(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    src, tgt = sentence_count(ctx.source), sentence_count(ctx.target)
    if src and tgt and abs(src - tgt) >= config.sentence_count_diff:
        return [
            Issue(
                "sentence_count",
                Severity.MINOR,
                f"{src} sentence(s) in the source, {tgt} in the translation",
            )
        ]
    return []


def check_mixed_script(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    issues = []
    target = blank_out(ctx.target, protected_spans(ctx.target))
    for word in words(target):
        offset = word.start
        for part in re.split(r"([-'’])", word.text):
            if script_of(part) == "mixed":
                issues.append(
                    Issue(
                        "mixed_script",
                        Severity.MAJOR,
                        f"{part!r} mixes Cyrillic and Latin letters (look-alike characters?)",
                        Span(offset, offset + len(part)),
                    )
                )
            offset += len(part)
    return issues
