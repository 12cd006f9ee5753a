"""The Bokmål–Nynorsk equivalents table: every word a lemma of its standard; lookups both ways."""

from __future__ import annotations

import pytest

from mimres_cli.codebook.equivalents import Equivalents, shipped_groups


def test_every_shipped_word_is_a_lemma_of_its_standard() -> None:
    import simplemma

    from mimres_cli.nlp import lemmas

    ordbank = set().union(*lemmas._tables().lemmas.values())
    for bokmal, *nynorsk in shipped_groups():
        assert bokmal in ordbank or simplemma.is_known(bokmal, lang="nb"), bokmal
        for word in nynorsk:
            assert simplemma.is_known(word, lang="nn"), word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("arbeidsgiver", "arbeidsgjevar"),
        ("arbeidsgjevar", "arbeidsgiver"),
        ("bolig", "bustad"),
        ("hjem", "heim"),
        ("kjærlighet", "kjærleik"),
        ("skule", "skole"),
        ("ikke", "ikkje"),
        ("grunnskole", "grunnskule"),  # a compound by its listed tail
        ("norskopplæringen", "norskopplæringa"),  # the definite -ing noun
        ("norskopplæringa", "norskopplæringen"),
    ],
)
def test_equivalents_both_ways(word: str, expected: str) -> None:
    assert expected in Equivalents().of(word)


def test_words_spelt_alike_and_other_definite_forms_have_none() -> None:
    equivalents = Equivalents()
    assert equivalents.of("kommune") == ()
    assert equivalents.of("jobben") == ()  # not the Nynorsk verb "jobba"


def test_a_codebooks_groups_extend_the_table() -> None:
    assert Equivalents([("praksisplass", "praksisstad")]).of("praksisstad") == ("praksisplass",)
