"""``transpipe batch`` against a shell loop of ``transpipe translate`` calls (issue 17).

Builds ``--articles`` (default 200) English articles from ``corpora/*.en.txt``, varied
deterministically (article ``i`` is sample ``i mod 13`` with its body paragraphs shuffled, zero
to two paragraphs of other samples added and every number replaced by another of the same
length, all drawn from ``random.Random(i)``; no outside text), then times, per model:

* ``loop``: ``for f in ...; do python -m transpipe translate "$f" ...; done`` in bash, over
  ``--loop-articles`` of them (default 50, every 4th: each call is independent, so its
  articles/s is the loop's rate);
* ``batch --workers 1``, ``batch --workers 2`` and ``batch --ray --workers 2`` (a private local
  Ray instance, 2 actors; its start-up is included) over all of them.

Models: ``demo`` (the shipped demo model, glossary ``glossary/csto.tsv``, pinning on) and
``opus`` (a randomly initialised model with the opus-mt architecture, CTranslate2 int8, built
by ``benchmarks/pipeline.py`` into ``models/bench-opus-random-en-ru-ct2``; glossary loaded,
pinning off: the random output never contains a term, which would make every sentence with a
term the pinner's worst case). A random model never ends a sentence, so for ``opus`` both the
loop and the batch run through a launcher that sets ``DecodingOptions.max_output_tokens`` to
the mean reference length in target tokens (as ``benchmarks/pipeline.py`` does in-process):
the tokens decoded per sentence are what a real model would produce. All runs use beam 4,
int8, ``SOURCE_DATE_EPOCH``; the three batch runs should write byte-identical files (checked;
with pinning on, ``demo`` differs until TermPinner no longer caches a concept from the first
match its process saw: see the xfail in ``tests/test_batch.py``).

Prints the machine (CPUs, ISA, load average), then per model: wall seconds, articles/s, CPU
seconds of all processes, and the ratios the issue asks for (batch / loop: goal >= 5x demo,
>= 2x opus; ``--workers 2`` / ``--workers 1``; Ray / ``--workers 2``: goal within 20 %).
Timings on a loaded machine measure waiting for a core: read the ratios, and re-run on a
quiet machine for the figures.

    python benchmarks/batch.py                          # full (long: the loop dominates)
    python benchmarks/batch.py --articles 24 --loop-articles 6 --models demo --quick
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / "corpora"
GLOSSARY = REPO / "glossary" / "csto.tsv"
MODELS = REPO / "models"
EPOCH = "1767225600"
TIMEOUT_S = 6 * 3600

# Runs a transpipe command with DecodingOptions.max_output_tokens defaulting to argv[1].
CAPPED = """
import dataclasses, sys
from transpipe import config
names = [f.name for f in dataclasses.fields(config.DecodingOptions)]
defaults = list(config.DecodingOptions.__init__.__defaults__)
defaults[names.index("max_output_tokens")] = int(sys.argv[1])
config.DecodingOptions.__init__.__defaults__ = tuple(defaults)
from transpipe.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _pipeline_benchmark() -> ModuleType:
    """benchmarks/pipeline.py, for its random opus-mt-sized model and ISA probe."""
    path = Path(__file__).with_name("pipeline.py")
    spec = importlib.util.spec_from_file_location("bench_pipeline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# -- the articles ------------------------------------------------------------------------------


def vary(index: int, samples: list[list[str]]) -> str:
    """Article ``index``: a sample (title + paragraphs) varied with ``random.Random(index)``."""
    rng = random.Random(index)
    base = samples[index % len(samples)]
    title, body = base[0], list(base[1:])
    rng.shuffle(body)
    others = [p for i, s in enumerate(samples) if i != index % len(samples) for p in s[1:]]
    for _ in range(rng.randint(0, 2)):
        body.insert(rng.randint(0, len(body)), rng.choice(others))

    def number(match: re.Match[str]) -> str:
        digits = len(match.group())
        if digits == 1:
            return str(rng.randint(1, 9))
        return str(rng.randint(10 ** (digits - 1), 10**digits - 1))

    return re.sub(r"\d+", number, "\n\n".join([title, *body])) + "\n"


def make_articles(directory: Path, count: int, lang: str) -> list[Path]:
    samples = [
        [p.strip() for p in path.read_text("utf-8").split("\n\n") if p.strip()]
        for path in sorted(CORPORA.glob(f"*.{lang}.txt"))
    ]
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"article-{index:04d}.{lang}.txt"
        path.write_text(vary(index, samples), "utf-8")
        paths.append(path)
    return paths


# -- the runs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    name: str
    spec: str  # --model
    options: tuple[str, ...]  # glossary and pinning options
    cap: int | None  # max_output_tokens for a model that never ends a sentence


@dataclass
class Timing:
    label: str
    articles: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        return self.articles / self.wall if self.wall > 0 else 0.0


def transpipe_argv(model: Model) -> list[str]:
    if model.cap is None:
        return [sys.executable, "-m", "transpipe"]
    return [sys.executable, "-c", CAPPED, str(model.cap)]


def timed(label: str, articles: int, argv: list[str], env: dict[str, str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{label} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(label, articles, wall, cpu)


def loop(model: Model, files: list[Path], out: Path, env: dict[str, str]) -> Timing:
    command = " ".join(_quote(a) for a in transpipe_argv(model))
    options = " ".join(_quote(a) for a in ["--from", "en", "--to", "ru", *model.options])
    script = (
        f'for f in "$@"; do {command} translate "$f" {options} --model {_quote(model.spec)} '
        f"--out {_quote(str(out))} || exit 1; done"
    )
    argv = ["bash", "-c", script, "loop", *map(str, files)]
    return timed("loop of translate", len(files), argv, env)


def batch(
    model: Model, source: Path, out: Path, env: dict[str, str], extra: list[str], label: str
) -> Timing:
    argv = [*transpipe_argv(model), "batch", str(source), str(out), "--from", "en", "--to", "ru"]
    argv += [*model.options, "--model", model.spec, "--quiet", *extra]
    return timed(label, len(list(source.glob("*.en.txt"))), argv, env)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def same_files(first: Path, second: Path) -> bool:
    names = sorted(p.name for p in first.iterdir() if not p.name.startswith("."))
    if names != sorted(p.name for p in second.iterdir() if not p.name.startswith(".")):
        return False
    return all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument(
        "--loop-articles", type=int, default=50, help="articles the loop is timed on (default 50)"
    )
    parser.add_argument("--models", default="demo,opus", help="demo, opus (default both)")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a tiny random model for 'opus'")
    args = parser.parse_args(argv)

    bench = _pipeline_benchmark()
    from transpipe.config import DecodingOptions
    from transpipe.model import LanguagePair

    pair = LanguagePair("en", "ru")
    glossary = ["--glossary", str(GLOSSARY)]
    models: list[Model] = []
    for name in args.models.split(","):
        if name == "demo":
            models.append(Model("demo", "demo", tuple(glossary), None))
        elif name == "opus":
            arch = bench.TINY if args.quick else bench.OPUS
            ct2 = bench.ensure_random_model(arch, pair)
            engine = bench.load_engine(ct2, pair, DecodingOptions())
            cap, _, mean_ref = bench.realistic_output_cap(engine, pair)
            label = f"{arch.name}-random (cap {cap} tokens = mean reference {mean_ref:.1f})"
            models.append(Model(label, str(ct2), (*glossary, "--no-pin"), cap))
        else:
            raise SystemExit(f"unknown model {name!r}")

    load = os.getloadavg()
    print("# transpipe batch vs a loop of translate\n")
    print(
        f"Machine: {os.cpu_count()} CPUs ({bench.cpu_isa()}), load average {load[0]:.1f} / "
        f"{load[1]:.1f} / {load[2]:.1f} at start; beam 4, int8; {args.articles} articles "
        f"(loop timed on {min(args.loop_articles, args.articles)} of them).\n"
    )
    env = {**os.environ, "TRANSPIPE_MODELS_DIR": str(MODELS), "SOURCE_DATE_EPOCH": EPOCH}
    rows: list[tuple[str, list[Timing], bool]] = []
    with tempfile.TemporaryDirectory(prefix="transpipe-batch-bench-") as tmp:
        work = Path(tmp)
        files = make_articles(work / "in", args.articles, "en")
        step = max(1, len(files) // max(1, args.loop_articles))
        subset = files[::step][: args.loop_articles]
        for model in models:
            timings = [loop(model, subset, work / "loop", env)]
            outs = []
            for label, extra in (
                ("batch --workers 1", ["--workers", "1"]),
                ("batch --workers 2", ["--workers", "2"]),
                ("batch --ray --workers 2", ["--workers", "2", "--ray"]),
            ):
                if "--ray" in extra and args.skip_ray:
                    continue
                out = work / label.replace(" ", "").replace("-", "")
                timings.append(batch(model, work / "in", out, env, extra, label))
                outs.append(out)
            identical = all(same_files(outs[0], o) for o in outs[1:])
            rows.append((model.name, timings, identical))
            for directory in [work / "loop", *outs]:
                shutil.rmtree(directory, ignore_errors=True)

    for name, timings, identical in rows:
        print(f"## {name}\n")
        print("| run | articles | wall s | articles/s | CPU s (all processes) |")
        print("|---|---:|---:|---:|---:|")
        for t in timings:
            print(f"| {t.label} | {t.articles} | {t.wall:.1f} | {t.rate:.2f} | {t.cpu:.1f} |")
        by = {t.label: t for t in timings}
        base = by["loop of translate"].rate
        best = max(t.rate for t in timings if t.label.startswith("batch"))
        one, two = by["batch --workers 1"], by["batch --workers 2"]
        print(
            f"\nbatch (best) / loop: {best / base:.1f}x; --workers 2 / --workers 1: "
            f"{two.rate / one.rate:.2f}x",
            end="",
        )
        if "batch --ray --workers 2" in by:
            ray = by["batch --ray --workers 2"]
            print(f"; Ray 2 actors / --workers 2: {ray.rate / two.rate:.2f}x", end="")
        print(f"; batch outputs byte-identical across runs: {'yes' if identical else 'NO'}\n")
    load = os.getloadavg()
    print(f"Load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.")
    return 0 if all(identical for _, _, identical in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
