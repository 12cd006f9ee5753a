"""`findings.suggest`: terms for a code on a hand-worked corpus of seven informant units.

Fictional interviews; every token written out with its lemma, so each count is checked by hand.
`#` is a transcription mark, "," and "." punctuation. Stop words (given, not the shipped list):
jeg på i og være for meg vi en ha.

| unit | text                                                   | words | human       | mimres |
| ---- | ------------------------------------------------------ | ----- | ----------- | ------ |
| a/1  | Jeg begynte på ny skole i fjor .                       | 7     | skole       | skole  |
| a/3  | Skolen , læreren og klassen er bra .                   | 6     | skole       | skole  |
| b/1  | Lillebror går i barnehagen , storesøster på ny skole . | 8     | barnehage ² | -      |
| b/3  | Jeg har fast jobb på hotellet .                        | 6     | jobb        | jobb   |
| c/1  | Fast # jobb er viktig for meg .                        | 6     | jobb        | jobb   |
| c/3  | Vi bor i en ny leilighet .                             | 6     | -           | -      |
| d/1  | Lærerne i barnehagen er flinke .                       | 5     | barnehage   | -      |

(barnehage = skole/barnehage, jobb = arbeid/jobb; ² coded by kari and ola, the rest by kari.)

The theme `skole` (human, its child rolled up): a/1, a/3, b/1, d/1; c = 7+6+8+5 = 26 words,
d = 6+6+6 = 18 in the rest; N = 44.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mimres_cli.errors import MimresError
from mimres_cli.findings.suggest import NEAR_MISS_COLUMNS, TERM_COLUMNS, resolve_code, suggest
from mimres_cli.findings.words import log_likelihood

STOP = ["jeg", "på", "i", "og", "være", "for", "meg", "vi", "en", "ha"]
# (interview, unit): "form/lemma" tokens; "#" a mark, "," and "." punctuation.
UNITS = {
    ("a", 1): "Jeg/jeg begynte/begynne på/på ny/ny skole/skole i/i fjor/fjor .",
    ("a", 3): "Skolen/skole , læreren/lærer og/og klassen/klasse er/være bra/bra .",
    ("b", 1): "Lillebror/lillebror går/gå i/i barnehagen/barnehage , storesøster/storesøster "
    "på/på ny/ny skole/skole .",
    ("b", 3): "Jeg/jeg har/ha fast/fast jobb/jobb på/på hotellet/hotell .",
    ("c", 1): "Fast/fast # jobb/jobb er/være viktig/viktig for/for meg/meg .",
    ("c", 3): "Vi/vi bor/bo i/i en/en ny/ny leilighet/leilighet .",
    ("d", 1): "Lærerne/lærer i/i barnehagen/barnehage er/være flinke/flink .",
}
CODES = pd.DataFrame(
    {
        "code": ["skole", "skole/barnehage", "arbeid", "arbeid/jobb"],
        "label": ["Barnehage og skole", "Barnehage", "Arbeid", "Jobb"],
        "depth": [0, 1, 0, 1],
    }
)
HUMAN = pd.DataFrame(
    [
        ("a", 1, "skole", "kari"),
        ("a", 3, "skole", "kari"),
        ("b", 1, "skole/barnehage", "kari"),
        ("b", 1, "skole/barnehage", "ola"),
        ("b", 3, "arbeid/jobb", "kari"),
        ("c", 1, "arbeid/jobb", "kari"),
        ("d", 1, "skole/barnehage", "kari"),
    ],
    columns=["interview_id", "unit_index", "code", "coder"],
)
MIMRES = pd.DataFrame(
    [("a", 1, "skole"), ("a", 3, "skole"), ("b", 3, "arbeid/jobb"), ("c", 1, "arbeid/jobb")],
    columns=["interview_id", "unit_index", "code"],
)
# The code's terms as the codebook has them: `lærer*` is a glob, `barnehageplass` is not
# `barnehage`.
TERMS = ["skole", "lærer*", "barnehageplass"]


def tokens() -> pd.DataFrame:
    rows = []
    for (interview, unit), text in UNITS.items():
        for n, item in enumerate(text.split()):
            form, _, lemma = item.partition("/")
            kind = "mark" if form == "#" else "punct" if form in ",." else "word"
            rows.append((interview, unit, unit, n, form, lemma or None, kind))
    return pd.DataFrame(rows, columns=["interview_id", "unit_index", "sentence_index",
                                       "token_index", "text", "lemma", "kind"])  # fmt: skip


def units() -> pd.DataFrame:
    return pd.DataFrame(
        [(i, u, " ".join(w.split("/")[0] for w in t.split())) for (i, u), t in UNITS.items()],
        columns=["interview_id", "unit_index", "text"],
    )


def run(code: str = "skole", **options):
    defaults = {"coded": HUMAN, "reference": "kari, ola", "segments": MIMRES,
                "codebook_terms": TERMS, "stopwords": STOP}  # fmt: skip
    return suggest(tokens(), units(), CODES, code, **{**defaults, **options})


def test_suggested_terms_with_hand_worked_g2_counts_precision_and_recall() -> None:
    found = run()
    assert (found.code, found.label, found.units, found.coded_units) == (
        "skole", "Barnehage og skole", 7, 4,
    )  # fmt: skip
    table = found.terms
    assert list(table.columns) == TERM_COLUMNS
    # G² = 2(a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/N, E2 = d(a+b)/N, c = 26, d = 18, N = 44.
    # a=3, b=0 (skole: a/1, a/3, b/1): E1 = 26·3/44; G² = 6 ln(44/26) = 6 · 0.526093 = 3.157;
    #   log ratio = log2((3/26) / (0.5/18)) = log2(54/13) = 2.054.
    # a=2, b=0 (barnehage: b/1, d/1; lærer: a/3, d/1; "ny skole": a/1, b/1):
    #   G² = 4 ln(44/26) = 2.104; log ratio = log2((2/26) / (0.5/18)) = log2(36/13) = 1.469.
    # a=2, b=1 (ny: a/1, b/1 | c/3): E1 = 26·3/44 = 1.772727, E2 = 18·3/44 = 1.227273;
    #   G² = 2(2 ln(2/1.772727) + ln(1/1.227273)) = 2(0.241256 - 0.204794) = 0.073;
    #   log ratio = log2((2/26) / (1/18)) = log2(36/26) = 0.469.
    # Terms seen once in the code's units (fjor, klasse, flink, "lillebror gå", ...) fall
    # under the default min_count 2; fast, jobb and "fast jobb" have G² < 0.
    # Precision = units / (units + units_rest), recall = units / 4.
    rows = [tuple(r) for r in table.itertuples(index=False)]
    assert rows == [
        ("skole", True, 3, 0, 26, 18, 3.157, 2.054, 3, 0, 1.0, 0.75),
        ("barnehage", False, 2, 0, 26, 18, 2.104, 1.469, 2, 0, 1.0, 0.5),
        ("lærer", True, 2, 0, 26, 18, 2.104, 1.469, 2, 0, 1.0, 0.5),
        ("ny skole", False, 2, 0, 26, 18, 2.104, 1.469, 2, 0, 1.0, 0.5),
        ("ny", False, 2, 1, 26, 18, 0.073, 0.469, 2, 1, 0.6667, 0.5),
    ]
    # The arithmetic above is the one `mimres words --keyness` does.
    assert log_likelihood(2, 1, 26, 18)[0] == pytest.approx(
        2 * (2 * math.log(2 / (26 * 3 / 44)) + math.log(1 / (18 * 3 / 44)))
    )


def test_phrases_read_across_marks_but_not_across_punctuation() -> None:
    table = run(min_count=1, code="arbeid").terms
    # "Fast # jobb" (c/1) is the phrase "fast jobb", as a codebook phrase term matches it.
    fast_jobb = table[table["term"] == "fast jobb"].iloc[0]
    assert (fast_jobb["count"], fast_jobb["count_rest"]) == (2, 0)
    everything = run(min_count=1, top=None).terms
    # "Skolen , læreren" (a/3) is no phrase "skole lærer"; "barnehagen , storesøster" neither.
    assert not everything["term"].isin(["skole lærer", "barnehage storesøster"]).any()
    assert "lillebror gå" in set(everything["term"])
    # Stop words are never terms, alone or in a phrase ("på ny", "ny på").
    assert not everything["term"].str.split().map(lambda ws: any(w in STOP for w in ws)).any()


def test_near_misses_are_the_human_units_mimres_missed_with_their_distinctive_words() -> None:
    near = run(per_unit=3).near_misses
    assert list(near.columns) == NEAR_MISS_COLUMNS
    # b/1 and d/1 were coded skole/barnehage by the humans, and by mimres with nothing.
    # b/1's terms by G²: barnehage 2.104 = ny skole 2.104 > gå 1.052 = lillebror 1.052 ...
    # (ties by name); skole is already a term of the code, so it is listed apart.
    assert near.drop(columns="text").values.tolist() == [
        ["b", 1, "kari; ola", "barnehage (2.10); ny skole (2.10); gå (1.05)", "skole"],
        ["d", 1, "kari", "barnehage (2.10); flink (1.05)", "lærer"],
    ]
    assert near["text"].iloc[1] == "Lærerne i barnehagen er flinke ."


def test_own_coding_as_reference_rolls_children_up_and_has_no_near_misses() -> None:
    found = run(code="arbeid", coded=MIMRES, reference="mimres", segments=None)
    assert found.near_misses is None
    assert list(found.tables) == ["terms"]
    # arbeid = arbeid/jobb rolled up: b/3, c/1; c = 12, d = 7+6+8+6+5 = 32, N = 44.
    # a=2, b=0: G² = 4 ln(44/12) = 4 · 1.299283 = 5.197; log2((2/12) / (0.5/32)) = 3.415.
    assert [tuple(r) for r in found.terms.itertuples(index=False)] == [
        ("fast", False, 2, 0, 12, 32, 5.197, 3.415, 2, 0, 1.0, 1.0),
        ("fast jobb", False, 2, 0, 12, 32, 5.197, 3.415, 2, 0, 1.0, 1.0),
        ("jobb", False, 2, 0, 12, 32, 5.197, 3.415, 2, 0, 1.0, 1.0),
    ]


def test_top_keeps_the_best_rows() -> None:
    assert list(run(top=2).terms["term"]) == ["skole", "barnehage"]


def test_a_code_is_found_by_path_id_or_label_else_a_did_you_mean() -> None:
    assert resolve_code(CODES, "skole/barnehage") == "skole/barnehage"
    assert resolve_code(CODES, "barnehage") == "skole/barnehage"
    assert resolve_code(CODES, "Barnehage og skole") == "skole"
    with pytest.raises(MimresError) as error:
        resolve_code(CODES, "skule")
    assert str(error.value) == "no code 'skule' in the results. Did you mean 'skole'?"
    assert error.value.code == "E218"


def test_a_code_no_unit_has_is_an_error() -> None:
    coded = HUMAN[HUMAN["code"] != "arbeid/jobb"]
    with pytest.raises(MimresError, match="no unit compared has the code 'arbeid'"):
        run(code="arbeid", coded=coded)


def test_terms_the_rest_uses_more_are_never_suggested() -> None:
    # Every unit but c/1 has the code: c = 44 - 6 = 38, d = 6. fast, jobb and "fast jobb" are
    # once in b/3 and once in c/1: 1/38 < 1/6, a negative G², so not suggested at min_count 1.
    coded = units()[["interview_id", "unit_index"]].assign(code="arbeid")
    coded = coded[(coded["interview_id"] != "c") | (coded["unit_index"] != 1)]
    table = run(code="arbeid", coded=coded, segments=None, min_count=1).terms
    assert int(table["words"].iloc[0]) == 38
    assert not table["term"].isin(["fast", "jobb", "fast jobb"]).any()
    assert (table["g2"] > 0).all()
    assert "hotell" in set(table["term"])  # once in b/3 only: over-represented
