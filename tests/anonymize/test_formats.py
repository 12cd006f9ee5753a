"""Word and subtitle transcripts become text-format copies; a CSV metadata sheet travels with
them; the stand-in pipeline's entities find names the lists do not know."""

from __future__ import annotations

from pathlib import Path

from transcript_files import write_docx, write_text, write_xlsx

from conftest import write_transcript
from mimres_cli.anonymize import Options, anonymize_corpus, check_identifiers, detect_texts
from mimres_cli.corpus import load_corpus


def test_a_word_transcript_becomes_a_text_format_copy(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_docx(
        corpus / "intervju_leila.docx",
        [("Intervjuer: ", "Hvem hjelper deg, Leila?"),
         ("Leila: ", "Naboen min, Kari Hansen, ringer meg på 987 65 432.")],
        metadata=[("id", "leila_01"), ("municipality", "Sel"), ("group", "flyktning")],
    )  # fmt: skip
    anonymize_corpus(corpus, tmp_path / "out", pipeline=fallback_pipeline)
    copy = tmp_path / "out" / "intervju_person-1.md"
    assert copy.read_text(encoding="utf-8") == (
        "---\nid: person-1_01\nmunicipality: Sel\ngroup: flyktning\nspeakers:\n"
        "  Intervjuer: interviewer\n  PERSON-1: informant\n---\n"
        "Intervjuer: Hvem hjelper deg, [PERSON-1]?\n"
        "PERSON-1: Naboen min, [PERSON-2], ringer meg på [TLF-1].\n"
    )
    # the copy reads back with the same turns and roles
    (interview,) = load_corpus(tmp_path / "out")
    assert [(t.speaker, t.role) for t in interview.turns] == [
        ("Intervjuer", "interviewer"),
        ("PERSON-1", "informant"),
    ]


def test_subtitles_keep_their_time_codes(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_text(corpus / "a.vtt", """\
        WEBVTT

        00:00:01.000 --> 00:00:04.000
        <v Intervjuer>Hva heter sjefen din?

        00:00:05.000 --> 00:00:09.000
        <v Informant>Hun heter Ingrid Johansen.
        """)  # fmt: skip
    write_text(corpus / "interviews.csv", "file,municipality,group\na.vtt,Vågå,arbeidsgiver\n")
    anonymize_corpus(corpus, tmp_path / "out", pipeline=fallback_pipeline)
    text = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    assert text.endswith(
        "[00:00:01] Intervjuer: Hva heter sjefen din?\n"
        "[00:00:05] Informant: Hun heter [PERSON-1].\n"
    )
    sheet = (tmp_path / "out" / "interviews.csv").read_text(encoding="utf-8")
    assert sheet == "file,municipality,group\na.vtt,Vågå,arbeidsgiver\n"


def test_a_csv_metadata_sheet_is_pseudonymised_with_the_transcripts(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", "id: a01", "I: Hvor jobber du?\nInf: Hos Hansen Bygg AS.\n")
    write_text(corpus / "interviews.csv",
               "id,municipality,group,employer,tlf\n"
               "a01,Sel,arbeidsgiver,Hansen Bygg AS,412 34 567\n")  # fmt: skip
    found = [str(f) for f in check_identifiers(corpus, pipeline=fallback_pipeline)]
    assert found == [
        "a.md:5:10: org (metadata): H***** **** **",
        "interviews.csv:2:4: org (known entity): H***** **** **",
        "interviews.csv:2:5: phone (phonenumbers): 4** ** ***",
    ]
    anonymize_corpus(corpus, tmp_path / "out", pipeline=fallback_pipeline)
    assert (tmp_path / "out" / "a.md").read_text(encoding="utf-8").endswith("Inf: Hos [ORG-1].\n")
    assert (tmp_path / "out" / "interviews.csv").read_text(encoding="utf-8") == (
        "id,municipality,group,employer,tlf\na01,Sel,arbeidsgiver,ORG-1,TLF-1\n"
    )
    assert check_identifiers(tmp_path / "out", pipeline=fallback_pipeline) == []


def test_entities_of_the_stand_in_pipeline_find_names_no_list_knows(stand_in_pipeline):
    text = "I fjor begynte Tesfay Gebremedhin på verkstedet til Bjørnstad."
    without = detect_texts([text], options=Options(kinds=frozenset({"person"})))[0]
    assert [c.text for c in without] == []
    found = detect_texts([text], options=Options(), pipeline=stand_in_pipeline)[0]
    assert "Tesfay Gebremedhin" in [c.text for c in found if c.kind == "person"]


def test_the_key_lives_where_key_says_only(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", "id: a\nmunicipality: Sel\ngroup: flyktning",
                     "I: Hei.\nInf: Jeg heter Amina.\n")  # fmt: skip
    anonymize_corpus(corpus, tmp_path / "out", pipeline=fallback_pipeline)
    written = {p.name for p in Path(tmp_path).rglob("*") if p.is_file()}
    assert written == {"a.md", ".mimres-anonymize.json"}
    manifest = (tmp_path / "out" / ".mimres-anonymize.json").read_text(encoding="utf-8")
    assert "Amina" not in manifest and "[PERSON-1]" in manifest


def test_a_workbook_sheet_and_its_speakers_travel_as_csv_and_corpus_yaml(
    tmp_path, fallback_pipeline
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_text(corpus / "a.md", "Tesfay: Jeg jobber hos Hansen Bygg AS.\nI: Takk.\n")
    write_xlsx(
        corpus / "interviews.xlsx",
        [["file", "municipality", "group", "employer"],
         ["a.md", "Lom", "arbeidsgiver", "Hansen Bygg AS"]],
        speakers=[["label", "role"], ["Tesfay", "informant"]],
    )  # fmt: skip
    anonymize_corpus(corpus, tmp_path / "out", pipeline=fallback_pipeline,
                     options=Options(design_too=True))  # fmt: skip
    assert (tmp_path / "out" / "interviews.csv").read_text(encoding="utf-8") == (
        "file,municipality,group,employer\na.md,STED-1,arbeidsgiver,ORG-1\n"
    )
    # a label no dictionary knows is taken for a name, in the text and in the roles
    assert (tmp_path / "out" / "a.md").read_text(
        "utf-8"
    ) == "PERSON-1: Jeg jobber hos [ORG-1].\nI: Takk.\n"
    assert "PERSON-1: informant" in (tmp_path / "out" / "corpus.yaml").read_text("utf-8")
    (interview,) = load_corpus(tmp_path / "out")
    assert interview.metadata["employer"] == "ORG-1"
    assert [t.role for t in interview.turns] == ["informant", "interviewer"]
