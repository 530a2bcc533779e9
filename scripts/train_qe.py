"""Train transpipe's reference-free quality estimator and write quality/data/qe-model.json.

Data (read from ``../shared/eval``, never copied into the repository):

* training: WMT21 newstest2021 ru-en segment-level DA (``human/wmt21...da-seg.tsv``; rows
  with an empty hypothesis, the HUMAN system, are left out): features of (source, system
  output) -> the DA z-score;
* calibration: the human references of newstest2021 in both directions (``testsets/``), read
  as translations of their sources: the *good* threshold is put where ``--good-alarms`` of
  them fall below it (all causes: rule-check findings count too), the *review* threshold where
  ``--review-alarms`` do.

Model: standardised ``qe_features.FEATURES`` -> tanh hidden layer(s) -> z-score, fitted with
Adam on mean squared error, full batch, fixed seed, ``--epochs`` chosen by grouped 5-fold
cross-validation on the training set (folds by source segment, so a source's nine translations
never sit on both sides); the CV Kendall tau is recorded in the model file.

Features of every pair are cached in ``models/cache/qe/`` (git-ignored; the sentence encoder is
the slow part), so a rerun with other hyper-parameters takes seconds.

Run from the repository root:  python scripts/train_qe.py
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from transpipe.model import Issue, LanguagePair, Severity  # noqa: E402
from transpipe.quality import CHECK_NAMES, ChecksConfig, configure_checks, run_checks  # noqa: E402
from transpipe.quality.checks_coverage import (  # noqa: E402
    detector_features,
    detector_key,
    judged_side,
)
from transpipe.quality.coverage import Coverage, SideCoverage, coverage  # noqa: E402
from transpipe.quality.qe_features import COVERAGE_CHECKS, features  # noqa: E402
from transpipe.quality.qe_model import MODEL_PATH, Calibration, Detector, QeModel  # noqa: E402

EVAL = REPO.parent / "shared" / "eval"
TRAIN_FILE = "human/wmt21.newstest2021.ru-en.da-seg.tsv"
CALIBRATION_SETS = {
    "ru-en": ("testsets/newstest2021.ru-en.ru", "testsets/newstest2021.ru-en.en"),
    "en-ru": ("testsets/newstest2021.en-ru.en", "testsets/newstest2021.en-ru.ru"),
}
CHECKS = configure_checks(ChecksConfig(), disable=sorted(COVERAGE_CHECKS & set(CHECK_NAMES)))
Array = npt.NDArray[np.float64]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_da(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as stream:
        header = stream.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in stream:
            parts = line.rstrip("\n").split("\t")
            if not parts[col["hypothesis"]].strip():
                continue
            rows.append(
                {
                    "line": int(parts[col["line"]]),
                    "system": parts[col["system"]],
                    "source": parts[col["source"]],
                    "target": parts[col["hypothesis"]],
                    "z": float(parts[col["z_score"]]),
                }
            )
    return rows


# ------------------------------------------------------------------ cached features


class FeatureCache:
    """Coverage of (source, target) pairs, one JSON line each, appended as they are computed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, Coverage] = {}
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                self.known[record["key"]] = _coverage_from(record)

    @staticmethod
    def key(source: str, target: str) -> str:
        return hashlib.sha1(f"{source}\t{target}".encode()).hexdigest()

    def coverage(self, sources: Sequence[str], targets: Sequence[str]) -> list[Coverage]:
        todo = sorted(  # by source, so a batch encodes each source once for all its systems
            (s, t)
            for s, t in dict.fromkeys(zip(sources, targets, strict=True))
            if self.key(s, t) not in self.known
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        for start in range(0, len(todo), 256):
            batch = todo[start : start + 256]
            found = coverage([s for s, _ in batch], [t for _, t in batch])
            with self.path.open("a", encoding="utf-8") as stream:
                for (s, t), cov in zip(batch, found, strict=True):
                    self.known[self.key(s, t)] = cov
                    stream.write(json.dumps(_coverage_record(self.key(s, t), cov)) + "\n")
            done = start + len(batch)
            print(f"  coverage {done}/{len(todo)} ({time.monotonic() - started:.0f} s)")
        return [self.known[self.key(s, t)] for s, t in zip(sources, targets, strict=True)]


def _vector(data: str) -> npt.NDArray[np.float32]:
    return np.frombuffer(base64.b64decode(data), dtype=np.float16).astype(np.float32)


def _coverage_record(key: str, cov: Coverage) -> dict[str, Any]:
    return {
        "key": key,
        "similarity": cov.similarity,
        "vectors": [
            base64.b64encode(v.astype(np.float16).tobytes()).decode("ascii")
            for v in (cov.source_vector, cov.target_vector)
        ],
        "source": [list(cov.source.spans), [round(float(x), 5) for x in cov.source.support]],
        "target": [list(cov.target.spans), [round(float(x), 5) for x in cov.target.support]],
    }


def _coverage_from(record: dict[str, Any]) -> Coverage:
    def side(data: list[Any]) -> SideCoverage:
        spans = tuple((int(a), int(b)) for a, b in data[0])
        return SideCoverage(spans, np.array(data[1], dtype=np.float32))

    source_vector, target_vector = (_vector(v) for v in record["vectors"])
    return Coverage(
        side(record["source"]),
        side(record["target"]),
        float(record["similarity"]),
        source_vector,
        target_vector,
    )


def feature_rows(
    cache: FeatureCache, sources: list[str], targets: list[str], pair: LanguagePair
) -> tuple[Array, list[list[Issue]], list[Coverage]]:
    covs = cache.coverage(sources, targets)
    issues = [run_checks(s, t, pair, config=CHECKS) for s, t in zip(sources, targets, strict=True)]
    return features(sources, targets, pair, issues, covs), issues, covs


def calibrate(
    model: QeModel,
    detectors: dict[str, Detector],
    cache: FeatureCache,
    name: str,
    args: argparse.Namespace,
) -> tuple[Calibration, dict[str, Any]]:
    """Predicted z-scores for the review and good thresholds from one set of references.

    References a rule check already flags (a finding >= MAJOR, the omission/addition checks
    included) count against the false-alarm budget first; mojibake references (12 broken
    lines of newstest2021 en-ru) are left out, as the benchmark does.
    """
    src_file, ref_file = CALIBRATION_SETS[name]
    pair = LanguagePair(*name.split("-"))
    sources = (EVAL / src_file).read_text(encoding="utf-8").splitlines()
    refs = (EVAL / ref_file).read_text(encoding="utf-8").splitlines()
    kept = [(s, r) for s, r in zip(sources, refs, strict=True) if s.strip() and r.strip()]
    kept = kept[: args.limit] if args.limit else kept
    feats, issues, covs = feature_rows(cache, [s for s, _ in kept], [r for _, r in kept], pair)
    broken = np.array([any(i.check == "mojibake" for i in found) for found in issues])
    predicted = model.predict(feats)[~broken]
    flagged = np.array(
        [
            any(i.severity >= Severity.MAJOR for i in found)
            or detector_fires(detectors, source, target, pair, c)
            for (source, target), found, c, bad in zip(kept, issues, covs, broken, strict=True)
            if not bad
        ]
    )
    clean = predicted[~flagged]
    n = len(predicted)
    # the score's share of the budget is what the checks leave, but never less than twice the
    # review share (so the review point stays below the good point)
    budget = max(args.good_alarms * n - flagged.sum(), 2 * args.review_alarms * n)
    good = float(np.quantile(clean, budget / len(clean)))
    review = float(np.quantile(clean, args.review_alarms * n / len(clean)))
    not_good = float(np.mean(flagged | (predicted < good)))
    print(
        f"  calibration {name}: review z {review:.3f}, good z {good:.3f}, not good {not_good:.3f}"
    )
    # as good as the median human reference: 100 (what fuzzy-match leverage compares against)
    top = max(float(np.median(clean)), good + 1e-3)
    return Calibration(review, good, top), {
        "references": n,
        "mojibake_left_out": int(broken.sum()),
        "flagged_by_checks": round(float(flagged.mean()), 4),
        "not_good": round(not_good, 4),
        "file": ref_file,
        "sha256": sha256(EVAL / ref_file),
        "source_file": src_file,
        "source_sha256": sha256(EVAL / src_file),
    }


def fault_sets(
    name: str, limit: int | None, seed: int
) -> tuple[list[str], list[str], list[str], list[str]]:
    """newstest2021 ``name`` references with the benchmark's omission and addition faults.

    Returns (sources, clean references, omitted, added); the rows without an omission (fewer
    than 6 words) carry the clean reference there and are skipped by the caller.
    """
    import random

    from quality import fault_addition, fault_omission  # benchmarks/quality.py

    src_file, ref_file = CALIBRATION_SETS[name]
    pair = LanguagePair(*name.split("-"))
    sources = (EVAL / src_file).read_text(encoding="utf-8").splitlines()
    refs = (EVAL / ref_file).read_text(encoding="utf-8").splitlines()
    kept = [(s, r) for s, r in zip(sources, refs, strict=True) if s.strip() and r.strip()]
    kept = kept[:limit] if limit else kept
    rng = random.Random(seed)
    others: dict[str, object] = {"others": [r for _, r in kept]}
    omitted = [fault_omission(s, r, pair, rng, {}) or r for s, r in kept]
    added = [fault_addition(s, r, pair, rng, others) or r for s, r in kept]
    return [s for s, _ in kept], [r for _, r in kept], omitted, added


def fit_detectors(cache: FeatureCache, args: argparse.Namespace) -> dict[str, Detector]:
    """Logistic detectors of the omission and addition checks, one per language pair.

    Positives: newstest2021 references with the benchmark's faults; negatives: the clean
    references (mojibake lines left out). Each pair's threshold lets ``--detector-alarms`` of
    its clean references through.
    """
    rows: dict[str, tuple[list[list[float]], list[int], list[str]]] = {
        kind: ([], [], []) for kind in ("omission", "addition")
    }
    for name in CALIBRATION_SETS:
        pair = LanguagePair(*name.split("-"))
        sources, refs, omitted, added = fault_sets(name, args.limit, args.seed)
        n = len(sources)
        covs = cache.coverage(sources * 3, refs + omitted + added)
        for kind, faulted, offset in (("omission", omitted, n), ("addition", added, 2 * n)):
            x, y, names = rows[kind]
            for i, source in enumerate(sources):
                found = run_checks(source, refs[i], pair, config=CHECKS)
                if any(f.check == "mojibake" for f in found):
                    continue
                for label, target, cov in (
                    (0, refs[i], covs[i]),
                    (1, faulted[i], covs[offset + i]),
                ):
                    if label and target == refs[i]:
                        continue  # no fault could be made (too short)
                    side = judged_side(source, target, pair, cov, kind)
                    if side is None:
                        continue
                    x.append(detector_features(source, target, pair, side, cov.similarity, kind))
                    y.append(label)
                    names.append(name)
    detectors = {}
    for kind, (x_rows, labels, names) in rows.items():
        all_features: Array = np.array(x_rows, dtype=np.float64)
        all_labels: Array = np.array(labels, dtype=np.float64)
        pairs = np.array(names)
        for name in CALIBRATION_SETS:  # one detector per check and language pair
            features_of, label_of = all_features[pairs == name], all_labels[pairs == name]
            mean, scale = features_of.mean(axis=0), features_of.std(axis=0) + 1e-9
            z = (features_of - mean) / scale
            weight, bias = np.zeros(z.shape[1]), 0.0
            for _ in range(3000):  # gradient descent on the L2-regularised logistic loss
                p = 1.0 / (1.0 + np.exp(-(z @ weight + bias)))
                weight -= 0.1 * (z.T @ (p - label_of) + weight) / len(label_of)
                bias -= 0.1 * float(np.mean(p - label_of))
            scores = z @ weight + bias
            clean, faulty = scores[label_of == 0], scores[label_of == 1]
            threshold = float(np.quantile(clean, 1.0 - args.detector_alarms))
            caught = float(np.mean(faulty > threshold))
            print(f"  {kind} {name}: {caught:.3f} of {len(faulty)} faults caught on newstest2021")
            detectors[detector_key(kind, LanguagePair(*name.split("-")))] = Detector(
                mean, scale, weight, bias, threshold
            )
    return detectors


def detector_fires(
    detectors: dict[str, Detector], source: str, target: str, pair: LanguagePair, cov: Coverage
) -> bool:
    for kind in ("omission", "addition"):
        detector = detectors.get(detector_key(kind, pair))
        side = judged_side(source, target, pair, cov, kind)
        if detector is None or side is None:
            continue
        row = detector_features(source, target, pair, side, cov.similarity, kind)
        if float(detector.score(np.array([row]))[0]) > detector.threshold:
            return True
    return False


# ------------------------------------------------------------------ the model


def init_layers(sizes: list[int], rng: np.random.Generator) -> list[tuple[Array, Array]]:
    return [
        (rng.normal(0.0, 1.0 / np.sqrt(a), size=(a, b)), np.zeros(b)) for a, b in pairwise(sizes)
    ]


def forward(layers: list[tuple[Array, Array]], x: Array) -> tuple[Array, list[Array]]:
    activations = [x]
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if i < len(layers) - 1:
            x = np.tanh(x)
        activations.append(x)
    return x[:, 0], activations


def fit(
    x: Array, y: Array, *, hidden: list[int], epochs: int, lr: float, decay: float, seed: int
) -> list[tuple[Array, Array]]:
    """Full-batch Adam on mean squared error with L2 weight decay; returns the layers."""
    rng = np.random.default_rng(seed)
    layers = init_layers([x.shape[1], *hidden, 1], rng)
    moments = [
        (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)) for w, b in layers
    ]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        pred, acts = forward(layers, x)
        grad = (2.0 / len(y)) * (pred - y)[:, None]
        for i in range(len(layers) - 1, -1, -1):
            w, b = layers[i]
            gw = acts[i].T @ grad + decay * w
            gb = grad.sum(axis=0)
            if i > 0:
                grad = (grad @ w.T) * (1.0 - acts[i] ** 2)
            mw, vw, mb, vb = moments[i]
            mw = beta1 * mw + (1 - beta1) * gw
            vw = beta2 * vw + (1 - beta2) * gw**2
            mb = beta1 * mb + (1 - beta1) * gb
            vb = beta2 * vb + (1 - beta2) * gb**2
            moments[i] = (mw, vw, mb, vb)
            correction1, correction2 = 1 - beta1**step, 1 - beta2**step
            w = w - lr * (mw / correction1) / (np.sqrt(vw / correction2) + eps)
            b = b - lr * (mb / correction1) / (np.sqrt(vb / correction2) + eps)
            layers[i] = (w, b)
    return layers


def kendall(a: Array, b: Array) -> float:
    from scipy import stats

    return float(stats.kendalltau(a, b).statistic)


def cross_validate(
    x: Array,
    y: Array,
    groups: Array,
    *,
    hidden: list[int],
    epochs: int,
    lr: float,
    decay: float,
    seed: int,
) -> float:
    """Kendall tau of out-of-fold predictions, 5 folds by source segment."""
    fold_of = {
        g: i % 5 for i, g in enumerate(np.random.default_rng(seed).permutation(np.unique(groups)))
    }
    folds = np.array([fold_of[g] for g in groups])
    out = np.zeros(len(y))
    for k in range(5):
        train, test = folds != k, folds == k
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
        layers = fit(
            (x[train] - mean) / scale,
            y[train],
            hidden=hidden,
            epochs=epochs,
            lr=lr,
            decay=decay,
            seed=seed,
        )
        out[test] = forward(layers, (x[test] - mean) / scale)[0]
    return kendall(out, y)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hidden", type=int, nargs="*", default=[], help="hidden layer sizes")
    parser.add_argument(
        "--epochs", type=int, nargs="+", default=[300, 600, 1000, 1500], help="candidates (CV)"
    )
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--decay", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--good-alarms", type=float, default=0.04, help="share of references under good"
    )
    parser.add_argument("--review-alarms", type=float, default=0.005, help="share under review")
    parser.add_argument(
        "--detector-alarms", type=float, default=0.0125, help="omission/addition false alarms"
    )
    parser.add_argument("--limit", type=int, help="first N rows of each file (tests)")
    parser.add_argument("--cache", type=Path, default=REPO / "models" / "cache" / "qe")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"{EVAL} is missing: the WMT data is needed to train", file=sys.stderr)
        return 1
    cache = FeatureCache(args.cache / "coverage.jsonl")
    rows = load_da(EVAL / TRAIN_FILE)
    rows = rows[: args.limit] if args.limit else rows
    ru_en = LanguagePair("ru", "en")
    print(f"training rows: {len(rows)} from {TRAIN_FILE}")
    x, _, _ = feature_rows(cache, [r["source"] for r in rows], [r["target"] for r in rows], ru_en)
    y = np.array([r["z"] for r in rows])
    groups = np.array([r["line"] for r in rows])
    cv = {}
    for epochs in args.epochs:
        cv[epochs] = cross_validate(
            x,
            y,
            groups,
            hidden=args.hidden,
            epochs=epochs,
            lr=args.lr,
            decay=args.decay,
            seed=args.seed,
        )
        print(f"  {epochs} epochs: CV Kendall tau {cv[epochs]:.4f}")
    epochs = max(cv, key=lambda e: cv[e])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    layers = fit(
        (x - mean) / scale,
        y,
        hidden=args.hidden,
        epochs=epochs,
        lr=args.lr,
        decay=args.decay,
        seed=args.seed,
    )
    model = QeModel(
        mean, scale, tuple(layers), {"ru-en": Calibration(0.0, 1.0, 2.0)}, {"pair": "ru-en"}
    )

    detectors = fit_detectors(cache, args)
    calibration = {}
    reference_report = {}
    for name in CALIBRATION_SETS:
        calibration[name], reference_report[name] = calibrate(model, detectors, cache, name, args)
    info = {
        "pair": "ru-en",
        "target": "WMT21 newstest2021 ru-en segment DA z-score",
        "training_data": TRAIN_FILE,
        "training_sha256": sha256(EVAL / TRAIN_FILE),
        "training_rows": len(rows),
        "cv_kendall_tau": {str(k): round(v, 4) for k, v in cv.items()},
        "epochs": epochs,
        "hidden": args.hidden,
        "lr": args.lr,
        "decay": args.decay,
        "seed": args.seed,
        "calibration_references": reference_report,
        "good_alarms": args.good_alarms,
        "detector_alarms": args.detector_alarms,
        "review_alarms": args.review_alarms,
        "command": "python scripts/train_qe.py " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    model = QeModel(mean, scale, tuple(layers), calibration, info, detectors)
    args.out.write_text(
        json.dumps(_rounded(model.to_json()), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out}")
    return 0


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.7g}")
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    sys.exit(main())
