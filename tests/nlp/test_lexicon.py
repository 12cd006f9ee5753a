"""The compiled lemma table gives exactly the candidates computed from the source packages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy

from mimres_cli.nlp import lemmas, lexicon, nynorsk

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"


def _clear_memos() -> None:
    for memo in (lemmas.lemma_candidates, lemmas.bokmal_candidates, nynorsk.nynorsk_candidates,
                 lexicon.entry):  # fmt: skip
        if hasattr(memo, "cache_clear"):  # not where a test put the sources in its place
            memo.cache_clear()
    lemmas._answers.clear()


def _sample_forms() -> set[str]:
    nlp = spacy.blank("nb")
    texts = [path.read_text(encoding="utf-8") for path in (REPO / "sample_interviews").glob("*.md")]
    return {token.text for doc in nlp.pipe(texts) for token in doc}


def _treebank_forms() -> set[str]:
    """Every form of NorNE (dev, test) and LIA in ../shared/data; empty where it is absent."""
    paths = [*(SHARED_DATA / "norne-nob").glob("*.conllu"),
             *(SHARED_DATA / "lia-nynorsk-treebank").glob("*.conll")]  # fmt: skip
    forms: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) > 2 and cols[0].isdigit():
                forms.add(cols[1])
    return forms


# Forms that reach every path: compounds (Bokmål and Nynorsk tails), hyphens, genitives, the
# hand tables, apostrophes (simplemma folds their glyphs), a decomposed letter, an uppercase
# first letter after lowercasing's exceptions, and no letters at all.
_HAND_FORMS = {
    "arbeidsgiverorganisasjonene", "flyktningtjenesten", "NAV-kontoret", "nav-kontoret",
    "butikkeigaren", "norskopplæringa", "landets", "dagens", "ikkje", "går", "hugsar", "låg",
    "fanker'n", "fanker’n", "finger'n", "ha'kke", "ha’kke", "hest'e", "i'm", "let's",
    "ga\u030ar", "skole\u0301", "İstanbul", "straße", "ǅemal", "2019", "12.5", "-", "x-1",
}  # fmt: skip


def _strings(forms: set[str]) -> Iterator[str]:
    """The forms lowercased and every tail of them: what the candidates look up."""
    for form in forms:
        lower = form.lower()
        for start in range(len(lower)):
            yield lower[start:]


def _forms() -> set[str]:
    return _sample_forms() | _treebank_forms() | _HAND_FORMS


def test_table_entries_equal_the_sources_for_every_form_and_tail() -> None:
    strings = sorted(set(_strings(_forms())))
    assert len(strings) > 5_000
    differ = [s for s in strings if lexicon.entry(s) != lexicon.entry_from_sources(s)]
    assert differ == []


def test_candidates_equal_those_computed_from_the_sources(monkeypatch) -> None:
    """The old way (every lookup in the JSON tables and simplemma, every tail tried) against
    the table, in both orders, on the sample's forms and, where ../shared is, NorNE's and
    LIA's."""
    forms = sorted(_forms())

    def candidates() -> dict[str, tuple[tuple[str, ...], ...]]:
        _clear_memos()
        return {
            form: (lemmas.lemma_candidates(form, "nb"), lemmas.lemma_candidates(form, "nn"),
                   lemmas.bokmal_candidates(form.lower()), nynorsk.nynorsk_candidates(form))
            for form in forms
        }  # fmt: skip

    with_table = candidates()
    with monkeypatch.context() as patch:
        patch.setattr(lexicon, "entry", lexicon.entry_from_sources)
        patch.setattr(lexicon, "tails", _every_tail)
        from_sources = candidates()
    _clear_memos()
    assert with_table == from_sources
    assert with_table["flyktningtjenesten"][0][0] == "flyktningtjeneste"  # a compound's tail


def _every_tail(form: str, min_prefix: int, min_tail: int) -> Iterator[str]:
    return (form[i:] for i in range(min_prefix, len(form) - min_tail + 1))


def test_treebanks_are_compared_where_shared_data_is_present() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}): the sample's forms only")
    assert len(_treebank_forms()) > 15_000


# ---- building, reading and rebuilding the table (a small one: a few forms' strings)

_SMALL = ["bilene", "jobber", "landets", "hugsar", "butikkeigar", "eigaren", "fanker'n"]


@pytest.fixture
def small_table(monkeypatch, tmp_path: Path) -> Iterator[Path]:
    """Tables built from the strings of `_SMALL` only, in a cache folder under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(lemmas, "_domain", lambda: iter(_strings(set(_SMALL))))
    monkeypatch.setattr(nynorsk, "_domain", lambda: iter(["hugsar", "eigaren", "hest'e"]))
    lexicon._table.cache_clear()
    _clear_memos()
    yield tmp_path / "cache"
    lexicon._table.cache_clear()
    _clear_memos()


def test_table_is_built_once_into_the_user_cache_and_then_only_read(
    small_table: Path, monkeypatch
) -> None:
    assert lexicon.entry("bilene").ordbank == (("noun", "bile"), ("noun", "bil"))
    path = lexicon.table_path()
    assert path.parent == small_table / "mimres-cli" and path.is_file()
    lexicon._table.cache_clear()
    lexicon.entry.cache_clear()
    monkeypatch.setattr(lexicon, "_build", _no_build)
    assert lexicon.entry("hugsar").nynorsk == ("hugse", "hugsa")
    assert lexicon.entry("ukjentord") == lexicon.Entry(None, (), ())


def _no_build() -> bytes:
    raise AssertionError("the table was built again")


def test_a_damaged_table_is_built_again(small_table: Path, caplog) -> None:
    lexicon.entry("jobber")
    path = lexicon.table_path()
    path.write_bytes(path.read_bytes()[:100])
    lexicon._table.cache_clear()
    lexicon.entry.cache_clear()
    with caplog.at_level(logging.INFO, logger="mimres_cli"):
        assert ("verb", "jobbe") in lexicon.entry("jobber").ordbank
    assert "building it again" in caplog.text
    assert path.stat().st_size > 1000


def test_an_unwritable_cache_folder_keeps_the_table_in_memory(
    small_table: Path, monkeypatch, caplog
) -> None:
    small_table.parent.mkdir(exist_ok=True)
    small_table.write_text("a file where the cache folder would be", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="mimres_cli"):
        assert lexicon.entry("landets").ordbank == (("noun", "land"),)
    assert "keeping it in memory" in caplog.text
    assert lemmas.lemma_candidates("butikkeigaren", "nn")[0] == "butikkeigar"


def test_forms_simplemma_would_normalise_are_asked_of_it() -> None:
    """An apostrophe glyph, a decomposed letter: answered as simplemma answers them."""
    for form in ["fanker’n", "ha'kke", "ga\u030ar", "hest’e", "a'b’c"]:
        assert lexicon.entry(form) == lexicon.entry_from_sources(form), form
    assert lexicon.table_answers("fanker’n") and not lexicon.table_answers("a'b’c")
    assert not lexicon.table_answers("ga\u030ar")
