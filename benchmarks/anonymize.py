"""Benchmark of `mimres anonymize`: recall and precision per kind. Not part of the test suite.

    .venv/bin/python benchmarks/anonymize.py                 # NorNE test + synthetic, ~1 min
    .venv/bin/python benchmarks/anonymize.py --json out.json

1. Names on NorNE Bokmål test (../shared/data/norne-nob, 1,939 sentences; see its README):
   PER → person, LOC and GPE_LOC → place, ORG and GPE_ORG → org. Each NorNE document (the
   sentences between `# newpar` marks, in file order) is one text, so a name found once is
   found again in the rest of its document as in a transcript. Run with the stand-in trained
   pipeline (NER) and with the built-in pipeline (no NER: name and place lists only).
   - recall: a gold entity counts as hidden when every one of its characters is inside a
     replacement (any kind); "same kind" also needs the replacement's kind to match.
   - precision: of the replacements of a kind, the share that overlap a gold entity of that
     kind ("any entity": overlap any gold entity, PROD, EVT and DRV included).
   Countries are switched on here (--also country) and counted as places, since NorNE tags them
   GPE_LOC; by default mimres keeps them.
2. Identifiers on a synthetic set made here (seeded): valid fødselsnummer and D-numbers built
   with the check digits of python-stdnum, phone numbers valid for phonenumbers, e-mails,
   account numbers with a MOD11 check digit, street addresses, dates of birth, each put in a
   Norwegian carrier sentence, among distractors that must stay (years, amounts, times,
   percentages, interview dates, 11-digit numbers with a wrong check digit).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repository (a worktree in /work/wt/NAME finds /work/shared)
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared" / "data").is_dir()), REPO)
NORNE = SHARED / "data" / "norne-nob" / "no_bokmaal-ud-test.conllu"
STAND_IN = SHARED / "models" / "nb_mimres_sm"
GOLD_KIND = {"PER": "person", "LOC": "place", "GPE_LOC": "place", "ORG": "org", "GPE_ORG": "org"}
SEED = 17


# --------------------------------------------------------------------------- NorNE


def read_norne(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(text, gold entities (start, end, NorNE label)) per document."""
    documents: list[tuple[list[str], list[tuple[int, int, str]]]] = [([], [])]
    sentence: list[tuple[str, bool, str]] = []

    def flush() -> None:
        if not sentence:
            return
        parts, gold = documents[-1]
        offset = sum(len(p) + 1 for p in parts)
        text, spans, open_span = "", [], None
        for form, space_after, tag in sentence:
            start = len(text)
            text += form + (" " if space_after else "")
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                if open_span:
                    spans.append(open_span)
                open_span = [start, start + len(form), tag[2:]]
            elif tag.startswith("I-") and open_span is not None:
                open_span[1] = start + len(form)
            else:
                if open_span:
                    spans.append(open_span)
                open_span = None
        if open_span:
            spans.append(open_span)
        parts.append(text.rstrip())
        gold.extend((offset + s, offset + e, label) for s, e, label in spans)
        sentence.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar"):
            flush()
            if documents[-1][0]:
                documents.append(([], []))
        elif line.startswith("#") or not line.strip():
            flush()
        else:
            columns = line.split("\t")
            if "-" in columns[0] or "." in columns[0]:
                continue
            misc = dict(item.split("=", 1) for item in columns[9].split("|") if "=" in item)
            sentence.append((columns[1], misc.get("SpaceAfter") != "No", misc.get("name", "O")))
    flush()
    return [("\n".join(parts), gold) for parts, gold in documents if parts]


def score_names(documents, found_per_document, threshold: float) -> dict:
    """Recall (hidden, same kind) per gold kind; precision (same kind, any entity) per kind."""
    totals: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    same: Counter[str] = Counter()
    replaced: Counter[str] = Counter()
    right: Counter[str] = Counter()
    right_any: Counter[str] = Counter()
    with_review: Counter[str] = Counter()
    for (text, gold), found in zip(documents, found_per_document, strict=True):
        sure = [c for c in found if c.confidence >= threshold]
        covered = [False] * len(text)
        covered_review = [False] * len(text)
        by_kind: dict[str, list[bool]] = {}
        for c in found:
            kind = "place" if c.kind == "country" else c.kind
            for i in range(c.start, c.end):
                covered_review[i] = True
            if c.confidence < threshold:
                continue
            marks = by_kind.setdefault(kind, [False] * len(text))
            for i in range(c.start, c.end):
                covered[i] = marks[i] = True
        for start, end, label in gold:
            kind = GOLD_KIND.get(label)
            if kind is None:
                continue
            chars = [i for i in range(start, end) if not text[i].isspace()]
            totals[kind] += 1
            hidden[kind] += all(covered[i] for i in chars)
            with_review[kind] += all(covered_review[i] for i in chars)
            marks = by_kind.get(kind)
            same[kind] += marks is not None and all(marks[i] for i in chars)
        for c in sure:
            kind = "place" if c.kind == "country" else c.kind
            if kind not in ("person", "place", "org", "name"):
                continue
            replaced[kind] += 1
            overlapping = [g for g in gold if g[0] < c.end and c.start < g[1]]
            right_any[kind] += bool(overlapping)
            right[kind] += any(GOLD_KIND.get(g[2]) == kind for g in overlapping)
    result = {}
    for kind in ("person", "place", "org", "name"):
        result[kind] = {
            "gold": totals[kind],
            "recall_hidden": _ratio(hidden[kind], totals[kind]),
            "recall_same_kind": _ratio(same[kind], totals[kind]),
            "recall_with_review": _ratio(with_review[kind], totals[kind]),
            "replaced": replaced[kind],
            "precision_same_kind": _ratio(right[kind], replaced[kind]),
            "precision_any_entity": _ratio(right_any[kind], replaced[kind]),
        }
    return result


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


# --------------------------------------------------------------------------- synthetic


def _fnr(rng: random.Random, dnumber: bool) -> str:
    from stdnum.no import fodselsnummer

    while True:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1940, 2005)
        individual = rng.randint(0, 499) if year < 2000 else rng.randint(500, 999)
        day_digits = day + 40 if dnumber else day
        base = f"{day_digits:02d}{month:02d}{year % 100:02d}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10":
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if k2 == "10":
            continue
        number = base + k1 + k2
        if fodselsnummer.is_valid(number):
            return number


def _account(rng: random.Random) -> str:
    from stdnum.no import kontonr

    while True:
        base = f"{rng.randint(1000, 9999)}{rng.randint(10, 99)}{rng.randint(0, 9999):04d}"
        valid = [base + str(d) for d in range(10) if kontonr.is_valid(base + str(d))]
        if not valid:
            continue  # this base needs check digit 10 (-): no account number
        number = valid[0]
        return f"{number[:4]}.{number[4:6]}.{number[6:]}" if rng.random() < 0.5 else number


def _phone(rng: random.Random) -> str:
    import phonenumbers

    while True:
        first = rng.choice("49" * 3 + "2357")
        digits = first + "".join(str(rng.randint(0, 9)) for _ in range(7))
        parsed = phonenumbers.parse(digits, "NO")
        if not phonenumbers.is_valid_number(parsed):
            continue
        style = rng.randint(0, 3)
        if style == 0:
            return digits
        if style == 1:
            return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
        if style == 2:
            return f"+47 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
        return f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"


_FIRST = ("amina", "ola", "kari", "ahmad", "leila", "per", "fatima", "jonas", "yonas", "sara")
_LAST = ("hansen", "ali", "berg", "haile", "nilsen", "rahimi", "johansen", "mohammed")
_DOMAINS = ("example.no", "online.no", "gmail.com", "nav.no", "kommune.no", "uio.no")
_STREETS = ("Storgata", "Kongens gate", "Fjellveien", "Skolevegen", "Kirkebakken", "Parkveien",
            "Sentrumsvegen", "Dronningens gate", "Bjørkelia", "Nedre Slottsgate")  # fmt: skip
_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember")  # fmt: skip

TEMPLATES = {
    "fnr": ("Fødselsnummeret mitt er {}.", "Hun oppga personnummer {} på skjemaet.",
            "Vi skrev {} i søknaden."),
    "dnumber": ("Han fikk D-nummer {} da han kom.", "D-nummeret er {}, sa hun."),
    "phone": ("Du kan ringe meg på {}.", "Nummeret til læreren er {}, tror jeg.",
              "Ring {} hvis det er noe."),
    "email": ("Send det til {}.", "E-posten min er {} nå."),
    "account": ("Lønna går til konto {}.", "Kontonummeret er {}."),
    "address": ("Vi bor i {} nå.", "Kontoret ligger i {}, andre etasje."),
    "birthdate": ("Jeg er født {}.", "Hun ble født {} i Kabul."),
}  # fmt: skip
DISTRACTORS = (
    "Vi kom til Norge i 2016.", "Det kostet 45 000 kroner.", "Møtet er kl. 14.30 på tirsdag.",
    "Han jobber 100 prosent nå.", "Intervjuet ble gjort 12.03.2024.", "Bussen går 07:15.",
    "Vi har 12345678901 og 98765432109 på listen.", "Det var 3 500 søkere i 2019.",
    "Introduksjonsprogrammet varer i 2 år.", "Hun har 2 barn og 1 barnebarn.",
    "Timelønna er 210,50 kroner.", "Vi var 25 på kurset, og 18 fullførte.",
    "Det var i uke 34, rundt 20. august.", "Saken har nummer 2023/4471.",
)  # fmt: skip


def synthetic(count: int) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """Texts of carrier sentences with planted identifiers, and where each one is."""
    rng = random.Random(SEED)
    texts, gold = [], []
    for _ in range(count):
        kind = rng.choice(list(TEMPLATES))
        if kind in ("fnr", "dnumber"):
            value = _fnr(rng, kind == "dnumber")
            if rng.random() < 0.3:
                value = f"{value[:6]} {value[6:]}"
        elif kind == "phone":
            value = _phone(rng)
        elif kind == "email":
            value = f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}@{rng.choice(_DOMAINS)}"
        elif kind == "account":
            value = _account(rng)
        elif kind == "address":
            value = f"{rng.choice(_STREETS)} {rng.randint(1, 140)}{rng.choice(['', '', 'B'])}"
        else:
            day, year = rng.randint(1, 28), rng.randint(1950, 2005)
            value = rng.choice(
                [
                    f"{day}. {rng.choice(_MONTHS)} {year}",
                    f"{day:02d}.{rng.randint(1, 12):02d}.{year}",
                ]
            )
        sentence = rng.choice(TEMPLATES[kind]).format(value)
        before = " ".join(rng.sample(DISTRACTORS, 2))
        text = f"{before} {sentence} {rng.choice(DISTRACTORS)}"
        start = text.index(value, len(before))
        texts.append(text)
        gold.append([(start, start + len(value), "fnr" if kind == "dnumber" else kind)])
    return texts, gold


def score_identifiers(gold, found_per_text, threshold: float) -> dict:
    planted: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    replaced: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses: list[str] = []
    for spans, found in zip(gold, found_per_text, strict=True):
        sure = [c for c in found if c.confidence >= threshold and c.kind not in
                ("person", "place", "org", "country", "name")]  # fmt: skip
        for start, end, kind in spans:
            planted[kind] += 1
            exact = any(c.start == start and c.end == end and c.kind == kind for c in sure)
            hit[kind] += exact
            if not exact:
                misses.append(f"{kind}: {[(c.text, c.kind) for c in sure]}")
        for c in sure:
            replaced[c.kind] += 1
            right[c.kind] += any(c.start == s and c.end == e and c.kind == k for s, e, k in spans)
    kinds = sorted(set(planted) | set(replaced))
    return {
        "per_kind": {
            k: {
                "planted": planted[k],
                "recall": _ratio(hit[k], planted[k]),
                "replaced": replaced[k],
                "precision": _ratio(right[k], replaced[k]),
            }
            for k in kinds
        },
        "all": {
            "planted": sum(planted.values()),
            "recall": _ratio(sum(hit.values()), sum(planted.values())),
            "replaced": sum(replaced.values()),
            "precision": _ratio(sum(right.values()), sum(replaced.values())),
        },
        "first_misses": misses[:5],
    }


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="Also write the numbers to this file.")
    parser.add_argument("--synthetic", type=int, default=2000, help="Synthetic texts.")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from mimres_cli.anonymize import KINDS, Options, detect_texts
    from mimres_cli.nlp import build_fallback_pipeline, load_pipeline

    options = Options(kinds=frozenset(KINDS) - {"age"})
    results: dict = {}
    if NORNE.is_file():
        documents = read_norne(NORNE)
        texts = [text for text, _ in documents]
        pipelines = {"built-in (no NER)": build_fallback_pipeline()}
        if STAND_IN.is_dir():
            pipelines["stand-in nb_mimres_sm (NER)"] = load_pipeline(str(STAND_IN))
        for name, pipeline in pipelines.items():
            started = time.perf_counter()
            found = detect_texts(texts, options=options, pipeline=pipeline)
            results[f"NorNE test, {name}"] = score_names(documents, found, options.threshold)
            results[f"NorNE test, {name}"]["seconds"] = round(time.perf_counter() - started, 1)
    else:
        print(f"NorNE is not at {NORNE}: names are not measured", file=sys.stderr)
    texts, gold = synthetic(args.synthetic)
    found = detect_texts(texts, options=options, pipeline=None)
    results["synthetic identifiers"] = score_identifiers(gold, found, options.threshold)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
