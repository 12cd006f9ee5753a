"""End to end on a four-interview corpus whose answers were counted by hand.

Interviews: a (Sel, flyktning), b (Sel, arbeidsgiver), c (Vågå, flyktning), d (Vågå,
arbeidsgiver). Informant units and their codes:
  a turn 1 "jeg jobber ... praksisplassen"   → arbeid/jobb (jobber→jobb), arbeid/praksis
  a turn 3 "Norskopplæringen (...) var bra"  → sprak/opplaering (glob *opplæring via lemma)
  b turn 1 "språkpraksis ... Arbeidsgiverne" → arbeid/praksis (*praksis),
                                               arbeid/jobb (arbeidsgiver*)
  c turn 1 "savner møteplasser"               → moteplass
  d: "(ler)" is a transcription note, so humor (term "le", lemma of "ler") is not coded.
The theme arbeid reaches a's turn 1 through two children: one segment, not two.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from mimres_cli.workflow import code
from mini_corpus import write_mini_corpus

EXPECTED_FINDINGS = """\
by,municipality,group,code,label,interviews,coded_interviews,share,segments,share_low,share_high
all,,,arbeid,Arbeid,4,2,0.5000,2,0.1500,0.8500
all,,,arbeid/jobb,Jobb,4,2,0.5000,2,0.1500,0.8500
all,,,arbeid/praksis,Praksis,4,2,0.5000,2,0.1500,0.8500
all,,,sprak,Språk,4,1,0.2500,1,0.0456,0.6994
all,,,sprak/opplaering,Norskopplæring,4,1,0.2500,1,0.0456,0.6994
all,,,moteplass,Møteplasser,4,1,0.2500,1,0.0456,0.6994
all,,,humor,Humor,4,0,0.0000,0,0.0000,0.4899
municipality,Sel,,arbeid,Arbeid,2,2,1.0000,2,0.3424,1.0000
municipality,Sel,,arbeid/jobb,Jobb,2,2,1.0000,2,0.3424,1.0000
municipality,Sel,,arbeid/praksis,Praksis,2,2,1.0000,2,0.3424,1.0000
municipality,Sel,,sprak,Språk,2,1,0.5000,1,0.0945,0.9055
municipality,Sel,,sprak/opplaering,Norskopplæring,2,1,0.5000,1,0.0945,0.9055
municipality,Sel,,moteplass,Møteplasser,2,0,0.0000,0,0.0000,0.6576
municipality,Sel,,humor,Humor,2,0,0.0000,0,0.0000,0.6576
municipality,Vågå,,arbeid,Arbeid,2,0,0.0000,0,0.0000,0.6576
municipality,Vågå,,arbeid/jobb,Jobb,2,0,0.0000,0,0.0000,0.6576
municipality,Vågå,,arbeid/praksis,Praksis,2,0,0.0000,0,0.0000,0.6576
municipality,Vågå,,sprak,Språk,2,0,0.0000,0,0.0000,0.6576
municipality,Vågå,,sprak/opplaering,Norskopplæring,2,0,0.0000,0,0.0000,0.6576
municipality,Vågå,,moteplass,Møteplasser,2,1,0.5000,1,0.0945,0.9055
municipality,Vågå,,humor,Humor,2,0,0.0000,0,0.0000,0.6576
group,,arbeidsgiver,arbeid,Arbeid,2,1,0.5000,1,0.0945,0.9055
group,,arbeidsgiver,arbeid/jobb,Jobb,2,1,0.5000,1,0.0945,0.9055
group,,arbeidsgiver,arbeid/praksis,Praksis,2,1,0.5000,1,0.0945,0.9055
group,,arbeidsgiver,sprak,Språk,2,0,0.0000,0,0.0000,0.6576
group,,arbeidsgiver,sprak/opplaering,Norskopplæring,2,0,0.0000,0,0.0000,0.6576
group,,arbeidsgiver,moteplass,Møteplasser,2,0,0.0000,0,0.0000,0.6576
group,,arbeidsgiver,humor,Humor,2,0,0.0000,0,0.0000,0.6576
group,,flyktning,arbeid,Arbeid,2,1,0.5000,1,0.0945,0.9055
group,,flyktning,arbeid/jobb,Jobb,2,1,0.5000,1,0.0945,0.9055
group,,flyktning,arbeid/praksis,Praksis,2,1,0.5000,1,0.0945,0.9055
group,,flyktning,sprak,Språk,2,1,0.5000,1,0.0945,0.9055
group,,flyktning,sprak/opplaering,Norskopplæring,2,1,0.5000,1,0.0945,0.9055
group,,flyktning,moteplass,Møteplasser,2,1,0.5000,1,0.0945,0.9055
group,,flyktning,humor,Humor,2,0,0.0000,0,0.0000,0.6576
municipality+group,Sel,arbeidsgiver,arbeid,Arbeid,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,arbeidsgiver,arbeid/jobb,Jobb,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,arbeidsgiver,arbeid/praksis,Praksis,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,arbeidsgiver,sprak,Språk,1,0,0.0000,0,0.0000,0.7935
municipality+group,Sel,arbeidsgiver,sprak/opplaering,Norskopplæring,1,0,0.0000,0,0.0000,0.7935
municipality+group,Sel,arbeidsgiver,moteplass,Møteplasser,1,0,0.0000,0,0.0000,0.7935
municipality+group,Sel,arbeidsgiver,humor,Humor,1,0,0.0000,0,0.0000,0.7935
municipality+group,Sel,flyktning,arbeid,Arbeid,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,flyktning,arbeid/jobb,Jobb,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,flyktning,arbeid/praksis,Praksis,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,flyktning,sprak,Språk,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,flyktning,sprak/opplaering,Norskopplæring,1,1,1.0000,1,0.2065,1.0000
municipality+group,Sel,flyktning,moteplass,Møteplasser,1,0,0.0000,0,0.0000,0.7935
municipality+group,Sel,flyktning,humor,Humor,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,arbeid,Arbeid,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,arbeid/jobb,Jobb,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,arbeid/praksis,Praksis,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,sprak,Språk,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,sprak/opplaering,Norskopplæring,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,moteplass,Møteplasser,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,arbeidsgiver,humor,Humor,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,flyktning,arbeid,Arbeid,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,flyktning,arbeid/jobb,Jobb,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,flyktning,arbeid/praksis,Praksis,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,flyktning,sprak,Språk,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,flyktning,sprak/opplaering,Norskopplæring,1,0,0.0000,0,0.0000,0.7935
municipality+group,Vågå,flyktning,moteplass,Møteplasser,1,1,1.0000,1,0.2065,1.0000
municipality+group,Vågå,flyktning,humor,Humor,1,0,0.0000,0,0.0000,0.7935
"""


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("mini")
    corpus, codebook = write_mini_corpus(folder)
    result = code(corpus, [codebook])
    out = folder / "results"
    result.write(out)
    return corpus, result, out


def test_findings_csv_matches_the_hand_count(mini_run) -> None:
    _, _, out = mini_run
    assert (out / "findings.csv").read_text(encoding="utf-8") == EXPECTED_FINDINGS


def test_segments_are_the_hand_coded_units(mini_run) -> None:
    _, result, _ = mini_run
    got = sorted(zip(result.segments["interview_id"], result.segments["code"], strict=True))
    assert got == [
        ("a", "arbeid/jobb"),
        ("a", "arbeid/praksis"),
        ("a", "sprak/opplaering"),
        ("b", "arbeid/jobb"),
        ("b", "arbeid/praksis"),
        ("c", "moteplass"),
    ]


def test_inflected_and_compound_forms_are_found_through_lemmas_and_globs(mini_run) -> None:
    _, result, _ = mini_run
    seg = result.segments.set_index(["interview_id", "code"])
    assert seg.loc[("a", "arbeid/jobb"), "matched"] == "jobber"
    assert seg.loc[("a", "arbeid/jobb"), "pattern"] == "jobb"
    assert seg.loc[("a", "arbeid/praksis"), "matched"] == "praksisplassen"
    assert seg.loc[("a", "sprak/opplaering"), "matched"] == "Norskopplæringen"
    assert seg.loc[("a", "sprak/opplaering"), "pattern"] == "*opplæring"
    assert seg.loc[("b", "arbeid/praksis"), "matched"] == "språkpraksis"
    assert seg.loc[("b", "arbeid/jobb"), "matched"] == "Arbeidsgiverne"
    assert seg.loc[("c", "moteplass"), "matched"] == "møteplasser"


def test_interviewer_turns_are_not_coded(mini_run) -> None:
    _, result, _ = mini_run
    assert set(result.segments["role"]) == {"informant"}
    # The interviewer says "jobb", "norskopplæringen" and "språkpraksis": none of it is coded.
    assert set(result.segments["turn_index"]) == {1, 3}


#: The coded units as a reader of the transcript files sees them: (interview, unit) → text.
CODED_UNITS = {
    ("a", 1): "Ja, e ... jeg jobber på hotellet,\nog praksisplassen var fin.",
    ("a", 3): "Norskopplæringen (...) var bra.",
    ("b", 1): "Ja, to i språkpraksis. # Arbeidsgiverne her er positive.",
    ("c", 1): "Jeg savner møteplasser.",
}


def test_offsets_point_at_the_unit_in_the_transcript_file(mini_run) -> None:
    """Offsets are checked against where the hand-written unit text stands in the file's body
    (found by searching the raw file), not against the text mimres sliced with them."""
    corpus, _, out = mini_run
    segments = pd.read_csv(out / "segments.csv", keep_default_na=False)
    bodies = {
        name: (corpus / f"{name}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
        for name in ("a", "b", "c")
    }
    units = segments.drop_duplicates(["interview_id", "unit_index"])
    assert sorted(zip(units["interview_id"], units["unit_index"], strict=True)) == sorted(
        CODED_UNITS
    )
    for row in segments.itertuples():
        expected = CODED_UNITS[(row.interview_id, row.unit_index)]
        start = bodies[row.interview_id].index(expected)
        assert (row.start, row.end, row.text) == (start, start + len(expected), expected)


def test_words_leave_out_transcription_marks(mini_run) -> None:
    _, result, _ = mini_run
    interviews = result.interviews.set_index("interview_id")
    # a: "Ja jeg jobber på hotellet og praksisplassen var fin" (9) + "Norskopplæringen var bra" (3)
    assert interviews.loc["a", "informant_words"] == 12
    # d: "Vi driver med sau" (4; "(ler)" is a note) + "Og litt turisme" (3)
    assert interviews.loc["d", "informant_words"] == 7


def test_sentence_units_split_turns(tmp_path: Path) -> None:
    corpus, codebook = write_mini_corpus(tmp_path)
    result = code(corpus, [codebook], unit="sentence")
    b = result.segments[result.segments["interview_id"] == "b"]
    assert list(zip(b["code"], b["text"], strict=True)) == [
        # The sentencizer leaves the pause mark at the end of the first sentence.
        ("arbeid/praksis", "Ja, to i språkpraksis. #"),
        ("arbeid/jobb", "Arbeidsgiverne her er positive."),
    ]
    assert set(b["unit"]) == {"sentence"}


def test_provenance_names_the_pipeline(mini_run) -> None:
    _, result, out = mini_run
    assert result.manifest.pipeline.fallback is True
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert "mimres_fallback_nb" in manifest
    assert len(pd.read_csv(io.StringIO((out / "segments.csv").read_text("utf-8")))) == 6
