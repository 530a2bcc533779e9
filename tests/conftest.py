"""Shared pytest fixtures: repository paths, ../shared data, and the demo models.

The demo Marian models are built (or loaded from the committed/cached copy) once per test
session through the same code path as ``transpipe models train-demo``.
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
def models_dir() -> Path:
    return REPO_ROOT / "models"


def _demo(models_dir: Path, source: str, target: str) -> Path:
    from transpipe.models.demo import ensure_demo_model

    return ensure_demo_model(models_dir, LanguagePair(source, target))


@pytest.fixture(scope="session")
def demo_model_en_ru(models_dir: Path) -> Path:
    """Hugging Face Marian directory of the demo en->ru model."""
    return _demo(models_dir, "en", "ru")


@pytest.fixture(scope="session")
def demo_model_ru_en(models_dir: Path) -> Path:
    """Hugging Face Marian directory of the demo ru->en model."""
    return _demo(models_dir, "ru", "en")


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
