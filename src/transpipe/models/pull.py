"""Downloading catalogue models from the Hugging Face hub (``transpipe models pull``).

Owns ``pull_model``: probe the hub endpoint with a short timeout first (so an offline machine
fails within seconds with one clear line), then ``huggingface_hub.snapshot_download`` of the
catalogue revision into the model store's ``NAME/`` with a tqdm progress bar, and a
``transpipe-model.json`` beside the files. The endpoint is a parameter (tests point it at a
closed loopback port). Nothing touches the network at import time.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
from pathlib import Path

from transpipe.errors import ConfigError, DownloadError
from transpipe.models.catalogue import CatalogueEntry
from transpipe.models.layout import HF_METADATA, ModelStore

DEFAULT_ENDPOINT = "https://huggingface.co"
PROBE_TIMEOUT_S = 3.0
# Only what MarianMTModel/MarianTokenizer and the converter need.
ALLOW_PATTERNS = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "pytorch_model.bin",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "README.md",
)


def probe_endpoint(endpoint: str, *, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Open (and close) a TCP connection to ``endpoint`` or raise ``DownloadError`` fast."""
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"hub endpoint {endpoint!r} is not an http(s) URL")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, TimeoutError):
            reason = f"no answer within {timeout:g} s"
        raise DownloadError(
            f"cannot reach the model hub at {endpoint} ({reason})",
            hint="check the network or proxy, or copy a model directory here and pass it "
            "with --model DIR; offline, --model demo exercises the pipeline",
        ) from exc


def pull_model(
    entry: CatalogueEntry,
    store: ModelStore,
    *,
    endpoint: str = DEFAULT_ENDPOINT,
    token: str | None = None,
    progress: bool = True,
) -> Path:
    """Download ``entry`` at its catalogue revision into the store's ``NAME/``; returns it."""
    if entry.is_demo or not entry.hf_id:
        raise ConfigError(
            f"{entry.name!r} is not downloadable",
            hint="build it with `transpipe models train-demo`",
        )
    try:
        probe_endpoint(endpoint)
    except DownloadError as exc:
        raise DownloadError(
            f"{exc.reason}; nothing was written to the {store.describe()}", hint=exc.hint
        ) from exc
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError
    from tqdm.auto import tqdm

    target = store.model_dir(entry.name)
    target.mkdir(parents=True, exist_ok=True)
    try:
        snapshot_download(
            repo_id=entry.hf_id,
            revision=entry.revision,
            local_dir=str(target),
            allow_patterns=list(ALLOW_PATTERNS),
            endpoint=endpoint,
            token=token,
            tqdm_class=tqdm if progress else None,
        )
    except HfHubHTTPError as exc:
        raise DownloadError(
            f"download of {entry.hf_id} into the {store.describe()} refused: {exc}"
        ) from exc
    except OSError as exc:
        raise DownloadError(
            f"download of {entry.hf_id} into the {store.describe()} failed: {exc}"
        ) from exc
    metadata = {
        "name": entry.name,
        "model_id": entry.hf_id,
        "revision": entry.revision,
        "pair": str(entry.pair) if entry.pair else "",
        "source_prefix": entry.source_prefix,
        "license": entry.license,
    }
    (target / HF_METADATA).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return target
