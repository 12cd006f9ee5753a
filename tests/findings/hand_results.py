"""A results folder written by hand: four interviews, eight segment rows, counted by hand.

| id | municipality | group         | gender | date       | units (words): codes              |
| -- | ------------ | ------------- | ------ | ---------- | --------------------------------- |
| i1 | Sel          | flyktning     | kvinne | 2024-03-01 | u1 (10): jobb, praksis; u2 (6): norsk |
| i2 | Sel          | arbeidsgiver  | mann   | 2024-01-15 | u0 (8): jobb; u3 (5): praksis     |
| i3 | Vågå         | flyktning     | mann   | 2024-02-01 | u1 (12): norsk, praksis           |
| i4 | Vågå         | hjelpeapparat | kvinne | 2024-01-01 | u2 (7): bolig                     |

Themes roll up as distinct units: arbeid has units i1u1, i2u0, i2u3, i3u1 (4 units, 35 words,
3 interviews) although five segment rows name its codes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mimres_cli.coding import INTERVIEW_COLUMNS, SEGMENT_COLUMNS, UNIT_COLUMNS
from mimres_cli.coding.results import Manifest, Results

INTERVIEWS = [
    # id, municipality, group, gender, date
    ("i1", "Sel", "flyktning", "kvinne", "2024-03-01"),
    ("i2", "Sel", "arbeidsgiver", "mann", "2024-01-15"),
    ("i3", "Vågå", "flyktning", "mann", "2024-02-01"),
    ("i4", "Vågå", "hjelpeapparat", "kvinne", "2024-01-01"),
]
CODES = [
    # code, label, depth
    ("arbeid", "Arbeid og praksis", 0),
    ("arbeid/jobb", "Jobb", 1),
    ("arbeid/praksis", "Praksisplass", 1),
    ("sprak", "Språk", 0),
    ("sprak/norsk", "Norskopplæring", 1),
    ("bolig", "Bolig", 0),
]
TEXTS = {
    ("i1", 1): "Jeg fikk jobben på hotellet etter praksisplassen der, og det var fint.",
    ("i1", 2): "Norskopplæringen var bra.",
    ("i2", 0): "Vi har jobb til alle som vil.",
    ("i2", 3): "Praksisplass hos oss.",
    ("i3", 1): "Praksisplassen ga meg norskopplæring i praksis, på kjøkkenet hver dag.",
    ("i4", 2): "Boligen er for liten for familien.",
}
SEGMENTS = [
    # interview, unit, code, words, matched
    ("i1", 1, "arbeid/jobb", 10, "jobben"),
    ("i1", 1, "arbeid/praksis", 10, "praksisplassen"),
    ("i1", 2, "sprak/norsk", 6, "Norskopplæringen"),
    ("i2", 0, "arbeid/jobb", 8, "jobb"),
    ("i2", 3, "arbeid/praksis", 5, "Praksisplass"),
    ("i3", 1, "sprak/norsk", 12, "norskopplæring"),
    ("i3", 1, "arbeid/praksis", 12, "Praksisplassen"),
    ("i4", 2, "bolig", 7, "Boligen"),
]


def hand_result() -> Results:
    """The tables of the hand-worked results, with the documented columns and dtypes."""
    meta = {
        i: {"municipality": m, "group": g, "gender": s, "interview_date": d}
        for i, m, g, s, d in INTERVIEWS
    }
    labels = {code: label for code, label, _ in CODES}
    segments = []
    for interview_id, unit, code, words, matched in SEGMENTS:
        text = TEXTS[(interview_id, unit)]
        start = unit * 100
        segments.append(
            {
                "interview_id": interview_id,
                **meta[interview_id],
                "speaker": "Informant",
                "role": "informant",
                "unit": "turn",
                "unit_index": unit,
                "turn_index": unit,
                "start": start,
                "end": start + len(text),
                "start_time": None,
                "end_time": None,
                "code": code,
                "theme": code.split("/")[0],
                "label": labels[code],
                "codebook": "hand",
                "matched": matched,
                "rule": "term",
                "pattern": matched.lower(),
                "negated": False,
                "words": words,
                "text": text,
                "evidence_start": start,
                "evidence_end": start + len(text),
                "evidence": text,
            }
        )
    distinct = {(row["interview_id"], row["unit_index"]): row for row in segments}
    units = [
        {k: v for k, v in row.items() if k in UNIT_COLUMNS or k in meta["i1"]}
        for row in distinct.values()
    ]
    interviews = [
        {
            "interview_id": i,
            **meta[i],
            "file": f"corpus/{i}.md",
            "format": "text",
            "turns": 4,
            "informant_turns": 2,
            "informant_words": 40,
        }
        for i, *_ in INTERVIEWS
    ]
    codes = pd.DataFrame(
        [
            {
                "code": c,
                "theme": c.split("/")[0],
                "label": label,
                "parent": c.rpartition("/")[0],
                "depth": depth,
                "codebook": "hand",
            }
            for c, label, depth in CODES
        ]
    )
    meta_columns = ["municipality", "group", "gender", "interview_date"]
    return Results(
        segments=_typed(pd.DataFrame(segments), SEGMENT_COLUMNS, meta_columns),
        units=_typed(pd.DataFrame(units), UNIT_COLUMNS, meta_columns),
        interviews=_typed(pd.DataFrame(interviews), INTERVIEW_COLUMNS, meta_columns),
        codes=codes,
        manifest=Manifest.from_dict(hand_manifest()),
    )


def hand_manifest() -> dict:
    """A manifest.json as `mimres run --out` writes it, with fixed values."""
    return {
        "tool": {"name": "mimres-cli", "version": "0.1.0"},
        "python": "3.11",
        "pipeline": {
            "name": "mimres_fallback_nb",
            "version": "0.1.0",
            "spacy": "3.8",
            "fallback": True,
            "components": ["sentencizer"],
        },
        "codebooks": [{"name": "hand", "path": "hand.yaml", "sha256": "ab" * 32}],
        "corpus": {
            "path": "corpus",
            "files": [{"id": i, "file": f"corpus/{i}.md"} for i, *_ in INTERVIEWS],
        },
        "options": {"unit": "turn", "model": None},
        "created": "2026-01-02T03:04:05+00:00",
    }


def write_results(folder: Path) -> Path:
    """Write the hand-worked results folder (as `mimres run --out` would) and return it."""
    from mimres_cli.export import write_csv_folder

    result = hand_result()
    manifest = hand_manifest()
    tables = {
        "segments": result.segments,
        "units": result.units,
        "interviews": result.interviews,
        "codes": result.codes,
    }
    write_csv_folder(folder, tables, manifest=manifest)
    return folder


def _typed(table: pd.DataFrame, fixed: dict[str, str], meta: list[str]) -> pd.DataFrame:
    columns = ["interview_id", *meta, *[c for c in fixed if c != "interview_id"]]
    for name in columns:
        if name not in table.columns:
            table[name] = pd.Series(dtype=fixed.get(name, "string"))
    return table[columns].astype(fixed)
