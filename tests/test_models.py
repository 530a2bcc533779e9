"""Model store, catalogue, resolution, pull, conversion and the demo models.

Nothing here touches the internet: the offline test points the hub endpoint at a closed
loopback port. The demo models are the ones shipped inside the package; the training code is
run end to end on a tiny corpus with a tiny recipe (seconds), never on the real one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.cli._common import paths_from_env
from transpipe.config import DecodingOptions, Paths
from transpipe.engines import create_engine
from transpipe.errors import (
    ConfigError,
    DownloadError,
    FormatError,
    InputError,
    ModelError,
    ModelNotFoundError,
)
from transpipe.model import LanguagePair
from transpipe.models.catalogue import load_catalogue
from transpipe.models.corpus import corpus_digest, training_pairs
from transpipe.models.demo import (
    RECIPE_VERSION,
    DemoRecipe,
    check_ct2,
    check_transformers,
    train_demo,
)
from transpipe.models.layout import (
    PACKAGE_DATA,
    ModelStore,
    ct2_dir_for,
    default_models_dir,
    detect_layout,
    packaged_demo_dir,
    read_metadata,
)
from transpipe.models.pull import probe_endpoint, pull_model
from transpipe.models.resolve import resolve_model

EN_RU = LanguagePair("en", "ru")
RU_EN = LanguagePair("ru", "en")
CLOSED_PORT = "http://127.0.0.1:9"
REPO = Path(__file__).resolve().parents[1]


def _store(root: Path) -> ModelStore:
    return ModelStore(root)


def _tiny_corpus(root: Path) -> Path:
    corpora = root / "corpora"
    corpora.mkdir()
    (corpora / "item.en.txt").write_text(
        "The council met today. It adopted a plan.\n\nThe talks ended.\n", encoding="utf-8"
    )
    (corpora / "item.ru.txt").write_text(
        "Совет собрался сегодня. Он принял план.\n\nПереговоры завершились.\n", encoding="utf-8"
    )
    return corpora


# A recipe that memorises the three tiny pairs in a few seconds.
TINY = DemoRecipe(
    vocab_size=100,
    d_model=32,
    heads=2,
    ffn_dim=64,
    batch_size=4,
    learning_rate=5e-3,
    warmup_steps=20,
    max_steps=150,
    target_chrf=90.0,
)


# -- the store ---------------------------------------------------------------------------------


def test_store_comes_from_the_environment_or_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths_from_env({"TRANSPIPE_MODELS_DIR": str(tmp_path)}).models_dir == tmp_path
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        assert default_models_dir() == tmp_path / "data" / "transpipe" / "models"
        assert paths_from_env({}).models_dir == tmp_path / "data" / "transpipe" / "models"
    assert default_models_dir().parts[-2:] == ("transpipe", "models")


# -- catalogue -------------------------------------------------------------------------------


def test_catalogue_names_the_opus_models_and_their_defaults(tmp_path: Path) -> None:
    catalogue = load_catalogue(_store(tmp_path))  # no catalogue in the store: the shipped one
    assert catalogue.path == PACKAGE_DATA / "catalogue.toml"
    names = catalogue.names()
    for name in ("opus-mt-ru-en", "opus-mt-en-ru", "opus-mt-tc-big-ru-en", "opus-mt-tc-big-en-ru"):
        assert name in names
        entry = catalogue.get(name)
        assert entry.hf_id.startswith("Helsinki-NLP/")
        assert entry.revision and entry.license and entry.size
    assert catalogue.get("opus-mt-tc-big-en-ru").source_prefix == ">>rus<<"
    assert catalogue.get("demo").pair is None
    default_en_ru = catalogue.default_for(EN_RU)
    assert default_en_ru is not None and default_en_ru.name == "opus-mt-en-ru"
    default_ru_en = catalogue.default_for(RU_EN)
    assert default_ru_en is not None and default_ru_en.name == "opus-mt-ru-en"
    with pytest.raises(ConfigError, match="unknown model 'nope'"):
        catalogue.get("nope")


def test_malformed_catalogue_in_the_store_is_a_format_error(tmp_path: Path) -> None:
    (tmp_path / "catalogue.toml").write_text("[models.x]\npair = 'ru'\n", encoding="utf-8")
    with pytest.raises(FormatError, match="lacks hf_id"):
        load_catalogue(_store(tmp_path))
    (tmp_path / "catalogue.toml").write_bytes(b"[models.x\n")
    with pytest.raises(FormatError, match="invalid TOML") as caught:
        load_catalogue(_store(tmp_path))
    assert caught.value.__cause__ is not None  # the parser's error is kept as the cause


# -- resolve ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engine", "pair", "command"),
    [
        ("marian", EN_RU, "transpipe models pull opus-mt-en-ru"),
        (
            "ct2",
            EN_RU,
            "transpipe models pull opus-mt-en-ru && transpipe models convert opus-mt-en-ru",
        ),
        ("ct2", RU_EN, "transpipe models convert opus-mt-ru-en"),
    ],
)
def test_missing_model_names_the_store_and_the_install_command_fast(
    tmp_path: Path, engine: str, pair: LanguagePair, command: str
) -> None:
    if pair == RU_EN:  # downloaded but not converted: only the convert step is missing
        fake = tmp_path / "opus-mt-ru-en"
        fake.mkdir()
        for name in ("config.json", "source.spm", "model.safetensors"):
            (fake / name).write_text("{}", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ModelNotFoundError) as caught:
        resolve_model(None, pair, engine, Paths(models_dir=tmp_path))
    assert time.perf_counter() - started < 1.0
    message = str(caught.value)
    assert "\n" not in message
    assert f"model store {tmp_path}" in message
    assert f"`{command}`" in message
    assert "--model demo" in message


def test_resolve_rejects_wrong_pair_and_non_model_dirs(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="translates ru-en, not en-ru"):
        resolve_model("opus-mt-ru-en", EN_RU, "ct2", Paths(models_dir=tmp_path))
    with pytest.raises(InputError, match="not a model directory"):
        resolve_model(str(tmp_path), EN_RU, "ct2", Paths(models_dir=tmp_path))
    with pytest.raises(InputError, match="model directory not found"):
        resolve_model(str(tmp_path / "missing"), EN_RU, "ct2", Paths(models_dir=tmp_path))


def test_resolve_detects_hf_and_ct2_dirs(demo_model_en_ru: Path, demo_ct2_en_ru: Path) -> None:
    assert detect_layout(demo_model_en_ru) == "hf"
    assert detect_layout(demo_ct2_en_ru) == "ct2"
    started = time.perf_counter()
    hf = resolve_model(str(demo_model_en_ru), EN_RU, "marian", Paths())
    ct2 = resolve_model(str(demo_ct2_en_ru), EN_RU, "ct2", Paths())
    assert time.perf_counter() - started < 1.0
    assert hf.hf_dir == demo_model_en_ru and hf.pair == EN_RU
    assert ct2.ct2_dir == demo_ct2_en_ru and ct2.hf_dir is None
    assert hf.model_id == ct2.model_id == "transpipe-demo-en-ru"
    assert hf.revision == ct2.revision != "local"
    with pytest.raises(ModelNotFoundError, match="use --engine ct2"):
        resolve_model(str(demo_ct2_en_ru), EN_RU, "marian", Paths())


@pytest.mark.parametrize("pair", [EN_RU, RU_EN], ids=str)
def test_demo_resolves_to_the_shipped_models_with_an_empty_store(
    tmp_path: Path, pair: LanguagePair
) -> None:
    for engine in ("ct2", "marian"):
        resolved = resolve_model("demo", pair, engine, Paths(models_dir=tmp_path / "empty"))
        assert resolved.hf_dir == packaged_demo_dir(pair)
        assert resolved.ct2_dir == ct2_dir_for(packaged_demo_dir(pair))
        assert resolved.pair == pair
        assert resolved.model_id == f"transpipe-demo-{pair.source}-{pair.target}"
    assert read_metadata(ct2_dir_for(packaged_demo_dir(pair)))["quantization"] == "int8"
    assert not (tmp_path / "empty").exists()  # looking up writes nothing


def test_resolving_demo_is_a_lookup_from_anywhere(tmp_path: Path) -> None:
    """No torch, no training code, no corpus reading or segmentation: only file checks."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from transpipe.config import Paths\n"
        "from transpipe.model import LanguagePair\n"
        "from transpipe.models.resolve import resolve_model\n"
        "start = time.perf_counter()\n"
        "r = resolve_model('demo', LanguagePair('en', 'ru'), 'ct2', Paths(Path('store')))\n"
        "elapsed = time.perf_counter() - start\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'transpipe.models.demo',"
        " 'transpipe.models.corpus', 'transpipe.segment') if m in sys.modules]\n"
        "print(r.ct2_dir, heavy, elapsed < 0.5)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(ct2_dir_for(packaged_demo_dir(EN_RU))), "[]", "True"]


# -- pull ------------------------------------------------------------------------------------


def test_pull_fails_fast_and_clearly_when_offline(tmp_path: Path) -> None:
    entry = load_catalogue(_store(tmp_path)).get("opus-mt-en-ru")
    started = time.perf_counter()
    with pytest.raises(DownloadError) as caught:
        pull_model(entry, _store(tmp_path), endpoint=CLOSED_PORT, progress=False)
    assert time.perf_counter() - started < 10
    assert "cannot reach the model hub at http://127.0.0.1:9" in str(caught.value)
    assert f"model store {tmp_path}" in str(caught.value)
    assert not (tmp_path / "opus-mt-en-ru").exists()


def test_pull_cli_prints_one_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["models", "--models-dir", str(tmp_path), "pull", "opus-mt-ru-en"]
    started = time.perf_counter()
    assert main([*argv, "--endpoint", CLOSED_PORT]) == 1
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("transpipe: error: cannot reach")


def test_demo_is_not_pullable_and_endpoint_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="train-demo"):
        pull_model(load_catalogue(_store(tmp_path)).get("demo"), _store(tmp_path))
    with pytest.raises(ConfigError, match="not an http"):
        probe_endpoint("ftp://example.org")


# -- convert ---------------------------------------------------------------------------------


def test_convert_round_trip_int8_cli(
    demo_model_ru_en: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo-int8"
    argv = ["models", "convert", str(demo_model_ru_en), "--out", str(out)]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert detect_layout(out) == "ct2"
    meta = json.loads((out / "transpipe-ct2.json").read_text(encoding="utf-8"))
    assert meta["quantization"] == "int8"
    assert meta["model_id"] == "transpipe-demo-ru-en"
    assert (out / "source.spm").is_file() and (out / "target.spm").is_file()
    assert not list(tmp_path.glob(".demo-int8*"))  # no temp dirs left behind
    pairs = training_pairs(REPO / "corpora", RU_EN)[:20]
    engine = create_engine(
        "ct2", resolve_model(str(out), RU_EN, "ct2", Paths()), DecodingOptions(beam_size=2)
    )
    hyps = engine.translate([s for s, _ in pairs], RU_EN)
    import sacrebleu

    chrf = sacrebleu.corpus_chrf([h.text for h in hyps], [[t for _, t in pairs]]).score
    assert chrf >= 98


def test_convert_refuses_a_non_model_dir(tmp_path: Path) -> None:
    from transpipe.models.convert import convert_to_ct2

    with pytest.raises(InputError, match="not a Hugging Face Marian model"):
        convert_to_ct2(tmp_path, tmp_path / "out")
    with pytest.raises(ConfigError, match="unknown quantization"):
        convert_to_ct2(tmp_path, tmp_path / "out", quantization="int3")


# -- the shipped demo models -------------------------------------------------------------------


@pytest.mark.parametrize("pair", [EN_RU, RU_EN], ids=str)
def test_shipped_demo_model_is_current_small_and_records_its_checks(pair: LanguagePair) -> None:
    """Trained on today's corpora and segmentation with today's recipe, else: retrain.

    A failure here after a change to corpora/ or to the segmentation rules means the demo
    models no longer know the pipeline's inputs: run `transpipe models train-demo --from X
    --to Y --out src/transpipe/models/data/demo-X-Y` for both directions and commit them.
    """
    hf_dir = packaged_demo_dir(pair)
    meta = read_metadata(hf_dir)
    pairs = training_pairs(REPO / "corpora", pair)
    assert meta["corpus_sha256"] == corpus_digest(pairs), "stale demo model: retrain it"
    assert meta["recipe"] == asdict(DemoRecipe())
    assert meta["recipe_version"] == RECIPE_VERSION
    assert meta["pairs"] == len(pairs)
    checks = meta["checks"]
    assert isinstance(checks, dict)
    for loader in ("transformers", "ctranslate2-int8"):
        assert checks[loader]["chrf"] >= 98, loader
        assert checks[loader]["looping"] == 0, loader
    for name in (
        "config.json",
        "model.safetensors",
        "generation_config.json",
        "source.spm",
        "target.spm",
        "vocab.json",
        "tokenizer_config.json",
    ):
        assert (hf_dir / name).is_file(), name
    ct2_dir = ct2_dir_for(hf_dir)
    assert read_metadata(ct2_dir)["revision"] == meta["revision"]
    size = sum(p.stat().st_size for d in (hf_dir, ct2_dir) for p in d.iterdir())
    assert size < 4_500_000


@pytest.mark.slow
@pytest.mark.parametrize("pair", [EN_RU, RU_EN], ids=str)
def test_shipped_demo_model_reproduces_its_training_pairs_in_both_loaders(
    pair: LanguagePair,
) -> None:
    """Measured here, not read from the metadata: greedy decoding as each library loads it."""
    pairs = training_pairs(REPO / "corpora", pair)
    hf_dir = packaged_demo_dir(pair)
    for check in (check_transformers(hf_dir, pairs), check_ct2(ct2_dir_for(hf_dir), pairs)):
        assert check.chrf >= 98
        assert check.looping == 0
        assert check.exact >= len(pairs) - 3


# -- training (tiny recipe) --------------------------------------------------------------------


def test_train_demo_writes_both_layouts_and_the_store_copy_wins(tmp_path: Path) -> None:
    corpora = _tiny_corpus(tmp_path)
    store = tmp_path / "store"
    messages: list[str] = []
    out = train_demo(
        EN_RU, store / "demo-en-ru", corpora_dir=corpora, recipe=TINY, progress=messages.append
    )
    assert detect_layout(out) == "hf" and detect_layout(ct2_dir_for(out)) == "ct2"
    meta = read_metadata(out)
    assert meta["pairs"] == 3 and meta["recipe"] == asdict(TINY)
    assert meta["corpus_sha256"] == corpus_digest(training_pairs(corpora, EN_RU))
    checks = meta["checks"]
    assert isinstance(checks, dict) and checks["transformers"]["exact"] == 3
    assert checks["ctranslate2-int8"]["exact"] == 3
    assert read_metadata(ct2_dir_for(out))["revision"] == meta["revision"]
    assert any("ctranslate2-int8: chrF 100.00" in m for m in messages)
    assert sorted(p.name for p in store.iterdir()) == ["demo-en-ru", "demo-en-ru-ct2"]

    resolved = resolve_model("demo", EN_RU, "ct2", Paths(models_dir=store))
    assert (resolved.hf_dir, resolved.ct2_dir) == (out, ct2_dir_for(out))
    # an incomplete copy in the store (no CTranslate2 layout) is not used
    (ct2_dir_for(out) / "model.bin").unlink()
    resolved = resolve_model("demo", EN_RU, "ct2", Paths(models_dir=store))
    assert resolved.hf_dir == packaged_demo_dir(EN_RU)


def test_train_demo_below_target_writes_nothing(tmp_path: Path) -> None:
    corpora = _tiny_corpus(tmp_path)
    store = tmp_path / "store"
    impossible = DemoRecipe(**{**asdict(TINY), "max_steps": 5, "target_chrf": 101.0})
    with pytest.raises(ModelError, match=r"missed chrF 101\.0") as caught:
        train_demo(EN_RU, store / "demo-en-ru", corpora_dir=corpora, recipe=impossible)
    assert "nothing was written" in str(caught.value)
    assert list(store.iterdir()) == []


def test_train_demo_cli_without_corpora_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["models", "--models-dir", str(tmp_path), "train-demo", "--from", "en", "--to", "ru"]
    assert main([*argv, "--corpora", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "corpora directory not found" in err
    assert "in a clone of the transpipe repository" in err


def test_training_pairs_zip_segments_skip_mismatches_and_read_extra(tmp_path: Path) -> None:
    (tmp_path / "extra").mkdir()
    (tmp_path / "item.en.txt").write_text(
        "The council met today. It adopted a plan.\n\nOne sentence here. And another one.\n",
        encoding="utf-8",
    )
    (tmp_path / "item.ru.txt").write_text(
        "Совет собрался сегодня. Он принял план.\n\nЗдесь одно предложение и ещё одно.\n",
        encoding="utf-8",
    )
    (tmp_path / "extra" / "terms.tsv").write_text(
        "# en\tru\nthe treaty\tдоговор\n\n", encoding="utf-8"
    )
    with pytest.warns(UserWarning, match="paragraph 2"):
        pairs = training_pairs(tmp_path, EN_RU)
    assert pairs == [
        ("The council met today.", "Совет собрался сегодня."),
        ("It adopted a plan.", "Он принял план."),
        ("the treaty", "договор"),
    ]
    with pytest.warns(UserWarning):  # both directions train on the same pairs
        assert training_pairs(tmp_path, RU_EN) == [(r, e) for e, r in pairs]
    digest = corpus_digest(pairs)
    assert digest != corpus_digest(pairs[:-1])
    assert digest != corpus_digest(list(reversed(pairs)))
    (tmp_path / "extra" / "bad.tsv").write_text("only one column\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.tsv:1"), pytest.warns(UserWarning):
        training_pairs(tmp_path, EN_RU)
    (tmp_path / "extra" / "bad.tsv").write_bytes(b"caf\xe9\tcafe\n")
    with pytest.raises(InputError, match="not valid UTF-8"), pytest.warns(UserWarning):
        training_pairs(tmp_path, EN_RU)


# -- the CLI from any directory ----------------------------------------------------------------


def _cli(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "TRANSPIPE_MODELS_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "transpipe", *argv],
        cwd=cwd,
        env={**full, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_models_list_and_path_from_outside_the_clone(tmp_path: Path) -> None:
    """No TRANSPIPE_MODELS_DIR: the store is the user data dir (XDG_DATA_HOME here)."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    done = _cli(["models", "list"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    store = tmp_path / "data" / "transpipe" / "models"
    if sys.platform.startswith("linux"):
        assert lines[0] == f"model store: {store}"
    assert lines[1] == f"catalogue: {PACKAGE_DATA / 'catalogue.toml'}"
    assert "| opus-mt-tc-big-en-ru | en-ru | Helsinki-NLP/opus-mt-tc-big-en-zle |" in done.stdout
    demo = next(line for line in lines if line.startswith("| demo |"))
    assert "demo-en-ru (hf, ct2; shipped)" in demo and "demo-ru-en (hf, ct2; shipped)" in demo
    done = _cli(["models", "path", "demo", "--from", "ru", "--to", "en"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(ct2_dir_for(packaged_demo_dir(RU_EN)))


@pytest.mark.slow
def test_translate_with_the_demo_model_from_outside_the_clone(tmp_path: Path) -> None:
    article = tmp_path / "note.ru.txt"
    source = (REPO / "corpora" / "csc-session-minsk.ru.txt").read_text(encoding="utf-8")
    article.write_text(source, encoding="utf-8")
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "SOURCE_DATE_EPOCH": "1700000000"}
    argv = ["translate", article.name, "--from", "ru", "--to", "en", "--model", "demo"]
    done = _cli([*argv, "--out", "out"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    translated = (tmp_path / "out" / "note.en.txt").read_text(encoding="utf-8")
    expected = (REPO / "corpora" / "csc-session-minsk.en.txt").read_text(encoding="utf-8")
    import sacrebleu

    assert sacrebleu.corpus_chrf([translated], [[expected]]).score >= 95
