"""CoNLL-U output: valid for the `conllu` reader, the same tokens as the token table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import conllu
import pytest

from conftest import write_transcript
from mimres_cli.corpus import load_corpus
from mimres_cli.export.conllu import write_conllu
from mimres_cli.export.tokens import write_tokens_csv, write_tokens_jsonl, write_tokens_parquet
from mimres_cli.nlp import parse_interviews
from mimres_cli.nlp.tokens import metadata_of, token_columns, token_rows


def _corpus(tmp_path: Path) -> Path:
    write_transcript(
        tmp_path,
        "a.md",
        "id: vaga_01\nmunicipality: Vågå\ngroup: flyktning\nyears_in_norway: 3",
        """\
        I: Hvordan var det å komme hit?
        Informant: Vi kom fra Kenya i fjor. Eh, NAV hjalp oss (ler).

        Etterpå fikk jeg praksisplass – på Coop!
        """,
    )
    write_transcript(
        tmp_path,
        "b.md",
        "id: vaga_02\nmunicipality: Vågå\ngroup: arbeidsgiver",
        """\
        Daglig leder: Vi har tre fra introduksjonsprogrammet, og de er flinke.
        Daglig leder: Språket [pause] kommer etter hvert.
        """,
    )
    return tmp_path


@pytest.fixture(params=["fallback_pipeline", "stand_in_pipeline"])
def tagged(request, tmp_path: Path):
    """(corpus, columns, chunks of token rows) with each pipeline."""
    pipeline = request.getfixturevalue(request.param)
    corpus = load_corpus(_corpus(tmp_path))
    chunks = [token_rows(p, pipeline.info) for p in parse_interviews(corpus, pipeline)]
    return corpus, token_columns(corpus), chunks


def test_conllu_parses_and_has_exactly_the_tokens_of_the_table(tagged) -> None:
    corpus, columns, chunks = tagged
    text = io.StringIO()
    assert write_conllu(chunks, metadata_of(columns), text) == sum(map(len, chunks))
    table = io.StringIO()
    write_tokens_csv(chunks, columns, table)
    rows = list(csv.DictReader(io.StringIO(table.getvalue())))

    sentences = conllu.parse(text.getvalue())
    tokens = [(s, t) for s in sentences for t in s]
    assert [t["form"] for _, t in tokens] == [r["text"] for r in rows]
    assert [t["lemma"] for _, t in tokens] == [r["lemma"] or "_" for r in rows]
    assert [t["upos"] or "_" for _, t in tokens] == [r["upos"] or "_" for r in rows]
    assert [t["misc"]["TokenRange"] for _, t in tokens] == [f"{r['start']}:{r['end']}"
                                                           for r in rows]  # fmt: skip
    assert [s.metadata["sent_id"] for s, _ in tokens] == [
        f"{r['interview_id']}-{r['sentence_index']}" for r in rows
    ]
    ids = [s.metadata["sent_id"] for s in sentences]
    assert len(ids) == len(set(ids))
    body = {i.id: i.body for i in corpus}
    for sentence, token in tokens:
        start, end = map(int, token["misc"]["TokenRange"].split(":"))
        assert body[sentence.metadata.get("sent_id").rsplit("-", 1)[0]][start:end] == token["form"]


def test_conllu_lines_have_ten_columns_and_documents_have_metadata(tagged) -> None:
    _, columns, chunks = tagged
    text = io.StringIO()
    write_conllu(chunks, metadata_of(columns), text)
    lines = text.getvalue().splitlines()
    assert lines[:5] == [
        "# newdoc id = vaga_01",
        "# meta::municipality = Vågå",
        "# meta::group = flyktning",
        "# meta::years_in_norway = 3",
        "# sent_id = vaga_01-1",
    ]
    assert "# newdoc id = vaga_02" in lines
    assert all(len(line.split("\t")) == 10 for line in lines if line and not line.startswith("#"))
    assert text.getvalue().endswith("\n\n")
    # The UD validator's level-1 rules: no empty field, no white space in a field, and IDs
    # 1, 2, 3 ... in each sentence.
    for block in text.getvalue().strip("\n").split("\n\n"):
        tokens = [line.split("\t") for line in block.splitlines() if not line.startswith("#")]
        assert [int(cols[0]) for cols in tokens] == list(range(1, len(tokens) + 1))
        assert all(field and not any(ch.isspace() for ch in field)
                   for cols in tokens for field in cols)  # fmt: skip


def test_conllu_text_comment_rebuilds_from_forms_and_space_after(tagged) -> None:
    _, columns, chunks = tagged
    text = io.StringIO()
    write_conllu(chunks, metadata_of(columns), text)
    sentences = conllu.parse(text.getvalue())
    for sentence in sentences:
        rebuilt = "".join(
            t["form"] + ("" if (t["misc"] or {}).get("SpaceAfter") == "No" else " ")
            for t in sentence
        )
        assert rebuilt.rstrip() == sentence.metadata["text"]
    first = sentences[0]
    assert first.metadata["text"] == "Vi kom fra Kenya i fjor."
    assert first.metadata["speaker"] == "Informant"
    # The paragraph break inside the turn is white space, not a token.
    forms = [t["form"] for s in sentences for t in s]
    assert "Etterpå" in forms and not any(f.isspace() for f in forms)
    marks = [t["form"] for s in sentences for t in s if (t["misc"] or {}).get("Mark") == "Yes"]
    assert marks == ["Eh", "(", "ler", ")", "[", "pause", "]"]


def test_conllu_heads_are_a_tree_with_one_root(stand_in_pipeline, tmp_path: Path) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    pipeline = stand_in_pipeline
    chunks = [token_rows(p, pipeline.info) for p in parse_interviews(corpus, pipeline)]
    text = io.StringIO()
    write_conllu(chunks, [], text)
    for sentence in conllu.parse(text.getvalue()):
        heads = [t["head"] for t in sentence]
        assert heads.count(0) == 1
        assert all(0 <= h <= len(sentence) for h in heads)
        assert [t["deprel"] for t in sentence if t["head"] == 0] == ["root"]
        sentence.to_tree()  # raises when the heads do not form a tree
    entity = {t["form"]: t["misc"]["name"] for s in conllu.parse(text.getvalue()) for t in s}
    assert entity["Kenya"] == "B-GPE_LOC"


def test_conllu_without_parser_writes_underscores(fallback_pipeline, tmp_path: Path) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    chunks = [
        token_rows(p, fallback_pipeline.info) for p in parse_interviews(corpus, fallback_pipeline)
    ]
    text = io.StringIO()
    write_conllu(chunks, [], text)
    token_lines = [line.split("\t") for line in text.getvalue().splitlines()
                   if line and not line.startswith("#")]  # fmt: skip
    assert {tuple(cols[i] for i in (3, 4, 5, 6, 7, 8)) for cols in token_lines} == {("_",) * 6}
    assert not any("name=" in cols[9] for cols in token_lines)


def test_jsonl_and_parquet_hold_the_same_rows_as_csv(tagged, tmp_path: Path) -> None:
    import json

    import pandas as pd

    _, columns, chunks = tagged
    table = io.StringIO()
    write_tokens_csv(chunks, columns, table)
    lines = io.StringIO()
    write_tokens_jsonl(chunks, columns, lines)
    target = tmp_path / "t.parquet"
    write_tokens_parquet(iter(chunks), columns, target)

    from_csv = pd.read_csv(io.StringIO(table.getvalue()), keep_default_na=False, dtype=str)
    records = [json.loads(line) for line in lines.getvalue().splitlines()]
    parquet = pd.read_parquet(target)
    assert list(parquet.columns) == list(columns) == list(records[0])
    assert len(parquet) == len(records) == len(from_csv) == sum(map(len, chunks))
    assert list(parquet["text"]) == [r["text"] for r in records] == list(from_csv["text"])
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert pq.read_schema(target).field("years_in_norway").type == pa.int64()  # null for vaga_02
    assert list(parquet["start"]) == [r["start"] for r in records]


def test_conllu_documents_name_the_pipeline(fallback_pipeline, tmp_path: Path) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    chunks = [
        token_rows(p, fallback_pipeline.info) for p in parse_interviews(corpus, fallback_pipeline)
    ]
    text = io.StringIO()
    write_conllu(chunks, [], text, provenance={"pipeline": "nb_core_news_sm 3.8.0",
                                               "mimres_version": "0.1.0"})  # fmt: skip
    lines = text.getvalue().splitlines()
    assert lines[:3] == [
        "# newdoc id = vaga_01",
        "# pipeline = nb_core_news_sm 3.8.0",
        "# mimres_version = 0.1.0",
    ]
    assert lines.count("# pipeline = nb_core_news_sm 3.8.0") == 2  # once per document
    first = conllu.parse(text.getvalue())[0]
    assert first.metadata["pipeline"] == "nb_core_news_sm 3.8.0"


def test_parquet_schema_metadata_holds_the_provenance(fallback_pipeline, tmp_path: Path) -> None:
    import json

    import pyarrow.parquet as pq

    corpus = load_corpus(_corpus(tmp_path))
    chunks = [
        token_rows(p, fallback_pipeline.info) for p in parse_interviews(corpus, fallback_pipeline)
    ]
    target = tmp_path / "t.parquet"
    provenance = {"pipeline": "nb_core_news_sm", "pipeline_version": "3.8.0"}
    write_tokens_parquet(iter(chunks), token_columns(corpus), target, provenance=provenance)
    assert json.loads(pq.read_schema(target).metadata[b"mimres"]) == provenance
