"""Translation memory speed: import, exact/normalized/miss/fuzzy lookup, engine overhead.

Builds a synthetic English->Russian TMX of ``--units`` news-like sentences (generated here from
word lists, seed fixed), imports it into a fresh SQLite memory, then times lookups. Prints a
markdown table of medians.

    python benchmarks/tm.py [--units 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from transpipe.config import DecodingOptions
from transpipe.engines.identity import IdentityEngine
from transpipe.formats.tmx import write_tmx
from transpipe.model import Bitext, LanguagePair, Unit
from transpipe.tm import TranslationMemory, TranslationMemoryEngine

PAIR = LanguagePair("en", "ru")
SUBJECTS = [
    "The delegation",
    "The minister",
    "The council",
    "The summit",
    "The secretary",
    "Parliament",
    "The committee",
    "The commander",
    "The envoy",
    "The spokesperson",
]
VERBS = [
    "discussed",
    "approved",
    "reviewed",
    "announced",
    "postponed",
    "welcomed",
    "criticised",
    "signed",
    "proposed",
    "rejected",
]
OBJECTS = [
    "the joint exercise",
    "a new agreement",
    "the border situation",
    "regional security",
    "the peacekeeping mandate",
    "the budget",
    "the annual report",
    "the trade protocol",
    "a joint statement",
    "the visa regime",
]
TAILS = [
    "in Moscow",
    "in Minsk",
    "in Astana",
    "on Tuesday",
    "on Friday",
    "last week",
    "after long talks",
    "behind closed doors",
    "at the plenary session",
    "in 2026",
]


def sentence(rng: random.Random, number: int) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
    if rng.random() < 0.6:
        parts.append(f"and {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}")
    return f"{' '.join(parts)} (item {number})."


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    sources = [sentence(rng, i) for i in range(args.units)]
    units = [Unit(f"bench:p{i}:s1", s, f"Перевод {i}.") for i, s in enumerate(sources)]
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmx = Path(tmp) / "bench.tmx"
        with tmx.open("wb") as stream:
            write_tmx(Bitext("bench", PAIR, tuple(units), created="2026-01-01T00:00:00Z"), stream)

        def fresh_import() -> None:
            db = Path(tmp) / "import.db"
            for leftover in Path(tmp).glob("import.db*"):
                leftover.unlink()
            with TranslationMemory(db) as tm:
                tm.import_file(tmx, PAIR)

        seconds = median_time(fresh_import, args.repeat)
        rows.append(
            (
                "import TMX (read + store)",
                f"{seconds:.2f} s",
                f"{args.units / seconds:,.0f} units/s",
            )
        )

        with TranslationMemory(Path(tmp) / "import.db") as tm:
            picks = [sources[rng.randrange(args.units)] for _ in range(1000)]
            spaced = ["  " + p.replace(" ", "\u00a0", 2) for p in picks]
            misses = [p.replace("(item", "(entry") for p in picks]
            for label, queries in (("exact", picks), ("normalized", spaced), ("miss", misses)):

                def lookups(batch: list[str] = queries) -> object:
                    return [tm.lookup(x, PAIR) for x in batch]

                seconds = median_time(lookups, args.repeat)
                rows.append(
                    (f"lookup {label}", f"{seconds / len(queries) * 1e6:.0f} µs", "per query")
                )
            near = [p.replace("(item", "(number") for p in picks[:20]]
            found = sum(1 for q in near if tm.fuzzy_lookup(q, PAIR, threshold=0.75))
            seconds = median_time(
                lambda: [tm.fuzzy_lookup(q, PAIR, threshold=0.75) for q in near], args.repeat
            )
            rows.append(
                (
                    "fuzzy lookup (t=0.75)",
                    f"{seconds / len(near) * 1e3:.0f} ms",
                    f"per query, {found}/{len(near)} found",
                )
            )
            engine = TranslationMemoryEngine(tm, IdentityEngine(None, DecodingOptions()))
            batch = picks[:500] + misses[:500]
            seconds = median_time(lambda: engine.translate(batch, PAIR), args.repeat)
            rows.append(
                ("engine 1000 texts (50% hits)", f"{seconds * 1e3:.0f} ms", "identity fallback")
            )
    print(f"Translation memory, {args.units:,} units, median of {args.repeat}\n")
    print("| operation | time | note |")
    print("|---|---:|---|")
    for operation, value, note in rows:
        print(f"| {operation} | {value} | {note} |")


if __name__ == "__main__":
    main()
