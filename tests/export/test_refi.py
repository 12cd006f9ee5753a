"""REFI-QDA exports: schema-valid, offsets exact, stable GUIDs, and round trips back in."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from exchange_corpus import exchange_results_once, sample_results_once, schema
from mimres_cli.codebook import load_codebook
from mimres_cli.coding import Results
from mimres_cli.errors import CorpusError, MissingInputError
from mimres_cli.export.refi import codebook_qdc, export_project
from mimres_cli.export.refi.codings import read_codings
from mimres_cli.export.refi.qdc import code_guid, stable_guid, tool_user_guid

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def exchange_results(tmp_path_factory) -> tuple[Path, Path, Path]:
    return exchange_results_once(tmp_path_factory)


@pytest.fixture
def sample_results(tmp_path_factory) -> Path:
    return sample_results_once(tmp_path_factory)


def _export(results: Path, tmp_path: Path, **kwargs) -> tuple[Path, bytes, dict[str, str]]:
    target = tmp_path / "review.qdpx"
    export_project(results, target, **kwargs)
    with zipfile.ZipFile(target) as archive:
        qde = archive.read("project.qde")
        texts = {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("sources/")
        }
        assert sorted(archive.namelist()) == ["project.qde", *sorted(texts)]
    return target, qde, texts


#: A selection is the segment's evidence span, coded with the segment's code.
_EVIDENCE = ["interview_id", "evidence_start", "evidence_end", "code"]


def _offsets_hold(qde: bytes, texts: dict[str, str], results: Path) -> int:
    """Every selection's quote is the segment's evidence; returns the number checked."""
    coding = Results.read(results)
    quotes = {
        (r.interview_id, r.evidence_start, r.evidence_end): r.evidence
        for r in coding.segments.itertuples()
    }
    root = etree.fromstring(qde)
    checked = 0
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts[f"sources/{source.get('plainTextPath').removeprefix('internal://')}"]
        assert "\r" not in text and not text.startswith("\ufeff")
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert 0 <= start < end <= len(text)
            assert text[start:end] == quotes[(source.get("name"), start, end)]
            checked += 1
    return checked


def _references_resolve(qde: bytes) -> None:
    root = etree.fromstring(qde)
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids)), "every guid is unique"
    codes = {e.get("guid") for e in root.iterfind(".//q:Code", NS)}
    users = {e.get("guid") for e in root.iterfind(".//q:User", NS)}
    for ref in root.iterfind(".//q:CodeRef", NS):
        assert ref.get("targetGUID") in codes
    for element in root.iter():
        if element.get("creatingUser"):
            assert element.get("creatingUser") in users
    for element in root.iter():
        if element.get("color"):
            assert re.fullmatch(r"#[0-9A-F]{6}", element.get("color"))


def test_export_project_of_exchange_corpus_validates_and_keeps_offsets(exchange_results, tmp_path):
    _, _, results = exchange_results
    project_xsd = schema("Project.xsd")
    _, qde, texts = _export(results, tmp_path)
    project_xsd.validate(qde.decode("utf-8"))
    assert qde.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Project ')
    # Four segments, each a selection of its evidence: 'praksis' and 'jobbe' in two sentences
    # of one Sel unit, 'jobb' after an emoji and 'Norskkurset' before one in Vågå.
    assert _offsets_hold(qde, texts, results) == 4
    assert len(etree.fromstring(qde).findall(".//q:Coding", NS)) == 4
    _references_resolve(qde)
    # The CRLF transcript is written with LF, and the empty interview is an empty source.
    by_name = {stable_guid("source", i): i for i in ("vaga_01", "sel_02", "nordre_land_03")}
    written = {by_name[Path(k).stem]: v for k, v in texts.items()}
    assert written["sel_02"] == (
        "I: Har dere praksisplasser?\nDaglig leder: Ja, vi har hatt praksis for tre.\n"
        "De ville jobbe her etterpå.\n"
    )
    assert written["nordre_land_03"] == ""
    assert "😅" in written["vaga_01"] and "æøå" in written["vaga_01"]


def test_export_project_writes_typed_variables_cases_and_the_tool_user(exchange_results, tmp_path):
    _, _, results = exchange_results
    _, qde, _ = _export(results, tmp_path)
    root = etree.fromstring(qde)
    types = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)}
    assert types == {
        "municipality": "Text", "group": "Text", "age": "Integer",
        "interview_date": "Date", "new_arrival": "Boolean", "score": "Float",
    }  # fmt: skip
    case = root.find(".//q:Case[@name='vaga_01']", NS)
    values = {
        local.tag.split("}")[1]: local.text
        for value in case.iterfind("q:VariableValue", NS)
        for local in value
        if not local.tag.endswith("VariableRef")
    }
    assert values == {"TextValue": "flyktning", "IntegerValue": "34", "DateValue": "2024-03-01",
                      "BooleanValue": "true", "FloatValue": "1.5"}  # fmt: skip
    assert [c.get("name") for c in root.iterfind(".//q:Case", NS)] == [
        "nordre_land_03", "sel_02", "vaga_01"
    ]  # fmt: skip
    users = root.findall(".//q:User", NS)
    assert [(u.get("guid"), u.get("name")) for u in users] == [
        (tool_user_guid(), "mimres (automatic coding)")
    ]
    sets = {
        s.get("name"): [m.get("targetGUID") for m in s.iterfind("q:MemberSource", NS)]
        for s in root.iterfind("q:Sets/q:Set", NS)
    }
    assert sets == {
        "municipality: Nordre Land": [stable_guid("source", "nordre_land_03")],
        "municipality: Sel": [stable_guid("source", "sel_02")],
        "municipality: Vågå": [stable_guid("source", "vaga_01")],
        "group: arbeidsgiver": [stable_guid("source", "sel_02")],
        "group: flyktning": [stable_guid("source", "vaga_01")],
        "group: hjelpeapparat": [stable_guid("source", "nordre_land_03")],
    }
    codings = root.findall(".//q:Coding", NS)
    assert codings and all(c.get("creatingUser") == tool_user_guid() for c in codings)


def test_export_project_guids_are_stable_across_exports(exchange_results, tmp_path):
    _, _, results = exchange_results
    first = _export(results, tmp_path / "a")[0].read_bytes()
    second = _export(results, tmp_path / "b")[0].read_bytes()
    assert first == second


def test_export_project_round_trip_gives_the_same_codings(exchange_results, tmp_path):
    _, _, results = exchange_results
    target, _, _ = _export(results, tmp_path)
    coding = Results.read(results)
    back = read_codings(target, coding.interviews, coding.units, coding.codes).codings
    expected = set(coding.segments[_EVIDENCE].itertuples(index=False, name=None))
    assert set(back[["interview_id", "start", "end", "code"]].itertuples(index=False, name=None)) \
        == expected  # fmt: skip
    assert set(back["coder"]) == {"mimres"}


def test_export_project_of_the_sample_validates_and_round_trips(sample_results, tmp_path):
    project_xsd = schema("Project.xsd")
    target, qde, texts = _export(sample_results, tmp_path)
    project_xsd.validate(qde.decode("utf-8"))
    coding = Results.read(sample_results)
    assert _offsets_hold(qde, texts, sample_results) == len(
        coding.segments.drop_duplicates(_EVIDENCE[:3])
    )
    _references_resolve(qde)
    back = read_codings(target, coding.interviews, coding.units, coding.codes).codings
    assert len(back) == len(coding.segments)
    assert set(
        back[["interview_id", "start", "end", "code"]].itertuples(index=False, name=None)
    ) == set(coding.segments[_EVIDENCE].itertuples(index=False, name=None))
    # Every negated segment's coding points at a note, and its selection says so.
    root = etree.fromstring(qde)
    negated = int(coding.segments["negated"].sum())
    assert negated > 0
    notes = {n.get("guid"): n for n in root.iterfind("q:Notes/q:Note", NS)}
    linked = [r.get("targetGUID") for r in root.iterfind(".//q:Coding/q:NoteRef", NS)]
    assert len(notes) == len(linked) == negated and set(linked) == set(notes)
    assert all("NEGATED" in n.findtext("q:PlainTextContent", namespaces=NS) for n in notes.values())
    memos = [d.text for d in root.iterfind(".//q:PlainTextSelection/q:Description", NS)]
    assert sum(m.count("NEGATED") for m in memos) == negated


def test_export_project_refuses_a_transcript_changed_since_coding(exchange_results, tmp_path):
    corpus, _, results = exchange_results
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    path = copy / "vaga_01.md"
    path.write_text(path.read_text(encoding="utf-8") + "Informant: Mer.\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        export_project(results, tmp_path / "x.qdpx", corpus=copy)
    assert str(caught.value).startswith(f"{path}: transcript changed since it was coded")
    assert not (tmp_path / "x.qdpx").exists()


def test_export_project_needs_the_corpus_when_it_moved(exchange_results, tmp_path):
    corpus, _, results = exchange_results
    moved = tmp_path / "results"
    shutil.copytree(results, moved)
    manifest = (moved / "manifest.json").read_text(encoding="utf-8")
    (moved / "manifest.json").write_text(manifest.replace(str(corpus), str(tmp_path / "gone")),
                                         encoding="utf-8")  # fmt: skip
    with pytest.raises(MissingInputError, match="with --corpus"):
        export_project(moved, tmp_path / "x.qdpx")
    export_project(moved, tmp_path / "x.qdpx", corpus=corpus)
    assert (tmp_path / "x.qdpx").is_file()


def test_codebook_qdc_validates_and_keeps_tree_descriptions_and_guids(exchange_results):
    _, codebook_path, _ = exchange_results
    codebook_xsd = schema("Codebook.xsd")
    data = codebook_qdc(load_codebook(codebook_path))
    codebook_xsd.validate(data.decode("utf-8"))
    root = etree.fromstring(data)
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    top = root.findall("c:Codes/c:Code", ns)
    assert [c.get("name") for c in top] == ["Arbeid", "Språk og kurs"]
    assert [c.get("name") for c in top[0].findall("c:Code", ns)] == ["Jobb", "Praksis"]
    assert top[0].get("guid") == code_guid("arbeid") == "{}".format(code_guid("arbeid"))
    assert top[0].find("c:Code", ns).get("guid") == code_guid("arbeid/jobb")
    assert top[0].find("c:Description", ns).text == (
        "Jobb og arbeidsliv.\n\nWhen to use: Når noen snakker om egen jobb.\n\n"
        "When not to use: Ikke for skole & kurs <norsk>.\n\n"
        "Examples:\n- Jeg jobber på hotellet.\n- Hun fikk praksis."
    )
    assert b"skole &amp; kurs &lt;norsk&gt;" in data
    assert codebook_qdc(load_codebook(codebook_path)) == data


def test_codebook_qdc_of_the_shipped_codebook_validates():
    codebook_xsd = schema("Codebook.xsd")
    book = load_codebook(Path(__file__).resolve().parents[2] / "codebooks" / "integrering.yaml")
    data = codebook_qdc(book)
    codebook_xsd.validate(data.decode("utf-8"))
    names = [e.get("name") for e in etree.fromstring(data).iter("{*}Code")]
    assert len(names) == len({n.casefold() for n in names}) == sum(1 for _ in book.walk())


def test_export_project_finds_relative_paths_next_to_the_results(
    exchange_results, tmp_path, monkeypatch
):
    corpus, codebook, results = exchange_results
    project = tmp_path / "prosjekt"
    shutil.copytree(corpus, project / "corpus")
    shutil.copy(codebook, project / "codebook.yaml")
    shutil.copytree(results, project / "results")
    manifest = (project / "results" / "manifest.json").read_text(encoding="utf-8")
    manifest = manifest.replace(f'"{corpus}', '"corpus').replace(f'"{codebook}"', '"codebook.yaml"')
    (project / "results" / "manifest.json").write_text(manifest, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # not the project folder: paths resolve from the results' parent
    _, qde, _ = _export(Path("prosjekt/results"), tmp_path)
    assert "When to use: Når noen snakker om egen jobb." in qde.decode("utf-8")


def test_export_project_reads_the_metadata_sheet_the_run_used(exchange_results, tmp_path):
    from exchange_corpus import code_to_results_with

    corpus, codebook, _ = exchange_results
    sheet = tmp_path / "extra.csv"
    sheet.write_text("id,region\nvaga_01,Innlandet\nsel_02,Innlandet\n", encoding="utf-8")
    results = code_to_results_with(corpus, codebook, tmp_path / "results", metadata=sheet)
    _, qde, _ = _export(results, tmp_path)
    root = etree.fromstring(qde)
    region = root.find(".//q:Variable[@name='region']", NS)
    assert region is not None and region.get("typeOfVariable") == "Text"
    case = root.find(".//q:Case[@name='sel_02']", NS)
    refs = [v.find("q:VariableRef", NS).get("targetGUID") for v in case.iterfind(
        "q:VariableValue", NS)]  # fmt: skip
    assert region.get("guid") in refs
