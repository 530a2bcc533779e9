"""Review workstation speed: opening a 2,000-segment article in Chromium, and PUT round trips.

Builds a project directory from a real run: ``transpipe translate --engine identity`` of the
13 sample articles as one article, whose report segments (real findings, term matches and
audits) are repeated with fresh paragraph numbers up to ``--segments``. Then it starts the real
server (``transpipe review DIR``), opens the article page in the system Chromium (Playwright)
``--opens`` times, reading the page's own ``data-render-ms`` (navigation start to all rows
rendered), and sends ``--puts`` segment updates over one keep-alive connection, timing each
round trip. Targets: render under 1,000 ms, PUT p95 under 100 ms. Prints a markdown table
with the load average and the CPU's vector extensions (timings on a loaded machine are not
the product's).

    python benchmarks/review.py [--segments 2000] [--opens 5] [--puts 200] [--work DIR]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
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
NAME = "bench"
RENDER_TARGET_MS = 1000.0
PUT_P95_TARGET_MS = 100.0


def cpu_isa() -> str:
    try:
        flags = next(
            line
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("flags")
        ).split()
    except (OSError, StopIteration):
        return "unknown"
    names = {"avx2": "AVX2", "avx512f": "AVX-512", "avx512_vnni": "VNNI", "avx_vnni": "AVX-VNNI"}
    found = [label for flag, label in names.items() if flag in flags]
    return "/".join(found) or "no AVX2"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-m", "transpipe", *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )


def build_project(work: Path, segments: int) -> Path:
    """A directory with one article of at least ``segments`` segments (see module docstring)."""
    source_run = work / "run"
    report_path = source_run / "corpus.report.json"
    if not report_path.exists():
        texts = [p.read_text("utf-8").strip() for p in sorted((REPO / "corpora").glob("*.en.txt"))]
        article = work / "corpus.en.txt"
        article.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        cli("translate", article, "--from", "en", "--to", "ru", "--engine", "identity",
            "--glossary", REPO / "glossary" / "csto.tsv", "--out", source_run)  # fmt: skip
    report = json.loads(report_path.read_text("utf-8"))
    base = report["segments"]
    paragraphs = max(s["paragraph"] for s in base)
    copies = []
    for copy in range(-(-segments // len(base))):
        for record in base:
            paragraph = record["paragraph"] + copy * paragraphs
            sentence = record["id"].rsplit(":s", 1)[1]
            copies.append(
                {**record, "paragraph": paragraph, "id": f"{NAME}:p{paragraph}:s{sentence}"}
            )
    copies = copies[:segments]
    for n, record in enumerate(copies, start=1):
        record["n"] = n
    project = work / f"project-{segments}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    big = {**report, "name": NAME, "segments": copies}
    (project / f"{NAME}.report.json").write_text(json.dumps(big, ensure_ascii=False), "utf-8")
    return project


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    host: str
    port: int
    token: str
    start_s: float


def start_server(project: Path) -> Server:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "transpipe", "review", str(project), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit(f"the server printed {url!r}")
    parts = urlsplit(url)
    return Server(
        process,
        url,
        parts.hostname or "127.0.0.1",
        parts.port or 80,
        parts.query.removeprefix("token="),
        time.perf_counter() - started,
    )


def measure_render(server: Server, opens: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    loaded: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(server.url)  # sets the session cookie
        for _ in range(opens):
            page.goto(f"http://{server.host}:{server.port}/articles/{NAME}")
            page.wait_for_selector("body[data-ready=yes]", timeout=120_000)
            times.append(float(page.get_attribute("body", "data-render-ms") or "nan"))
            loaded.append(float(page.get_attribute("body", "data-loaded-ms") or "nan"))
        rows = page.get_attribute("body", "data-rows")
        browser.close()
    print(f"rendered rows: {rows}; segments loaded at (ms): {loaded}", file=sys.stderr)
    return times


def measure_puts(server: Server, puts: int) -> list[float]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    headers = {"X-Transpipe-Token": server.token, "Content-Type": "application/json"}
    connection.request("GET", f"/api/articles/{NAME}/segments", headers=headers)
    segments = json.loads(connection.getresponse().read())
    times = []
    for i in range(puts):
        segment = segments[i % len(segments)]
        body = {
            "target": f"{segment['target']} ({i})",
            "status": "approved" if i % 2 else "review",
            "version": segment["version"],
            "seconds": 1,
        }
        started = time.perf_counter()
        connection.request(
            "PUT", f"/api/segments/{segment['id']}", body=json.dumps(body), headers=headers
        )
        reply = connection.getresponse()
        data = json.loads(reply.read())
        times.append((time.perf_counter() - started) * 1000)
        if reply.status != 200:
            raise SystemExit(f"PUT {segment['id']} -> {reply.status}: {data}")
        segments[i % len(segments)] = data
    connection.close()
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--puts", type=int, default=200)
    parser.add_argument("--work", type=Path, help="keep the built run here (reused next time)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="transpipe-review-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()[0]
    project = build_project(work, args.segments)
    server = start_server(project)
    try:
        render = measure_render(server, args.opens)
        puts = measure_puts(server, args.puts)
    finally:
        server.process.terminate()
        server.process.wait(timeout=60)
    load_end = os.getloadavg()[0]
    render_median = statistics.median(render)
    p50, p95 = percentile(puts, 0.5), percentile(puts, 0.95)
    print(f"## transpipe review: {args.segments} segments\n")
    print(f"CPU: {os.cpu_count()} cores, {cpu_isa()}; load average {load_start:.1f} -> "
          f"{load_end:.1f} (timings under load are not the product's)\n")  # fmt: skip
    print("| measure | value | target | ratio to target |")
    print("|---|---:|---:|---:|")
    print(f"| server start incl. store creation (s) | {server.start_s:.2f} | | |")
    print(
        f"| open article, median of {len(render)} (ms) | {render_median:.0f} | "
        f"{RENDER_TARGET_MS:.0f} | {render_median / RENDER_TARGET_MS:.2f} |"
    )
    print(f"| open article, all runs (ms) | {', '.join(f'{t:.0f}' for t in render)} | | |")
    print(f"| PUT round trip p50 of {len(puts)} (ms) | {p50:.1f} | | |")
    print(
        f"| PUT round trip p95 (ms) | {p95:.1f} | {PUT_P95_TARGET_MS:.0f} | "
        f"{p95 / PUT_P95_TARGET_MS:.2f} |"
    )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
