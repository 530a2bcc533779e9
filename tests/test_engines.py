"""Engine contract tests, run over every engine: identity, marian and ct2 (demo model).

The same assertions hold for the shipped test double and both real engines: N in, N out, same
order; empty strings; long inputs split and re-joined without truncation, for translation and
for scoring; forced prefixes; score() prefers the real translation; a library's failure is an
EngineError; and marian == ct2 (float32, greedy) token for token and score for score.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
import sacrebleu

from transpipe.config import DecodingOptions, Paths
from transpipe.engines import Engine, create_engine
from transpipe.engines.base import ModelEngine
from transpipe.engines.splitting import pair_pieces, split_alongside, split_to_limit, weighted_mean
from transpipe.errors import ConfigError, EngineError
from transpipe.model import LanguagePair
from transpipe.models.corpus import training_pairs
from transpipe.models.resolve import resolve_model

EN_RU = LanguagePair("en", "ru")
GREEDY = DecodingOptions(beam_size=1, compute_type="float32", batch_size=8)

EngineFactory = Callable[[DecodingOptions], ModelEngine]


def _model_engine(engine: Engine) -> ModelEngine:
    """Every engine under test is built on the template base, whose limits and hooks are tested."""
    assert isinstance(engine, ModelEngine)
    return engine


@pytest.fixture(scope="session")
def demo_pairs(repo_root: Path) -> list[tuple[str, str]]:
    return training_pairs(repo_root / "corpora", EN_RU)


@pytest.fixture(scope="session", params=["identity", "marian", "ct2"])
def engine_case(
    request: pytest.FixtureRequest, demo_pairs: list[tuple[str, str]]
) -> tuple[str, EngineFactory, list[tuple[str, str]]]:
    """(engine name, factory taking decoding options, (source, expected output) pairs)."""
    name: str = request.param
    if name == "identity":
        pairs = [(s, s) for s, _ in demo_pairs]
        return name, lambda d: _model_engine(create_engine("identity", None, d)), pairs
    if name == "marian":
        hf_dir: Path = request.getfixturevalue("demo_model_en_ru")
        model = resolve_model(str(hf_dir), EN_RU, "marian", Paths())
    else:
        ct2_dir: Path = request.getfixturevalue("demo_ct2_en_ru")
        model = resolve_model(str(ct2_dir), EN_RU, "ct2", Paths())
    return name, lambda d: _model_engine(create_engine(name, model, d)), demo_pairs


@pytest.fixture(scope="session")
def engine(engine_case: tuple[str, EngineFactory, list[tuple[str, str]]]) -> ModelEngine:
    return engine_case[1](GREEDY)


@pytest.fixture(scope="session")
def cases(engine_case: tuple[str, EngineFactory, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    return engine_case[2]


def _chrf(hypotheses: list[str], references: list[str]) -> float:
    return float(sacrebleu.corpus_chrf(hypotheses, [references]).score)


# -- N in, N out -----------------------------------------------------------------------------


def test_n_in_n_out_same_order_and_empty_strings(
    engine: Engine, cases: list[tuple[str, str]]
) -> None:
    sources = [s for s, _ in cases[:6]]
    texts = ["", sources[0], "   ", *sources[1:], ""]
    hyps = engine.translate(texts, EN_RU)
    assert len(hyps) == len(texts)
    for index in (0, 2, len(texts) - 1):
        assert hyps[index].text == ""
        assert hyps[index].pieces == 0
    produced = [hyps[1].text] + [h.text for h in hyps[3:-1]]
    assert all(produced)
    reversed_hyps = engine.translate(list(reversed(sources)), EN_RU)
    assert [h.text for h in reversed(reversed_hyps)] == produced


def test_outputs_reproduce_the_training_pairs(engine: Engine, cases: list[tuple[str, str]]) -> None:
    hyps = engine.translate([s for s, _ in cases], EN_RU)
    assert _chrf([h.text for h in hyps], [t for _, t in cases]) >= 98
    assert all(h.score is not None and h.score <= 0.0 for h in hyps)
    assert all(h.tokens for h in hyps)


def test_info_names_the_model(engine: ModelEngine) -> None:
    info = engine.info
    assert info.name == engine.name
    assert info.model_id
    assert info.decoding == GREEDY
    assert engine.name in info.describe()


def test_wrong_pair_is_refused(engine: ModelEngine) -> None:
    if engine.model is None or engine.model.pair is None:
        pytest.skip("engine has no fixed pair")
    with pytest.raises(ConfigError, match="translates en-ru"):
        engine.translate(["text"], LanguagePair("ru", "en"))


def test_bad_arguments_are_refused(engine: Engine) -> None:
    with pytest.raises(TypeError):
        engine.translate("not a list", EN_RU)
    with pytest.raises(ValueError, match="prefixes"):
        engine.translate(["a", "b"], EN_RU, prefixes=["x"])
    with pytest.raises(ValueError, match="targets"):
        engine.score(["a", "b"], ["x"], EN_RU)


# -- long inputs -------------------------------------------------------------------------------


def test_long_input_is_split_translated_and_rejoined(
    engine_case: tuple[str, EngineFactory, list[tuple[str, str]]],
) -> None:
    _, factory, cases = engine_case
    limit = 40
    small = factory(DecodingOptions(beam_size=1, compute_type="float32", max_input_tokens=limit))
    short = [
        (s, t) for s, t in cases if s.endswith((".", "!", "?")) and small._count_tokens(s) < limit
    ][:6]
    assert len(short) >= 3
    long_text = " ".join(s for s, _ in short)
    assert small._count_tokens(long_text) > limit
    (hyp,) = small.translate([long_text], EN_RU)
    assert hyp.pieces >= 2
    expected = " ".join(t for _, t in short)
    assert _chrf([hyp.text], [expected]) >= 85  # every sentence is there: nothing truncated
    # the same sentences one by one give the same words
    one_by_one = " ".join(h.text for h in small.translate([s for s, _ in short], EN_RU))
    assert _chrf([hyp.text], [one_by_one]) >= 95


def test_limit_is_capped_by_the_model(engine: ModelEngine) -> None:
    huge = DecodingOptions(max_input_tokens=10**6)
    assert type(engine)(engine.model, huge).max_input_tokens <= max(10**6, 1)
    if engine.name != "identity":
        assert type(engine)(engine.model, huge).max_input_tokens < 10**6


# -- prefixes and scores ---------------------------------------------------------------------


def test_prefixes_are_honoured(engine: Engine, cases: list[tuple[str, str]]) -> None:
    (src_a, tgt_a), (src_b, tgt_b) = cases[0], cases[1]
    natural = " ".join(tgt_a.split()[:2])
    foreign = tgt_b.split()[0]  # a word the model would not start sentence A with
    hyps = engine.translate([src_a, src_b, src_a], EN_RU, prefixes=[natural, None, foreign + " "])
    assert hyps[0].text.startswith(natural)
    assert hyps[2].text.startswith(foreign)
    assert len(hyps[2].text) > len(foreign)  # decoding continued after the forced part
    plain = engine.translate([src_b], EN_RU)[0]
    assert hyps[1].text == plain.text


def test_score_prefers_the_reference(engine: Engine, cases: list[tuple[str, str]]) -> None:
    rng = random.Random(7)
    chosen = [(s, t) for s, t in cases if len(t.split()) >= 5][:8]
    shuffled = []
    for _, target in chosen:
        words = target.split()
        while " ".join(words) == target:
            rng.shuffle(words)
        shuffled.append(" ".join(words))
    sources = [s for s, _ in chosen]
    good = engine.score(sources, [t for _, t in chosen], EN_RU)
    bad = engine.score(sources, shuffled, EN_RU)
    assert len(good) == len(bad) == len(chosen)
    assert all(g > b for g, b in zip(good, bad, strict=True))
    assert all(g <= 0.0 for g in good)


# -- marian == ct2 -----------------------------------------------------------------------------


@pytest.mark.parametrize("pair", [EN_RU, LanguagePair("ru", "en")], ids=str)
def test_marian_and_ct2_float32_greedy_match_token_for_token(
    request: pytest.FixtureRequest, repo_root: Path, pair: LanguagePair
) -> None:
    suffix = f"{pair.source}_{pair.target}"
    hf_dir: Path = request.getfixturevalue(f"demo_model_{suffix}")
    ct2_dir: Path = request.getfixturevalue(f"demo_ct2_{suffix}")
    marian = create_engine("marian", resolve_model(str(hf_dir), pair, "marian", Paths()), GREEDY)
    ct2 = create_engine("ct2", resolve_model(str(ct2_dir), pair, "ct2", Paths()), GREEDY)
    sources = [s for s, _ in training_pairs(repo_root / "corpora", pair)]
    from_marian = marian.translate(sources, pair)
    from_ct2 = ct2.translate(sources, pair)
    for source, m, c in zip(sources, from_marian, from_ct2, strict=True):
        assert m.tokens == c.tokens, source
        assert m.text == c.text
        assert m.score == pytest.approx(c.score, abs=1e-3)
    # the hypothesis score is the forced score of the same output, in both engines
    texts = [h.text for h in from_marian]
    assert marian.score(sources, texts, pair) == pytest.approx(
        [h.score for h in from_marian], abs=1e-3
    )
    assert ct2.score(sources, texts, pair) == pytest.approx([h.score for h in from_ct2], abs=1e-3)


def test_marian_and_ct2_scores_agree(
    demo_model_ru_en: Path, demo_ct2_ru_en: Path, repo_root: Path
) -> None:
    ru_en = LanguagePair("ru", "en")
    pairs = training_pairs(repo_root / "corpora", ru_en)[:10]
    marian = create_engine(
        "marian", resolve_model(str(demo_model_ru_en), ru_en, "marian", Paths()), GREEDY
    )
    ct2 = create_engine("ct2", resolve_model(str(demo_ct2_ru_en), ru_en, "ct2", Paths()), GREEDY)
    sources, targets = [s for s, _ in pairs], [t for _, t in pairs]
    assert marian.score(sources, targets, ru_en) == pytest.approx(
        ct2.score(sources, targets, ru_en), abs=1e-3
    )
    prefixed = [" ".join(t.split()[:2]) for t in targets]
    from_marian = marian.translate(sources, ru_en, prefixes=prefixed)
    from_ct2 = ct2.translate(sources, ru_en, prefixes=prefixed)
    assert [h.text for h in from_marian] == [h.text for h in from_ct2]
    assert [h.score for h in from_marian] == pytest.approx([h.score for h in from_ct2], abs=1e-3)


# -- scoring long inputs -----------------------------------------------------------------------


def test_long_pair_is_scored_piece_by_piece_as_translate_made_it(
    engine_case: tuple[str, EngineFactory, list[tuple[str, str]]],
) -> None:
    """Sentences too long to share a piece: each piece is one sentence, on both sides."""
    _, factory, cases = engine_case
    limit = 64
    small = factory(DecodingOptions(beam_size=1, compute_type="float32", max_input_tokens=limit))
    chosen = [
        (s, t) for s, t in cases if s.endswith(".") and limit // 2 < small._count_tokens(s) <= limit
    ][:8]
    assert len(chosen) >= 6
    long_source = " ".join(s for s, _ in chosen)
    (hyp,) = small.translate([long_source], EN_RU)
    assert hyp.pieces == len(chosen)
    assert hyp.score is not None
    (score,) = small.score([long_source], [hyp.text], EN_RU)
    assert score == pytest.approx(hyp.score, abs=1e-3)
    reference = " ".join(t for _, t in chosen)
    words = reference.split()
    random.Random(3).shuffle(words)
    good, bad = small.score([long_source] * 2, [reference, " ".join(words)], EN_RU)
    assert good > bad


@pytest.fixture(scope="session", params=["marian", "ct2"])
def model_engine(request: pytest.FixtureRequest) -> ModelEngine:
    """A real engine on the demo en->ru model with the model's own limits (256 positions)."""
    name: str = request.param
    fixture = "demo_model_en_ru" if name == "marian" else "demo_ct2_en_ru"
    directory: Path = request.getfixturevalue(fixture)
    return _model_engine(
        create_engine(name, resolve_model(str(directory), EN_RU, name, Paths()), GREEDY)
    )


def test_score_beyond_the_model_positions_does_not_fail(
    model_engine: ModelEngine, demo_pairs: list[tuple[str, str]]
) -> None:
    """The README run died here: a pair past 256 positions on either side."""
    chosen = demo_pairs[:30]
    long_source = " ".join(s for s, _ in chosen)
    reference = " ".join(t for _, t in chosen)
    assert model_engine._count_tokens(long_source) > 256
    assert model_engine._count_target_tokens(reference) > 256
    loop = " ".join(["к"] * 400)  # what a weak model's repetition loop looks like
    short_source, short_reference = chosen[0]
    scores = model_engine.score(
        [long_source, short_source, short_source], [reference, short_reference, loop], EN_RU
    )
    assert all(-50.0 < value <= 0.0 for value in scores)
    assert scores[1] > scores[2]


def test_engine_failure_is_an_engine_error_with_its_cause(model_engine: ModelEngine) -> None:
    """Past the splitting layer a library failure reaches the caller as EngineError."""
    too_long = " ".join(["word"] * 600)
    with pytest.raises(EngineError, match=f"{model_engine.name}: scoring failed") as caught:
        model_engine._score_batch([too_long], ["слово"])
    assert caught.value.__cause__ is not None


# -- splitting -------------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split()) + 1


def test_split_prefers_sentence_then_clause_then_word_boundaries() -> None:
    text = "One two three. Four five, six seven; eight nine ten eleven twelve."
    assert split_to_limit(text, _words, 100) == [text]
    assert split_to_limit(text, _words, 5) == [
        "One two three.",
        "Four five, six seven;",
        "eight nine ten eleven",
        "twelve.",
    ]
    for limit in range(2, 12):
        pieces = split_to_limit(text, _words, limit)
        assert all(_words(p) <= limit for p in pieces)
        assert " ".join(pieces).split() == text.split()


def test_split_cuts_inside_an_overlong_word_as_last_resort() -> None:
    def chars(text: str) -> int:
        return len(text)

    pieces = split_to_limit("abcdefghij", chars, 4)
    assert pieces == ["abcd", "efgh", "ij"]
    assert split_to_limit("   ", chars, 4) == []
    with pytest.raises(ValueError):
        split_to_limit("x", chars, 0)


def test_identity_engine_keeps_every_word_of_a_long_input() -> None:
    engine = create_engine("identity", None, DecodingOptions(max_input_tokens=8))
    text = " ".join(f"word{i}," if i % 5 == 4 else f"word{i}" for i in range(100))
    (hyp,) = engine.translate([text], EN_RU)
    assert hyp.text.split() == text.split()
    assert hyp.pieces >= 100 // 7


def test_target_is_cut_alongside_the_source_pieces() -> None:
    pieces = ["One two. Three four.", "Five six."]
    # without a judge: the sentence end nearest the length-proportional point
    assert split_alongside("Ein zwei. Drei vier. Fünf sechs.", pieces) == [
        (0, "Ein zwei. Drei vier."),
        (1, "Fünf sechs."),
    ]
    # no sentence end: the nearest clause boundary
    assert split_alongside("Ein zwei drei vier, fünf sechs.", pieces) == [
        (0, "Ein zwei drei vier,"),
        (1, "fünf sechs."),
    ]
    assert split_alongside("", pieces) == [(0, "")]
    assert split_alongside("Alles.", ["One piece."]) == [(0, "Alles.")]
    text = "Ein zwei. Drei vier. Fünf sechs."
    cut = split_alongside(text, pieces * 3)  # more pieces than sentences: nothing is lost
    assert "".join(p for _, p in cut).replace(" ", "") == text.replace(" ", "")
    assert [i for i, _ in cut] == sorted(i for i, _ in cut)


def test_a_judge_chooses_among_the_candidate_cuts() -> None:
    seen: list[tuple[str, list[str]]] = []

    def judge(source_piece: str, segments: list[str]) -> int:
        seen.append((source_piece, segments))
        return segments.index("Kopf ohne Punkt")

    pieces = ["A headline without a stop", "Then one sentence follows here."]
    target = "Kopf ohne Punkt Dann folgt hier ein Satz."
    assert split_alongside(target, pieces, judge) == [
        (0, "Kopf ohne Punkt"),
        (1, "Dann folgt hier ein Satz."),
    ]
    ((piece, segments),) = seen
    assert piece == pieces[0]
    assert len(segments) > 1 and all(target.startswith(s) for s in segments)


def test_pair_pieces_fit_both_limits_and_keep_every_word() -> None:
    source = "One two three. Four five six. Seven eight nine."
    target = "Uno dos tres. Cuatro cinco seis. " + "otra " * 20 + "vez."
    units = pair_pieces(
        [source, ""],
        [target, ""],
        count_source=_words,
        source_limit=5,
        count_target=_words,
        target_limit=6,
    )
    assert {u.owner for u in units} == {0, 1}
    first = [u for u in units if u.owner == 0]
    assert all(_words(u.source) <= 5 and _words(u.target) <= 6 for u in first)
    assert " ".join(u.target for u in first).split() == target.split()
    assert [(u.source, u.target) for u in units if u.owner == 1] == [("", "")]
    assert weighted_mean([(-1.0, "a b c"), (-4.0, "d")], _words) == pytest.approx(-2.0)
    assert weighted_mean([(-0.5, "a")], _words) == -0.5
