"""How often are the hand-corrected lemmas among mimres's lemma candidates? (Not a test.)

Two treebanks from ../shared (read there, never copied; see their READMEs):

- LIA Nynorsk (../shared/data/lia-nynorsk-treebank): spoken dialect transcribed in Nynorsk,
  hand-corrected lemmas and NDT parts of speech; content tokens are `subst` (common nouns only:
  `prop` names are left out, as are anonymised speaker ids), `verb` and `adj`, where the file
  gives a lemma (two of the 18 recordings, lista_uib_05 and nordli_uio_01, have none). LIA
  marks the parts of a compound lemma with hyphens (`kvern-stue`); they are dropped, as the
  compound is written (`kvernstua`), unless the form has a hyphen itself.
- NorNE Bokmål (../shared/data/norne-nob, the UD dev split): content tokens are NOUN, VERB, ADJ.

For each content token, the candidates are `lemma_candidates(form, language)` with the
treebank's language (`nn` for LIA, `nb` for NorNE: the order the built-in pipeline uses for a
turn in that language). Reported: the share of tokens whose gold lemma (lowercased) is among
the candidates, and the share whose first candidate is the gold lemma.

    python benchmarks/lemmas.py                 # both treebanks
    python benchmarks/lemmas.py --show 30       # also the 30 most frequent LIA misses
    python benchmarks/lemmas.py --json out.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from mimres_cli.nlp.lemmas import lemma_candidates

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _shared(name: str) -> Path:
    """../shared/data/NAME of the main checkout or of a worktree under /work/wt."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "data" / name).is_dir():
            return base / "shared" / "data" / name
    return REPO.parent / "shared" / "data" / name


LIA = _shared("lia-nynorsk-treebank")
NORNE = _shared("norne-nob") / "no_bokmaal-ud-dev.conllu"


def lia_tokens(folder: Path) -> Iterator[tuple[str, str]]:
    """(form, gold lemma lowercased) of the common nouns, verbs and adjectives of LIA."""
    for path in sorted(folder.glob("*.conll")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 6 or not cols[0].isdigit():
                    continue
                form, lemma, pos, feats = cols[1], cols[2], cols[3], cols[5]
                if not lemma:
                    continue  # two recordings (lista, nordli) have no lemmas: no gold to compare
                if pos in ("verb", "adj") or (pos == "subst" and "prop" not in feats):
                    if "-" not in form:
                        lemma = lemma.replace("-", "")  # compound parts: `kvern-stue`
                    yield form, lemma.lower()


def norne_tokens(path: Path) -> Iterator[tuple[str, str]]:
    """(form, gold lemma lowercased) of the NOUN, VERB and ADJ tokens of a CoNLL-U file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 10 and cols[0].isdigit() and cols[3] in ("NOUN", "VERB", "ADJ"):
                yield cols[1], cols[2].lower()


def measure(tokens: list[tuple[str, str]], language: str) -> dict[str, object]:
    among = first = 0
    misses: Counter[tuple[str, str]] = Counter()
    for form, gold in tokens:
        found = lemma_candidates(form, language)
        if gold in found:
            among += 1
        else:
            misses[form.lower(), gold] += 1
        if found and found[0] == gold:
            first += 1
    n = len(tokens) or 1
    return {
        "tokens": len(tokens),
        "among": round(100 * among / n, 1),
        "first": round(100 * first / n, 1),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="list the N most frequent LIA misses")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    results = {}
    for name, tokens, language in (
        ("LIA Nynorsk", list(lia_tokens(LIA)), "nn"),
        ("NorNE Bokmål dev", list(norne_tokens(NORNE)), "nb"),
    ):
        if not tokens:
            print(f"{name}: not found under ../shared/data, skipped")
            continue
        result = measure(tokens, language)
        misses = result.pop("misses")
        results[name] = result
        among, first = result["among"], result["first"]
        print(f"{name} ({result['tokens']:,} content tokens, language {language}): "
              f"gold among candidates {among} %, first candidate {first} %")  # fmt: skip
        if args.show and language == "nn":
            for (form, gold), count in misses.most_common(args.show):  # type: ignore[attr-defined]
                print(f"  {count:5d}  {form} -> {gold}: {lemma_candidates(form, language)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
