"""Build the adjudicated gold labels from the two readings and the adjudicator's decisions.

A theme is gold for a unit when both readers gave it, or when the readers disagreed on it and the
adjudicator, reading the unit against the theme's definition, decided yes. Only disputed
(unit, theme) pairs go to the adjudicator (`--packets` writes them, with the texts, outside the
repo); validity/adjudication.csv holds the decisions (`unit_id,theme,decision`).

    python benchmarks/validity/build_gold.py --packets /tmp/gold/adjudication   # disputes to read
    python benchmarks/validity/build_gold.py                                    # gold.csv
    python benchmarks/validity/build_gold.py --set heldout       # the same for the held-out set
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from sample_units import SETS, GoldSet, lines_of


def read_labels(path: Path) -> dict[str, set[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["unit_id"]: {t.strip() for t in (row["themes"] or "").split(";") if t.strip()}
            for row in csv.DictReader(handle)
        }


def readings(source: str, gold_set: GoldSet) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    first, second = sorted(gold_set.readings.glob(f"{source}_*.csv"))
    return read_labels(first), read_labels(second)


def disputes(a: dict[str, set[str]], b: dict[str, set[str]]) -> dict[str, list[str]]:
    """unit_id → the themes exactly one reader gave."""
    return {u: sorted(a[u] ^ b.get(u, set())) for u in a if a[u] ^ b.get(u, set())}


def write_packets(folder: Path, gold_set: GoldSet) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = lines_of(gold_set)
    for source, *_ in gold_set.plan:
        if len(list(gold_set.readings.glob(f"{source}_*.csv"))) < 2:
            continue  # that source's readings are not both in yet
        a, b = readings(source, gold_set)
        parts = [f"# {source}: disputed units\n"]
        for unit_id, themes in disputes(a, b).items():
            line = lines[unit_id]
            parts.append(f"\n## {unit_id}\n")
            if line.context:
                parts.append(f"Context (lines before, not to be coded):\n{line.context}\n\n")
            parts.append(f"UNIT TO CODE:\n{line.label}: {line.text}\n\n")
            agreed = "; ".join(sorted(a[unit_id] & b[unit_id])) or "(none)"
            parts.append(f"Agreed by both readers: {agreed}\n")
            for theme in themes:
                parts.append(f"DISPUTED: {theme} (given by one reader, not by the other)\n")
        (folder / f"{source}.md").write_text("".join(parts), encoding="utf-8")


def build_gold(gold_set: GoldSet) -> None:
    decided: dict[tuple[str, str], bool] = {}
    with gold_set.adjudication_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            decided[(row["unit_id"], row["theme"])] = row["decision"].strip().lower() == "yes"
    with gold_set.gold_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit_id", "source", "themes"])
        for source, *_ in gold_set.plan:
            a, b = readings(source, gold_set)
            for unit_id in a:
                themes = set(a[unit_id] & b[unit_id])
                for theme in a[unit_id] ^ b[unit_id]:
                    if (unit_id, theme) not in decided:
                        raise SystemExit(f"build_gold: no decision for {unit_id} / {theme}")
                    if decided[(unit_id, theme)]:
                        themes.add(theme)
                writer.writerow([unit_id, source, ";".join(sorted(themes))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=Path, help="write the disputes to read, outside the repo")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", dest="gold_set")
    args = parser.parse_args()
    gold_set = SETS[args.gold_set]
    if args.packets:
        write_packets(args.packets, gold_set)
    else:
        build_gold(gold_set)


if __name__ == "__main__":
    main()
