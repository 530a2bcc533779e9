"""Shared pytest fixtures: repository paths, ../shared data, and the demo models.

The demo Marian models are the ones shipped inside the package (``transpipe/models/data``);
tests never train. CLI runs get an empty model store of their own (``models_store``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.model import LanguagePair

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository; tests that need it skip cleanly when absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present (a user's clone has no shared data)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def models_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty per-user model store for the session (pass it as TRANSPIPE_MODELS_DIR)."""
    return tmp_path_factory.mktemp("models-store")


def _demo(source: str, target: str) -> Path:
    from transpipe.models.layout import packaged_demo_dir

    directory = packaged_demo_dir(LanguagePair(source, target))
    assert (directory / "model.safetensors").is_file(), f"demo model missing: {directory}"
    return directory


@pytest.fixture(scope="session")
def demo_model_en_ru() -> Path:
    """Hugging Face Marian directory of the demo en->ru model shipped in the package."""
    return _demo("en", "ru")


@pytest.fixture(scope="session")
def demo_model_ru_en() -> Path:
    """Hugging Face Marian directory of the demo ru->en model shipped in the package."""
    return _demo("ru", "en")


@pytest.fixture(scope="session")
def demo_ct2_en_ru(demo_model_en_ru: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo en->ru model converted to CTranslate2 float32 (for exact comparisons)."""
    from transpipe.models.convert import convert_to_ct2

    out = tmp_path_factory.mktemp("ct2") / "demo-en-ru-float32"
    return convert_to_ct2(demo_model_en_ru, out, quantization="float32")


@pytest.fixture(scope="session")
def demo_ct2_ru_en(demo_model_ru_en: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transpipe.models.convert import convert_to_ct2

    out = tmp_path_factory.mktemp("ct2") / "demo-ru-en-float32"
    return convert_to_ct2(demo_model_ru_en, out, quantization="float32")
