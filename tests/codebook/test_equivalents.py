"""The Bokmål–Nynorsk equivalents table: every word a lemma of its standard; lookups both ways."""

from __future__ import annotations

import pytest

from mimres_cli.codebook.equivalents import Equivalents, shipped_groups


def test_every_shipped_word_is_a_lemma_of_its_standard() -> None:
    import simplemma

    from mimres_cli.nlp import lemmas
    from mimres_cli.nlp.nynorsk import MISSING_LEMMAS

    ordbank = set().union(*lemmas._tables().lemmas.values())
    for bokmal, *nynorsk in shipped_groups():
        assert bokmal in ordbank or simplemma.is_known(bokmal, lang="nb"), bokmal
        for word in nynorsk:
            assert simplemma.is_known(word, lang="nn") or word in MISSING_LEMMAS, word


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
        ("programrådgiver", "programrådgjevar"),  # the listed tail `giver`
        # a compound by its listed first part: the rest as it is, a joining s or e kept
        ("voksenopplæring", "vaksenopplæring"),
        ("hjemland", "heimland"),
        ("heltid", "heiltid"),
        ("sykehjem", "sjukeheim"),  # a listed first part (syk-e-) and a listed tail (hjem)
        ("lønnstilskudd", "lønstilskot"),
        ("fraflytting", "fråflytting"),
        ("enslig", "einsleg"),
        ("én", "éin"),
        ("alene", "åleine"),
    ],
)
def test_equivalents_both_ways(word: str, expected: str) -> None:
    assert expected in Equivalents().of(word)


def test_words_spelt_alike_and_other_definite_forms_have_none() -> None:
    equivalents = Equivalents()
    assert equivalents.of("kommune") == ()
    assert equivalents.of("jobben") == ()  # not the Nynorsk verb "jobba"
    assert equivalents.of("opplæringsplan") == ()  # neither part listed with another spelling


def test_a_codebooks_groups_extend_the_table() -> None:
    assert Equivalents([("praksisplass", "praksisstad")]).of("praksisstad") == ("praksisplass",)


def test_validate_with_a_corpus_warns_about_terms_in_one_standard_only(tmp_path) -> None:
    from typer.testing import CliRunner

    from conftest import write_codebook, write_transcript
    from mimres_cli.cli import app

    book = write_codebook(tmp_path, """
    codebook: t
    codes:
      - id: einsam
        label: Einsam
        terms: [ensomhet, kommune, bolig]
    """)  # fmt: skip
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    front = "id: {}\nmunicipality: Vågå\ngroup: flyktning"
    write_transcript(corpus, "a.md", front.format("a"), "A: Jeg tror ikke det.\n")
    args = ["codebook", "validate", str(book), "--no-lemmas", "--corpus", str(corpus)]
    bokmal_only = CliRunner().invoke(app, args)
    assert bokmal_only.exit_code == 0
    assert "W207" not in bokmal_only.output  # a Bokmål corpus: nothing to miss
    write_transcript(corpus, "b.md", front.format("b"), "A: Eg trur ikkje det.\n")
    both = CliRunner().invoke(app, args)
    assert both.exit_code == 0
    # `kommune` is spelt alike, `bolig` has the equivalent `bustad`: only `ensomhet` is warned
    assert both.output.count("W207") == 1
    assert (
        f"mimres: warning[W207]: {book}:3: term 'ensomhet' of 'einsam' is spelt in one standard "
        "only and has no Nynorsk equivalent, but the corpus has Nynorsk interviews"
    ) in both.output
