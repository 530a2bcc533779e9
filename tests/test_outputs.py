"""Safe outputs (``transpipe.outputs``): the no-clobber rule, numbered backups, stale temp
files, and an article's output set surviving a real SIGKILL at any moment.

The crash tests run a child Python process that writes output sets through the library and is
killed with SIGKILL by this process: once at a known moment (after the second of five renames,
and while rendering, before the commit point) and many times at random moments. After each
kill the next run's :meth:`OutputSet.recover` must leave one complete set, old or new, and no
temp files.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from transpipe.errors import OutputError
from transpipe.formats.tmx import write_tmx
from transpipe.model import Bitext, LanguagePair, Unit
from transpipe.outputs import Existing, OutputSet, claim, inspect, refuse_duplicates, write_output
from transpipe.outputs.files import Render

SRC = Path(__file__).resolve().parents[1] / "src"
NAMES = ["art.tmx", "art.po", "art.ru.txt", "art.report.json", "art.report.html"]


def _text(data: str) -> bytes:
    return data.encode("utf-8")


def test_new_file_then_refused_then_forced_with_numbered_backups(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "g.tsv"
    assert write_output(out, lambda s: s.write(b"one\n")) is None
    assert out.read_bytes() == b"one\n"
    with pytest.raises(
        OutputError, match=r"g\.tsv: already exists; not overwriting \(pass --force"
    ):
        write_output(out, lambda s: s.write(b"two\n"))
    assert out.read_bytes() == b"one\n"
    assert write_output(out, lambda s: s.write(b"two\n"), force=True) == out.with_name("g.tsv.~1~")
    assert write_output(out, lambda s: s.write(b"three\n"), force=True) == out.with_name(
        "g.tsv.~2~"
    )
    assert [(p.name, p.read_bytes()) for p in sorted(out.parent.iterdir())] == [
        ("g.tsv", b"three\n"),
        ("g.tsv.~1~", b"one\n"),
        ("g.tsv.~2~", b"two\n"),
    ]


def _tmx(target: str) -> bytes:
    buffer = io.BytesIO()
    write_tmx(Bitext("d", LanguagePair("en", "ru"), (Unit("d:p1:s1", "Hi.", target),)), buffer)
    return buffer.getvalue()


def test_regenerated_output_replaces_only_unchanged_own_files(tmp_path: Path) -> None:
    out = tmp_path / "d.tmx"
    write_output(out, lambda s: s.write(_tmx("Привет.")), regenerate=True)
    assert inspect(out) is Existing.UNCHANGED
    write_output(out, lambda s: s.write(_tmx("Здравствуйте.")), regenerate=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.tmx"]  # no backup of our own file
    with pytest.raises(OutputError, match="already exists"):  # a plain writer replaces nothing
        claim(out)
    out.write_text(out.read_text("utf-8").replace("Здравствуйте.", "Добрый день."), "utf-8")
    assert inspect(out) is Existing.EDITED
    with pytest.raises(OutputError, match="was edited after transpipe wrote it"):
        write_output(out, lambda s: s.write(_tmx("Привет.")), regenerate=True)
    assert "Добрый день." in out.read_text("utf-8")


def test_failed_render_leaves_no_trace(tmp_path: Path) -> None:
    out = tmp_path / "x.po"
    out.write_bytes(b"keep")

    def broken(stream: object) -> None:
        raise RuntimeError("renderer bug")

    with pytest.raises(RuntimeError):
        write_output(out, broken, force=True)
    assert [(p.name, p.read_bytes()) for p in tmp_path.iterdir()] == [("x.po", b"keep")]


def test_directory_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "x.po").mkdir()
    with pytest.raises(OutputError, match=r"x\.po: is a directory"):
        write_output(tmp_path / "x.po", lambda s: s.write(b"x"), force=True)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temp_files_are_removed_live_ones_kept(tmp_path: Path) -> None:
    stale = tmp_path / f".x.po.{_dead_pid()}-0badc0de.tmp"
    live = tmp_path / f".x.po.{os.getpid()}-0badc0de.tmp"
    other = tmp_path / f".y.po.{_dead_pid()}-0badc0de.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    write_output(tmp_path / "x.po", lambda s: s.write(b"done"))
    assert not stale.exists() and live.exists() and other.exists()


def test_duplicate_outputs_in_one_run_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="two inputs of this run would write this file"):
        refuse_duplicates([tmp_path / "a.po", tmp_path / "b.po", tmp_path / "." / "a.po"])


def _renders(generation: str) -> dict[str, Render]:
    def render(name: str) -> Render:
        return lambda stream: stream.write(_text(f"{name} {generation}\n"))

    return {name: render(name) for name in NAMES}


def test_output_set_commit_manifest_and_edit_check(tmp_path: Path) -> None:
    outputs = OutputSet(tmp_path, "art", NAMES)
    assert outputs.commit(_renders("1")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*NAMES, ".art.transpipe.json"])
    assert outputs.commit(_renders("2")) == []
    assert (tmp_path / "art.ru.txt").read_text("utf-8") == "art.ru.txt 2\n"
    (tmp_path / "art.ru.txt").write_text("an editor's fix\n", "utf-8")
    with pytest.raises(OutputError, match=r"art\.ru\.txt: was edited after transpipe wrote it"):
        outputs.prepare()
    backups = outputs.commit(_renders("3"), force=True)
    assert backups == [tmp_path / "art.ru.txt.~1~"]
    assert backups[0].read_text("utf-8") == "an editor's fix\n"


def test_output_set_without_record_refuses_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "art.report.html").write_text("<p>someone's page</p>", "utf-8")
    with pytest.raises(OutputError, match=r"art\.report\.html: already exists"):
        OutputSet(tmp_path, "art", NAMES).prepare()


CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from transpipe.outputs import OutputSet

    directory, mode = Path(sys.argv[1]), sys.argv[2]
    names = {names!r}
    outputs = OutputSet(directory, "art", names)

    def renders(generation, pause_at=None):
        def render(name):
            def write(stream):
                if name == pause_at:
                    print("paused", flush=True)
                    time.sleep(60)
                stream.write(f"{{name}} {{generation}}\\n".encode())
            return write
        return {{name: render(name) for name in names}}

    if mode == "between-renames":
        outputs.commit(renders("old"))
        real_replace, count = os.replace, [0]
        def replace(src, dst):
            real_replace(src, dst)
            if str(dst).endswith(tuple(names)):
                count[0] += 1
                if count[0] == 2:
                    print("paused", flush=True)
                    time.sleep(60)
        os.replace = replace
        outputs.commit(renders("new"))
    elif mode == "while-rendering":
        outputs.commit(renders("old"))
        outputs.commit(renders("new", pause_at=names[2]))
    else:
        generation = 0
        while True:
            generation += 1
            outputs.commit(renders(str(generation)))
    """
).format(names=NAMES)


def _child(tmp_path: Path, mode: str) -> subprocess.Popen[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "out"), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def _kill_when_paused(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "paused"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)


def _generations(directory: Path) -> set[str]:
    return {(directory / name).read_text("utf-8").split()[-1] for name in NAMES}


def _temps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_between_renames_is_completed_by_the_next_run(tmp_path: Path) -> None:
    with _child(tmp_path, "between-renames") as child:
        _kill_when_paused(child)
    out = tmp_path / "out"
    assert _generations(out) == {"old", "new"}  # the half-renamed state the issue describes
    assert len(_temps(out)) == 3
    finished = OutputSet(out, "art", NAMES).recover()
    assert [p.name for p in finished] == NAMES[2:]
    assert _generations(out) == {"new"} and _temps(out) == []
    assert OutputSet(out, "art", NAMES).prepare()  # the set is ours and unchanged again


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_before_the_commit_point_keeps_the_old_set(tmp_path: Path) -> None:
    with _child(tmp_path, "while-rendering") as child:
        _kill_when_paused(child)
    out = tmp_path / "out"
    assert _generations(out) == {"old"} and len(_temps(out)) >= 2
    assert OutputSet(out, "art", NAMES).recover() == []
    assert _generations(out) == {"old"} and _temps(out) == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_at_random_moments_never_mixes_generations(tmp_path: Path) -> None:
    rng = random.Random(20261205)
    out = tmp_path / "out"
    for _ in range(12):
        with _child(tmp_path, "loop") as child:
            time.sleep(0.3 + rng.random() * 0.3)  # interpreter start-up, then a few commits
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        if not out.exists() or not all((out / n).exists() for n in NAMES):
            OutputSet(out, "art", NAMES).recover()
            if not out.exists() or not all((out / n).exists() for n in NAMES):
                continue  # killed before the first set was complete: nothing to compare
        OutputSet(out, "art", NAMES).recover()
        assert len(_generations(out)) == 1, _generations(out)
        assert _temps(out) == []
    assert (out / NAMES[0]).exists()
