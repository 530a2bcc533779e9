"""The learned quality estimator's model file: a small multilayer perceptron in numpy.

Owns reading ``quality/data/qe-model.json`` (written by ``scripts/train_qe.py``) and running
it: standardised ``qe_features.FEATURES`` -> tanh hidden layers -> a predicted WMT DA z-score,
and the logistic detectors of the omission/addition checks (``checks_coverage``),
then a piecewise-linear map to the 0-100 score whose calibration points (the predicted z-scores
where the *review* and *good* thresholds lie and where 100 is reached, per language pair) were
chosen on human references. The file also records where the weights came from: the training
data's SHA-256, the rows used and the command that reproduces them. No third-party code runs
at inference time beyond numpy; a prediction costs microseconds per segment.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from transpipe.errors import ModelError
from transpipe.model import LanguagePair
from transpipe.quality.qe_features import FEATURES

MODEL_PATH = Path(__file__).with_name("data") / "qe-model.json"
FORMAT = "transpipe-qe-mlp/1"


@dataclass(frozen=True)
class Calibration:
    """Predicted z-scores at which a segment's score reaches ``review``, ``good`` and 100."""

    review: float
    good: float
    top: float


@dataclass(frozen=True)
class Detector:
    """A logistic detector of the omission or addition check for one language pair and the
    score above which it fires."""

    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]
    bias: float
    threshold: float

    def score(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        return np.asarray(x @ self.weight + self.bias, dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weight": self.weight.tolist(),
            "bias": self.bias,
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class QeModel:
    """Standardisation, layers (tanh between them), per-pair calibration, check detectors."""

    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    layers: tuple[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]], ...]
    calibration: dict[str, Calibration]
    info: dict[str, Any]
    detectors: dict[str, Detector] = field(default_factory=dict)

    def predict(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Predicted DA z-score of each row of ``features`` (columns in ``FEATURES`` order)."""
        x = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        for i, (weight, bias) in enumerate(self.layers):
            x = x @ weight + bias
            if i < len(self.layers) - 1:
                x = np.tanh(x)
        return np.asarray(x[:, 0], dtype=np.float64)

    def calibration_for(self, pair: LanguagePair) -> Calibration:
        found = self.calibration.get(f"{pair.source}-{pair.target}")
        if found is None:  # a pair without its own references: the training pair's points
            found = self.calibration[self.info["pair"]]
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "features": list(FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "layers": [{"weight": w.tolist(), "bias": b.tolist()} for w, b in self.layers],
            "calibration": {
                name: {"review": c.review, "good": c.good, "top": c.top}
                for name, c in self.calibration.items()
            },
            "info": self.info,
            "detectors": {name: d.to_json() for name, d in self.detectors.items()},
        }


def model_from_json(data: dict[str, Any], origin: str = "model") -> QeModel:
    """Build a model from its JSON form; refuse one made for other features."""
    if data.get("format") != FORMAT:
        raise ModelError(f"{origin}: not a {FORMAT} quality model")
    if tuple(data.get("features", ())) != FEATURES:
        raise ModelError(
            f"{origin}: trained on other features than this transpipe computes",
            hint="retrain with scripts/train_qe.py",
        )
    layers = tuple(
        (np.array(layer["weight"], dtype=np.float64), np.array(layer["bias"], dtype=np.float64))
        for layer in data["layers"]
    )
    return QeModel(
        np.array(data["mean"], dtype=np.float64),
        np.array(data["scale"], dtype=np.float64),
        layers,
        {
            name: Calibration(float(c["review"]), float(c["good"]), float(c["top"]))
            for name, c in data["calibration"].items()
        },
        dict(data.get("info", {})),
        {
            name: Detector(
                np.array(d["mean"], dtype=np.float64),
                np.array(d["scale"], dtype=np.float64),
                np.array(d["weight"], dtype=np.float64),
                float(d["bias"]),
                float(d["threshold"]),
            )
            for name, d in data.get("detectors", {}).items()
        },
    )


@functools.cache
def load_model(path: Path = MODEL_PATH) -> QeModel:
    """The committed model (read once per process)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the quality model: {exc}", path=path) from exc
    return model_from_json(data, str(path))
