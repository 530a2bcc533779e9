"""The SQLite translation memory: import, lookup, export, safety, the engine and the CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.config import DecodingOptions
from transpipe.engines.base import Engine
from transpipe.engines.identity import IdentityEngine
from transpipe.errors import InputError
from transpipe.formats.po import read_po, write_po
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.model import Bitext, Hypothesis, LanguagePair, Unit
from transpipe.tm import SCHEMA_VERSION, TranslationMemory, TranslationMemoryEngine
from transpipe.tm.normalize import source_key

EN_RU = LanguagePair("en", "ru")
SUMMIT = "The summit opened in Moscow on Tuesday."
SUMMIT_RU = "Саммит открылся в Москве во вторник."
LEADERS = "Leaders discussed «regional security» at length."
LEADERS_RU = "Лидеры подробно обсудили региональную безопасность."
DRAFT = "The ministers will meet again next spring."
DRAFT_RU = "Министры снова встретятся следующей весной."
T0 = "2026-01-01T00:00:00Z"
T1 = "2026-02-01T00:00:00Z"
T2 = "2026-03-01T00:00:00Z"


def _write(path: Path, units: list[Unit], pair: LanguagePair = EN_RU) -> Path:
    bitext = Bitext(name=path.stem, pair=pair, units=tuple(units), created=T0)
    writer = write_tmx if path.suffix == ".tmx" else write_po
    with path.open("wb") as stream:
        writer(bitext, stream)
    return path


def _units() -> list[Unit]:
    return [
        Unit("news:p1:s1", SUMMIT, SUMMIT_RU),
        Unit("news:p1:s2", LEADERS, LEADERS_RU),
        Unit("news:p2:s1", DRAFT, DRAFT_RU, fuzzy=True),
        Unit("news:p2:s2", "An untranslated line.", ""),
    ]


@pytest.fixture()
def memory(tmp_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory(tmp_path / "tm.db") as tm:
        tm.import_file(_write(tmp_path / "news.tmx", _units()), EN_RU, created=T0)
        yield tm


# -- import ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".tmx", ".po"])
def test_import_takes_reviewed_units_and_counts_skipped(tmp_path: Path, suffix: str) -> None:
    path = _write(tmp_path / f"news{suffix}", _units())
    with TranslationMemory(tmp_path / "tm.db") as tm:
        stats = tm.import_file(path, EN_RU, created=T0)
        assert (stats.read, stats.added, stats.updated, stats.unchanged) == (4, 2, 0, 0)
        assert (stats.skipped_fuzzy, stats.skipped_empty, stats.skipped) == (1, 1, 2)
        assert tm.lookup(DRAFT, EN_RU) is None  # the fuzzy entry is not a translation
        again = tm.import_file(path, EN_RU, created=T0)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
        assert tm.stats().units == 2


def test_include_fuzzy_stores_unreviewed_rows_that_never_win(tmp_path: Path) -> None:
    po = _write(tmp_path / "drafts.po", _units())
    with TranslationMemory(tmp_path / "tm.db") as tm:
        stats = tm.import_file(po, EN_RU, include_fuzzy=True, created=T1)
        assert (stats.added, stats.skipped_fuzzy) == (3, 0)
        draft = tm.lookup(DRAFT, EN_RU)
        assert draft is not None and draft.target == DRAFT_RU and not draft.reviewed
        assert tm.lookup(DRAFT, EN_RU, reviewed_only=True) is None
        # a newer unreviewed alternative loses to the older reviewed translation
        tm.add(
            [Unit("x", SUMMIT, "Черновой перевод.")], EN_RU, "late.po", reviewed=False, created=T2
        )
        match = tm.lookup(SUMMIT, EN_RU)
        assert match is not None and match.target == SUMMIT_RU and match.reviewed
        # re-importing a reviewed pair as unreviewed does not demote it
        tm.add([Unit("y", SUMMIT, SUMMIT_RU)], EN_RU, "again.po", reviewed=False, created=T1)
        assert tm.stats().reviewed == 2


def test_newest_reviewed_translation_wins(memory: TranslationMemory) -> None:
    memory.add(
        [Unit("edit", SUMMIT, "Во вторник в Москве открылся саммит.")], EN_RU, "edit.po", created=T1
    )
    match = memory.lookup(SUMMIT, EN_RU)
    assert match is not None
    assert (match.target, match.origin, match.created) == (
        "Во вторник в Москве открылся саммит.",
        "edit.po",
        T1,
    )
    # re-approving the first translation later makes it the newest again
    memory.add(
        [Unit("news:p1:s1", SUMMIT, SUMMIT_RU)], EN_RU, "review.po", created="2026-03-01T00:00:00Z"
    )
    again = memory.lookup(SUMMIT, EN_RU)
    assert again is not None and (again.target, again.origin) == (SUMMIT_RU, "review.po")


def test_import_is_all_or_nothing(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.tmx", _units())
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "Hello\nmsgstr "Привет"\n', encoding="utf-8")
    with TranslationMemory(tmp_path / "tm.db") as tm:
        with pytest.raises(InputError, match=r"bad\.po:\d+"):
            tm.import_files([good, bad], EN_RU)
        assert tm.stats().units == 0


def test_language_pair_is_checked_against_the_file(tmp_path: Path) -> None:
    po = _write(tmp_path / "news.po", _units())
    tmx = _write(tmp_path / "news.tmx", _units())
    with TranslationMemory(tmp_path / "tm.db") as tm:
        with pytest.raises(InputError, match=r"news\.po: the file's source language is 'en'"):
            tm.import_file(po, LanguagePair("ru", "en"))
        with pytest.raises(InputError, match=r"news.tmx: no unit has both en and de \(4 skipped"):
            tm.import_file(tmx, LanguagePair("en", "de"))
        # the reverse direction of a TMX is fine: languages are chosen by code
        assert tm.import_file(tmx, LanguagePair("ru", "en")).added == 2
        back = tm.lookup(SUMMIT_RU, LanguagePair("ru", "en"))
        assert back is not None and back.target == SUMMIT
        assert tm.lookup(SUMMIT, EN_RU) is None  # nothing was stored for en->ru


# -- lookup ------------------------------------------------------------------------------------


def test_lookup_exact_normalized_and_miss(memory: TranslationMemory) -> None:
    exact = memory.lookup(SUMMIT, EN_RU)
    assert exact is not None
    assert (exact.kind, exact.target, exact.origin, exact.unit_id) == (
        "exact",
        SUMMIT_RU,
        "news.tmx",
        "news:p1:s1",
    )
    spaced = memory.lookup("  The summit\u00a0opened in  Moscow\non Tuesday. ", EN_RU)
    assert spaced is not None and (spaced.kind, spaced.target) == ("normalized", SUMMIT_RU)
    quotes = memory.lookup('Leaders discussed "regional security" at length.', EN_RU)
    assert quotes is not None and quotes.kind == "normalized" and quotes.source == LEADERS
    assert memory.lookup(SUMMIT.upper(), EN_RU) is None  # case is significant
    assert memory.lookup("The summit opened in Minsk on Tuesday.", EN_RU) is None
    assert memory.lookup(SUMMIT, LanguagePair("en", "de")) is None
    assert memory.lookup("   ", EN_RU) is None


def test_yo_and_e_are_one_key() -> None:
    assert source_key("Ещё  одна\u00a0встреча") == source_key("Еще одна встреча")
    assert source_key("«Да»") == source_key('"Да"')
    assert source_key("Да") != source_key("да")


def test_fuzzy_lookup_scores_similar_sources(memory: TranslationMemory) -> None:
    near = memory.fuzzy_lookup("The summit opened in Minsk on Tuesday.", EN_RU, threshold=0.7)
    assert [m.target for m in near] == [SUMMIT_RU]
    assert near[0].kind == "fuzzy" and 0.7 <= near[0].score < 1.0
    assert (
        memory.fuzzy_lookup("The summit opened in Minsk on Tuesday.", EN_RU, threshold=0.95) == []
    )
    same = memory.fuzzy_lookup(SUMMIT, EN_RU, threshold=0.5)
    assert same[0].kind == "exact" and same[0].score == 1.0
    assert memory.fuzzy_lookup("Completely different words here.", EN_RU, threshold=0.5) == []


# -- export ------------------------------------------------------------------------------------


def test_export_round_trip_through_tmx_and_po(tmp_path: Path, memory: TranslationMemory) -> None:
    memory.add([Unit("news:p1:s1", "Hello.", "Привет.")], EN_RU, "other.tmx", reviewed=False)
    bitext = memory.export(EN_RU, created=T1)
    assert [(u.source, u.target, u.fuzzy) for u in bitext.units] == [
        (SUMMIT, SUMMIT_RU, False),
        (LEADERS, LEADERS_RU, False),
        ("Hello.", "Привет.", True),
    ]
    assert len({u.id for u in bitext.units}) == 3  # a shared id is made unique
    assert ("x-tm-origin", "news.tmx") in bitext.units[0].props
    assert len(memory.export(EN_RU, reviewed_only=True)) == 2
    for suffix in (".tmx", ".po"):
        out = tmp_path / f"export{suffix}"
        writer = write_tmx if suffix == ".tmx" else write_po
        with out.open("wb") as stream:
            writer(bitext, stream)
        read = read_tmx(out, EN_RU) if suffix == ".tmx" else read_po(out, EN_RU)
        assert [(u.source, u.target, u.fuzzy) for u in read.units] == [
            (u.source, u.target, u.fuzzy) for u in bitext.units
        ]
        with TranslationMemory(tmp_path / f"copy{suffix}.db") as copy:
            stats = copy.import_file(out, EN_RU, include_fuzzy=True)
            assert stats.added == 3
            assert copy.export(EN_RU).units[2].fuzzy


# -- safety ------------------------------------------------------------------------------------


def test_schema_version_and_wal(tmp_path: Path) -> None:
    TranslationMemory(tmp_path / "tm.db").close()
    with closing(sqlite3.connect(tmp_path / "tm.db")) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unusable_files_are_input_errors_naming_the_path(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 10, encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.db: not a translation memory"):
        TranslationMemory(text)
    assert text.read_text(encoding="utf-8").startswith("these are my notes")  # untouched
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn, conn:  # commit, then close
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(InputError, match=r"foreign\.db: an SQLite database, but not"):
        TranslationMemory(foreign)
    newer = tmp_path / "newer.db"
    TranslationMemory(newer).close()
    with closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(InputError, match=r"newer\.db: translation memory schema \d+ is newer"):
        TranslationMemory(newer)
    with pytest.raises(InputError, match=r"absent\.db: translation memory not found"):
        TranslationMemory(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()
    with pytest.raises(InputError, match="is a directory"):
        TranslationMemory(tmp_path)


# -- engine ------------------------------------------------------------------------------------


class _CountingIdentity(IdentityEngine):
    """The shipped identity engine, recording each batch it is asked to translate."""

    def __init__(self) -> None:
        super().__init__(None, DecodingOptions())
        self.calls: list[list[str]] = []

    def translate(
        self, texts: object, pair: LanguagePair, *, prefixes: object = None
    ) -> list[Hypothesis]:
        self.calls.append(list(texts))  # type: ignore[call-overload]
        return super().translate(texts, pair, prefixes=prefixes)  # type: ignore[arg-type]


def test_engine_hits_memory_and_sends_misses_to_fallback_in_one_batch(
    memory: TranslationMemory,
) -> None:
    fallback = _CountingIdentity()
    engine = TranslationMemoryEngine(memory, fallback)
    assert isinstance(engine, Engine)
    texts = ["First unknown sentence.", SUMMIT, "", "Second unknown one.", " " + LEADERS]
    outputs = engine.translate_with_origin(texts, EN_RU)
    assert [o.hypothesis.text for o in outputs] == [
        "First unknown sentence.",
        SUMMIT_RU,
        "",
        "Second unknown one.",
        LEADERS_RU,
    ]
    assert [o.origin for o in outputs] == ["mt", "tm:news.tmx", "mt", "mt", "tm:news.tmx"]
    assert outputs[1].hypothesis == Hypothesis(text=SUMMIT_RU, score=0.0, pieces=1, tokens=())
    assert outputs[2].hypothesis.pieces == 0
    assert fallback.calls == [["First unknown sentence.", "Second unknown one."]]
    assert engine.translate(texts, EN_RU) == [o.hypothesis for o in outputs]
    assert engine.info.name == "tm+identity"
    assert engine.match_for(SUMMIT, EN_RU) is not None
    assert engine.match_for("First unknown sentence.", EN_RU) is None
    assert engine.score([SUMMIT], ["Something"], EN_RU) == fallback.score(
        [SUMMIT], ["Something"], EN_RU
    )


def test_engine_all_hits_never_calls_fallback_and_keeps_order(memory: TranslationMemory) -> None:
    fallback = _CountingIdentity()
    engine = TranslationMemoryEngine(memory, fallback)
    texts = [LEADERS, SUMMIT, LEADERS]
    assert [h.text for h in engine.translate(texts, EN_RU)] == [LEADERS_RU, SUMMIT_RU, LEADERS_RU]
    assert fallback.calls == []


def test_engine_prefix_that_the_stored_target_lacks_goes_to_fallback(
    memory: TranslationMemory,
) -> None:
    engine = TranslationMemoryEngine(memory, _CountingIdentity())
    kept, forced = engine.translate_with_origin(
        [SUMMIT, LEADERS], EN_RU, prefixes=["Саммит открылся", "Главы государств"]
    )
    assert kept.hypothesis.text == SUMMIT_RU and kept.match is not None
    assert forced.match is None and forced.hypothesis.text.startswith("Главы государств")


def test_engine_without_fallback(memory: TranslationMemory) -> None:
    engine = TranslationMemoryEngine(memory)
    out = engine.translate([SUMMIT, "Unknown."], EN_RU)
    assert out[0].text == SUMMIT_RU
    assert out[1] == Hypothesis(text="", pieces=0)
    assert engine.info.name == "tm" and engine.info.model_id == "tm.db"
    good, bad = engine.score([SUMMIT, SUMMIT], [SUMMIT_RU, "Совсем другое."], EN_RU)
    assert good == 0.0 and bad < -0.5
    with pytest.raises(TypeError):
        engine.translate(SUMMIT, EN_RU)
    with pytest.raises(ValueError):
        engine.translate([SUMMIT], EN_RU, prefixes=[None, None])


# -- command line ------------------------------------------------------------------------------


def test_cli_import_lookup_export_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmx = _write(tmp_path / "news.tmx", _units())
    po = _write(
        tmp_path / "more.po", [Unit("m:p1:s1", "Talks resumed.", "Переговоры возобновились.")]
    )
    db = str(tmp_path / "tm.db")
    pair = ["--from", "en", "--to", "ru"]
    assert main(["tm", "import", str(tmx), str(po), "--db", db, *pair]) == 0
    err = capsys.readouterr().err
    assert "news.tmx: 4 units read, 2 added" in err and "1 fuzzy, 1 empty" in err

    assert main(["tm", "lookup", SUMMIT, "--db", db, *pair]) == 0
    captured = capsys.readouterr()
    assert captured.out == SUMMIT_RU + "\n" and "exact match from news.tmx" in captured.err

    assert main(["tm", "lookup", "The summit opened in Minsk on Tuesday.", "--db", db, *pair]) == 1
    assert "no match" in capsys.readouterr().err
    near = "The summit opened in Minsk on Tuesday."
    assert main(["tm", "lookup", near, "--db", db, *pair, "--fuzzy", "0.7", "--json"]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["target"] == SUMMIT_RU and record["kind"] == "fuzzy" and record["score"] < 1

    out = tmp_path / "export.po"
    assert main(["tm", "export", str(out), "--db", db, *pair]) == 0
    assert {u.source for u in read_po(out).units} == {SUMMIT, LEADERS, "Talks resumed."}
    assert main(["tm", "export", str(out), "--db", db, *pair]) == 1  # kept without --force
    assert "already exists" in capsys.readouterr().err
    assert (
        main(["tm", "export", str(tmp_path / "x.tmx"), "--db", db, "--from", "ru", "--to", "en"])
        == 1
    )
    assert "no units for ru-en" in capsys.readouterr().err
    assert not (tmp_path / "x.tmx").exists()

    assert main(["tm", "stats", "--db", db, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["units"] == 3 and stats["origins"] == 2
    assert stats["pairs"] == [
        {"source": "en", "target": "ru", "units": 3, "reviewed": 3, "sources": 3}
    ]


def test_cli_errors_are_one_line_and_leave_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "tm.db"
    bad = tmp_path / "broken.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    good = _write(tmp_path / "news.tmx", _units())
    assert (
        main(["tm", "import", str(good), str(bad), "--db", str(db), "--from", "en", "--to", "ru"])
        == 1
    )
    err = capsys.readouterr().err
    assert (
        err.startswith("transpipe: error: ") and "broken.tmx" in err and len(err.splitlines()) == 1
    )
    assert not db.exists()  # every file is read before the memory is created
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database at all\n" * 20, encoding="utf-8")
    assert main(["tm", "stats", "--db", str(notes)]) == 1
    assert "notes.txt: not a translation memory" in capsys.readouterr().err
    assert (
        main(["tm", "lookup", "x", "--db", str(tmp_path / "none.db"), "--from", "en", "--to", "ru"])
        == 1
    )
    assert "translation memory not found" in capsys.readouterr().err
    assert main(["tm", "import", str(good), "--db", str(db), "--from", "en", "--to", "e n"]) == 1
    assert "invalid language code" in capsys.readouterr().err


def test_xliff_and_tsv_imports(tmp_path: Path) -> None:
    from transpipe.formats.bitext_tsv import write_bitext_tsv
    from transpipe.formats.xliff import write_xliff

    bitext = Bitext(name="news", pair=EN_RU, units=tuple(_units()), created=T0)
    xlf, tsv = tmp_path / "news.xlf", tmp_path / "news.tsv"
    with xlf.open("wb") as stream:
        write_xliff(bitext, stream)
    with tsv.open("wb") as stream:
        write_bitext_tsv(bitext, stream)
    with TranslationMemory(tmp_path / "tm.db") as tm:
        from_xliff = tm.import_file(xlf, EN_RU)
        assert (from_xliff.added, from_xliff.skipped_fuzzy, from_xliff.skipped_empty) == (2, 1, 1)
        with pytest.raises(InputError, match=r"news\.xlf: the file's target language is 'ru'"):
            tm.import_file(xlf, LanguagePair("en", "de"))
        from_tsv = tm.import_file(tsv, EN_RU)  # TSV has no review state: every unit counts
        assert (from_tsv.added, from_tsv.updated, from_tsv.skipped_empty) == (1, 2, 1)
        draft = tm.lookup(DRAFT, EN_RU)
        assert draft is not None and draft.origin == "news.tsv"


def test_truncated_memory_is_reported_as_corrupt(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    with TranslationMemory(db) as tm:
        units = [
            Unit(f"u{i}", f"Sentence {i} about the summit.", f"Фраза {i}.") for i in range(3000)
        ]
        tm.add(units, EN_RU, "generated")
    size = db.stat().st_size
    with db.open("r+b") as stream:
        stream.truncate(size // 2)
    with (
        pytest.raises(InputError, match=r"tm\.db: corrupt translation memory"),
        TranslationMemory(db, create=False) as tm,
    ):
        tm.lookup("Sentence 2999 about the summit.", EN_RU)


def test_pipeline_takes_reviewed_translations_from_the_memory(
    tmp_path: Path, memory: TranslationMemory, repo_root: Path
) -> None:
    from transpipe.config import TranslateConfig
    from transpipe.embeddings import SentenceEncoder
    from transpipe.model import DraftKind
    from transpipe.pipeline import Pipeline
    from transpipe.segment import segment_text

    doc = segment_text(f"{SUMMIT} Nobody translated this sentence yet.", "en", name="note")
    config = TranslateConfig(pair=EN_RU, engine="identity", created=T0)
    pipeline = Pipeline(
        config,
        engine=IdentityEngine(None, DecodingOptions()),
        encoder=SentenceEncoder(cache_dir=repo_root / "models" / "cache"),
        memory=memory,
    )
    run = pipeline.run(doc)
    targets = [u.target for u in run.bitext.units]
    assert targets == [SUMMIT_RU, "Nobody translated this sentence yet."]
    assert dict(run.bitext.props)["x-engine"] == "tm+identity"
    assert [r.draft.kind for r in run.records if r.draft] == [DraftKind.MEMORY, DraftKind.MACHINE]
    assert [dict(u.props)["x-origin"] for u in run.bitext.units] == ["tm:news.tmx", "identity"]


def test_version_1_memory_is_migrated_in_place(tmp_path: Path) -> None:
    from transpipe.tm.store import _MIGRATIONS

    db = tmp_path / "old.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        for statement in _MIGRATIONS[1]:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO units (source_lang, target_lang, source, source_key, source_tokens,"
            " target, origin, unit_id, created, reviewed) VALUES (?,?,?,?,?,?,?,?,?,?)",
            ("en", "ru", SUMMIT, source_key(SUMMIT), 8, SUMMIT_RU, "old.po", "u1", T0, 1),
        )
        conn.execute("PRAGMA user_version = 1")
    with TranslationMemory(db, create=False) as tm:
        near = tm.fuzzy_lookup("The summit opened in Minsk on Tuesday.", EN_RU, threshold=0.7)
        assert [m.target for m in near] == [SUMMIT_RU]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
