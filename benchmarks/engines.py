"""Engine speed: transformers Marian fp32 vs CTranslate2 fp32 and int8, same architecture.

A randomly initialised model with the exact opus-mt-ru-en architecture (MarianConfig: d_model
512, 6+6 layers, 8 heads, FFN 2048, vocabulary 62,518) is built once (weights from a fixed
seed, a throwaway vocabulary), converted to CTranslate2 by ``transpipe.models.convert``, and
each engine configuration runs in its own subprocess (so peak RSS is its own). Every sentence
has 24 source tokens and exactly 32 output tokens (min = max length), at batch 1/8/32 and
beam 1/4. Times are medians over ``--repeats`` runs.

    python benchmarks/engines.py [--repeats 3] [--work DIR]

Prints a markdown table with target tokens/s, sentences/s, the speed-up over transformers
fp32 and each configuration's peak RSS.
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
from typing import cast

VOCAB = 62518  # Helsinki-NLP/opus-mt-ru-en
SOURCE_TOKENS = 24
OUTPUT_TOKENS = 32
BATCHES = (1, 8, 32)
BEAMS = (1, 4)
# sentences per measurement for each batch size (kept small: the whole run stays < 6 min)
SENTENCES = {1: 2, 8: 8, 32: 32}
CONFIGS = {
    "marian fp32 (transformers, 2 threads)": ("marian", "float32", 1, 2),
    "ct2 fp32 (2 translators x 1 thread)": ("ct2", "float32", 2, 1),
    "ct2 int8 (1 translator x 2 threads)": ("ct2", "int8", 1, 2),
    "ct2 int8 (2 translators x 1 thread)": ("ct2", "int8", 2, 1),
}
BASELINE = "marian fp32 (transformers, 2 threads)"


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


def worker(config: str, hf_dir: Path, ct2_dir: Path, repeats: int) -> dict[str, object]:
    engine, compute, inter, intra = CONFIGS[config]
    results: dict[str, float] = {}
    if engine == "marian":
        import torch
        from transformers import MarianMTModel

        torch.set_num_threads(intra)
        model = MarianMTModel.from_pretrained(str(hf_dir)).eval()

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
            str(ct2_dir), compute_type=compute, inter_threads=inter, intra_threads=intra
        )
        vocab = json.loads((hf_dir / "vocab.json").read_text(encoding="utf-8"))
        token_of = {i: t for t, i in vocab.items()}

        def run(batch: list[list[int]], beam: int) -> None:
            tokens = [[token_of[i] for i in row] for row in batch]
            out = translator.translate_batch(
                tokens,
                beam_size=beam,
                min_decoding_length=OUTPUT_TOKENS,
                max_decoding_length=OUTPUT_TOKENS,
                max_batch_size=max(1, len(tokens) // inter),
            )
            if len(out[0].hypotheses[0]) != OUTPUT_TOKENS:
                raise RuntimeError(f"expected {OUTPUT_TOKENS} tokens")

    run(source_ids(2), 1)  # warm-up
    for batch_size in BATCHES:
        count = SENTENCES[batch_size]
        sentences = source_ids(count)
        for beam in BEAMS:
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                for start in range(0, count, batch_size):
                    run(sentences[start : start + batch_size], beam)
                times.append(time.perf_counter() - started)
            results[f"{batch_size}/{beam}"] = count / statistics.median(times)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"sentences_per_s": results, "peak_rss_mb": peak_kb / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "transpipe-bench"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    hf_dir, ct2_dir = build_model(args.work)
    if args.worker:
        print(json.dumps(worker(args.worker, hf_dir, ct2_dir, args.repeats)))
        return 0
    measured: dict[str, dict[str, object]] = {}
    for config in CONFIGS:
        started = time.perf_counter()
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                config,
                "--repeats",
                str(args.repeats),
                "--work",
                str(args.work),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        measured[config] = json.loads(out.strip().splitlines()[-1])
        print(f"{config}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(
        f"Random model, opus-mt-ru-en architecture (vocab {VOCAB}); {SOURCE_TOKENS} source "
        f"tokens, exactly {OUTPUT_TOKENS} output tokens per sentence; medians of "
        f"{args.repeats} runs.\n"
    )
    print("| engine | batch | beam | target tokens/s | sentences/s | x marian fp32 | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = cast(dict[str, float], measured[BASELINE]["sentences_per_s"])
    for batch_size in BATCHES:
        for beam in BEAMS:
            key = f"{batch_size}/{beam}"
            for config, result in measured.items():
                speeds = cast(dict[str, float], result["sentences_per_s"])
                rate = float(speeds[key])
                print(
                    f"| {config} | {batch_size} | {beam} | {rate * OUTPUT_TOKENS:.0f} | "
                    f"{rate:.2f} | {rate / float(base[key]):.2f} | "
                    f"{float(str(result['peak_rss_mb'])):.0f} |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
