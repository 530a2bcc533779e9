"""Reference metrics: sacrebleu values, signatures, several references, Russian tokenisation."""

from __future__ import annotations

import pytest
import sacrebleu

from transpipe.quality import reference_metrics

HYPS = ["The council met in Minsk on Monday.", "Talks lasted three hours."]
REF_A = ["The council met in Minsk on Monday.", "The talks lasted for three hours."]
REF_B = ["On Monday the council gathered in Minsk.", "Negotiations took three hours."]


def test_corpus_scores_match_sacrebleu_and_keep_signatures() -> None:
    result = reference_metrics(HYPS, [REF_A, REF_B], target_lang="en")
    corpus = result["corpus"]
    assert corpus["bleu"]["score"] == pytest.approx(
        sacrebleu.corpus_bleu(HYPS, [REF_A, REF_B]).score, abs=1e-3
    )
    assert corpus["chrf"]["score"] == pytest.approx(
        sacrebleu.corpus_chrf(HYPS, [REF_A, REF_B]).score, abs=1e-3
    )
    assert corpus["ter"]["score"] == pytest.approx(
        sacrebleu.corpus_ter(HYPS, [REF_A, REF_B]).score, abs=1e-3
    )
    assert (
        corpus["chrf++"]["signature"].startswith("nrefs:2|")
        and "nw:2" in corpus["chrf++"]["signature"]
    )
    assert "tok:13a" in corpus["bleu"]["signature"]
    assert result["references"] == 2
    assert len(result["segments"]) == 2
    assert result["segments"][0]["bleu"] == 100.0
    assert result["segments"][0]["ter"] == 0.0


def test_single_reference_stream_and_more_references_never_lower_chrf() -> None:
    one = reference_metrics(HYPS, REF_B, target_lang="en")
    two = reference_metrics(HYPS, [REF_B, REF_A], target_lang="en")
    assert one["references"] == 1
    assert two["corpus"]["chrf"]["score"] > one["corpus"]["chrf"]["score"]


def test_russian_uses_intl_tokenisation_that_splits_guillemets() -> None:
    hyp = ["Он сказал: «Мы готовы»."]
    ref = ["Он заявил: «Мы готовы»."]
    ru = reference_metrics(hyp, ref, target_lang="ru")
    assert ru["tokenize"] == "intl"
    assert "tok:intl" in ru["corpus"]["bleu"]["signature"]
    intl = sacrebleu.corpus_bleu(hyp, [ref], tokenize="intl").score
    tok13a = sacrebleu.corpus_bleu(hyp, [ref], tokenize="13a").score
    assert ru["corpus"]["bleu"]["score"] == pytest.approx(intl, abs=1e-3)
    assert intl > tok13a  # «Мы and готовы» are matched as words only when split


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="reference 1 has 1 segments, hypotheses have 2"):
        reference_metrics(HYPS, [REF_A[:1]], target_lang="en")
