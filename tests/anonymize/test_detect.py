"""The detectors on hand-made Norwegian sentences: each identifier by its form and check
digits, names from lists with genitives and sentence starts, places, and what stays."""

from __future__ import annotations

import pytest

from mimres_cli.anonymize import KINDS, Options, detect_texts
from mimres_cli.anonymize.detect import Vocabulary, identifier_candidates, name_candidates

ALL = Options(kinds=frozenset(KINDS))


def _found(text: str, options: Options = ALL) -> list[tuple[str, str]]:
    """(text, kind) of what would be replaced."""
    return [(c.text, c.kind) for c in detect_texts([text], options=options)[0]
            if c.confidence >= options.threshold]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fødselsnummeret er 15108695088.", [("15108695088", "fnr")]),
        ("Han skrev 151086 95088 på skjemaet.", [("151086 95088", "fnr")]),
        ("D-nummeret er 41018036736.", [("41018036736", "fnr")]),
        # one digit off: the check digits fail, so it is only a review candidate
        ("Fødselsnummeret er 15108695089.", []),
        ("Lønna går til konto 1234.56.78903.", [("1234.56.78903", "account")]),
        ("Kontonummeret er 12345678903.", [("12345678903", "account")]),
        ("Ring 412 34 567 eller 22334455.", [("412 34 567", "phone"), ("22334455", "phone")]),
        ("Nummeret er +47 98 76 54 32, sa hun.", [("+47 98 76 54 32", "phone")]),
        ("Skriv til kari.nordmann@example.no i dag.", [("kari.nordmann@example.no", "email")]),
        ("Se https://example.no/s?id=4 her.", [("https://example.no/s?id=4", "url")]),
        ("Bilen har skilt AB 12345.", [("AB 12345", "car")]),
        ("Vi bor i Kongens gate 3B nå.", [("Kongens gate 3B", "address")]),
        ("Vi bor i Bjørkelia 14 nå.", [("Bjørkelia 14", "address")]),
        ("Inf: I Storgata 5 på Otta.", [("Storgata 5", "address"), ("Otta", "place")]),
        ("Adressen er 2670 Otta.", [("2670", "postcode"), ("Otta", "place")]),
        ("Jeg er født 3. mars 1986 i Kabul.", [("3. mars 1986", "birthdate"), ("Kabul", "name")]),
        ("Hun ble født i 1990.", [("1990", "birthdate")]),
        ("Jeg er 43 år gammel.", [("43", "age")]),
    ],
)
def test_identifiers_by_form_and_check_digits(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vi kom til Norge i 2016, og intervjuet var 12.03.2024.",
        "Det kostet 45 000 kroner, og han jobber 100 prosent.",
        "Møtet er kl. 14.30, og bussen går 07:15.",
        "Timelønna er 210,50 kroner for 37,5 timer.",
        "Saken har nummer 2023/4471 hos NAV.",
    ],
)
def test_numbers_that_are_not_identifiers_stay(text):
    found = _found(text)
    assert [f for f in found if f[1] not in ("country", "place")] == []


def test_default_kinds_keep_ages_and_countries():
    assert _found("Jeg er 43 år gammel og kom fra Syria.", Options()) == []


def test_a_name_from_the_lists_with_its_genitive_and_surname():
    text = "Vi snakket med Amina Yusuf i går. Aminas sønn går på skolen, sa Yusuf."
    found = detect_texts([text])[0]
    assert [(c.text, c.kind, c.method) for c in found] == [
        ("Amina Yusuf", "person", "name lists"),
        ("Amina", "person", "first-name list"),  # "Aminas": the genitive s stays outside
        ("Yusuf", "person", "first-name list"),
    ]
    assert found[0].gender == "female"


def test_a_name_that_is_also_a_word_opening_a_sentence_is_only_a_candidate():
    vocabulary = Vocabulary(["det koster 100 kroner per dag"])
    text = "Per dag får vi lite. Vi jobbet med Per hele høsten."
    found = [c for c in name_candidates(text, vocabulary) if c.text == "Per"]
    assert [(c.start, c.confidence) for c in found] == [(0, 0.35), (35, 0.8)]


def test_a_listed_name_before_a_possessive_is_a_kinship_word_when_it_opens_a_sentence():
    # Nynorsk puts the possessive after kinship nouns: "Son min", "Mora mi" are no names
    text = "Son min spelar fotball. Mora mi bur i Kenya. Vi snakka med Son i går."
    found = [c for c in name_candidates(text, Vocabulary()) if c.text in ("Son", "Mora")]
    assert [(c.text, c.start, c.confidence < 0.5) for c in found] == [
        ("Son", 0, True), ("Mora", 24, True), ("Son", 59, False)]  # fmt: skip


def test_a_company_by_its_company_form():
    found = _found("Han fikk jobb hos Vågå Trevare AS, og senere i Bakeriet Hansen & Sønn ANS.")
    assert found == [("Vågå Trevare AS", "org"), ("Bakeriet Hansen & Sønn ANS", "org")]


def test_places_from_the_list_and_public_bodies_that_stay():
    found = _found("Hun flyttet fra Nordre Land til Mo i Rana og fikk hjelp av NAV og Røde Kors.")
    assert found == [("Nordre Land", "place"), ("Mo i Rana", "place")]


def test_an_eleven_digit_number_that_fails_the_check_is_a_review_candidate():
    found = identifier_candidates("Nummeret er 12345678901.")
    assert [(c.text, c.kind, c.confidence) for c in found] == [("12345678901", "fnr", 0.4)]


def test_codebook_words_are_the_content_words_of_terms(tmp_path):
    from conftest import write_codebook
    from mimres_cli.anonymize import codebook_words

    path = write_codebook(tmp_path, """\
        codebook: t
        codes:
          - id: by
            label: By
            terms: ["i by", oslo, "storby*"]
            regex: ['\\bnav-kontor\\w*']
        """)  # fmt: skip
    words = codebook_words([path])
    assert words.names("Oslo") == "oslo"
    assert words.names("Storbyene") == "storby*"
    assert words.names("NAV-kontoret") is not None
    assert words.names("I Storgata 5") is None  # "i" of "i by" keeps nothing
