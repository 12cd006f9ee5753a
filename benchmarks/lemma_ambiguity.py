"""How often does the built-in pipeline match a codebook term through another word's lemma?

Not a test: a measurement on NorNE Bokmål (../shared/data/norne-nob, gold lemmas; see its README).
Every token gets the candidates the built-in pipeline gives a term word to compare with (its
lowercase form and `lemma_candidates`). For each single-word term of the codebook (no globs),
a token *matches* when the term is among its candidates; the match is *false* when the token's
gold lemma is a different word. Two readings of "different":

- not the term: the gold lemma is not the term;
- another word (the measure): nor is it a lemma of the term, the term a lemma of it (an
  inflected term `loven`, a proper-noun gold lemma `kirken`), or the term's noun/verb pair of
  the same stem (`arbeid`/`arbeide`, `jobb`/`jobbe`: one code, one theme, so such a match is
  no false one for coding).

Because the shipped codebook's terms rarely meet an ambiguous form in news text, it also runs
the same count for every content lemma of NorNE used as a term (`--all-lemmas`): the share of
matches, over all tokens, where the token's gold lemma is another word.

It also prints the candidate coverage the README reports, over NOUN/VERB/ADJ tokens of the dev
split: the gold lemma among the candidates, and the first candidate right.

    python benchmarks/lemma_ambiguity.py                  # dev and test, the shipped codebook
    python benchmarks/lemma_ambiguity.py --split dev --show 30   # the 30 most frequent false ones
    python benchmarks/lemma_ambiguity.py --json out.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from mimres_cli.codebook import load_codebook
from mimres_cli.nlp.lemmas import lemma_candidates

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: ../shared of the main checkout (or of a worktree under /work/wt, two levels up).
NORNE = next(
    (
        base / "shared" / "data" / "norne-nob"
        for base in (REPO.parent, REPO.parent.parent)
        if (base / "shared" / "data" / "norne-nob").is_dir()
    ),
    REPO.parent / "shared" / "data" / "norne-nob",
)
SPLITS = {"dev": "no_bokmaal-ud-dev.conllu", "test": "no_bokmaal-ud-test.conllu"}
CONTENT_POS = ("NOUN", "VERB", "ADJ")


def read_tokens(path: Path) -> Iterator[tuple[str, str, str]]:
    """(form, gold lemma lowercased, UPOS) of every word token of a CoNLL-U file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 10 or not cols[0].isdigit():
                continue  # multi-word token ranges and empty nodes
            yield cols[1], cols[2].lower(), cols[3]


def term_words(codebook: Path) -> set[str]:
    """The single-word terms of a codebook (its codes' `terms`), without globs."""
    book = load_codebook(codebook)
    return {t for code in book.walk() for t in code.terms if " " not in t and "*" not in t}


def candidates(form: str) -> tuple[str, ...]:
    """What a term word is compared with, for a token of the built-in pipeline."""
    return (form.lower(), *lemma_candidates(form))


def related(term: str, gold: str, upos: str) -> bool:
    """Whether the gold lemma is the term's own word: the term itself; the lemma of an inflected
    term (`loven` is not a lemma, `lov` is); for a proper noun, whose gold lemma is its form
    (`Kirken`), a form of the term; or the term's noun/verb pair of the same stem
    (`arbeid`/`arbeide`, `drøm`/`drømme`, `trive`/`trives`)."""
    if gold == term or _stem(term) == _stem(gold):
        return True
    own = lemma_candidates(term)
    if term not in own and gold in own:
        return True
    return upos in ("PROPN", "X") and term in lemma_candidates(gold)


def _stem(word: str) -> str:
    for ending in ("s", "e"):
        if word.endswith(ending) and len(word) > 3:
            word = word[: -len(ending)]
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]
    return word


def measure(tokens: list[tuple[str, str, str]], terms: set[str]) -> dict:
    matched = strict = unrelated = 0  # matches; gold lemma not the term; another word
    false_pairs: Counter[tuple[str, str, str]] = Counter()
    for form, gold, upos in tokens:
        if upos == "PUNCT":
            continue
        for term in terms.intersection(candidates(form)):
            matched += 1
            if gold != term:
                strict += 1
                if not related(term, gold, upos):
                    unrelated += 1
                    false_pairs[(term, form.lower(), gold)] += 1
    content = [(f, g) for f, g, u in tokens if u in CONTENT_POS]
    among = sum(1 for f, g in content if g in lemma_candidates(f))
    among_form = sum(1 for f, g in content if g in candidates(f))
    first = sum(1 for f, g in content if (lemma_candidates(f) or (f.lower(),))[0] == g)
    return {
        "tokens": len(tokens),
        "matched": matched,
        "false_strict": strict,
        "false_unrelated": unrelated,
        "share_strict": strict / matched if matched else 0.0,
        "share_unrelated": unrelated / matched if matched else 0.0,
        "content_tokens": len(content),
        "gold_among_candidates": among / len(content) if content else 0.0,
        "gold_among_candidates_or_form": among_form / len(content) if content else 0.0,
        "first_candidate_right": first / len(content) if content else 0.0,
        "false_pairs": false_pairs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codebook", type=Path, default=REPO / "codebooks" / "integrering.yaml")
    parser.add_argument("--norne", type=Path, default=NORNE, help="the NorNE UD folder")
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    parser.add_argument("--show", type=int, default=15, help="most frequent false matches")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--all-lemmas",
        action="store_true",
        help="use every NOUN/VERB/ADJ gold lemma of the split as a term, not the codebook's",
    )
    args = parser.parse_args()
    terms = term_words(args.codebook)
    splits = list(SPLITS) if args.split == "both" else [args.split]
    results = {}
    for split in splits:
        tokens = list(read_tokens(args.norne / SPLITS[split]))
        if args.all_lemmas:
            terms = {gold for _, gold, upos in tokens if upos in CONTENT_POS}
        result = measure(tokens, terms)
        results[split] = result
        print(
            f"{split}: {result['tokens']:,} tokens; {result['matched']:,} matches of "
            f"{len(terms):,} single-word terms; gold lemma another word: "
            f"{result['false_unrelated']} ({result['share_unrelated']:.2%}); not the term "
            f"itself: {result['false_strict']} ({result['share_strict']:.2%})"
        )
        print(
            f"{split}: {result['content_tokens']:,} NOUN/VERB/ADJ tokens; gold lemma among "
            f"candidates {result['gold_among_candidates']:.1%} (or the form itself "
            f"{result['gold_among_candidates_or_form']:.1%}), first candidate right "
            f"{result['first_candidate_right']:.1%}"
        )
        for (term, form, gold), n in result["false_pairs"].most_common(args.show):
            print(f"  {n:4d}  term {term!r} matched {form!r} (gold lemma {gold!r})")
    if args.json:
        for result in results.values():
            result["false_pairs"] = [
                {"term": t, "form": f, "gold": g, "count": n}
                for (t, f, g), n in result["false_pairs"].most_common()
            ]
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
