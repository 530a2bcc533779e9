"""File safety at the command line: OS errors are one line naming the path, for every command;
no command replaces a person's work; an interrupted ``translate`` is completed by the next run.

OS conditions are real: a file without read permission (root's override dropped in the child
with ``prctl(PR_CAPBSET_DROP)`` when the tests run as root), a directory where an output goes,
``RLIMIT_FSIZE`` set in the child (the kernel's "file too large"), ``/dev/full`` as stdout.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from transpipe.cli import main
from transpipe.formats.tmx import write_tmx
from transpipe.model import Bitext, LanguagePair, Unit

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
EN_RU = LanguagePair("en", "ru")
TRANSLATE = ["translate", "note.en.txt", "--from", "en", "--to", "ru", "--engine", "identity"]
ARTICLE = "The sides discussed security.\n\nGo back\n"
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def _drop_root_file_override() -> None:
    """Make a root child obey file permissions (no effect for an ordinary user)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def transpipe(
    args: list[str],
    cwd: Path,
    preexec: Callable[[], None] | None = None,
    stdout: int | IO[str] = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "transpipe", *args],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
        preexec_fn=preexec,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("transpipe: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "note.en.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "note.ru.txt").write_text("Стороны обсудили безопасность.\n\nНазад\n", "utf-8")
    with (tmp_path / "pairs.tmx").open("wb") as stream:
        write_tmx(Bitext("pairs", EN_RU, (Unit("p:p1:s1", "Go back", "Назад"),)), stream)
    (tmp_path / "glossary.tsv").write_text("id\ten\tru\nback\tback\tназад\n", "utf-8")
    return tmp_path


def _can_drop_override() -> bool:
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(
        [sys.executable, "-c", "pass"], preexec_fn=_drop_root_file_override, capture_output=True
    )
    return probe.returncode == 0


UNREADABLE_COMMANDS = {
    "translate": ["translate", "{f}", "--from", "en", "--to", "ru", "--engine", "identity"],
    "segment": ["segment", "{f}", "--lang", "en"],
    "terms": ["terms", "{f}", "--lang", "en", "--glossary", "glossary.tsv"],
    "align": ["align", "{f}", "note.ru.txt", "--from", "en", "--to", "ru"],
    "score": ["score", "--hyp", "{f}", "--ref", "note.ru.txt"],
    "convert": ["convert", "{f}", "out.po"],
    "tm-import": ["tm", "import", "{f}", "--db", "tm.db", "--from", "en", "--to", "ru"],
    "glossary-import": ["glossary", "import", "{f}", "g.tsv"],
    "glossary-check": ["glossary", "check", "{f}"],
}


@pytest.mark.skipif(not _can_drop_override(), reason="cannot make a root child obey file modes")
@pytest.mark.parametrize("command", sorted(UNREADABLE_COMMANDS))
def test_permission_denied_input_is_one_line(workdir: Path, command: str) -> None:
    source = {"convert": "pairs.tmx", "tm-import": "pairs.tmx"}.get(command, "note.en.txt")
    if command.startswith("glossary"):
        source = "glossary.tsv"
    locked = workdir / source
    locked.chmod(0)
    args = [a.replace("{f}", source) for a in UNREADABLE_COMMANDS[command]]
    before = sorted(p.name for p in workdir.iterdir())
    result = transpipe(args, workdir, _drop_root_file_override)
    _one_line_error(result, source, "permission denied")
    assert sorted(p.name for p in workdir.iterdir()) == before


@pytest.mark.skipif(not _can_drop_override(), reason="cannot make a root child obey file modes")
def test_unwritable_output_directory_is_one_line(workdir: Path) -> None:
    out = workdir / "out"
    out.mkdir()
    out.chmod(0o555)
    result = transpipe(
        [*TRANSLATE, "--out", "out"],
        workdir,
        _drop_root_file_override,
    )
    _one_line_error(result, "note.", "permission denied")
    out.chmod(0o755)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "blocked"),
    [
        (["convert", "pairs.tmx", "{d}"], "{d}"),
        (["tm", "export", "{d}", "--db", "tm.db", "--from", "en", "--to", "ru"], "{d}"),
        (["glossary", "export", "glossary.tsv", "{d}"], "{d}"),
        (["segment", "--export-srx", "{d}"], "{d}"),
        (
            ["align", "note.en.txt", "note.ru.txt", "--from", "en", "--to", "ru", "--out", "{d}"],
            "{d}",
        ),
        (TRANSLATE, "out/note.po"),
    ],
    ids=["convert", "tm-export", "glossary-export", "export-srx", "align", "translate"],
)
def test_output_path_that_is_a_directory_is_one_line(
    workdir: Path, args: list[str], blocked: str
) -> None:
    suffix = {"tm": ".tmx", "glossary": ".tsv", "segment": ".srx"}.get(args[0], ".po")
    name = blocked.replace("{d}", f"blocked{suffix}")
    (workdir / name).mkdir(parents=True)
    if args[0] == "tm":
        assert (
            transpipe(
                ["tm", "import", "pairs.tmx", "--db", "tm.db", "--from", "en", "--to", "ru"],
                workdir,
            ).returncode
            == 0
        )
    result = transpipe([a.replace("{d}", name) for a in args], workdir)
    _one_line_error(result, name, "is a directory")


def _big_tmx(path: Path) -> None:
    units = tuple(
        Unit(f"b:p{i}:s1", f"Sentence number {i} about security.", f"Предложение {i}.")
        for i in range(1, 2000)
    )
    with path.open("wb") as stream:
        write_tmx(Bitext("big", EN_RU, units), stream)


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_file_size_limit_is_one_line_and_leaves_nothing(workdir: Path) -> None:
    _big_tmx(workdir / "big.tmx")
    before = sorted(p.name for p in workdir.iterdir())
    result = transpipe(["convert", "big.tmx", "big.po"], workdir, _limit_file_size)
    _one_line_error(result, "big.po", "file too large")
    assert sorted(p.name for p in workdir.iterdir()) == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
def test_full_disk_on_stdout_is_one_line(workdir: Path) -> None:
    with open("/dev/full", "w") as full:
        result = transpipe(["segment", "note.en.txt", "--lang", "en"], workdir, stdout=full)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["transpipe: error: No space left on device"], (
        result.stderr
    )


def _translate(workdir: Path, *extra: str) -> int:
    argv = ["translate", str(workdir / "note.en.txt"), "--from", "en", "--to", "ru"]
    return main([*argv, "--engine", "identity", "--out", str(workdir / "out"), *extra])


def test_po_edited_in_a_text_editor_is_kept_and_force_keeps_a_backup(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a msgstr changes (no header field): transpipe still sees the edit."""
    assert _translate(workdir) == 0
    assert _translate(workdir) == 0  # its own unchanged outputs are simply regenerated
    po = workdir / "out" / "note.po"
    text = po.read_text("utf-8")
    edited = text.replace(
        'msgstr "The sides discussed security."', 'msgstr "Стороны обсудили безопасность."'
    )
    assert edited != text
    po.write_text(edited, "utf-8")
    capsys.readouterr()
    assert _translate(workdir) == 1
    assert "note.po: was edited after transpipe wrote it" in capsys.readouterr().err
    assert po.read_text("utf-8") == edited
    assert _translate(workdir, "--force") == 0
    assert (workdir / "out" / "note.po.~1~").read_text("utf-8") == edited
    assert "Стороны" not in po.read_text("utf-8")


def test_two_inputs_with_one_output_name_are_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "a").mkdir()
    shutil.copy(workdir / "note.en.txt", workdir / "a" / "note.en.txt")
    argv = ["translate", str(workdir / "note.en.txt"), str(workdir / "a" / "note.en.txt")]
    code = main(
        [*argv, "--from", "en", "--to", "ru", "--engine", "identity", "--out", str(workdir / "out")]
    )
    assert code == 1
    assert "two inputs of this run would write this file" in capsys.readouterr().err
    assert not (workdir / "out").exists()


def test_align_out_keeps_edited_work(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["align", str(workdir / "note.en.txt"), str(workdir / "note.ru.txt")]
    argv += ["--from", "en", "--to", "ru", "--out", str(workdir / "al.po")]
    assert main(argv) == 0
    assert main(argv) == 0  # own unchanged output: regenerated
    po = workdir / "al.po"
    po.write_text(po.read_text("utf-8").replace('msgstr "Назад"', 'msgstr "Обратно"'), "utf-8")
    capsys.readouterr()
    assert main(argv) == 1
    assert "al.po: was edited after transpipe wrote it" in capsys.readouterr().err
    assert main([*argv, "--force"]) == 0
    assert 'msgstr "Обратно"' in (workdir / "al.po.~1~").read_text("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["glossary", "import", "glossary.tsv", "{o}.tsv"],
        ["glossary", "export", "glossary.tsv", "{o}.csv"],
        [
            "glossary",
            "extract",
            "--src",
            "note.en.txt",
            "--tgt",
            "note.ru.txt",
            "--from",
            "en",
            "--to",
            "ru",
            "--min-freq",
            "1",
            "--out",
            "{o}.tsv",
        ],
        ["segment", "--export-srx", "{o}.srx"],
        ["convert", "pairs.tmx", "{o}.po"],
    ],
    ids=["glossary-import", "glossary-export", "glossary-extract", "export-srx", "convert"],
)
def test_writers_never_replace_without_force(
    workdir: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    name = next(a for a in args if "{o}" in a).replace("{o}", "work")
    target = workdir / name
    target.write_text("a linguist's file\n", "utf-8")
    full = [
        str(workdir / a.replace("{o}", "work")) if "." in a and not a.startswith("-") else a
        for a in args
    ]
    assert main(full) == 1
    assert f"{name}: already exists; not overwriting" in capsys.readouterr().err
    assert target.read_text("utf-8") == "a linguist's file\n"
    assert main([*full, "--force"]) == 0
    assert target.read_text("utf-8") != "a linguist's file\n"
    assert (workdir / f"{name}.~1~").read_text("utf-8") == "a linguist's file\n"


CRASHING_CHILD = """
import os, sys, time
from pathlib import Path
from typing import IO
from transpipe.outputs import OutputSet

names = ["note.tmx", "note.po", "note.ru.txt", "note.report.json", "note.report.html"]
outputs = OutputSet(Path(sys.argv[1]), "note", names)
real_replace, count = os.replace, [0]
def replace(src, dst):
    real_replace(src, dst)
    if str(dst).endswith(tuple(names)):
        count[0] += 1
        if count[0] == 2:
            print("paused", flush=True)
            time.sleep(60)
os.replace = replace
outputs.commit({n: (lambda s, n=n: s.write(f"interrupted {n}\\n".encode())) for n in names})
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_translate_completes_an_interrupted_set_then_writes_its_own(workdir: Path) -> None:
    out = workdir / "out"
    script = workdir / "crash.py"
    script.write_text(CRASHING_CHILD, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with subprocess.Popen(
        [sys.executable, str(script), str(out)], stdout=subprocess.PIPE, text=True, env=env
    ) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "paused"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert any(p.name.endswith(".tmp") for p in out.iterdir())
    result = transpipe(
        [*TRANSLATE, "--out", "out"],
        workdir,
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    expected = ["note.tmx", "note.po", "note.ru.txt", "note.report.json", "note.report.html"]
    assert names == sorted([".note.transpipe.json", *expected])
    assert all("interrupted" not in (out / n).read_text("utf-8") for n in names)
