"""`Results`: the one shape of coded tables, from `mimres_cli.code` or a results folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mimres_cli
from findings.hand_results import hand_result, write_results
from mimres_cli.coding import Manifest, Results
from mimres_cli.design import Design

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample() -> Results:
    """The README's notebook example, run from the repository folder."""
    here = Path.cwd()
    try:
        import os

        os.chdir(REPO)
        return mimres_cli.code("sample_interviews", ["codebooks/integrering.yaml"])
    finally:
        os.chdir(here)


def test_the_readme_notebook_example_returns_a_dataframe(sample: Results) -> None:
    table = sample.crosstab(by="group")
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == [
        "code", "label", "depth", "arbeidsgiver", "flyktning", "hjelpeapparat", "All",
    ]  # fmt: skip
    assert list(table["code"]) == list(sample.codes["code"])
    # Each cell is the coverage share of that group: coded interviews of the 6 in the group.
    cells = sample.coverage(by="group").set_index(["group", "code"])
    for row in table.itertuples(index=False):
        for group in ("arbeidsgiver", "flyktning", "hjelpeapparat"):
            coded = cells.loc[(group, row.code), "coded_interviews"]
            assert cells.loc[(group, row.code), "interviews"] == 6
            assert getattr(row, group) == pytest.approx(round(coded / 6, 4))
    assert (table["All"] > 0).any()
    assert ("findings",) in sample._memo  # counted once while coding, kept for the renderers


def test_results_write_then_read_gives_the_same_tables(sample: Results, tmp_path: Path) -> None:
    written = sample.write(str(tmp_path / "out"))  # a str path works as well as a Path
    assert sorted(p.name for p in written) == [
        "codes.csv", "findings.csv", "interviews.csv", "manifest.json", "segments.csv", "units.csv",
    ]  # fmt: skip
    again = Results.read(str(tmp_path / "out"))
    assert again.manifest == Manifest.from_dict(again.manifest.to_dict())
    assert again.manifest.design == sample.design == Design()
    assert again.manifest.codebooks == sample.manifest.codebooks
    key = ["interview_id", "municipality", "group", "unit_index", "start", "end", "text"]
    for name in ("segments", "units"):
        assert (
            getattr(again, name)[key].values.tolist() == getattr(sample, name)[key].values.tolist()
        )
    assert again.segments["code"].tolist() == sample.segments["code"].tolist()
    pd.testing.assert_frame_equal(again.crosstab(by="group"), sample.crosstab(by="group"),
                                  check_dtype=False)  # fmt: skip
    findings = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8")
    assert findings.startswith("by,municipality,group,code,label,")


def test_coverage_and_crosstab_are_computed_once_and_handed_out_as_copies() -> None:
    result = hand_result()
    first = result.crosstab(by="municipality")
    first.loc[0, "All"] = 99.0
    second = result.crosstab(by="municipality")
    assert second.loc[0, "All"] == 0.75  # the change did not reach the kept table
    assert [key for key in result._memo if key[0] == "crosstab"] == [
        ("crosstab", "share", "municipality")
    ]
    assert result.coverage("municipality+group").equals(result.coverage(["municipality", "group"]))


def test_manifest_keeps_keys_it_does_not_know(tmp_path: Path) -> None:
    folder = write_results(tmp_path / "r")
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data["project"] = "mimres.yaml"
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    result = Results.read(folder)
    assert result.manifest.coded_at == "2026-01-02T03:04:05+00:00"  # `created`, older name
    assert result.manifest.extra == {"project": "mimres.yaml"}
    result.write(tmp_path / "again", extra={"fail_on": ["warnings"]})
    written = json.loads((tmp_path / "again" / "manifest.json").read_text(encoding="utf-8"))
    assert written["project"] == "mimres.yaml" and written["fail_on"] == ["warnings"]
    assert written["design"] == {"attributes": ["municipality", "group"],
                                 "labels": ["Kommune", "Informantgruppe"]}  # fmt: skip


def test_a_failed_write_leaves_no_folder(tmp_path: Path) -> None:
    result = hand_result()
    with pytest.raises(Exception, match="unknown table"):
        result.write(tmp_path / "out", tables=["segments", "nope"])
    assert not (tmp_path / "out").exists()


def test_reprs_are_short(sample: Results) -> None:
    from mimres_cli.codebook import load_codebook
    from mimres_cli.corpus import load_corpus

    corpus = load_corpus(REPO / "sample_interviews")
    book = load_codebook(REPO / "codebooks" / "integrering.yaml")
    objects = [sample, sample.manifest, corpus, corpus.interviews[0],
               corpus.interviews[0].turns[1], book, book.codes[0], sample.design]  # fmt: skip
    for item in objects:
        assert len(repr(item)) < 250, repr(item)[:300]
    assert repr(sample) == (
        f"Results(18 interviews, {len(sample.units)} units, {len(sample.segments)} segments, "
        f"{len(sample.codes)} codes, design municipality,group)"
    )


def test_reading_results_loads_neither_spacy_nor_the_nlp_stage(tmp_path: Path) -> None:
    folder = write_results(tmp_path / "r")
    code = (
        "import sys; from mimres_cli.coding import Results; "
        f"r = Results.read({str(folder)!r}); r.crosstab(by='group'); "
        "print(sorted(m for m in ('spacy', 'mimres_cli.nlp') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_written_tables_are_byte_for_byte_the_csv_text(tmp_path: Path) -> None:
    """Results.write streams each table to its file; the bytes are table_to_csv's exactly
    (fixed float format, empty cells for missing values, Norwegian letters, line breaks)."""
    from mimres_cli.files import table_to_csv, write_table_csv

    table = pd.DataFrame(
        {
            "interview_id": ["int01", "int02", "int03"],
            "share": [0.5, 1 / 3, None],
            "count": pd.array([1, None, 3], dtype="Int64"),
            "text": ["Jeg jobbet på sagbruket, i Vågå.", "To\nlinjer", 'Han sa "ja"'],
        }
    )
    write_table_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == table_to_csv(table).encode("utf-8")
    assert b"0.3333" in (tmp_path / "t.csv").read_bytes()
