"""Real corpora: any metadata name works, speaker labels as transcripts have them, and
interviews without informant turns leave the denominators. All text here is made up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli import workflow
from mimres_cli.cli import app
from mimres_cli.corpus import check_corpus, interview_rows, load_corpus, metadata, parse_turns

runner = CliRunner()
CODEBOOK = """\
codebook: mini
codes:
  - id: arbeid
    label: Arbeid
    terms: [jobb*, arbeid*]
"""

# A parliamentary exchange in the project's text format, as real material has it: front-matter
# keys named like result columns, and labels of three or more words that occur once.
DEBATE_FRONT = """\
id: {id}
municipality: Innlandet
group: Senterpartiet
speaker: "Per Olav Lien"
start_time: "10:02:19"
participants: ["Per Olav Lien"]
"""
DEBATE_BODY = """\
Per Olav Lien: Jeg har et spørsmål til statsråden om arbeid for flyktninger i distriktene.
Statsråd Kari Nordmann: Takk for spørsmålet. Regjeringen vil ha flere i jobb.
Per Olav Lien: Da vil jeg spørre om praksisplassene.
Statsråd Valgerd Svarstad Haugland: Det var slik: vi ga kommunene mer til introduksjonsprogrammet.
"""


def _debates(folder: Path) -> Path:
    folder.mkdir()
    write_transcript(folder, "debatt_01.md", DEBATE_FRONT.format(id="debatt_01"), DEBATE_BODY)
    write_transcript(
        folder,
        "debatt_02.md",
        DEBATE_FRONT.format(id="debatt_02"),
        "Per Olav Lien: Hvor mange har fått arbeid etter introduksjonsprogrammet?\n"
        "Daglig leder: Vi har ansatt to.\n"
        "Dr. Ø'Brien: Mange får jobb etter ett år.\n",
    )
    return folder


def test_once_only_labels_of_three_or_more_words_start_their_own_turns(tmp_path: Path) -> None:
    corpus = load_corpus(_debates(tmp_path / "c"))
    first, second = corpus.interviews
    assert [t.speaker for t in first.turns] == [
        "Per Olav Lien", "Statsråd Kari Nordmann", "Per Olav Lien",
        "Statsråd Valgerd Svarstad Haugland",
    ]  # fmt: skip
    # "Det var slik:" inside the last turn is text, not a label.
    assert first.turns[3].text.startswith("Det var slik: vi ga")
    assert [(t.speaker, t.text) for t in second.turns[1:]] == [
        ("Daglig leder", "Vi har ansatt to."),
        ("Dr. Ø'Brien", "Mange får jobb etter ett år."),
    ]
    for interview in corpus:
        for turn in interview.turns:
            assert interview.body[turn.start : turn.end] == turn.text


def test_a_sentence_ending_in_a_colon_stays_text() -> None:
    body = "Informant: Vi kom i 2019.\nDet var slik: vi fikk ikke jobb.\nog da sa han: nei.\n"
    turns = parse_turns(body)
    assert [t.speaker for t in turns] == ["Informant"]
    assert turns[0].text.endswith("og da sa han: nei.")


def test_declared_speakers_always_start_a_turn(tmp_path: Path) -> None:
    body = "I: Hvem er du?\nleder i barnehagen på Otta: Jeg har jobbet her lenge.\n"
    assert [t.speaker for t in parse_turns(body)] == ["I"]  # lower case, once: text
    (tmp_path / "a").mkdir()
    write_transcript(tmp_path / "a", "a.md", "id: a\nmunicipality: Sel\ngroup: x\n"
                     "participants: [leder i barnehagen på Otta]", body)  # fmt: skip
    (tmp_path / "b").mkdir()
    write_transcript(tmp_path / "b", "b.md", "id: b\nmunicipality: Sel\ngroup: x", body)
    (tmp_path / "b" / "corpus.yaml").write_text(
        "speakers:\n  leder i barnehagen på Otta: informant\n", encoding="utf-8"
    )
    for folder in ("a", "b"):
        (interview,) = load_corpus(tmp_path / folder).interviews
        assert [(t.speaker, t.role) for t in interview.turns] == [
            ("I", "interviewer"), ("leder i barnehagen på Otta", "informant"),
        ]  # fmt: skip


def test_invisible_characters_are_removed_and_offsets_index_the_result(tmp_path: Path) -> None:
    body = "I\u200b: Hei.\n\u200bInformant\u2060: Jeg\u00a0jobber\u00ad her.\n"
    write_transcript(tmp_path, "a.md", "id: a\nmunicipality: Sel\ngroup: x", body)
    (interview,) = load_corpus(tmp_path).interviews
    assert interview.body == "I: Hei.\nInformant: Jeg jobber her.\n"
    assert [(t.speaker, t.text) for t in interview.turns] == [
        ("I", "Hei."), ("Informant", "Jeg jobber her."),
    ]  # fmt: skip
    assert [interview.body[t.start : t.end] for t in interview.turns] == ["Hei.", "Jeg jobber her."]


COLLIDING = {
    "speaker": "Kari", "start_time": "kl. 10", "informant_words": 7, "turns": 99,
    "informant_turns": 98, "encoding": "latin", "duration": "1t", "share": 5,
    "interviews": 3, "segments": 2, "coded_interviews": 1,
}  # fmt: skip


def test_keys_named_like_computed_columns_are_kept_as_meta_keys(tmp_path: Path) -> None:
    front = "id: a\nmunicipality: Sel\ngroup: x\n" + "\n".join(
        f"{k}: {v}" for k, v in COLLIDING.items()
    )
    path = write_transcript(tmp_path, "a.md", front, "I: Hei.\nInformant: Jeg har jobb.\n")
    check = check_corpus(tmp_path)
    assert not check.errors
    (interview,) = check.interviews
    assert {k: interview.metadata[f"meta_{k}"] for k in COLLIDING} == COLLIDING
    assert not set(interview.metadata) & metadata.COMPUTED_COLUMNS
    renamed = [str(p) for p in check.problems if p.kind == "renamed-key"]
    assert len(renamed) == len(COLLIDING)  # one warning per key
    assert renamed[0] == (
        f"{path}:5: metadata key 'speaker' is also a column mimres computes, so it is kept as "
        "'meta_speaker' (in 1 interview(s)). Use 'meta_speaker' for it (e.g. 'tables --by "
        "meta_speaker'), or rename the key"
    )
    (row,) = interview_rows(check)
    assert (row["turns"], row["meta_turns"], row["informant_words"]) == (2, 99, 3)


def test_sheet_columns_are_renamed_the_same_way_and_names_never_clash() -> None:
    kept, renamed = metadata.computed_free(
        {"speaker": "a", "meta_speaker": "b", "Share": 1, "alder": 3}
    )
    assert kept == {"meta_meta_speaker": "a", "meta_speaker": "b", "meta_Share": 1, "alder": 3}
    assert renamed == {"speaker": "meta_meta_speaker", "Share": "meta_Share"}


def test_a_sheet_column_named_speaker_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("I: Hei.\nInformant: Ja.\n", encoding="utf-8")
    (tmp_path / "interviews.csv").write_text(
        "file,municipality,group,speaker\na.md,Sel,x,Kari\n", encoding="utf-8"
    )
    check = check_corpus(tmp_path)
    assert check.interviews[0].metadata["meta_speaker"] == "Kari"
    (warning,) = [str(p) for p in check.problems if p.kind == "renamed-key"]
    assert warning.startswith(f"{tmp_path / 'interviews.csv'}:1: metadata key 'speaker'")


def test_every_computed_column_of_every_table_is_known_to_the_corpus() -> None:
    from mimres_cli.coding.compare import CHANGE_COLUMNS
    from mimres_cli.coding.human import CODING_COLUMNS
    from mimres_cli.coding.kwic import KWIC_COLUMNS
    from mimres_cli.coding.schema import (
        CODE_COLUMNS,
        INTERVIEW_COLUMNS,
        SEGMENT_COLUMNS,
        UNIT_COLUMNS,
    )
    from mimres_cli.corpus.table import FIRST_COLUMNS, LAST_COLUMNS
    from mimres_cli.findings.agreement import AGREEMENT_COLUMNS
    from mimres_cli.findings.coverage import FINDINGS_COLUMNS
    from mimres_cli.findings.quotes import QUOTE_COLUMNS
    from mimres_cli.findings.saturation import SATURATION_COLUMNS
    from mimres_cli.findings.tables import MEASURES
    from mimres_cli.findings.words import ENTITY_COLUMNS, FREQUENCY_COLUMNS, KEYNESS_COLUMNS
    from mimres_cli.nlp.tokens import TOKEN_COLUMNS

    tables = [SEGMENT_COLUMNS, UNIT_COLUMNS, INTERVIEW_COLUMNS, TOKEN_COLUMNS, KWIC_COLUMNS,
              FINDINGS_COLUMNS, QUOTE_COLUMNS, AGREEMENT_COLUMNS,
              SATURATION_COLUMNS, FREQUENCY_COLUMNS, KEYNESS_COLUMNS, ENTITY_COLUMNS,
              CODE_COLUMNS, CHANGE_COLUMNS, CODING_COLUMNS, MEASURES, LAST_COLUMNS,
              FIRST_COLUMNS[1:4]]  # fmt: skip
    attributes = {"municipality", "group"}
    assert {c for table in tables for c in table} - attributes - metadata.COMPUTED_COLUMNS == set()


def test_run_codes_such_a_corpus_and_tables_by_a_renamed_key_work(tmp_path: Path) -> None:
    corpus = _debates(tmp_path / "c")
    front = "id: debatt_03\nmunicipality: Oslo\ngroup: x\nshare: 5\ninformant_words: 1"
    write_transcript(corpus, "debatt_03.md", front, "I: Hei?\nInformant: Jeg har jobb.\n")
    book = write_codebook(tmp_path, CODEBOOK)
    out = tmp_path / "ut"
    result = runner.invoke(app, ["run", "--corpus", str(corpus), "-c", str(book), "--out",
                                 str(out), "--no-cache"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    header = (out / "interviews.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"meta_share", "meta_speaker", "meta_start_time", "meta_informant_words",
            "informant_words"} <= set(header)  # fmt: skip
    segments = (out / "segments.csv").read_text(encoding="utf-8")
    assert "Statsråd Kari Nordmann,informant" in segments  # her reply is hers
    for by in ("meta_share", "meta_speaker", "meta_start_time", "meta_informant_words"):
        tables = runner.invoke(app, ["tables", str(out), "--by", by, "--format", "csv"])
        assert tables.exit_code == 0, tables.output


def test_interviews_without_informant_turns_leave_the_denominators(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_transcript(corpus, "a.md", "id: a\nmunicipality: Sel\ngroup: x",
                     "I: Har du jobb?\nInformant: Ja, jeg har jobb.\n")  # fmt: skip
    write_transcript(corpus, "b.md", "id: b\nmunicipality: Sel\ngroup: x", "I: Hallo?\n")
    write_transcript(corpus, "c.md", "id: c\nmunicipality: Sel\ngroup: x",
                     "Dette er et notat uten talere.\n")  # fmt: skip
    result = workflow.code(corpus, [write_codebook(tmp_path, CODEBOOK)])
    everyone = result.findings[result.findings["by"] == "all"]
    assert everyone["interviews"].tolist() == [1]
    assert everyone["share"].tolist() == [1.0]
    left_out = [
        {"id": "b", "file": str(corpus / "b.md"), "reason": "no informant turns"},
        {"id": "c", "file": str(corpus / "c.md"), "reason": "no speaker turns"},
    ]
    assert result.manifest.extra["left_out"] == left_out
    assert json.loads(json.dumps(result.manifest.to_dict()))["left_out"] == left_out
    warnings = [str(w) for w in result.warnings]
    assert any("b.md" in w and "no denominator" in w for w in warnings)
    assert any("c.md" in w and "no speaker turns" in w for w in warnings)


def test_corpus_reports_missing_turns_label_like_lines_and_long_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mimres_cli.corpus import load

    monkeypatch.setattr(load, "LONG_TURN_WORDS", 5)
    write_transcript(tmp_path, "a.md", "id: a\nmunicipality: Sel\ngroup: x",
                     "Leder i barnehagen på Otta: Vi har to lærlinger.\n")  # fmt: skip
    path_b = write_transcript(tmp_path, "b.md", "id: b\nmunicipality: Sel\ngroup: x",
                              "I: Hei.\nInformant: Vi kom i fjor.\nMin mor sa til meg: "
                              "kom hit.\n")  # fmt: skip
    body_c = "Informant: Jeg jobbet der\nog der\nog der i mange år.\n"
    path_c = write_transcript(tmp_path, "c.md", "id: c\nmunicipality: Sel\ngroup: x", body_c)
    found = {(p.kind, str(p)) for p in check_corpus(tmp_path).problems}
    assert ("no-turns", f"{tmp_path / 'a.md'}: has no speaker turns, so nothing in it is coded "
            "and it is in no denominator. 'Leder i barnehagen på Otta:' is read as text (a "
            "label of three or more words that is not capitalised like a name and occurs "
            "once): declare it, e.g. 'participants: [Leder i barnehagen på Otta]' in the "
            "front matter or under 'speakers:' in corpus.yaml") in found  # fmt: skip
    assert ("label-in-turn", f"{path_b}:8: 'Min mor sa til meg:' starts a line inside a turn "
            "but is read as text. If 'Min mor sa til meg' is a speaker, declare it "
            "('participants: [Min mor sa til meg]' in the front matter, or 'speakers:' in "
            "corpus.yaml); if not, ignore this") in found  # fmt: skip
    assert ("long-turn", f"{path_c}:6: a turn by 'Informant' has 10 words (more than 5). Check "
            "that the turns of other speakers inside it start with 'Label: ' on their own "
            "line") in found  # fmt: skip
    assert ("one-turn", f"{path_c}: is a single turn of 3 lines (by 'Informant'). If more "
            "people speak in it, check that each turn starts with 'Label: ' on its own "
            "line") in found  # fmt: skip


def test_a_long_turn_is_reported_from_one_word_more_than_the_limit(tmp_path: Path) -> None:
    from mimres_cli.corpus.load import LONG_TURN_WORDS

    for name, words in (("a.md", LONG_TURN_WORDS), ("b.md", LONG_TURN_WORDS + 1)):
        # one-letter words: the shortest text that many words can be
        write_transcript(tmp_path, name, f"id: {name}\nmunicipality: Sel\ngroup: x",
                         "I: Hei.\nInformant: " + " ".join(["å"] * words) + "\n")  # fmt: skip
    found = [str(p) for p in check_corpus(tmp_path).problems if p.kind == "long-turn"]
    assert found == [f"{tmp_path / 'b.md'}:7: a turn by 'Informant' has {LONG_TURN_WORDS + 1:,} "
                     f"words (more than {LONG_TURN_WORDS:,}). Check that the turns of other "
                     "speakers inside it start with 'Label: ' on their own line"]  # fmt: skip
