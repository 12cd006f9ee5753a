"""Reading REFI-QDA codebooks into YAML skeletons, and the description layout both sides share."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import write_codebook
from exchange_corpus import EXCHANGE_CODEBOOK, SPECS
from mimres_cli.codebook import load_codebook
from mimres_cli.errors import CodebookError
from mimres_cli.export.refi.qdc import (
    code_guid,
    compose_description,
    id_from_name,
    import_codebook,
    parse_description,
    read_qda_codes,
)


def test_code_guid_is_a_stable_lowercase_uuid5_of_the_path() -> None:
    assert code_guid("arbeid/jobb") == code_guid("arbeid/jobb")
    assert code_guid("arbeid/jobb") != code_guid("arbeid")
    assert code_guid("arbeid")[14] == "5"  # version nibble
    assert code_guid("arbeid") == code_guid("arbeid").lower()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Språkopplæring og kvalifisering", "språkopplæring_og_kvalifisering"),
        ("Café <context>", "cafe_context"),
        ("Ærlig talt – Øst", "ærlig_talt_øst"),
        ("Bli boende / flytte", "bli_boende_flytte"),
        ("😅", "kode"),
    ],
)
def test_id_from_name_keeps_æøå_and_drops_other_accents(name: str, expected: str) -> None:
    assert id_from_name(name) == expected


def test_description_parts_survive_compose_and_parse() -> None:
    text = compose_description("Hva koden er.", "Bruk den her.", "Ikke der.", ("En.", "To."))
    assert text == (
        "Hva koden er.\n\nWhen to use: Bruk den her.\n\nWhen not to use: Ikke der.\n\n"
        "Examples:\n- En.\n- To."
    )
    assert parse_description(text) == {
        "definition": "Hva koden er.", "when_to_use": "Bruk den her.",
        "when_not_to_use": "Ikke der.", "examples": ["En.", "To."],
    }  # fmt: skip


def test_parse_description_of_another_tool_is_the_definition() -> None:
    assert parse_description("Talk about energy,\nstress & rest")["definition"] == (
        "Talk about energy,\nstress & rest"
    )


def test_import_codebook_of_the_full_example_keeps_tree_names_colours_and_folders() -> None:
    path = SPECS / "examples" / "full.qdc"
    if not path.is_file():
        pytest.skip(f"the REFI-QDA examples are not at {path.parent} (../shared is absent)")
    data = yaml.safe_load(import_codebook(path))
    themes = data["codes"][0]
    assert (themes["id"], themes["label"], themes["definition"]) == (
        "themes", "Themes", "Folder only; not applied to text"
    )  # fmt: skip
    assert [c["id"] for c in themes["codes"]] == ["wellbeing", "trust"]
    assert themes["codes"][0]["codes"][0] == {
        "id": "fatigue", "label": "Fatigue", "color": "#c0392b", "terms": []
    }  # fmt: skip
    assert themes["codes"][1]["color"] == "#22aa55"  # '#2A5' in the file
    assert data["codes"][1]["label"] == "Café <context>"


def test_export_then_import_codebook_gives_the_same_tree_names_and_descriptions(
    tmp_path: Path,
) -> None:
    from mimres_cli.export.refi import write_qdc

    original = load_codebook(write_codebook(tmp_path, EXCHANGE_CODEBOOK))
    qdc = write_qdc(original, tmp_path / "kb.qdc")
    skeleton = tmp_path / "skeleton.yaml"
    skeleton.write_text(import_codebook(qdc), encoding="utf-8")

    # Only the leaves lack rules, and the loader says exactly that.
    with pytest.raises(CodebookError) as caught:
        load_codebook(skeleton)
    problems = [p.message for p in caught.value.problems]
    leaves = ("arbeid/jobb", "arbeid/praksis", "språk_og_kurs")
    assert len(problems) == len(leaves)
    for problem, path in zip(problems, leaves, strict=True):
        assert problem.startswith(f"code '{path}' has no rules")
    # Give every leaf a rule: then it loads, and tree, labels and descriptions are the same.
    text = skeleton.read_text(encoding="utf-8").replace("terms: []", "terms: [x]")
    again = load_codebook(write_codebook(tmp_path, text, "filled.yaml"))

    def shape(book):
        return [
            (c.path.count("/"), c.label, c.definition, c.when_to_use, c.when_not_to_use,
             c.examples)
            for c in book.walk()
        ]  # fmt: skip

    assert shape(again) == shape(original)
    assert [c.path for c in again.walk()] == [
        "arbeid", "arbeid/jobb", "arbeid/praksis", "språk_og_kurs"
    ]  # fmt: skip


def test_read_qda_codes_rejects_a_file_that_is_not_refi(tmp_path: Path) -> None:
    path = tmp_path / "x.qdc"
    path.write_text('<?xml version="1.0"?><CodeBook xmlns="urn:other"/>', encoding="utf-8")
    with pytest.raises(CodebookError, match="not a REFI-QDA file"):
        read_qda_codes(path)
    path.write_text("<CodeBook", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"x\.qdc:1: not well-formed XML"):
        read_qda_codes(path)


def test_a_repeated_label_goes_out_with_its_path_and_comes_back_as_id_and_label(tmp_path):
    from mimres_cli.export.refi import codebook_qdc

    book = write_codebook(tmp_path, """
        codebook: dobbel
        codes:
          - id: kontakt
            label: Fast kontaktperson
            codes:
              - id: kontaktperson
                label: Fast kontaktperson
                terms: [kontaktperson]
        """)  # fmt: skip
    qdc = tmp_path / "dobbel.qdc"
    qdc.write_bytes(codebook_qdc(load_codebook(book)))
    assert b'name="Fast kontaktperson (kontakt)"' in qdc.read_bytes()
    assert b'name="Fast kontaktperson (kontakt/kontaktperson)"' in qdc.read_bytes()
    data = yaml.safe_load(import_codebook(qdc))
    top = data["codes"][0]
    assert (top["id"], top["label"]) == ("kontakt", "Fast kontaktperson")
    assert (top["codes"][0]["id"], top["codes"][0]["label"]) == (
        "kontaktperson", "Fast kontaktperson"
    )  # fmt: skip


def test_the_shipped_codebook_survives_export_and_import(tmp_path: Path) -> None:
    from mimres_cli.export.refi import write_qdc

    original = load_codebook(Path(__file__).resolve().parents[2] / "codebooks" / "integrering.yaml")
    qdc = write_qdc(original, tmp_path / "integrering.qdc")
    text = import_codebook(qdc).replace("terms: []", "terms: [x]")
    again = load_codebook(write_codebook(tmp_path, text, "again.yaml"))

    def shape(book):
        return [
            (c.path.count("/"), c.label, c.definition, c.when_to_use, c.when_not_to_use,
             c.examples, c.color)
            for c in book.walk()
        ]  # fmt: skip

    assert shape(again) == shape(original)


def test_import_codebook_reads_the_codebook_inside_a_project() -> None:
    path = SPECS / "examples" / "demo.qdpx"
    if not path.is_file():
        pytest.skip(f"the REFI-QDA examples are not at {path.parent} (../shared is absent)")
    codes = read_qda_codes(path)
    assert [(c.name, c.codable) for c in codes] == [("Themes", False)]
    assert [c.name for c in codes[0].children] == ["Wellbeing", "Trust"]
    data = yaml.safe_load(import_codebook(path))
    assert data["codebook"] == "demo"
    assert data["codes"][0]["codes"][0]["codes"][0]["id"] == "fatigue"
