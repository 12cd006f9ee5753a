"""How often does the built-in pipeline match a codebook term through another word's lemma?

Not a test: a measurement on NorNE Bokmål (../shared/data/norne-nob, gold lemmas; see its README)
or, with `--corpus lia`, on the LIA treebank of spoken dialect transcribed in Nynorsk
(../shared/data/lia-nynorsk-treebank, hand-corrected lemmas, NDT parts of speech; read there,
never copied). Every token gets the candidates the built-in pipeline gives a term word to
compare with (its lowercase form and `lemma_candidates`). For each single-word term of the
codebook (no globs), a token *matches* when the term is among its candidates; the match is
*false* when the token's gold lemma is a different word. Two readings of "different":

- not the term: the gold lemma is not the term;
- another word (the measure): nor is it a lemma of the term, the term a lemma of it (an
  inflected term `loven`, a proper-noun gold lemma `kirken`), the term's noun/verb pair of
  the same stem (`arbeid`/`arbeide`, `jobb`/`jobbe`: one code, one theme, so such a match is
  no false one for coding), the term with other accents (`kafé`/`kafe`) or another spelling
  of the term's lemma (`liggje`/`ligge`). Those through the form itself (a term `var`, the
  form *var*, gold `vere`) are counted apart: no lemma candidate causes them.

A term word also matches through its Bokmål/Nynorsk equivalents (`codebook/equivalents.py`: the
shipped table and the codebook's `equivalents:`), as in coding; a gold lemma that is one of
them, or related to one of them as above, is the term's own word (LIA's gold lemmas are
Nynorsk, the codebook's terms Bokmål: `trur` with gold `tru` is right for the term `tro`).

LIA's NDT tags are read as UD ones: `subst` is NOUN (PROPN with `prop`), `verb` VERB, `adj`
ADJ; pauses, fillers, incomplete words, quotes and anonymised speaker ids are left out like
punctuation, and so are the tokens of the two recordings without lemmas (lista_uib_05,
nordli_uio_01). LIA writes a compound lemma's parts with hyphens (`kvern-stue`): they are
dropped unless the form has a hyphen too (as benchmarks/lemmas.py does).

Because the shipped codebook's terms rarely meet an ambiguous form in news text, it also runs
the same count for every content lemma of NorNE used as a term (`--all-lemmas`): the share of
matches, over all tokens, where the token's gold lemma is another word.

It also prints the candidate coverage the README reports, over NOUN/VERB/ADJ tokens of the dev
split: the gold lemma among the candidates, and the first candidate right (the candidates in
the order of the corpus's language: Nynorsk first for LIA).

    python benchmarks/lemma_ambiguity.py                  # dev and test, the shipped codebook
    python benchmarks/lemma_ambiguity.py --corpus lia --all-lemmas --show 30
    python benchmarks/lemma_ambiguity.py --split dev --show 30   # the 30 most frequent false ones
    python benchmarks/lemma_ambiguity.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from mimres_cli.codebook import load_codebook
from mimres_cli.codebook.equivalents import Equivalents
from mimres_cli.nlp.lemmas import lemma_candidates

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from lemmas import LIA, _shared  # noqa: E402  (benchmarks/lemmas.py: where ../shared is)

NORNE = _shared("norne-nob")
SPLITS = {"dev": "no_bokmaal-ud-dev.conllu", "test": "no_bokmaal-ud-test.conllu"}
CONTENT_POS = ("NOUN", "VERB", "ADJ")
#: LIA's NDT tags as UD ones; tags not listed keep their name, and `PUNCT` tokens are skipped.
_NDT = {"subst": "NOUN", "verb": "VERB", "adj": "ADJ"}
_NDT_SKIPPED = frozenset({"clb", "clm", "pause", "nol", "ufullst", "anf", "ellipsis"})


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


def read_lia(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(form, gold lemma lowercased, UD-like POS) of every LIA token that has a lemma."""
    for path in sorted(folder.glob("*.conll")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 6 or not cols[0].isdigit() or not cols[2]:
                    continue  # comments, and the two recordings without lemmas
                form, lemma, tag, feats = cols[1], cols[2].lower(), cols[3], cols[5]
                if tag in _NDT_SKIPPED or "_" in form:  # `aal_uio_0201`: a speaker id
                    upos = "PUNCT"
                elif tag == "subst" and "prop" in feats.split("|"):
                    upos = "PROPN"
                else:
                    upos = _NDT.get(tag, tag.upper())
                if "-" not in form:
                    lemma = lemma.replace("-", "")  # compound parts: `kvern-stue`
                yield form, lemma, upos


def term_words(codebook: Path) -> set[str]:
    """The single-word terms of a codebook (its codes' `terms`), without globs."""
    book = load_codebook(codebook)
    return {t for code in book.walk() for t in code.terms if " " not in t and "*" not in t}


def with_equivalents(terms: set[str], equivalents: Equivalents) -> dict[str, tuple[str, ...]]:
    """Each term with the words it matches: itself and its Bokmål/Nynorsk equivalents."""
    return {term: (term, *equivalents.of(term)) for term in terms}


def candidates(form: str) -> tuple[str, ...]:
    """What a term word is compared with, for a token of the built-in pipeline."""
    return (form.lower(), *lemma_candidates(form))


def related(term: str, gold: str, upos: str) -> bool:
    """Whether the gold lemma is the term's own word: the term itself, but for accents (`kafé`,
    `kafe`); the lemma of an inflected term (`loven` is not a lemma, `lov` is); for a proper
    noun, whose gold lemma is its form (`Kirken`), a form of the term; the term's noun/verb
    pair of the same stem (`arbeid`/`arbeide`, `drøm`/`drømme`, `trive`/`trives`); or another
    spelling of the same lemma, each a lemma and each among the other's candidates (Nynorsk
    `liggje`/`ligge`, `billeg`/`billig`)."""
    if _plain(gold) == _plain(term) or _stem(term) == _stem(gold):
        return True
    own = lemma_candidates(term)
    if term not in own and gold in own:
        return True
    if upos in ("PROPN", "X") and term in lemma_candidates(gold):
        return True
    theirs = lemma_candidates(gold)
    return term in own and gold in theirs and gold in own and term in theirs


def _plain(word: str) -> str:
    """`word` without accents: `kafé` -> `kafe`, `òg` -> `og`."""
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    for ending in ("s", "e"):
        if word.endswith(ending) and len(word) > 3:
            word = word[: -len(ending)]
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]
    return word


def measure(
    tokens: list[tuple[str, str, str]], terms: dict[str, tuple[str, ...]], language: str = "nb"
) -> dict:
    """`terms`: each term with the words it matches (`with_equivalents`)."""
    matched = strict = unrelated = 0  # matches; gold lemma not the term; another word
    by_form = 0  # false ones where the form itself is the term (or an equivalent of it)
    false_pairs: Counter[tuple[str, str, str]] = Counter()
    by_word: dict[str, list[str]] = {}
    for term, words in terms.items():
        for word in words:
            by_word.setdefault(word, []).append(term)
    for form, gold, upos in tokens:
        if upos == "PUNCT":
            continue
        found = {term for word in candidates(form) for term in by_word.get(word, ())}
        for term in found:
            matched += 1
            if gold not in terms[term]:
                strict += 1
                if not any(related(word, gold, upos) for word in terms[term]):
                    unrelated += 1
                    by_form += form.lower() in terms[term]
                    false_pairs[(term, form.lower(), gold)] += 1
    content = [(f, g) for f, g, u in tokens if u in CONTENT_POS]
    among = sum(1 for f, g in content if g in lemma_candidates(f))
    among_form = sum(1 for f, g in content if g in candidates(f))
    first = sum(1 for f, g in content if (lemma_candidates(f, language) or (f.lower(),))[0] == g)
    return {
        "tokens": len(tokens),
        "matched": matched,
        "false_strict": strict,
        "false_unrelated": unrelated,
        "false_by_form": by_form,
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
    parser.add_argument("--corpus", choices=["norne", "lia"], default="norne")
    parser.add_argument("--norne", type=Path, default=NORNE, help="the NorNE UD folder")
    parser.add_argument("--lia", type=Path, default=LIA, help="the LIA Nynorsk treebank folder")
    parser.add_argument(
        "--split", choices=[*SPLITS, "both"], default="both", help="NorNE's split(s)"
    )
    parser.add_argument("--show", type=int, default=15, help="most frequent false matches")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--all-lemmas",
        action="store_true",
        help="use every NOUN/VERB/ADJ gold lemma of the split as a term, not the codebook's",
    )
    args = parser.parse_args()
    equivalents = Equivalents(load_codebook(args.codebook).equivalents)
    terms = term_words(args.codebook)
    if args.corpus == "lia":
        corpora = {"lia": lambda: read_lia(args.lia)}
        language = "nn"
    else:
        splits = list(SPLITS) if args.split == "both" else [args.split]
        corpora = {split: lambda split=split: read_tokens(args.norne / SPLITS[split])
                   for split in splits}  # fmt: skip
        language = "nb"
    results = {}
    for split, read in corpora.items():
        tokens = list(read())
        if args.all_lemmas:
            terms = {gold for _, gold, upos in tokens if upos in CONTENT_POS}
        result = measure(tokens, with_equivalents(terms, equivalents), language)
        results[split] = result
        print(
            f"{split}: {result['tokens']:,} tokens; {result['matched']:,} matches of "
            f"{len(terms):,} single-word terms; gold lemma another word: "
            f"{result['false_unrelated']} ({result['share_unrelated']:.2%}), of them "
            f"{result['false_by_form']} through the form itself; not the term "
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
