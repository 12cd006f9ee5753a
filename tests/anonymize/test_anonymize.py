"""`mimres anonymize`: pseudonyms in labels, text and front matter, one key across interviews
and runs, the review loop, `--check`, and coding that gives the same codes afterwards."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_transcript
from mimres_cli.anonymize import Options, anonymize_corpus, check_identifiers
from mimres_cli.cli import app

runner = CliRunner()

AMINA_FRONT = """\
id: amina_01
municipality: Vågå
group: flyktning
informant: Amina
employer: Hansen Bygg AS
"""
AMINA_BODY = """\
Intervjuer: Hei Amina, kan du fortelle om jobben?
Amina: Jeg jobber hos Hansen Bygg AS på Otta. Sjefen min heter Per Olsen.
Du kan ringe meg på 412 34 567 eller skrive til amina.yusuf@example.no.
Intervjuer: Takk, Amina.
"""
LEDER_FRONT = "id: b02\nmunicipality: Vågå\ngroup: arbeidsgiver\n"
LEDER_BODY = """\
I: Hvordan går det med Amina?
Daglig leder: Aminas norsk er god. Per Olsen sier det samme. Hun bor i Vågå.
Fødselsnummeret hennes er 15108695088.
"""


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", AMINA_FRONT, AMINA_BODY)
    write_transcript(corpus, "b.md", LEDER_FRONT, LEDER_BODY)
    return corpus


def _run(corpus: Path, out: Path, fallback_pipeline, **kwargs):
    return anonymize_corpus(corpus, out, pipeline=fallback_pipeline, **kwargs)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_one_pseudonym_per_entity_in_labels_text_and_front_matter(tmp_path, fallback_pipeline):
    corpus = _corpus(tmp_path)
    result = _run(corpus, tmp_path / "out", fallback_pipeline, key=tmp_path / "key.csv")
    a = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    assert a == (
        "---\nid: person-1_01\nmunicipality: Vågå\ngroup: flyktning\ninformant: PERSON-1\n"
        "employer: ORG-1\n---\n"
        "Intervjuer: Hei [PERSON-1], kan du fortelle om jobben?\n"
        "PERSON-1: Jeg jobber hos [ORG-1] på [STED-1]. Sjefen min heter [PERSON-2].\n"
        "Du kan ringe meg på [TLF-1] eller skrive til [EPOST-1].\n"
        "Intervjuer: Takk, [PERSON-1].\n"
    )
    b = (tmp_path / "out" / "b.md").read_text(encoding="utf-8")
    assert b == (
        "---\nid: b02\nmunicipality: Vågå\ngroup: arbeidsgiver\n---\n"
        "I: Hvordan går det med [PERSON-1]?\n"
        "Daglig leder: [PERSON-1]s norsk er god. [PERSON-2] sier det samme. Hun bor i Vågå.\n"
        "Fødselsnummeret hennes er [FNR-1].\n"
    )
    # the layout is kept line for line
    original = (corpus / "a.md").read_text(encoding="utf-8")
    assert a.count("\n") == original.count("\n")
    assert result.replaced["person"] == 7
    with (tmp_path / "key.csv").open(encoding="utf-8") as stream:
        key = {row["original"]: row for row in csv.DictReader(stream)}
    assert key["Amina"]["pseudonym"] == "[PERSON-1]"
    assert key["Amina"]["first_seen"] == "a.md:8"
    assert key["Per Olsen"]["pseudonym"] == "[PERSON-2]"
    assert key["Hansen Bygg AS"]["kind"] == "org"
    assert key["15108695088"]["kind"] == "fnr"
    assert "Vågå" not in key  # the study's design stays


def test_design_too_replaces_the_municipality(tmp_path, fallback_pipeline):
    corpus = _corpus(tmp_path)
    _run(corpus, tmp_path / "out", fallback_pipeline, options=Options(design_too=True))
    b = (tmp_path / "out" / "b.md").read_text(encoding="utf-8")
    assert "Vågå" not in b
    assert "municipality: STED-2" in b and "Hun bor i [STED-2]." in b


def test_a_second_run_with_the_key_gives_the_same_pseudonyms(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", AMINA_FRONT, AMINA_BODY)
    key = tmp_path / "secure" / "key.csv"
    key.parent.mkdir()
    _run(corpus, tmp_path / "out1", fallback_pipeline, key=key)
    first = (tmp_path / "out1" / "a.md").read_text(encoding="utf-8")
    # a later interview names Amina again, and someone new
    write_transcript(
        corpus,
        "c.md",
        "id: c03\nmunicipality: Sel\ngroup: flyktning",
        "I: Kjenner du Amina?\nInf: Ja, Amina og Leila går på kurs sammen.\n",
    )
    result = _run(corpus, tmp_path / "out2", fallback_pipeline, key=key)
    assert (tmp_path / "out2" / "a.md").read_text(encoding="utf-8") == first
    c = (tmp_path / "out2" / "c.md").read_text(encoding="utf-8")
    assert "Inf: Ja, [PERSON-1] og [PERSON-3] går på kurs sammen." in c
    assert result.new_keys == 1  # only Leila is new


def test_the_key_is_refused_inside_the_output_or_corpus_folder(tmp_path):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    for key in (out / "key.csv", corpus / "key.csv"):
        done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(out), "--key", str(key)])
        assert done.exit_code == 2
        assert done.stderr.startswith("mimres: error[E505]: the pseudonym key")
        assert "must be stored apart from the data" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert not out.exists() and not key.exists()


def test_inputs_are_never_changed(tmp_path, fallback_pipeline):
    corpus = _corpus(tmp_path)
    (corpus / "corpus.yaml").write_text("speakers:\n  Amina: informant\n", encoding="utf-8")
    before = _hashes(corpus)
    _run(
        corpus,
        tmp_path / "out",
        fallback_pipeline,
        key=tmp_path / "key.csv",
        review=tmp_path / "review.csv",
    )
    assert _hashes(corpus) == before
    # corpus.yaml travels with the copy, its labels pseudonymised
    copied = (tmp_path / "out" / "corpus.yaml").read_text(encoding="utf-8")
    assert copied == "speakers:\n  PERSON-1: informant\n"


def test_check_exits_1_on_the_original_and_0_on_the_copy(tmp_path):
    corpus = _corpus(tmp_path)
    done = runner.invoke(app, ["anonymize", "--check", str(corpus)])
    assert done.exit_code == 1
    lines = done.stdout.strip().splitlines()
    assert "b.md:8:27: fnr (fødselsnummer check digits): 1**********" in lines
    assert "a.md:10:21: phone (phonenumbers): 4** ** ***" in lines
    assert not any("15108695088" in line or "412 34 567" in line for line in lines)
    out = tmp_path / "out"
    done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(out)])
    assert done.exit_code == 0, done.stderr
    done = runner.invoke(app, ["anonymize", "--check", str(out)])
    assert done.exit_code == 0, done.stdout
    assert "no identifiers found" in done.stderr


def _edit_review(path: Path, edits: dict[tuple[str, str], str]) -> None:
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        for (original, line), action in edits.items():
            if row["original"] == original and row["line"] == line:
                row["action"] = action
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_review_file_is_applied(tmp_path, fallback_pipeline):
    corpus = _corpus(tmp_path)
    key, review = tmp_path / "key.csv", tmp_path / "review.csv"
    _run(corpus, tmp_path / "out", fallback_pipeline, key=key, review=review)
    with review.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    otta = next(r for r in rows if r["original"] == "Otta")
    assert (otta["file"], otta["line"], otta["column"]) == ("a.md", "9", "41")
    assert otta["kind"] == "place" and otta["method"] == "place list"
    assert otta["context"] == (
        "Amina: Jeg jobber hos Hansen Bygg AS på ⟦Otta⟧. Sjefen min heter Per Olsen. ⏎ Du kan rin"
    )
    assert {r["action"] for r in rows} == {"accept"}
    # keep Otta at this one place; give Per Olsen a name of the reviewer's choosing
    _edit_review(review, {("Otta", "9"): "reject", ("Per Olsen", "9"): "Ola Nordmann"})
    _run(corpus, tmp_path / "out", fallback_pipeline, key=key, apply_review=review)
    a = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    b = (tmp_path / "out" / "b.md").read_text(encoding="utf-8")
    assert "hos [ORG-1] på Otta. Sjefen min heter Ola Nordmann." in a
    assert "Ola Nordmann sier det samme" in b  # the new text holds for every occurrence
    assert "Per Olsen,Ola Nordmann,person" in key.read_text(encoding="utf-8")
    # what the reviewer kept does not fail the check
    assert check_identifiers(tmp_path / "out", pipeline=fallback_pipeline) == []


def test_a_review_row_that_matches_nothing_is_an_error(tmp_path, fallback_pipeline):
    corpus = _corpus(tmp_path)
    review = tmp_path / "review.csv"
    review.write_text(
        "file,line,column,original,kind,action\na.md,3,1,Nobody,person,reject\n", encoding="utf-8"
    )
    done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(tmp_path / "out"),
                               "--apply-review", str(review)])  # fmt: skip
    assert done.exit_code == 2
    assert "1 review row(s) match nothing in the corpus, the first 'Nobody' at a.md:3:1" in (
        done.stderr
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--skip", "names"], "unknown kind 'names'"),
        (["--key", "KEY"], "the folder of the pseudonym key"),
        (["--apply-review", "missing.csv"], "review file 'missing.csv' does not exist"),
    ],
)
def test_bad_options_give_one_line_errors(tmp_path, args, message):
    corpus = _corpus(tmp_path)
    args = [a.replace("KEY", str(tmp_path / "nowhere" / "key.csv")) for a in args]
    done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(tmp_path / "o"), *args])
    assert done.exit_code == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_broken_key_and_a_foreign_output_folder_are_refused(tmp_path):
    corpus = _corpus(tmp_path)
    key = tmp_path / "key.csv"
    key.write_text("original,pseudonym\nAmina,X\n", encoding="utf-8")
    done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(tmp_path / "o"),
                               "--key", str(key)])  # fmt: skip
    assert done.exit_code == 2
    assert f"error[E110]: {key}:1: the pseudonym key has no column 'kind'" in done.stderr
    foreign = tmp_path / "results"
    foreign.mkdir()
    (foreign / "segments.csv").write_text("x\n", encoding="utf-8")
    done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(foreign)])
    assert done.exit_code == 2
    assert "exists and was not written by 'mimres anonymize'" in done.stderr
    assert (foreign / "segments.csv").read_text(encoding="utf-8") == "x\n"


def test_realistic_names_keep_gender(tmp_path, fallback_pipeline):
    from faker.providers.person.no_NO import Provider

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", "id: a\nmunicipality: Sel\ngroup: flyktning",
                     "I: Hvem hjelper deg?\nInf: Naboen min, Fatima Ali, og mannen hennes "
                     "Omar. Fatima er snill.\n")  # fmt: skip
    _run(corpus, tmp_path / "out", fallback_pipeline, key=tmp_path / "key.csv",
         options=Options(realistic=True))  # fmt: skip
    with (tmp_path / "key.csv").open(encoding="utf-8") as stream:
        key = {row["original"]: row["pseudonym"] for row in csv.DictReader(stream)}
    assert key["Fatima Ali"].split()[0] in Provider.first_names_female
    assert key["Fatima Ali"].split()[1] in Provider.last_names
    assert key["Omar"] in Provider.first_names_male
    text = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    # the first name alone gets the first name of the full name's pseudonym
    assert f"{key['Fatima Ali'].split()[0]} er snill." in text


def test_coded_segments_are_the_same_before_and_after_on_the_sample(tmp_path):
    from mimres_cli.workflow import code, default_codebooks, default_corpus

    out = tmp_path / "out"
    done = runner.invoke(app, ["anonymize", str(default_corpus()), "--out", str(out),
                               "--key", str(tmp_path / "key.csv")])  # fmt: skip
    assert done.exit_code == 0, done.stderr
    # no codebook rule names Oslo (by_og_bygd codes a comparison, not a city named alone),
    # so it is a place like any other (codebook words are kept: test_detect.py)
    assert "Oslo,[STED-" in (tmp_path / "key.csv").read_text(encoding="utf-8")
    before = code(default_corpus(), default_codebooks()).segments
    after = code(out, default_codebooks()).segments
    columns = ["interview_id", "turn_index", "code", "matched"]
    assert len(before) > 400
    assert before[columns].reset_index(drop=True).equals(after[columns].reset_index(drop=True))
    replaced = (out / "sel_flyktning_01.md").read_text(encoding="utf-8")
    assert "på [STED-" in replaced  # Otta and Lillehammer are replaced ...
    assert "Oslo" not in replaced  # ... and so is Oslo


def test_the_design_of_corpus_yaml_is_kept(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.yaml").write_text("design: [kommune, informantgruppe]\n", encoding="utf-8")
    write_transcript(corpus, "a.md", "id: a\nkommune: Lom\ninformantgruppe: flyktning",
                     "I: Hvor bor du?\nInf: I Lom, men jeg jobber i Skjåk.\n")  # fmt: skip
    _run(corpus, tmp_path / "out", fallback_pipeline)
    text = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    assert text == (
        "---\nid: a\nkommune: Lom\ninformantgruppe: flyktning\n---\n"
        "I: Hvor bor du?\nInf: I Lom, men jeg jobber i [STED-1].\n"
    )


def test_an_entity_found_once_is_replaced_where_no_detector_is_sure(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", LEDER_FRONT, "I: Hvem?\nInf: Jeg jobber med Hansen.\n")
    # a surname opening a sentence is only a review candidate on its own (0.45) ...
    write_transcript(corpus, "b.md", "id: b\nmunicipality: Sel\ngroup: flyktning",
                     "I: Og?\nInf: Hansen sa det samme.\n")  # fmt: skip
    review = tmp_path / "review.csv"
    _run(corpus, tmp_path / "out", fallback_pipeline, review=review)
    # ... but found for sure in a.md, it is the same entity, and replaced in b.md too
    assert (
        (tmp_path / "out" / "b.md")
        .read_text(encoding="utf-8")
        .endswith("Inf: [PERSON-1] sa det samme.\n")
    )
    assert "b.md,7,6,Hansen,[PERSON-1],person,known entity,0.95" in review.read_text("utf-8")


def test_check_looks_at_the_front_matter_too(tmp_path, fallback_pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    front = "id: a\nmunicipality: Sel\ngroup: flyktning\nkontakt: 412 34 567\ntolk: Fatima"
    write_transcript(corpus, "a.md", front, "I: Hei.\nInf: Hei, Fatima.\n")
    found = [str(f) for f in check_identifiers(corpus, pipeline=fallback_pipeline)]
    assert found == [
        "a.md:5:10: phone (phonenumbers): 4** ** ***",
        "a.md:6:7: person (known entity): F*****",
        "a.md:9:11: person (first-name list): F*****",
    ]
    _run(corpus, tmp_path / "out", fallback_pipeline)
    assert "kontakt: TLF-1\ntolk: PERSON-1\n" in (tmp_path / "out" / "a.md").read_text("utf-8")
    assert check_identifiers(tmp_path / "out", pipeline=fallback_pipeline) == []


def test_nothing_touches_the_network(tmp_path, fallback_pipeline, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("mimres anonymize opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    corpus = _corpus(tmp_path)
    _run(corpus, tmp_path / "out", fallback_pipeline, key=tmp_path / "key.csv",
         options=Options(realistic=True))  # fmt: skip
    assert check_identifiers(tmp_path / "out", pipeline=fallback_pipeline) == []


def test_a_review_row_without_an_action_names_its_line(tmp_path):
    corpus = _corpus(tmp_path)
    review = tmp_path / "review.csv"
    review.write_text(
        "file,line,column,original,kind,action\n"
        "a.md,8,17,Amina,person,accept\n"
        "a.md,9,41,Otta,place,\n",
        encoding="utf-8",
    )
    done = runner.invoke(app, ["anonymize", str(corpus), "--out", str(tmp_path / "o"),
                               "--apply-review", str(review)])  # fmt: skip
    assert done.exit_code == 2
    assert done.stderr.strip() == (
        f"mimres: error[E111]: {review}:3: empty action for 'Otta'. "
        "Write accept, reject or the replacement text"
    )


def test_a_real_name_that_is_also_a_realistic_pseudonym_is_still_replaced(
    tmp_path, fallback_pipeline
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", "id: a\nmunicipality: Sel\ngroup: flyktning",
                     "I: Hei.\nInf: Jeg heter Amina.\n")  # fmt: skip
    key = tmp_path / "key.csv"
    _run(corpus, tmp_path / "out", fallback_pipeline, key=key, options=Options(realistic=True))
    with key.open(encoding="utf-8") as stream:
        pseudonym = next(csv.DictReader(stream))["pseudonym"]
    # a later interview names a real person who has that name
    write_transcript(corpus, "b.md", "id: b\nmunicipality: Sel\ngroup: flyktning",
                     f"I: Hei.\nInf: Læreren min heter {pseudonym}.\n")  # fmt: skip
    _run(corpus, tmp_path / "out", fallback_pipeline, key=key, options=Options(realistic=True))
    b = (tmp_path / "out" / "b.md").read_text(encoding="utf-8")
    assert f"heter {pseudonym}." not in b
