"""Engine speed: CTranslate2 int8 vs transformers fp32 and CTranslate2 fp32, and thread layouts.

A randomly initialised model with the exact opus-mt-ru-en architecture (MarianConfig: d_model
512, 6+6 layers, 8 heads, FFN 2048, vocabulary 62,518) is built once (weights from a fixed
seed, a throwaway vocabulary) and converted to CTranslate2 by ``transpipe.models.convert``
(int8 is quantised when the model is loaded). Each configuration runs in its own subprocess,
so its peak RSS is its own: transformers fp32 on all cores, and CTranslate2 int8 and fp32 in
every ``inter_threads x intra_threads`` layout that uses all cores (inter = translators
working on parts of a batch in parallel, intra = threads per translator). Every sentence has
24 source tokens and exactly 32 output tokens (min = max length). The default measurement is
the one the ratio goals are stated for, beam 4 and batch 32 (``--full`` adds batch 1/8/32 x
beam 1/4). Times are medians over ``--repeats`` runs.

    python benchmarks/engines.py [--repeats 3] [--full] [--work DIR]

Prints the CPU (model, cores, the ISA CTranslate2 can use: AVX2, AVX-512, VNNI), the load
average before and after (a loaded machine makes every ratio unreliable: run it on a quiet
one, with nothing else running, before quoting it), a markdown table with target tokens/s,
sentences/s, the speed-up over transformers fp32 and over CTranslate2 fp32 in the same layout,
peak RSS, and the fastest int8 layout next to the ct2 engine's default layout for this
machine (``engines.ct2.default_threads``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

VOCAB = 62518  # Helsinki-NLP/opus-mt-ru-en
SOURCE_TOKENS = 24
OUTPUT_TOKENS = 32
MAIN_CASE = (32, 4)  # batch, beam: where the CTranslate2 int8 vs transformers goal is stated
FULL_CASES = tuple((batch, beam) for batch in (1, 8, 32) for beam in (1, 4))
ISA_FLAGS = {
    "AVX2": "avx2",
    "AVX-512F": "avx512f",
    "AVX-512 VNNI": "avx512_vnni",
    "AVX-VNNI": "avx_vnni",
    "AMX-INT8": "amx_int8",
}


@dataclass(frozen=True)
class Config:
    """One measured configuration: engine, compute type and thread layout."""

    engine: str  # "marian" (transformers) or "ct2"
    compute: str  # "float32" or "int8"
    inter: int
    intra: int

    @property
    def key(self) -> str:
        return f"{self.engine}:{self.compute}:{self.inter}:{self.intra}"

    @property
    def label(self) -> str:
        if self.engine == "marian":
            return f"transformers fp32 ({self.intra} threads)"
        compute = "int8" if self.compute == "int8" else "fp32"
        return f"ct2 {compute} ({self.inter} x {self.intra})"

    @classmethod
    def parse(cls, key: str) -> Config:
        engine, compute, inter, intra = key.split(":")
        return cls(engine, compute, int(inter), int(intra))


def layouts(cores: int) -> list[tuple[int, int]]:
    """Every (inter, intra) with inter * intra == cores, fewest translators first."""
    return [(inter, cores // inter) for inter in range(1, cores + 1) if cores % inter == 0]


def configs(cores: int) -> list[Config]:
    found = [Config("marian", "float32", 1, cores)]
    for compute in ("int8", "float32"):
        found.extend(Config("ct2", compute, inter, intra) for inter, intra in layouts(cores))
    return found


def cpu_description() -> str:
    """CPU model, cores and the vector extensions /proc/cpuinfo reports (Linux)."""
    model = "unknown CPU"
    flags: set[str] = set()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and model == "unknown CPU":
            model = value.strip()
        elif key.strip() == "flags" and not flags:
            flags = set(value.split())
    isa = ", ".join(f"{name} {'yes' if f in flags else 'no'}" for name, f in ISA_FLAGS.items())
    if not flags:
        isa = "ISA unknown (no /proc/cpuinfo flags)"
    return f"{model}; {os.cpu_count()} logical cores; {isa}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def build_model(work: Path) -> tuple[Path, Path]:
    """The random opus-mt-ru-en-shaped HF model and its CTranslate2 float32 conversion."""
    hf_dir = work / "opus-arch-random"
    ct2_dir = work / "opus-arch-random-ct2"
    if not (hf_dir / "model.safetensors").is_file():
        import sentencepiece
        import torch
        from transformers import MarianConfig, MarianMTModel

        torch.manual_seed(0)
        hf_dir.mkdir(parents=True, exist_ok=True)
        pad = VOCAB - 1
        config = MarianConfig(
            vocab_size=VOCAB,
            d_model=512,
            encoder_layers=6,
            decoder_layers=6,
            encoder_attention_heads=8,
            decoder_attention_heads=8,
            encoder_ffn_dim=2048,
            decoder_ffn_dim=2048,
            max_position_embeddings=512,
            activation_function="swish",
            scale_embedding=True,
            pad_token_id=pad,
            eos_token_id=0,
            decoder_start_token_id=pad,
            share_encoder_decoder_embeddings=True,
        )
        MarianMTModel(config).save_pretrained(str(hf_dir))
        words = [f"w{i}" for i in range(400)]
        lines = [" ".join(words[j : j + 12]) for j in range(0, 388)]
        for side in ("source", "target"):
            prefix = work / side
            sentencepiece.SentencePieceTrainer.train(
                sentence_iterator=iter(lines),
                model_prefix=str(prefix),
                vocab_size=300,
                hard_vocab_limit=False,
                minloglevel=2,
            )
            prefix.with_suffix(".model").rename(hf_dir / f"{side}.spm")
        vocab = {"</s>": 0, "<unk>": 1}
        vocab.update({f"▁t{i}": i for i in range(2, pad)})
        vocab["<pad>"] = pad
        (hf_dir / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
        (hf_dir / "tokenizer_config.json").write_text("{}", encoding="utf-8")
    if not (ct2_dir / "model.bin").is_file():
        from transpipe.models.convert import convert_to_ct2

        convert_to_ct2(hf_dir, ct2_dir, quantization="float32")
    return hf_dir, ct2_dir


def source_ids(count: int) -> list[list[int]]:
    """Deterministic source sentences: token ids 2..VOCAB-2, then the end token."""
    return [
        [2 + (97 * i + 31 * j) % (VOCAB - 3) for j in range(SOURCE_TOKENS - 1)] + [0]
        for i in range(count)
    ]


def worker(
    config: Config, hf_dir: Path, ct2_dir: Path, repeats: int, cases: tuple[tuple[int, int], ...]
) -> dict[str, object]:
    if config.engine == "marian":
        import torch
        from transformers import MarianMTModel

        torch.set_num_threads(config.intra)
        model: Any = MarianMTModel.from_pretrained(str(hf_dir))
        model.eval()

        def run(batch: list[list[int]], beam: int) -> None:
            ids = torch.tensor(batch)
            with torch.inference_mode():
                out = model.generate(
                    input_ids=ids,
                    attention_mask=torch.ones_like(ids),
                    num_beams=beam,
                    do_sample=False,
                    min_new_tokens=OUTPUT_TOKENS,
                    max_new_tokens=OUTPUT_TOKENS,
                )
            if out.shape[1] != OUTPUT_TOKENS + 1:
                raise RuntimeError(f"expected {OUTPUT_TOKENS} tokens, got {out.shape[1] - 1}")

    else:
        import ctranslate2

        translator = ctranslate2.Translator(
            str(ct2_dir),
            compute_type=config.compute,
            inter_threads=config.inter,
            intra_threads=config.intra,
        )
        vocab = json.loads((hf_dir / "vocab.json").read_text(encoding="utf-8"))
        token_of = {i: t for t, i in vocab.items()}

        def run(batch: list[list[int]], beam: int) -> None:
            tokens = [[token_of[i] for i in row] for row in batch]
            # as the ct2 engine does: each translator takes an equal part of the batch
            out = translator.translate_batch(
                tokens,
                beam_size=beam,
                min_decoding_length=OUTPUT_TOKENS,
                max_decoding_length=OUTPUT_TOKENS,
                max_batch_size=max(1, -(-len(tokens) // config.inter)),
            )
            if any(len(r.hypotheses[0]) != OUTPUT_TOKENS for r in out):
                raise RuntimeError(f"expected {OUTPUT_TOKENS} tokens")

    run(source_ids(2), 1)  # warm-up
    results: dict[str, float] = {}
    for batch_size, beam in cases:
        sentences = source_ids(batch_size)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            run(sentences, beam)
            times.append(time.perf_counter() - started)
        results[f"{batch_size}/{beam}"] = batch_size / statistics.median(times)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"sentences_per_s": results, "peak_rss_mb": peak_kb / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="batch 1/8/32 x beam 1/4")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "transpipe-bench"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    cases = FULL_CASES if args.full else (MAIN_CASE,)
    if args.worker == "build":
        build_model(args.work)
        return 0
    if args.worker:
        hf_dir, ct2_dir = build_model(args.work)  # already built: only the paths
        config = Config.parse(args.worker)
        print(json.dumps(worker(config, hf_dir, ct2_dir, args.repeats, cases)))
        return 0
    # Built in a child too: Linux carries a process's peak RSS across exec, so a parent that
    # had loaded torch would inflate every worker's figure.
    build = [sys.executable, __file__, "--worker", "build", "--work", str(args.work)]
    subprocess.run(build, check=True, capture_output=True)
    cores = os.cpu_count() or 1
    load_before = load_average()
    measured: dict[Config, dict[str, object]] = {}
    for config in configs(cores):
        started = time.perf_counter()
        argv = [sys.executable, __file__, "--worker", config.key, "--repeats", str(args.repeats)]
        argv += ["--work", str(args.work)] + (["--full"] if args.full else [])
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
        measured[config] = json.loads(out.strip().splitlines()[-1])
        print(f"{config.label}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"CPU: {cpu_description()}")
    print(f"Load average before: {load_before}; after: {load_average()}")
    print(
        f"Random model, opus-mt-ru-en architecture (vocab {VOCAB}); {SOURCE_TOKENS} source "
        f"tokens, exactly {OUTPUT_TOKENS} output tokens per sentence; medians of "
        f"{args.repeats} runs. Layout = inter_threads x intra_threads.\n"
    )
    print(
        "| engine (layout) | batch | beam | target tokens/s | sentences/s "
        "| x transformers fp32 | x ct2 fp32 same layout | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    baseline = next(c for c in measured if c.engine == "marian")

    def rate(config: Config, key: str) -> float:
        return float(cast(dict[str, float], measured[config]["sentences_per_s"])[key])

    for batch_size, beam in cases:
        key = f"{batch_size}/{beam}"
        for config, result in measured.items():
            same_fp32 = Config("ct2", "float32", config.inter, config.intra)
            vs_fp32 = (
                f"{rate(config, key) / rate(same_fp32, key):.2f}"
                if config.engine == "ct2" and same_fp32 in measured
                else "-"
            )
            print(
                f"| {config.label} | {batch_size} | {beam} | "
                f"{rate(config, key) * OUTPUT_TOKENS:.0f} | {rate(config, key):.2f} | "
                f"{rate(config, key) / rate(baseline, key):.2f} | {vs_fp32} | "
                f"{float(str(result['peak_rss_mb'])):.0f} |"
            )
    from transpipe.engines.ct2 import default_threads

    key = f"{MAIN_CASE[0]}/{MAIN_CASE[1]}"
    int8 = [c for c in measured if c.engine == "ct2" and c.compute == "int8"]
    best = max(int8, key=lambda c: rate(c, key))
    inter, intra = default_threads(cores)
    print(
        f"\nFastest CTranslate2 int8 layout at batch {MAIN_CASE[0]}, beam {MAIN_CASE[1]}: "
        f"{best.inter} x {best.intra} ({rate(best, key) / rate(baseline, key):.2f}x "
        f"transformers fp32). The ct2 engine's default on {cores} cores: {inter} x {intra}"
        f"{' (the same)' if (inter, intra) == (best.inter, best.intra) else ' (differs)'}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
