"""End-to-end tests of ``transpipe batch``: real engines, real processes, a real job store.

- the identity double: batch writes what ``translate`` writes for the same articles;
- the demo model: every article written once, the job store says so, a rerun does nothing;
- ``--workers 1``, ``--workers 2`` and Ray (a real local instance, 2 CPUs, no dashboard)
  write byte-identical files under ``SOURCE_DATE_EPOCH``;
- a batch ``SIGKILL``-ed at five random points and rerun each time translates every article
  exactly once (the job store's ``translations`` rows) and writes what an uninterrupted run
  writes;
- a failing article is reported and the others written, then retried alone by the rerun; an
  unreadable input and an edited output are reported by name; other options and a second
  concurrent run are refused; progress is a bar on a terminal, lines elsewhere, nothing with
  ``--quiet``.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import random
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import ClassVar

import pytest

from transpipe import registry
from transpipe.batch import JOB_FILE, JobStore
from transpipe.cli import main
from transpipe.engines.identity import IdentityEngine
from transpipe.model import Hypothesis

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossary" / "csto.tsv"
EPOCH = "1700000000"
SUFFIXES = (".tmx", ".po", ".ru.txt", ".report.json", ".report.html")
# Small articles first, for the shorter tests.
ARTICLES = (
    "unsc-debate-participation",
    "belta-interview",
    "unsc-debate-remarks",
    "cfm-meeting-astana",
    "press-briefing",
    "peacekeeping-exercise",
)
# Every English sample article (13, 114 sentences): about ten chunks of 10 sentences.
ALL = tuple(sorted(p.name[: -len(".en.txt")] for p in (REPO / "corpora").glob("*.en.txt")))


def _copy_articles(directory: Path, names: tuple[str, ...] = ARTICLES) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(REPO / "corpora" / f"{name}.en.txt", directory / f"{name}.en.txt")
    return directory


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "transpipe", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=REPO,
        timeout=900,
    )


def _outputs(out: Path) -> dict[str, bytes]:
    """Every visible file of an output directory (manifests and the job store aside)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def _store(out: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{out / JOB_FILE}?mode=ro", uri=True)


def _translations(out: Path) -> dict[str, int]:
    with JobStore(out) as store:
        return store.translation_counts()


def _states(out: Path) -> dict[str, str]:
    db = _store(out)
    try:
        return dict(db.execute("SELECT name, state FROM articles").fetchall())
    finally:
        db.close()


@pytest.fixture(scope="module")
def env(models_store: Path) -> dict[str, str]:
    """`--model demo` finds the demo models shipped in the package; the store stays empty."""
    return {"TRANSPIPE_MODELS_DIR": str(models_store), "SOURCE_DATE_EPOCH": EPOCH}


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy_articles(tmp_path_factory.mktemp("articles"), ALL)


DEMO = ["--from", "en", "--to", "ru", "--model", "demo", "--glossary", str(GLOSSARY)]
# Several chunks; pinning off: TermPinner's per-concept cache makes a pinned translation
# depend on the articles its process pinned before (see test_chunk_result_..._pinned below).
SPLIT = [*DEMO, "--no-pin", "--chunk-sentences", "10", "--quiet"]


@pytest.fixture(scope="module")
def reference(
    articles: Path, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """An uninterrupted ``--workers 1`` run of the SPLIT job."""
    out = tmp_path_factory.mktemp("reference") / "out"
    result = _run(["batch", str(articles), str(out), *SPLIT, "--workers", "1"], env)
    assert result.returncode == 0, result.stderr
    return out


# -- what it writes ------------------------------------------------------------------------


def test_identity_batch_writes_what_translate_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    articles = _copy_articles(tmp_path / "in", ARTICLES[:4])
    batch_out, translate_out = tmp_path / "batch", tmp_path / "translate"
    pair = ["--from", "en", "--to", "ru", "--engine", "identity"]
    assert main(["batch", str(articles), str(batch_out), *pair, "--workers", "1"]) == 0
    files = sorted(str(p) for p in articles.iterdir())
    assert main(["translate", *files, *pair, "--out", str(translate_out)]) == 0
    capsys.readouterr()

    batch, single = _outputs(batch_out), _outputs(translate_out)
    assert (
        sorted(batch)
        == sorted(single)
        == sorted(f"{name}{suffix}" for name in ARTICLES[:4] for suffix in SUFFIXES)
    )
    for name, data in single.items():
        if name.endswith(".report.json"):  # translate's reports carry the seconds per stage
            expected = json.loads(data)
            del expected["run"]["timings_s"]
            assert json.loads(batch[name]) == expected
        elif name.endswith(".report.html"):
            row = re.compile(rb"<tr><td>timings_s</td>.*?</tr>")
            assert batch[name] == row.sub(b"", data)
        else:
            assert batch[name] == data, name


def test_demo_model_batch_writes_each_article_once_and_a_rerun_does_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    articles = _copy_articles(tmp_path / "in")
    out = tmp_path / "out"
    result = _run(["batch", str(articles), str(out), *DEMO, "--workers", "1"], env)
    assert result.returncode == 0, result.stderr
    assert f"batch: {len(ARTICLES)}/{len(ARTICLES)} articles" in result.stderr  # plain lines
    assert f"{len(ARTICLES)} translated" in result.stderr
    written = _outputs(out)
    assert sorted(written) == sorted(f"{n}{s}" for n in ARTICLES for s in SUFFIXES)
    for name in ARTICLES:
        manifest = json.loads((out / f".{name}.transpipe.json").read_text("utf-8"))
        assert manifest["state"] == "complete"
        report = json.loads(written[f"{name}.report.json"])
        assert report["run"]["term_pinning"] is True and report["created"].startswith("2023")
    assert set(_states(out).values()) == {"done"}
    assert _translations(out) == dict.fromkeys(ARTICLES, 1)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}

    again = _run(["batch", str(articles), str(out), *DEMO, "--workers", "1"], env)
    assert again.returncode == 0, again.stderr
    assert "0 translated" in again.stderr and f"{len(ARTICLES)} done before" in again.stderr
    assert _outputs(out) == written
    assert {n: out.joinpath(n).stat().st_mtime_ns for n in stamps} == stamps
    assert _translations(out) == dict.fromkeys(ARTICLES, 1)


def test_two_workers_write_what_one_writes(
    articles: Path, env: dict[str, str], reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _run(["batch", str(articles), str(out), *SPLIT, "--workers", "2"], env)
    assert result.returncode == 0, result.stderr
    db = _store(out)
    chunks = db.execute("SELECT COUNT(DISTINCT chunk) FROM articles").fetchone()[0]
    db.close()
    assert chunks >= 8  # the job really was split between the workers
    assert _outputs(out) == _outputs(reference)


def test_ray_actors_write_what_local_workers_write(
    articles: Path, env: dict[str, str], reference: Path, tmp_path: Path
) -> None:
    pytest.importorskip("ray.data", reason="Ray is the optional extra transpipe[ray]")
    out = tmp_path / "out"
    # --ray without an address: a private local instance, 2 CPUs (= --workers), no dashboard
    result = _run(["batch", str(articles), str(out), *SPLIT, "--workers", "2", "--ray"], env)
    assert result.returncode == 0, result.stderr
    assert f"{len(ALL)} translated" in result.stderr
    assert _outputs(out) == _outputs(reference)
    assert _translations(out) == dict.fromkeys(ALL, 1)


def test_chunk_result_does_not_depend_on_what_the_worker_pinned_before(
    models_store: Path,
) -> None:
    from transpipe.batch.worker import ArticleText, Chunk, ChunkTranslator, WorkerSpec
    from transpipe.config import DecodingOptions, Paths, TranslateConfig
    from transpipe.model import LanguagePair
    from transpipe.models.resolve import resolve_model
    from transpipe.terms import load_glossary

    pair = LanguagePair("en", "ru")
    paths = Paths(models_dir=models_store)
    decoding = DecodingOptions(threads=1)
    spec = WorkerSpec(
        TranslateConfig(
            pair=pair, decoding=decoding, created="2024-01-01T00:00:00Z", stage_timings=False
        ),
        resolve_model("demo", pair, "ct2", paths),
        load_glossary(GLOSSARY),
        None,
    )

    def chunk(number: int, name: str) -> Chunk:
        text = (REPO / "corpora" / f"{name}.en.txt").read_text("utf-8")
        return Chunk(number, (ArticleText(name, text),))

    before = chunk(0, "cfm-meeting-astana")  # "I. Tasmagambetov" (expects "И.Н. ...")
    later = chunk(1, "unsc-debate-participation")  # "Imangali Tasmagambetov" only
    fresh = ChunkTranslator(spec)(later)
    worker = ChunkTranslator(spec)
    worker(before)
    assert worker(later) == fresh


# -- crashes -------------------------------------------------------------------------------


def test_sigkill_at_five_random_points_then_resume(
    articles: Path, env: dict[str, str], reference: Path, tmp_path: Path
) -> None:
    seed = int(os.environ.get("TRANSPIPE_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "transpipe", "batch", str(articles), str(out), *SPLIT]
    kills: list[str] = []  # where each kill landed, for the failure message
    for _ in range(5):
        recorded = _recorded(out)
        child = subprocess.Popen(
            [*argv, "--workers", "1"],
            env={**os.environ, **env},
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if rng.random() < 0.25:  # during start-up: imports, planning, loading the model
            time.sleep(rng.uniform(0.2, 1.5))
            moment = "start-up"
        else:  # just after this run recorded a chunk: committing it, translating the next
            deadline = time.monotonic() + 600
            while child.poll() is None and _recorded(out) <= recorded:
                assert time.monotonic() < deadline, f"no progress (seed {seed})"
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.15))
            moment = f"after {_recorded(out)} recorded"
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills.append(moment)
        child.wait()
    final = _run(["batch", str(articles), str(out), *SPLIT, "--workers", "1"], env)
    assert final.returncode == 0, final.stderr
    assert len(kills) == 5, f"runs finished before their kill: {kills} (seed {seed})"
    assert _translations(out) == dict.fromkeys(ALL, 1), f"seed {seed}, kills: {kills}"
    assert _outputs(out) == _outputs(reference), f"seed {seed}, kills: {kills}"
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], f"seed {seed}"
    for name in ALL:
        manifest = json.loads((out / f".{name}.transpipe.json").read_text("utf-8"))
        assert manifest["state"] == "complete"


def _recorded(out: Path) -> int:
    """Translations recorded in the job store so far (0 before it exists)."""
    if not (out / JOB_FILE).exists():
        return 0
    try:
        db = _store(out)
        try:
            return int(db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:  # created but not yet initialised
        return 0


# -- failures --------------------------------------------------------------------------------


class ExplodingEngine(IdentityEngine):
    """The identity double, failing on one marked sentence as a broken model library would."""

    name: ClassVar[str] = "exploding"

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        if any("EXPLODE" in text for text in texts):
            raise RuntimeError("simulated library failure")
        return super()._translate_batch(texts, prefixes)


def test_failed_article_is_reported_the_others_written_and_the_rerun_retries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry.engines.register("exploding", f"{__name__}:ExplodingEngine", needs_model=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    articles = _copy_articles(tmp_path / "in", ARTICLES[:3])
    broken = articles / "broken.en.txt"
    broken.write_text("Headline\n\nFirst sentence. Then EXPLODE here. Last one.\n", "utf-8")
    out = tmp_path / "out"
    argv = ["batch", str(articles), str(out), "--from", "en", "--to", "ru", "--quiet"]
    argv += ["--engine", "exploding", "--workers", "1"]

    assert main(argv) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("transpipe: error:")]
    assert errors == [
        f"transpipe: error: {broken}: segment broken:p2:s2: engine exploding failed: "
        "RuntimeError: simulated library failure"
    ]
    assert "3 translated" in err and "1 failed" in err and "Traceback" not in err
    assert not any(p.name.startswith("broken.") for p in out.iterdir())
    assert len(_outputs(out)) == 3 * len(SUFFIXES)
    assert _states(out)["broken"] == "failed"

    broken.write_text("Headline\n\nFirst sentence. Then nothing here. Last one.\n", "utf-8")
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "1 translated" in err and "3 done before" in err
    assert _translations(out) == {**dict.fromkeys(ARTICLES[:3], 1), "broken": 1}
    assert (out / "broken.ru.txt").read_text("utf-8").startswith("Headline")


def test_unreadable_input_and_edited_output_are_reported_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    articles = _copy_articles(tmp_path / "in", ARTICLES[:2])
    legacy = articles / "legacy.en.txt"
    legacy.write_bytes("Заголовок\n\nТекст статьи.\n".encode("cp1251"))
    russian = articles / "russian.en.txt"
    russian.write_text("Генеральный секретарь ОДКБ принял участие в заседании Совета.\n", "utf-8")
    listing = tmp_path / "feed.txt"
    listing.write_text(
        "# today's feed\n" + "".join(f"in/{p.name}\n" for p in sorted(articles.iterdir())),
        "utf-8",
    )
    out = tmp_path / "out"
    argv = ["batch", str(listing), str(out), "--from", "en", "--to", "ru", "--quiet"]
    argv += ["--engine", "identity", "--workers", "1"]

    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"transpipe: error: {legacy}: " in err and "not valid UTF-8" in err
    assert f"transpipe: error: {russian}: " in err and "the text is in Russian" in err
    assert "2 translated" in err and "2 failed" in err

    # a person edits one output; its source changes: translated again, not written over
    first = ARTICLES[0]
    edited = out / f"{first}.ru.txt"
    edited.write_text("edited by a person\n", "utf-8")
    source = articles / f"{first}.en.txt"
    source.write_text(source.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    legacy.unlink()
    russian.unlink()
    listing.write_text("".join(f"in/{p.name}\n" for p in sorted(articles.iterdir())), "utf-8")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{first}.ru.txt: was edited after transpipe wrote it" in err
    assert edited.read_text("utf-8") == "edited by a person\n"
    assert _states(out)[first] == "failed"  # refused before any work; the rerun retries it

    # with --force the article is translated and written, the edit kept as a backup
    assert main([*argv, "--force"]) == 0
    capsys.readouterr()
    assert (out / f"{first}.ru.txt.~1~").read_text("utf-8") == "edited by a person\n"
    assert "One more sentence." in edited.read_text("utf-8")
    assert _translations(out) == {**dict.fromkeys(ARTICLES[:2], 1), "legacy": 0, "russian": 0}


def test_other_options_and_a_concurrent_run_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    articles = _copy_articles(tmp_path / "in", ARTICLES[:1])
    out = tmp_path / "out"
    argv = ["batch", str(articles), str(out), "--from", "en", "--to", "ru", "--quiet"]
    argv += ["--engine", "identity", "--workers", "1"]
    assert main(argv) == 0
    capsys.readouterr()

    assert main([*argv, "--beam", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and JOB_FILE in err[0] and "beam=4" in err[0] and "beam=2" in err[0]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert main(argv) == 1
    assert "this job was started with created" in capsys.readouterr().err

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with JobStore(out):
        assert main(argv) == 1
    assert "another `transpipe batch` is running" in capsys.readouterr().err


def test_inputs_that_would_write_the_same_files_are_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = _copy_articles(tmp_path / "in", ARTICLES[:1])
    listing = tmp_path / "feed.txt"
    listing.write_text(f"in/{ARTICLES[0]}.en.txt\nin/../in/{ARTICLES[0]}.en.txt\n", "utf-8")
    out = tmp_path / "out"
    argv = ["batch", str(listing), str(out), "--from", "en", "--to", "ru"]
    assert main([*argv, "--engine", "identity"]) == 1
    assert "two inputs of this run would write this file" in capsys.readouterr().err
    assert not out.exists()
    assert main(["batch", str(tmp_path / "nothing"), str(out), "--from", "en", "--to", "ru"]) == 1
    assert "nothing" in capsys.readouterr().err
    assert articles.is_dir()


# -- progress --------------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_and_silence_with_quiet(
    env: dict[str, str], tmp_path: Path
) -> None:
    articles = _copy_articles(tmp_path / "in", ARTICLES[:3])
    argv = ["batch", str(articles), "--from", "en", "--to", "ru", "--engine", "identity"]
    argv += ["--workers", "1", "--chunk-sentences", "1"]
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "transpipe", *argv[:2], str(tmp_path / "tty"), *argv[2:]],
        env={**os.environ, **env},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        seen += data
    assert child.wait(timeout=600) == 0
    os.close(primary)
    screen = seen.decode("utf-8", "replace")
    assert "\r" in screen and "sentences" in screen and "3/3 articles" in screen
    assert "it/s" not in screen and "batch: 3/3 articles," not in screen  # a bar, not lines

    quiet = _run([*argv[:2], str(tmp_path / "quiet"), *argv[2:], "--quiet"], env)
    assert quiet.returncode == 0, quiet.stderr
    lines = quiet.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("batch: 3 articles: 3 translated")


# -- the job store's plan ------------------------------------------------------------------------


def test_job_store_plans_chunks_in_input_order_and_replans_what_changed(tmp_path: Path) -> None:
    from transpipe.batch.jobs import Outcome, PlannedArticle
    from transpipe.errors import ConfigError

    def planned(name: str, digest: str = "1") -> PlannedArticle:
        return PlannedArticle(name, f"in/{name}.en.txt", digest * 64, 3)

    with JobStore(tmp_path) as store:
        store.start({"model": "m@1"})
        store.plan([planned(n) for n in "abcd"], {"x": ("in/x.en.txt", "not UTF-8")}, 5)
        rows = {s.name: s for s in store.articles()}
        assert {n: rows[n].chunk for n in "abcd"} == {"a": 0, "b": 0, "c": 1, "d": 1}
        assert (rows["x"].state, rows["x"].chunk, rows["x"].error) == ("failed", None, "not UTF-8")

        store.record(0, [Outcome("a", files=(("a.tmx", b"<tmx/>"),)), Outcome("b", error="boom")])
        assert store.outputs("a") == {"a.tmx": b"<tmx/>"}
        store.plan([planned(n) for n in "abcd"], {}, 5)  # a rerun: b is retried in its chunk
        rows = {s.name: s for s in store.articles()}
        assert (rows["a"].state, rows["b"].state, rows["b"].chunk) == ("translated", "pending", 0)

        store.mark_done("a")
        assert store.outputs("a") == {}
        # a's source changed and e is new: both join a new chunk; the others keep theirs
        store.plan([planned("a", "2"), *(planned(n) for n in "bcd"), planned("e")], {}, 5)
        rows = {s.name: s for s in store.articles()}
        assert {n: (rows[n].state, rows[n].chunk) for n in "abcde"} == {
            "a": ("pending", 2),
            "b": ("pending", 0),
            "c": ("pending", 1),
            "d": ("pending", 1),
            "e": ("pending", 2),
        }
        assert store.translation_counts()["a"] == 0  # the one translation was of the old text

    with JobStore(tmp_path) as store, pytest.raises(ConfigError, match="model 'm@1', not 'm@2'"):
        store.start({"model": "m@2"})
