"""Token rows: lemmas, tags, entities, offsets and marks, with the fallback and stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from conftest import write_transcript
from mimres_cli.corpus import load_corpus
from mimres_cli.corpus.model import Interview, Turn
from mimres_cli.nlp import parse_interviews
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.nlp.pipeline import PipelineInfo
from mimres_cli.nlp.tokens import (
    TOKEN_COLUMNS,
    missing_columns,
    tagger_notice,
    token_columns,
    token_rows,
)

# Tags of this sentence checked by hand against the stand-in pipeline's output.
TAGGED = "Jeg fikk et brev fra NAV i Lillehammer, og Kari Hansen hjalp meg."


def _corpus(tmp_path: Path) -> Path:
    write_transcript(
        tmp_path,
        "sel_01.md",
        "id: sel_01\nmunicipality: Sel\ngroup: flyktning\nyears_in_norway: 4",
        f"""\
        I: Hvordan gikk det med jobben?
        Informant: {TAGGED}
        Jobber du? Eh, kommunen [pause] fant ikke noe.
        I: Og barna?
        Informant: Barna går på skolen.
        """,
    )
    return tmp_path


def _rows(tmp_path: Path, pipeline, **options):
    corpus = load_corpus(_corpus(tmp_path))
    (parsed,) = parse_interviews(corpus, pipeline)
    return corpus, parsed, token_rows(parsed, pipeline.info, **options)


def test_token_rows_fallback_leaves_tagger_columns_empty_and_keeps_lemmas(
    tmp_path: Path, fallback_pipeline
) -> None:
    _, _, rows = _rows(tmp_path, fallback_pipeline)
    assert all(row[c] is None for row in rows for c in ("upos", "morph", "head", "dep", "entity"))
    by_text = {row["text"]: row for row in rows}
    assert by_text["kommunen"]["lemma"] == "kommune"
    assert by_text["Barna"]["lemma"] == "barn"
    assert by_text["brev"]["lemma"] == "brev"
    # "Jobber" is noun or verb: the fallback cannot choose, so every Ordbank lemma is listed.
    assert by_text["Jobber"]["lemma"] == "jobbe"
    assert by_text["Jobber"]["lemma_candidates"] == "jobbe|jobber|jobb"
    assert by_text["kommunen"]["lemma_candidates"] is None


def test_tagger_notice_names_the_empty_columns_and_why(fallback_pipeline) -> None:
    notice = tagger_notice(fallback_pipeline.info)
    assert notice is not None
    assert "no tagger, parser or entity recogniser" in notice
    assert "upos, morph, head, dep, entity are empty" in notice
    assert "Norsk Ordbank" in notice
    assert set(missing_columns(fallback_pipeline.info)) == {
        "upos",
        "morph",
        "head",
        "dep",
        "entity",
    }


def test_token_rows_offsets_slice_the_token_out_of_the_body(
    tmp_path: Path, fallback_pipeline
) -> None:
    corpus, _, rows = _rows(tmp_path, fallback_pipeline, roles=None)
    body = corpus.interviews[0].body
    assert rows and all(body[row["start"] : row["end"]] == row["text"] for row in rows)


def test_token_rows_only_informants_unless_asked(tmp_path: Path, fallback_pipeline) -> None:
    _, _, informant = _rows(tmp_path, fallback_pipeline)
    _, _, everyone = _rows(tmp_path, fallback_pipeline, roles=None)
    assert {row["role"] for row in informant} == {"informant"}
    assert {row["role"] for row in everyone} == {"informant", "interviewer"}
    assert [r["text"] for r in everyone if r["role"] == "interviewer"][:4] == [
        "Hvordan", "gikk", "det", "med",
    ]  # fmt: skip
    # Sentence numbers run over all turns, so they do not depend on which roles are written.
    numbered = {(r["start"], r["sentence_index"]) for r in everyone}
    assert {(r["start"], r["sentence_index"]) for r in informant} <= numbered


def test_token_rows_marks_and_fillers_are_marks_not_words(
    tmp_path: Path, fallback_pipeline
) -> None:
    _, _, rows = _rows(tmp_path, fallback_pipeline)
    kinds = {row["text"]: row["kind"] for row in rows}
    assert kinds["Eh"] == "mark"
    assert [r["kind"] for r in rows if r["text"] in ("[", "pause", "]")] == ["mark"] * 3
    assert kinds["kommunen"] == "word"
    assert kinds["?"] == "punct"


def test_token_rows_unit_index_matches_the_segments_units(
    tmp_path: Path, fallback_pipeline
) -> None:
    from mimres_cli.coding.apply import iter_units

    for unit in ("turn", "sentence"):
        _, parsed, rows = _rows(tmp_path, fallback_pipeline, roles=None, unit=unit)
        units = {
            (one.turn.index, one.span.start_char + one.turn.start): one.index
            for one in iter_units(parsed, unit)
        }
        starts = {}
        for row in rows:
            starts.setdefault(row["unit_index"], (row["turn_index"], row["start"]))
        assert sorted(starts.values()) == sorted(units)
        assert all(units[where] == index for index, where in starts.items())


def test_token_columns_put_typed_metadata_after_the_interview_id(tmp_path: Path) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    columns = token_columns(corpus)
    assert list(columns)[:6] == ["interview_id", "municipality", "group", "years_in_norway",
                                 "language", "speaker"]  # fmt: skip
    assert columns["years_in_norway"] == "int64"
    assert list(columns)[4:] == list(TOKEN_COLUMNS)[1:]


def test_token_rows_stand_in_tags_upos_lemma_head_and_entities(
    tmp_path: Path, stand_in_pipeline
) -> None:
    _, _, rows = _rows(tmp_path, stand_in_pipeline)
    sentence = [r for r in rows if r["sentence_index"] == rows[0]["sentence_index"]]
    assert " ".join(r["text"] for r in sentence) == TAGGED.replace(",", " ,").replace(".", " .")
    got = [(r["text"], r["upos"], r["lemma"], r["entity"]) for r in sentence]
    assert got == [
        ("Jeg", "PRON", "jeg", "O"),
        ("fikk", "VERB", "få", "O"),
        ("et", "DET", "en", "O"),
        ("brev", "NOUN", "brev", "O"),
        ("fra", "ADP", "fra", "O"),
        ("NAV", "PROPN", "NAV", "B-ORG"),
        ("i", "ADP", "i", "O"),
        ("Lillehammer", "PROPN", "Lillehammer", "B-GPE_LOC"),
        (",", "PUNCT", ",", "O"),
        ("og", "CCONJ", "og", "O"),
        ("Kari", "PROPN", "Kari", "B-PER"),
        ("Hansen", "PROPN", "Hansen", "I-PER"),
        ("hjalp", "VERB", "hjelpe", "O"),
        ("meg", "PRON", "jeg", "O"),
        (".", "PUNCT", ".", "O"),
    ]
    heads = {r["text"]: (r["head"], r["dep"]) for r in sentence}
    assert heads["fikk"] == (None, "root")
    assert heads["Jeg"] == (1, "nsubj")
    assert heads["brev"] == (1, "obj")
    assert heads["Hansen"] == (10, "flat:name")
    assert sentence[0]["morph"] == "Animacy=Hum|Case=Nom|Number=Sing|Person=1|PronType=Prs"
    assert all(r["lemma_candidates"] is None for r in rows)  # a trained lemmatiser chooses
    # Sentence-initial capitals are lowered in lemmas of words that are not proper nouns.
    assert {r["text"]: r["lemma"] for r in rows}["Barna"] == "barn"


def test_token_rows_drop_white_space_and_keep_one_root(fallback_pipeline) -> None:
    vocab = fallback_pipeline.nlp.vocab
    # "Ja" and "takk" hang from a white-space token that the parser made the root.
    doc = Doc(vocab, words=["Ja", " ", "takk"], spaces=[False, False, False],
              heads=[1, 1, 1], deps=["discourse", "ROOT", "discourse"])  # fmt: skip
    body = "Informant: Ja takk"
    turn = Turn(index=0, speaker="Informant", role="informant", start=11, end=18, text="Ja takk")
    interview = Interview(id="x", path=Path("x.md"), body=body, metadata={}, turns=(turn,))
    info = PipelineInfo("test", "0", "3.8", ("parser",), fallback=False)
    rows = token_rows(ParsedInterview(interview, (doc,)), info)
    assert [(r["text"], r["token_index"], r["head"], r["dep"]) for r in rows] == [
        ("Ja", 0, None, "root"),
        ("takk", 1, 0, "dep"),
    ]
    assert [body[r["start"] : r["end"]] for r in rows] == ["Ja", "takk"]


@pytest.mark.parametrize("column", ["upos", "morph", "head", "dep", "entity"])
def test_stand_in_pipeline_fills_every_tagger_column(stand_in_pipeline, column: str) -> None:
    assert column not in missing_columns(stand_in_pipeline.info)
