"""Lemma candidates for real Bokmål interview words (Norsk Ordbank + rules + compounds)."""

from __future__ import annotations

import pytest

from mimres_cli.nlp.lemmas import lemma_candidates


@pytest.mark.parametrize(
    ("form", "first"),
    [
        ("norskopplæringen", "norskopplæring"),
        ("arbeidsgiverne", "arbeidsgiver"),
        ("introduksjonsprogrammet", "introduksjonsprogram"),
        ("kontaktpersonen", "kontaktperson"),
        ("møteplassene", "møteplass"),
        ("Praksisplassen", "praksisplass"),
        # not in the tables: prefix + lemma of the longest known tail
        ("flyktningtjenesten", "flyktningtjeneste"),
        ("NAV-kontoret", "nav-kontor"),
        # the export kept only `bile` / `sake`; the rules win `bil` / `sak` back
        ("biler", "bil"),
        ("saken", "sak"),
        # genitive -s of a known noun form
        ("landets", "land"),
        # Nynorsk / dialect spellings
        ("ikkje", "ikke"),
        ("trur", "tro"),
        ("korleis", "hvordan"),
    ],
)
def test_first_candidate(form: str, first: str) -> None:
    assert lemma_candidates(form)[0] == first


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("jobber", {"jobb", "jobbe"}),
        ("trur", {"tro", "tru"}),
        ("heim", {"hjem", "heim"}),
        ("deltidsjobber", {"deltidsjobb"}),
    ],
)
def test_candidates_include(form: str, expected: set[str]) -> None:
    assert expected <= set(lemma_candidates(form))


@pytest.mark.parametrize("form", ["2019", ",", "...", "", "12.5"])
def test_no_letters_no_candidates(form: str) -> None:
    assert lemma_candidates(form) == ()


def test_candidates_are_lowercase_and_unique() -> None:
    for form in ["Jobber", "NAV-kontoret", "Praksisplassen", "Norge", "ikkje"]:
        candidates = lemma_candidates(form)
        assert candidates, form
        assert all(c == c.lower() for c in candidates)
        assert len(set(candidates)) == len(candidates)


def test_deterministic() -> None:
    lemma_candidates.cache_clear()
    first = lemma_candidates("jobber")
    lemma_candidates.cache_clear()
    assert lemma_candidates("jobber") == first


@pytest.mark.parametrize(
    ("form", "first"),
    [("går", "gå"), ("gjekk", "gå"), ("gonger", "gang"), ("tenesta", "tjeneste")],
)
def test_frequent_spoken_forms_lead_with_the_reading_meant(form: str, first: str) -> None:
    assert lemma_candidates(form)[0] == first
