"""Draw gold units from ../shared/data (seeded) and write reading packets outside the repo.

A gold set is keyed by ``<file id>:<line number>``: one transcript line is one turn in both
corpora, so the key does not depend on how mimres splits turns. Only the keys and labels are
committed (units.csv, readings/*.csv, adjudication.csv, gold.csv); the texts stay in ../shared.

Five sets: ``dev`` (benchmarks/validity/, the set the codebook was revised against),
``heldout`` (benchmarks/validity/heldout/, drawn later from the same corpora with another seed,
never sharing a unit with dev, read the same way: the honest test; its interviews were opened to
the fourth revision, its debates never) and ``heldout2`` (benchmarks/validity/heldout2/,
interviews only, drawn after that with a third seed, sharing no unit with either: the honest test
of the fourth revision on interviews; dev-storting has only 58 turns left after the first two)
and ``heldout3`` (benchmarks/validity/heldout3/, 100 more interview answers drawn the same way
before the fifth revision, which opened heldout2's interviews) and ``heldout4``
(benchmarks/validity/heldout4/, 100 more drawn the same way before the sixth revision, which
opened heldout3).

    python benchmarks/validity/sample_units.py       # draws a set's units.csv unless it exists
    python benchmarks/validity/sample_units.py --packets /tmp/gold    # + reading packets (texts)
    python benchmarks/validity/sample_units.py --set heldout --packets /tmp/heldout
    python benchmarks/validity/sample_units.py --set heldout2 --packets /tmp/heldout2
    python benchmarks/validity/sample_units.py --set heldout3 --packets /tmp/heldout3
    python benchmarks/validity/sample_units.py --set heldout4 --packets /tmp/heldout4
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
CODEBOOK = REPO / "codebooks" / "integrering.yaml"
SEED = 20261203
LABEL = re.compile(r"^([^:\n]{1,80}):\s(.*)$")
MARKS = re.compile(r"^(#+|\*|\.\.\.|e|eh|em|mm|hm|\(.*\)|\[.*\]|\S+-)$")
# (source, folder, units drawn touching the codebook vocabulary, units drawn from the rest)
PLAN = (("debates", "dev-storting", 135, 15), ("interviews", "dev-interviews", 110, 40))
HELDOUT_PLAN = (("debates", "dev-storting", 90, 10), ("interviews", "dev-interviews", 73, 27))
HELDOUT_SEED = 20261204
HELDOUT2_SEED = 20261205
HELDOUT2_PLAN = (("interviews", "dev-interviews", 73, 27),)
HELDOUT3_SEED = 20261206
HELDOUT4_SEED = 20261207
MIN_INTERVIEW_WORDS = 20
# A unit "touches the vocabulary" when two distinct codebook terms occur in it.
MIN_HITS = 2
# Lines of dialogue shown before an interview answer, so the question that sets its theme is there.
CONTEXT_LINES = 4


@dataclass
class Line:
    unit_id: str
    source: str
    file: str
    line: int
    label: str
    text: str
    context: str  # the dialogue lines before an interview answer (the question sets its theme)

    @property
    def words(self) -> int:
        return sum(1 for word in self.text.split() if not MARKS.match(word.lower()))


def read_turn_lines(path: Path) -> list[tuple[int, str, str]]:
    """(line number, label, text) of every `Label: text` line after the front matter."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1) if lines and lines[0] == "---" else -1
    turns = []
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        match = LABEL.match(line)
        if match:
            turns.append((number, match[1].strip(), match[2].strip()))
    return turns


def interviewer_labels(path: Path) -> set[str]:
    front = path.read_text(encoding="utf-8").split("---", 2)[1]
    return set(yaml.safe_load(front).get("interviewer") or [])


def candidate_lines(source: str, folder: Path) -> list[Line]:
    found = []
    for path in sorted(folder.glob("*.txt")):
        turns = read_turn_lines(path)
        interviewers = interviewer_labels(path) if source == "interviews" else set()
        for index, (number, label, text) in enumerate(turns):
            if label in interviewers:
                continue
            before = turns[max(0, index - CONTEXT_LINES) : index] if interviewers else []
            context = "\n".join(f"{lab}: {txt}" for _, lab, txt in before)
            line = Line(f"{path.stem}:{number}", source, path.name, number, label, text, context)
            if source == "interviews" and line.words < MIN_INTERVIEW_WORDS:
                continue
            found.append(line)
    return found


def vocabulary(codebook: Path) -> re.Pattern[str]:
    """A loose pattern of every codebook term, only to split the draw into two strata."""
    terms: set[str] = set()

    def walk(codes: list[dict]) -> None:
        for code in codes:
            terms.update(str(term).strip("*").lower() for term in code.get("terms") or [])
            walk(code.get("codes") or [])

    walk(yaml.safe_load(codebook.read_text(encoding="utf-8"))["codes"])
    alternatives = "|".join(
        sorted((re.escape(t) for t in terms if len(t) > 2), key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def distinct_hits(pattern: re.Pattern[str], text: str) -> int:
    return len({match.lower() for match in pattern.findall(text)})


@dataclass(frozen=True)
class GoldSet:
    """Where a gold set's files live and how its units were drawn."""

    name: str
    folder: Path
    seed: int
    plan: tuple[tuple[str, str, int, int], ...]

    @property
    def units_csv(self) -> Path:
        return self.folder / "units.csv"

    @property
    def readings(self) -> Path:
        return self.folder / "readings"

    @property
    def adjudication_csv(self) -> Path:
        return self.folder / "adjudication.csv"

    @property
    def gold_csv(self) -> Path:
        return self.folder / "gold.csv"


SETS = {
    "dev": GoldSet("dev", HERE, SEED, PLAN),
    "heldout": GoldSet("heldout", HERE / "heldout", HELDOUT_SEED, HELDOUT_PLAN),
    "heldout2": GoldSet("heldout2", HERE / "heldout2", HELDOUT2_SEED, HELDOUT2_PLAN),
    "heldout3": GoldSet("heldout3", HERE / "heldout3", HELDOUT3_SEED, HELDOUT2_PLAN),
    "heldout4": GoldSet("heldout4", HERE / "heldout4", HELDOUT4_SEED, HELDOUT2_PLAN),
}
# Each set is drawn from what the sets before it left.
EARLIER = {
    "dev": (),
    "heldout": ("dev",),
    "heldout2": ("dev", "heldout"),
    "heldout3": ("dev", "heldout", "heldout2"),
    "heldout4": ("dev", "heldout", "heldout2", "heldout3"),
}


def drawn_ids(gold_set: GoldSet) -> set[str]:
    with gold_set.units_csv.open(encoding="utf-8", newline="") as handle:
        return {row["unit_id"] for row in csv.DictReader(handle)}


def draw(gold_set: GoldSet = SETS["dev"]) -> list[tuple[Line, str]]:
    """The set's units; a set never takes a unit of a set drawn before it."""
    rng = random.Random(gold_set.seed)
    touches = vocabulary(CODEBOOK)
    taken = set().union(*(drawn_ids(SETS[name]) for name in EARLIER[gold_set.name]))
    drawn = []
    for source, folder, n_vocab, n_rest in gold_set.plan:
        lines = candidate_lines(source, SHARED_DATA / folder)
        lines = [line for line in lines if line.unit_id not in taken]
        vocab = [line for line in lines if distinct_hits(touches, line.text) >= MIN_HITS]
        rest = [line for line in lines if distinct_hits(touches, line.text) < MIN_HITS]
        drawn += [(line, "vocabulary") for line in rng.sample(vocab, n_vocab)]
        drawn += [(line, "rest") for line in rng.sample(rest, n_rest)]
    return drawn


def write_units(drawn: list[tuple[Line, str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit_id", "source", "file", "line", "words", "stratum"])
        for line, stratum in drawn:
            writer.writerow([line.unit_id, line.source, line.file, line.line, line.words, stratum])


def _strata(gold_set: GoldSet) -> list[tuple[str, str]]:
    with gold_set.units_csv.open(encoding="utf-8", newline="") as handle:
        return [(row["unit_id"], row["stratum"]) for row in csv.DictReader(handle)]


def lines_of(gold_set: GoldSet) -> dict[str, Line]:
    """unit_id → its line, read back from the set's units.csv (a later codebook draws others)."""
    wanted = drawn_ids(gold_set)
    return {
        line.unit_id: line
        for source, folder, *_ in gold_set.plan
        for line in candidate_lines(source, SHARED_DATA / folder)
        if line.unit_id in wanted
    }


def write_packets(drawn: list[tuple[Line, str]], folder: Path, gold_set: GoldSet) -> None:
    """One Markdown packet per source, units shuffled so strata are not visible to a reader."""
    folder.mkdir(parents=True, exist_ok=True)
    for source, *_ in gold_set.plan:
        units = [line for line, _ in drawn if line.source == source]
        random.Random(gold_set.seed + 1).shuffle(units)
        parts = [f"# {source}: {len(units)} units\n"]
        for line in units:
            parts.append(f"\n## {line.unit_id}\n")
            if line.context:
                parts.append(f"Context (lines before, not to be coded):\n{line.context}\n\n")
            parts.append(f"UNIT TO CODE:\n{line.label}: {line.text}\n")
        (folder / f"{source}.md").write_text("".join(parts), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=Path, help="folder for reading packets, outside the repo")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", dest="gold_set")
    args = parser.parse_args()
    gold_set = SETS[args.gold_set]
    if gold_set.units_csv.exists():
        # units.csv is the record: the strata depend on the codebook of the day, so never redraw.
        lines = lines_of(gold_set)
        drawn = [(lines[unit_id], stratum) for unit_id, stratum in _strata(gold_set)]
        print(f"{len(drawn)} units read from {gold_set.units_csv}")
    else:
        drawn = draw(gold_set)
        gold_set.folder.mkdir(parents=True, exist_ok=True)
        write_units(drawn, gold_set.units_csv)
        print(f"{len(drawn)} units -> {gold_set.units_csv}")
    if args.packets:
        write_packets(drawn, args.packets, gold_set)


if __name__ == "__main__":
    main()
