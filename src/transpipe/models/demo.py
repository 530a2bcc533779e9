"""The demo model: a tiny Marian model trained here, on the repository's own corpora.

Owns ``train_demo`` (sentencepiece vocabularies + a small Marian transformer trained from a
seeded random initialisation with torch until it reproduces its training pairs, chrF >= 90 by
sacrebleu) and ``ensure_demo_model``/``ensure_demo_ct2`` (build or convert on first use, rebuild
when the training data changed). The output is the standard Hugging Face Marian layout
(config.json, model.safetensors, generation_config.json, source.spm, target.spm, vocab.json,
tokenizer_config.json), loadable by ``MarianMTModel``/``MarianTokenizer`` and convertible by
CTranslate2, plus ``transpipe-demo.json`` (corpus sha256, seed, steps, chrF reached).

The demo model exercises the pipeline offline; it is not a translation model: it only knows
the sentences it was trained on.

Training pairs: every ``corpora/<slug>.en.txt``/``<slug>.ru.txt`` pair, segmented with
``transpipe.segment.segment_text`` and zipped by (paragraph, sentence) (a paragraph whose
sentence counts differ is skipped with a warning), plus every ``corpora/extra/*.tsv`` line
(``en<TAB>ru``; ``#`` starts a comment line).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import random
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from transpipe.errors import FormatError, InputError, ModelError, ModelNotFoundError
from transpipe.model import LanguagePair
from transpipe.models.resolve import (
    DEMO_METADATA,
    ct2_dir_for,
    demo_dir,
    detect_layout,
    read_metadata,
)

log = logging.getLogger(__name__)

RECIPE_VERSION = 6  # bump when the training recipe changes: every demo model is rebuilt
SPECIAL_TOKENS = ("</s>", "<unk>")  # ids 0 and 1; "<pad>" is the last id (OPUS-MT layout)
Progress = Callable[[str], None]
STALE_BUILD_S = 1800  # a temporary build dir this old belongs to a killed build


@dataclass(frozen=True)
class DemoRecipe:
    """Architecture and training settings of the demo model (all part of its hash)."""

    vocab_size: int = 2000  # per language; the shared vocabulary is their union
    d_model: int = 64
    layers: int = 2
    heads: int = 4
    ffn_dim: int = 256
    max_positions: int = 256
    batch_size: int = 32
    learning_rate: float = 5e-3
    warmup_steps: int = 50
    max_steps: int = 300
    target_chrf: float = 90.0
    threads: int = 1  # more threads lose on a busy 2-core machine


@dataclass(frozen=True)
class DemoReport:
    """What ``train_demo`` reached; saved as ``transpipe-demo.json``."""

    model_id: str
    revision: str
    pair: str
    corpus_sha256: str
    pairs: int
    seed: int
    steps: int
    chrf: float
    seconds: float
    recipe_version: int
    recipe: dict[str, Any]


# -- training data ---------------------------------------------------------------------------


def training_pairs(corpora_dir: Path, pair: LanguagePair) -> list[tuple[str, str]]:
    """(source, target) sentence pairs from ``corpora_dir``, oriented for ``pair``."""
    if not corpora_dir.is_dir():
        raise InputError("corpora directory not found", path=corpora_dir)
    en_ru: list[tuple[str, str]] = []
    for en_path in sorted(corpora_dir.glob("*.en.txt")):
        ru_path = en_path.with_name(en_path.name[: -len(".en.txt")] + ".ru.txt")
        if ru_path.is_file():
            en_ru.extend(_article_pairs(en_path, ru_path))
    # corpora/extra teaches the en->ru model renderings the glossary does not approve (the
    # pinning test set). The ru->en model trains on the articles only: with those pairs added it
    # stalls at a loss of about 0.17 and does not reproduce its training set (chrF < 30 after
    # 700 steps), which is an open problem, so ru->en pinning is tested on the identity engine.
    extra = corpora_dir / "extra"
    if pair.source == "en":
        for tsv in sorted(extra.glob("*.tsv")) if extra.is_dir() else []:
            en_ru.extend(_tsv_pairs(tsv))
    seen: set[tuple[str, str]] = set()
    oriented: list[tuple[str, str]] = []
    for en, ru in en_ru:
        item = (en, ru) if pair.source == "en" else (ru, en)
        if item not in seen:
            seen.add(item)
            oriented.append(item)
    if {pair.source, pair.target} != {"en", "ru"}:
        raise InputError(f"the demo model is en<->ru only, not {pair}")
    if not oriented:
        raise InputError("no sentence pairs found", path=corpora_dir)
    return oriented


def _article_pairs(en_path: Path, ru_path: Path) -> list[tuple[str, str]]:
    from transpipe.inputs import read_text
    from transpipe.segment import segment_text

    slug = en_path.name[: -len(".en.txt")]
    en_doc = segment_text(read_text(en_path), "en", slug)
    ru_doc = segment_text(read_text(ru_path), "ru", slug)
    if len(en_doc.paragraphs) != len(ru_doc.paragraphs):
        warnings.warn(
            f"{slug}: {len(en_doc.paragraphs)} English vs {len(ru_doc.paragraphs)} Russian "
            "paragraphs; pairing the common ones",
            stacklevel=3,
        )
    pairs: list[tuple[str, str]] = []
    for en_par, ru_par in zip(en_doc.paragraphs, ru_doc.paragraphs, strict=False):
        if len(en_par.segments) != len(ru_par.segments):
            warnings.warn(
                f"{slug}: paragraph {en_par.index} has {len(en_par.segments)} English and "
                f"{len(ru_par.segments)} Russian sentences; skipped for the demo model",
                stacklevel=3,
            )
            continue
        pairs.extend(
            (e.text.strip(), r.text.strip())
            for e, r in zip(en_par.segments, ru_par.segments, strict=True)
            if e.text.strip() and r.text.strip()
        )
    return pairs


def _tsv_pairs(path: Path) -> list[tuple[str, str]]:
    from transpipe.inputs import read_text

    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            raise FormatError("expected 'English<TAB>Russian'", path=path, line=number)
        pairs.append((fields[0].strip(), fields[1].strip()))
    return pairs


def corpus_digest(pairs: list[tuple[str, str]], recipe: DemoRecipe, seed: int) -> str:
    """sha256 over the training pairs, the recipe and the seed: a changed one means rebuild."""
    payload = json.dumps(
        {"pairs": pairs, "recipe": asdict(recipe), "seed": seed, "version": RECIPE_VERSION},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# -- building on first use -------------------------------------------------------------------


def ensure_demo_model(
    models_dir: Path,
    pair: LanguagePair,
    *,
    corpora_dir: Path | None = None,
    seed: int = 1,
    progress: Progress | None = None,
) -> Path:
    """The demo model dir for ``pair`` under ``models_dir``; trains it when missing or stale.

    ``corpora_dir`` defaults to ``corpora/`` beside ``models_dir``. Without corpora an
    existing (e.g. committed) model is used as it is.
    """
    out_dir = demo_dir(models_dir, pair)
    corpora = corpora_dir if corpora_dir is not None else models_dir.parent / "corpora"
    if not corpora.is_dir():
        if detect_layout(out_dir) == "hf":
            return out_dir
        raise ModelNotFoundError(
            f"no demo model for {pair} and no corpora to train one",
            path=corpora,
            hint="run `transpipe models train-demo` in a clone of the repository",
        )
    digest = corpus_digest(training_pairs(corpora, pair), DemoRecipe(), seed)
    if _is_current(out_dir, digest):
        return out_dir
    with _build_lock(out_dir):  # one builder at a time; the others then reuse its model
        if _is_current(out_dir, digest):
            return out_dir
        return train_demo(pair, out_dir, corpora_dir=corpora, seed=seed, progress=progress)


def _is_current(out_dir: Path, digest: str) -> bool:
    return detect_layout(out_dir) == "hf" and read_metadata(out_dir).get("corpus_sha256") == digest


@contextlib.contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """Exclusive lock beside ``out_dir`` (waits for another process building the same model).

    Holding it, leftover temporary directories of killed builds are removed.
    """
    locks = out_dir.parent / ".locks"  # a directory, so /models/*/ in .gitignore covers it
    locks.mkdir(parents=True, exist_ok=True)
    lock_path = locks / f"{out_dir.name}.lock"
    with open(lock_path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, builds may race but stay atomic
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            cutoff = time.time() - STALE_BUILD_S
            for leftover in out_dir.parent.glob(f".{out_dir.name}.*"):
                if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                    shutil.rmtree(leftover, ignore_errors=True)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ensure_demo_ct2(models_dir: Path, pair: LanguagePair, *, quantization: str = "int8") -> Path:
    """The int8 CTranslate2 copy of the demo model, converted on first use or when stale."""
    from transpipe.models.convert import convert_to_ct2

    hf_dir = ensure_demo_model(models_dir, pair)
    ct2_dir = ct2_dir_for(hf_dir)
    source_digest = read_metadata(hf_dir).get("corpus_sha256")

    def current() -> bool:
        meta = read_metadata(ct2_dir)
        return (
            detect_layout(ct2_dir) == "ct2"
            and meta.get("source_sha256") == source_digest
            and meta.get("quantization") == quantization
        )

    if current():
        return ct2_dir
    with _build_lock(ct2_dir):
        if current():
            return ct2_dir
        return convert_to_ct2(hf_dir, ct2_dir, quantization=quantization)


# -- training ----------------------------------------------------------------------------------


def train_demo(
    pair: LanguagePair,
    out_dir: Path,
    *,
    corpora_dir: Path,
    seed: int = 1,
    recipe: DemoRecipe | None = None,
    progress: Progress | None = None,
) -> Path:
    """Train the demo model for ``pair`` on ``corpora_dir`` into ``out_dir`` (atomically).

    Raises ``ModelError`` when training ends below the recipe's chrF target.
    """
    recipe = recipe or DemoRecipe()
    pairs = training_pairs(corpora_dir, pair)
    digest = corpus_digest(pairs, recipe, seed)
    say = progress or (lambda message: log.info("%s", message))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        staged = work / "model"
        staged.mkdir()
        report = _train(pairs, pair, staged, recipe, seed, digest, say)
        (staged / DEMO_METADATA).write_text(
            json.dumps(asdict(report), indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        old = out_dir.with_name(f".{out_dir.name}.old")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        staged.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir


def _train(
    pairs: list[tuple[str, str]],
    pair: LanguagePair,
    out: Path,
    recipe: DemoRecipe,
    seed: int,
    digest: str,
    say: Progress,
) -> DemoReport:
    import sacrebleu
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    started = time.monotonic()
    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(recipe.threads)
    try:
        _write_vocabularies(pairs, out, recipe, seed)
        tokenizer = MarianTokenizer.from_pretrained(str(out))
        vocab_size = len(tokenizer.get_vocab())
        pad_id = vocab_size - 1
        config = MarianConfig(
            vocab_size=vocab_size,
            d_model=recipe.d_model,
            encoder_layers=recipe.layers,
            decoder_layers=recipe.layers,
            encoder_attention_heads=recipe.heads,
            decoder_attention_heads=recipe.heads,
            encoder_ffn_dim=recipe.ffn_dim,
            decoder_ffn_dim=recipe.ffn_dim,
            max_position_embeddings=recipe.max_positions,
            activation_function="swish",
            dropout=0.0,
            attention_dropout=0.0,
            activation_dropout=0.0,
            scale_embedding=True,
            pad_token_id=pad_id,
            eos_token_id=0,
            decoder_start_token_id=pad_id,
            forced_eos_token_id=0,
            share_encoder_decoder_embeddings=True,
            tie_word_embeddings=True,
        )
        model: Any = MarianMTModel(config)
        model.train()
        sources = [s for s, _ in pairs]
        targets = [t for _, t in pairs]
        encoded = tokenizer(sources, text_target=targets)
        examples = list(zip(encoded["input_ids"], encoded["labels"], strict=True))
        too_long = [
            i for i, (s, t) in enumerate(examples) if max(len(s), len(t)) > recipe.max_positions
        ]
        if too_long:
            raise InputError(
                f"{len(too_long)} training sentences exceed {recipe.max_positions} tokens"
            )
        optimizer = torch.optim.AdamW(model.parameters(), lr=recipe.learning_rate, weight_decay=0.0)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer,
            lambda step: (
                min(1.0, (step + 1) / recipe.warmup_steps)
                * max(0.05, 1.0 - step / recipe.max_steps)
            ),
        )
        rng = random.Random(seed)
        order: list[int] = []
        step = 0
        chrf = 0.0
        smoothed = 10.0
        while step < recipe.max_steps:
            if len(order) < recipe.batch_size:
                fresh = list(range(len(examples)))
                rng.shuffle(fresh)
                order.extend(fresh)
            batch_ids, order = order[: recipe.batch_size], order[recipe.batch_size :]
            batch = _collate([examples[i] for i in batch_ids], pad_id, torch)
            loss = model(**batch).loss
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            smoothed = 0.9 * smoothed + 0.1 * float(loss.item())
            if step % 100 == 0:
                say(f"demo {pair}: step {step} loss {smoothed:.3f}")
        model.eval()
        model.generation_config.max_length = recipe.max_positions
        model.generation_config.num_beams = 1
        model.generation_config.bad_words_ids = [[pad_id]]
        model.save_pretrained(str(out))
        tokenizer.save_pretrained(str(out))
        # Judge the model as it is saved and loaded back (transformers re-ties embeddings and
        # the output layer on load; the in-memory pair was seen to decode differently).
        saved: Any = MarianMTModel.from_pretrained(str(out))
        saved.eval()
        hypotheses = _greedy(saved, MarianTokenizer.from_pretrained(str(out)), sources, torch)
        chrf = float(sacrebleu.corpus_chrf(hypotheses, [targets]).score)
        say(f"demo {pair}: step {step} chrF {chrf:.1f} on the training pairs")
        if chrf < recipe.target_chrf:
            raise ModelError(
                f"demo model {pair} reached chrF {chrf:.1f} < {recipe.target_chrf} "
                f"after {step} steps"
            )
    finally:
        torch.set_num_threads(previous_threads)
    seconds = time.monotonic() - started
    say(f"demo {pair}: {len(pairs)} pairs, {step} steps, chrF {chrf:.1f}, {seconds:.0f} s")
    return DemoReport(
        model_id=f"transpipe-demo-{pair.source}-{pair.target}",
        revision=digest[:12],
        pair=str(pair),
        corpus_sha256=digest,
        pairs=len(pairs),
        seed=seed,
        steps=step,
        chrf=round(chrf, 2),
        seconds=round(seconds, 1),
        recipe_version=RECIPE_VERSION,
        recipe=asdict(recipe),
    )


def _write_vocabularies(
    pairs: list[tuple[str, str]], out: Path, recipe: DemoRecipe, seed: int
) -> None:
    """Train source.spm/target.spm on the two sides and write the shared vocab.json."""
    import sentencepiece

    pieces: list[str] = list(SPECIAL_TOKENS)
    for side, name in ((0, "source"), (1, "target")):
        lines = [p[side] for p in pairs]
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / name
            sentencepiece.SentencePieceTrainer.train(
                sentence_iterator=iter(lines),
                model_prefix=str(prefix),
                vocab_size=recipe.vocab_size,
                model_type="unigram",
                character_coverage=1.0,
                hard_vocab_limit=False,
                num_threads=1,
                seed_sentencepiece_size=100000,
                minloglevel=2,
            )
            shutil.copyfile(prefix.with_suffix(".model"), out / f"{name}.spm")
        processor = sentencepiece.SentencePieceProcessor(model_file=str(out / f"{name}.spm"))
        for index in range(processor.get_piece_size()):
            if processor.is_control(index) or processor.is_unknown(index):
                continue
            piece = processor.id_to_piece(index)
            if piece not in pieces:
                pieces.append(piece)
    pieces.append("<pad>")
    vocab = {piece: index for index, piece in enumerate(pieces)}
    (out / "vocab.json").write_text(
        json.dumps(vocab, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    (out / "tokenizer_config.json").write_text(
        json.dumps({"model_max_length": recipe.max_positions, "separate_vocabs": False}) + "\n",
        encoding="utf-8",
    )


def _collate(
    examples: list[tuple[list[int], list[int]]], pad_id: int, torch: Any
) -> dict[str, Any]:
    width_s = max(len(s) for s, _ in examples)
    width_t = max(len(t) for _, t in examples)
    input_ids = torch.full((len(examples), width_s), pad_id, dtype=torch.long)
    attention = torch.zeros((len(examples), width_s), dtype=torch.long)
    labels = torch.full((len(examples), width_t), -100, dtype=torch.long)
    for row, (source, target) in enumerate(examples):
        input_ids[row, : len(source)] = torch.tensor(source)
        attention[row, : len(source)] = 1
        labels[row, : len(target)] = torch.tensor(target)
    return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}


def _greedy(model: Any, tokenizer: Any, sources: list[str], torch: Any) -> list[str]:
    # <pad> is the decoder start and is never an output (as in OPUS-MT's generation config);
    # its embedding row is kept at zero, so without the ban its logit can win greedy steps.
    banned = [[model.config.pad_token_id]]
    outputs: list[str] = []
    with torch.inference_mode():
        for start in range(0, len(sources), 64):
            batch = tokenizer(sources[start : start + 64], padding=True, return_tensors="pt")
            generated = model.generate(
                **batch, num_beams=1, do_sample=False, max_new_tokens=128, bad_words_ids=banned
            )
            outputs.extend(tokenizer.batch_decode(generated, skip_special_tokens=True))
    return outputs
