"""Human codings: the overlap rule, and projects written by other tools mapped onto our units."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from mimres_cli.coding.human import unit_codings
from mimres_cli.errors import CodingsError
from mimres_cli.export.refi.codings import read_codings

BODY = (
    "I: Har dere praksisplasser?\n"  # unit 0 (interviewer): 3-27
    # unit 1 (informant): 42-102, after the label 'Daglig leder: '
    "Daglig leder: Ja, vi har hatt praksis for tre.\nDe ville jobbe her etterpå.\n"
)
UNITS = pd.DataFrame(
    {
        "interview_id": ["sel_02", "sel_02"],
        "role": ["interviewer", "informant"],
        "unit_index": [0, 1],
        "start": [3, 42],
        "end": [27, 102],
        "text": [BODY[3:27], BODY[42:102]],
    }
)
INTERVIEWS = pd.DataFrame({"interview_id": ["sel_02"], "file": ["/data/sel_02.md"]})
CODES = pd.DataFrame(
    {"code": ["arbeid", "arbeid/praksis"], "label": ["Arbeid", "Praksis"]}
)  # fmt: skip


def _codings(*spans: tuple[int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"interview_id": "sel_02", "start": s, "end": e, "code": "arbeid/praksis",
          "coder": "anna"} for s, e in spans]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("span", "units"),
    [
        ((58, 65), [1]),  # 'praksis' inside the turn
        ((28, 42), []),  # only the label 'Daglig leder: '
        ((102, 103), []),  # only the line break after the turn
        ((40, 43), [1]),  # the label's ': ' and the 'J' of 'Ja'
        ((101, 102), [1]),  # the final '.'
        ((27, 42), []),  # the gap between the turns
        ((20, 50), [1]),  # across both turns: the interviewer's does not count
    ],
)
def test_unit_codings_overlap_rule(span: tuple[int, int], units: list[int]) -> None:
    table = unit_codings(_codings(span), UNITS)
    assert list(table["unit_index"]) == units
    assert list(table.columns) == ["interview_id", "unit_index", "code", "coder"]


def test_unit_codings_can_count_interviewer_turns_too() -> None:
    table = unit_codings(_codings((20, 50)), UNITS, roles=("informant", "interviewer"))
    assert list(table["unit_index"]) == [0, 1]


def test_unit_codings_counts_a_unit_once_per_code_and_coder() -> None:
    assert len(unit_codings(_codings((42, 50), (60, 70), (90, 95)), UNITS)) == 1


ANNA = "{4F2C8E1A-0B7D-4C55-9E31-2A6B9D0C7E11}"
PRAKSIS = "9C1D2E3F-4A5B-4C6D-8E7F-0A1B2C3D4E5F"


def _foreign_project(tmp_path: Path, text: str) -> Path:
    """A project as another tool might write it: other namespace version, 'Sources/',
    braced upper-case GUIDs, the transcript file's name, and its front matter in the text."""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1:0" name="Gjennomgang">
  <Users><User guid="{ANNA}" name="anna"/></Users>
  <CodeBook><Codes>
    <Code guid="{PRAKSIS}" name="Praksis" isCodable="true">
      <Code guid="66666666-2222-3333-4444-555555555555" name="Praksis i butikk" isCodable="true"/>
    </Code>
    <Code guid="11111111-2222-3333-4444-555555555555" name="Nytt tema" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE" name="sel_02.md"
                plainTextPath="internal://AAAA.txt">
      <PlainTextSelection guid="12345678-1234-1234-1234-123456789012"
                          startPosition="{19 + 58}" endPosition="{19 + 65}">
        <Coding guid="22345678-1234-1234-1234-123456789012" creatingUser="{ANNA.lower()}">
          <CodeRef targetGUID="{{{PRAKSIS.lower()}}}"/>
        </Coding>
        <Coding guid="32345678-1234-1234-1234-123456789012" creatingUser="{ANNA}">
          <CodeRef targetGUID="11111111-2222-3333-4444-555555555555"/>
        </Coding>
        <Coding guid="42345678-1234-1234-1234-123456789012" creatingUser="{ANNA}">
          <CodeRef targetGUID="66666666-2222-3333-4444-555555555555"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="BBBBBBBB-BBBB-CCCC-DDDD-EEEEEEEEEEEE" name="notater.docx"/>
  </Sources>
</Project>"""
    path = tmp_path / "gjennomgang.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("Sources/AAAA.txt", text)
    return path


def test_read_codings_of_a_foreign_project_maps_source_codes_and_users(tmp_path: Path) -> None:
    front = "---\nid: sel_02\n---\n"
    assert len(front) == 19
    human = read_codings(_foreign_project(tmp_path, front + BODY), INTERVIEWS, UNITS, CODES)
    assert human.codings.to_dict("records") == [
        {"interview_id": "sel_02", "start": 58, "end": 65, "code": "arbeid/praksis",
         "coder": "anna", "text": "praksis"},
        {"interview_id": "sel_02", "start": 58, "end": 65,
         "code": "arbeid/praksis/praksis_i_butikk", "coder": "anna", "text": "praksis"},
        {"interview_id": "sel_02", "start": 58, "end": 65, "code": "nytt_tema",
         "coder": "anna", "text": "praksis"},
    ]  # fmt: skip
    assert human.notes == (
        "code 'Praksis i butikk' is not in the codebook; kept as 'arbeid/praksis/praksis_i_butikk'",
        "code 'Nytt tema' is not in the codebook; kept as 'nytt_tema'",
        "source 'notater.docx' is not an interview of the results; skipped",
    )


def test_read_codings_refuses_a_source_whose_text_differs(tmp_path: Path) -> None:
    path = _foreign_project(tmp_path, BODY.replace("tre", "fire"))
    with pytest.raises(CodingsError) as caught:
        read_codings(path, INTERVIEWS, UNITS, CODES)
    assert str(caught.value).startswith(
        f"{path}: the text of source 'sel_02.md' is not the text of interview 'sel_02'"
    )


def test_read_codings_refuses_a_source_with_crlf_line_ends(tmp_path: Path) -> None:
    path = _foreign_project(tmp_path, BODY.replace("\n", "\r\n"))
    with pytest.raises(CodingsError, match="has CR line ends, so its offsets are ambiguous"):
        read_codings(path, INTERVIEWS, UNITS, CODES)


def test_read_codings_names_the_line_of_a_broken_selection(tmp_path: Path) -> None:
    path = _foreign_project(tmp_path, "---\nid: sel_02\n---\n" + BODY)
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8").replace('startPosition="77"',
                                                                  'startPosition="x"')  # fmt: skip
        text = archive.read("Sources/AAAA.txt")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("Sources/AAAA.txt", text)
    with pytest.raises(CodingsError) as caught:
        read_codings(path, INTERVIEWS, UNITS, CODES)
    assert str(caught.value).startswith(
        f"{path}: project.qde:14: a PlainTextSelection has no whole-number startPosition"
    )
