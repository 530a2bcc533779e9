"""Helpers for the review and publish tests: run the real CLI, start the real review server.

Not a test module. ``translate_identity`` runs ``transpipe translate --engine identity`` (a
real pipeline run with the shipped test double); ``ReviewServer`` starts ``transpipe review``
as a separate process, reads the URL it prints, and talks to it over HTTP.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = REPO_ROOT / "glossary" / "csto.tsv"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def transpipe(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would (``python -m transpipe``), with this checkout's sources."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "transpipe", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"transpipe {args} exited {result.returncode}: {result.stderr}")
    return result


def translate_identity(articles: list[Path], out: Path, *, source: str = "en") -> Path:
    target = "ru" if source == "en" else "en"
    transpipe(
        "translate",
        *articles,
        "--from",
        source,
        "--to",
        target,
        "--glossary",
        GLOSSARY,
        "--engine",
        "identity",
        "--out",
        out,
    )
    return out


@dataclass
class Reply:
    status: int
    data: Any
    headers: dict[str, str]


class ReviewServer:
    """A ``transpipe review DIR`` process and an HTTP client for it."""

    def __init__(self, directory: Path, *extra: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "transpipe", "review", str(directory), "--port", "0", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise AssertionError(f"no URL printed: {line!r} {self.stderr()}")
        self.url = line
        parts = urlsplit(line)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.token = parts.query.removeprefix("token=")
        self.base = f"http://{self.host}:{self.port}"

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def request(
        self,
        method: str,
        path: str,
        payload: object = None,
        *,
        token: str | None = "default",
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        sent = dict(headers or {})
        if token == "default":
            token = self.token
        if token is not None:
            sent["X-Transpipe-Token"] = token
        body = raw
        if payload is not None:
            body = json.dumps(payload).encode("utf-8")
            sent["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        kind = response.getheader("content-type", "")
        value: Any = data
        if kind.startswith("application/json"):
            value = json.loads(data)
        elif kind.startswith("text/"):
            value = data.decode("utf-8")
        return Reply(response.status, value, {k.lower(): v for k, v in response.getheaders()})

    def segments(self, article: str) -> list[dict[str, Any]]:
        reply = self.request("GET", f"/api/articles/{article}/segments")
        assert reply.status == 200, reply.data
        segments: list[dict[str, Any]] = reply.data
        return segments

    def put(self, segment: dict[str, Any], target: str, status: str = "approved") -> Reply:
        return self.request(
            "PUT",
            "/api/segments/" + segment["id"],
            {"target": target, "status": status, "version": segment["version"]},
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ReviewServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def paragraph_shape(text: str) -> list[int]:
    """Lines per paragraph of an article (paragraphs separated by blank lines)."""
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    return [len([line for line in b.split("\n") if line.strip()]) for b in blocks]
