"""How well does mimres's coding agree with a careful human reading? (Not a test: a measurement.)

Codes the dev gold units (benchmarks/validity/units.csv, drawn by validity/sample_units.py from
../shared/data) with a codebook, rolls every segment up to its theme (top-level code), and compares
the themes of each unit with the adjudicated gold labels (validity/gold.csv): per source and theme,
counts, precision, recall, F1, Cohen's kappa and Krippendorff's alpha (nominal, the `krippendorff`
package through mimres's own agreement functions). The two independent readings
(validity/readings/*.csv) give the ceiling: the readers' alpha with each other.

    python benchmarks/validity.py                       # the shipped codebook, the default pipeline
    python benchmarks/validity.py --codebook my.yaml --model ../shared/models/nb_mimres_sm
    python benchmarks/validity.py --json out.json       # also write the numbers
    python benchmarks/validity.py --misses arbeid       # units where mimres and gold differ
    python benchmarks/validity.py --set heldout         # held-out (its debates never revised on)
    python benchmarks/validity.py --set heldout2 --source interviews   # one source only
    python benchmarks/validity.py --set heldout4                       # the unread interviews

A gold unit is one transcript line (`<file id>:<line>`); mimres's unit is the turn read from that
line, found by its text, so the key does not depend on how mimres splits turns.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE / "validity"))

import sample_units  # noqa: E402
from sample_units import SETS, GoldSet, read_turn_lines  # noqa: E402

from mimres_cli.findings.agreement import cohen_kappa, krippendorff_alpha  # noqa: E402

DEFAULT_CODEBOOK = REPO / "codebooks" / "integrering.yaml"


def _shared_data() -> Path:
    """../shared/data next to the checkout, or next to a folder above it (a git worktree)."""
    for folder in (REPO, *REPO.parents):
        if (folder.parent / "shared" / "data").is_dir():
            return folder.parent / "shared" / "data"
    return sample_units.SHARED_DATA


SHARED_DATA = _shared_data()
#: A theme with fewer gold units than this gets no target of its own (too few to measure).
MIN_GOLD_UNITS = 10


def read_labels(path: Path) -> dict[str, set[str]]:
    """unit_id → themes, from a `unit_id,themes` CSV (themes separated by ';')."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["unit_id"]: {t.strip() for t in (row["themes"] or "").split(";") if t.strip()}
            for row in csv.DictReader(handle)
        }


def read_units(gold_set: GoldSet) -> pd.DataFrame:
    return pd.read_csv(gold_set.units_csv, dtype={"unit_id": str, "file": str})


def themes_of(codebook: Path) -> list[str]:
    import yaml

    return [code["id"] for code in yaml.safe_load(codebook.read_text(encoding="utf-8"))["codes"]]


def code_source(folder: Path, codebook: Path, model: str | None) -> dict[str, set[str]]:
    """Code one dev corpus; (file id:line) → the themes mimres gave the turn on that line."""

    units, segments = _coded_tables(folder, codebook, model)
    coded: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in segments.itertuples():
        coded[(row.interview_id, int(row.unit_index))].add(str(row.theme))
    found: dict[str, set[str]] = {}
    for interview_id, turns in units.groupby("interview_id", sort=False):
        lines = read_turn_lines(folder / f"{interview_id}.txt")
        for number, themes in _align(lines, turns, coded, str(interview_id)).items():
            found[f"{interview_id}:{number}"] = themes
    return found


def _coded_tables(folder: Path, codebook: Path, model: str | None) -> tuple[pd.DataFrame, ...]:
    """The units and segments tables of one run of mimres on `folder`."""
    import mimres_cli

    if hasattr(mimres_cli, "code"):  # the one-call API (issue 11)
        result = mimres_cli.code(folder, [codebook], model=model)
        return result.units, result.segments
    result = mimres_cli.code_corpus(folder, [codebook], model=model)
    return result.coding.units, result.coding.segments


def _align(
    lines: list[tuple[int, str, str]],
    turns: pd.DataFrame,
    coded: dict[tuple[str, int], set[str]],
    interview_id: str,
) -> dict[int, set[str]]:
    """Line number → themes: each line is matched to the next mimres turn holding its text."""
    texts = [(int(t.unit_index), " ".join(str(t.text).split())) for t in turns.itertuples()]
    by_line: dict[int, set[str]] = {}
    position = 0
    for number, _label, text in lines:
        wanted = " ".join(text.split())
        for offset, (unit_index, unit_text) in enumerate(texts[position:]):
            if wanted and (wanted == unit_text or wanted in unit_text):
                by_line[number] = coded.get((interview_id, unit_index), set())
                position += offset if wanted != unit_text else offset + 1
                break
    return by_line


def agreement_rows(
    unit_ids: list[str],
    a: dict[str, set[str]],
    b: dict[str, set[str]],
    themes: list[str],
) -> list[dict]:
    """One row per theme and one `(overall)` row over every unit × theme decision."""
    rows = []
    pooled_a, pooled_b = [], []
    for theme in themes:
        va = np.array([theme in a.get(u, set()) for u in unit_ids])
        vb = np.array([theme in b.get(u, set()) for u in unit_ids])
        pooled_a.append(va)
        pooled_b.append(vb)
        rows.append({"theme": theme, **measures(va, vb)})
    overall = measures(np.concatenate(pooled_a), np.concatenate(pooled_b))
    rows.append({"theme": "(overall)", **overall})
    return rows


def measures(a: np.ndarray, b: np.ndarray) -> dict:
    both, coded_a, coded_b = int(np.sum(a & b)), int(np.sum(a)), int(np.sum(b))
    return {
        "gold": coded_b,
        "mimres": coded_a,
        "both": both,
        "precision": both / coded_a if coded_a else math.nan,
        "recall": both / coded_b if coded_b else math.nan,
        "f1": 2 * both / (coded_a + coded_b) if coded_a + coded_b else math.nan,
        "kappa": cohen_kappa(a, b),
        "alpha": krippendorff_alpha(a.astype(int), b.astype(int)),
    }


def readers_alpha(
    unit_ids: list[str], themes: list[str], source: str, gold_set: GoldSet
) -> dict[str, float]:
    """Theme → the two readers' alpha (and `(overall)`), the ceiling for mimres."""
    readings = sorted(gold_set.readings.glob(f"{source}_*.csv"))
    if len(readings) < 2:
        return {}
    a, b = read_labels(readings[0]), read_labels(readings[1])
    return {row["theme"]: row["alpha"] for row in agreement_rows(unit_ids, a, b, themes)}


def evaluate(
    codebook: Path,
    model: str | None,
    gold_set: GoldSet = SETS["dev"],
    sources: Sequence[str] = ("debates", "interviews"),
) -> dict[str, list[dict]]:
    gold = read_labels(gold_set.gold_csv)
    units = read_units(gold_set)
    themes = themes_of(codebook)
    report: dict[str, list[dict]] = {}
    for source, folder, *_ in gold_set.plan:
        if source not in sources:
            continue
        unit_ids = units.loc[units["source"] == source, "unit_id"].tolist()
        found = code_source(SHARED_DATA / folder, codebook, model)
        missing = [u for u in unit_ids if u not in found]
        if missing:
            example = ", ".join(missing[:3])
            print(f"warning: {len(missing)} {source} units not in mimres's units ({example})",
                  file=sys.stderr)  # fmt: skip
        ceiling = readers_alpha(unit_ids, themes, source, gold_set)
        rows = agreement_rows(unit_ids, found, gold, themes)
        for row in rows:
            row["readers_alpha"] = ceiling.get(row["theme"], math.nan)
        report[source] = rows
        report[f"{source}:found"] = [
            {"unit_id": u, "themes": sorted(found.get(u, set()))} for u in unit_ids
        ]
    return report


def print_report(report: dict[str, list[dict]], codebook: Path, model: str | None) -> None:
    print(f"codebook: {codebook.name} · pipeline: {model or 'default'}")
    for source, rows in report.items():
        if source.endswith(":found"):
            continue
        table = pd.DataFrame(rows)
        shown = table[(table["gold"] > 0) | (table["mimres"] > 0)]
        print(f"\n{source} ({len(report[source + ':found'])} units)")
        print(shown.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="–"))


def print_misses(report: dict[str, list[dict]], theme: str, gold_set: GoldSet) -> None:
    gold = read_labels(gold_set.gold_csv)
    for source, rows in report.items():
        if not source.endswith(":found"):
            continue
        for row in rows:
            ours, theirs = theme in row["themes"], theme in gold.get(row["unit_id"], set())
            if ours != theirs:
                print(f"{'false positive' if ours else 'missed'}\t{row['unit_id']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", type=Path, default=DEFAULT_CODEBOOK)
    parser.add_argument("--model", help="a spaCy pipeline name or path (default: mimres's choice)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument("--misses", metavar="THEME", help="list units where mimres and gold differ")
    parser.add_argument(
        "--set", choices=sorted(SETS), default="dev", dest="gold_set",
        help="dev (revised against); heldout (its debates never revised against); heldout2 "
        "(interviews, opened to the fifth revision); heldout3 (interviews, opened to the sixth); "
        "heldout4 (interviews never revised against)",
    )  # fmt: skip
    parser.add_argument(
        "--source", choices=["debates", "interviews"], action="append", dest="sources",
        help="only this source (repeat for both; default both)",
    )  # fmt: skip
    args = parser.parse_args()
    gold_set = SETS[args.gold_set]
    if not SHARED_DATA.is_dir():
        sys.exit(f"validity: {SHARED_DATA} is missing: the dev corpora live in ../shared/data")
    sources = args.sources or ["debates", "interviews"]
    report = evaluate(args.codebook, args.model, gold_set, sources)
    print_report(report, args.codebook, args.model)
    if args.misses:
        print_misses(report, args.misses, gold_set)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=float), encoding="utf-8")


if __name__ == "__main__":
    main()
