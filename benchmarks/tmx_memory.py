"""Memory and time of streaming TMX: write N units with TmxWriter, read them back with iter_tmx.

Each phase runs in its own subprocess and reports its own peak RSS (ru_maxrss), so the numbers
do not mix. For comparison, the non-streaming ``read_tmx`` and Translate Toolkit's
``tmxfile.parsefile`` (a peer) read a smaller file. Usage:

    python benchmarks/tmx_memory.py                 # 1,000,000 units, 1 run per phase
    python benchmarks/tmx_memory.py --units 100000 --repeats 3 --compare-units 100000

Prints a markdown table (median wall time and median peak RSS over the repeats).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transpipe.model import Unit

LIMIT_MB = 300.0


def _unit(i: int) -> Unit:
    from transpipe.model import Unit

    return Unit(
        id=f"bench:p{i // 10 + 1}:s{i % 10 + 1}",
        source=f"Sentence number {i} about the regional security council meeting.",
        target=f"Предложение номер {i} о заседании регионального совета безопасности.",
        props=(("engine", "ct2"),),
    )


def phase(name: str, units: int, path: Path) -> dict[str, float]:
    from transpipe.model import LanguagePair

    pair = LanguagePair("en", "ru")
    start = time.perf_counter()
    count = 0
    if name == "write (TmxWriter)":
        from transpipe.formats.tmx import TmxWriter

        with (
            path.open("wb") as stream,
            TmxWriter(stream, pair, created="2026-01-01T00:00:00Z") as writer,
        ):
            for i in range(units):
                writer.write(_unit(i))
                count += 1
    elif name == "read (iter_tmx, streaming)":
        from transpipe.formats.tmx import iter_tmx

        for _ in iter_tmx(path, pair):
            count += 1
    elif name == "read (read_tmx, whole file)":
        from transpipe.formats.tmx import read_tmx

        count = len(read_tmx(path, pair))
    elif name == "read (translate-toolkit tmxfile)":
        from translate.storage import tmx

        # translate-toolkit leaves parsefile() unannotated
        count = len(tmx.tmxfile.parsefile(str(path)).units)  # type: ignore[no-untyped-call]
    else:
        raise SystemExit(f"unknown phase {name!r}")
    elapsed = time.perf_counter() - start
    if count != units:
        raise SystemExit(f"{name}: expected {units} units, got {count}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": elapsed, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024}


def run_phase(name: str, units: int, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--units", str(units), "--path", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--compare-units",
        type=int,
        default=100_000,
        help="file size for the non-streaming comparisons (0 to skip)",
    )
    parser.add_argument("--phase")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.units, Path(args.path))))
        return 0

    rows: list[tuple[str, int, float, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.tmx"
        plan = [
            ("write (TmxWriter)", args.units, big),
            ("read (iter_tmx, streaming)", args.units, big),
        ]
        if args.compare_units:
            small = Path(tmp) / "small.tmx"
            run_phase("write (TmxWriter)", args.compare_units, small)
            plan += [
                ("read (iter_tmx, streaming)", args.compare_units, small),
                ("read (read_tmx, whole file)", args.compare_units, small),
            ]
            try:
                import translate.storage.tmx  # noqa: F401

                plan.append(("read (translate-toolkit tmxfile)", args.compare_units, small))
            except ImportError:
                pass
        sizes: dict[int, float] = {}
        for name, units, path in plan:
            results = [run_phase(name, units, path) for _ in range(args.repeats)]
            if path.exists():
                sizes[units] = path.stat().st_size / 1e6
            seconds = statistics.median(r["seconds"] for r in results)
            cpu = statistics.median(r["cpu"] for r in results)
            peak = statistics.median(r["peak_mb"] for r in results)
            streaming = "streaming" in name or "Writer" in name
            verdict = ("ok" if peak < LIMIT_MB else "OVER") if streaming else "n/a"
            rows.append((name, units, seconds, cpu, peak, verdict))
    print(
        f"TMX streaming benchmark (median of {args.repeats} run(s) per phase; "
        "peak RSS per process)\n"
    )
    print("| phase | units | file MB | wall s | CPU s | units/CPU s | peak RSS MB | < 300 MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, units, seconds, cpu, peak, verdict in rows:
        size = sizes.get(units, 0.0)
        print(
            f"| {name} | {units:,} | {size:.0f} | {seconds:.1f} | {cpu:.1f} "
            f"| {units / max(cpu, 1e-9):,.0f} | {peak:.0f} | {verdict} |"
        )
    return 0 if all(v != "OVER" for *_, v in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
