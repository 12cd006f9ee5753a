"""Terms to suggest for a code, how each would do as a term, and the units the codebook misses.

Pure pandas over three tables: the lemma tokens of the units (`TOKEN_INPUT`), the units
compared (informant units, with `text`) and a unit coding that says which units *have the
code* (the human codings where given, else mimres's own segments). A child code's units roll
up to its parents, as in the findings.

Counts, per term (a lemma, or two lemmas in a row written as a phrase, "fast jobb"):

- a = its occurrences in the units that have the code, b = in the other units;
- c = word tokens in the units that have the code, d = in the other units (stop words
  included, transcription marks and punctuation not: the words `mimres words` counts);
- G² and log ratio of a in c against b in d, exactly as `mimres words --keyness` computes them
  (`findings.words.log_likelihood`); only terms with a/c > b/d are suggested.
- units = units with the code that contain the term, units_rest = other units that contain it;
  as a term the term would code units + units_rest units, so precision = units / (units +
  units_rest) and recall = units / (units that have the code), against the same reference.

Lemmas are the pipeline's (a form with no lemma counts as itself), in lower case as a
codebook term is written. Stop words and transcription marks are never terms; a phrase is two
word tokens in a row in one sentence, neither a stop word, with transcription marks between
them passed over and punctuation not (as a codebook phrase term matches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from mimres_cli.errors import MimresError, close_matches
from mimres_cli.errors import suggest as did_you_mean_of
from mimres_cli.findings.coverage import roll_up
from mimres_cli.findings.words import log_likelihood

#: Columns `suggest` needs in the token table (the token table of `mimres tag` has them).
TOKEN_INPUT = ["interview_id", "unit_index", "sentence_index", "token_index", "text", "lemma",
               "kind"]  # fmt: skip
TERM_COLUMNS = [
    "term", "in_codebook", "count", "count_rest", "words", "words_rest", "g2", "log_ratio",
    "units", "units_rest", "precision", "recall",
]  # fmt: skip
NEAR_MISS_COLUMNS = ["interview_id", "unit_index", "coders", "distinctive", "codebook_terms",
                     "text"]  # fmt: skip
#: Who says which units have the code when no human codings are given.
OWN_CODING = "mimres"
_KEYS = ["interview_id", "unit_index"]


@dataclass(frozen=True)
class Suggestions:
    """What `suggest` found for one code.

    `terms`: TERM_COLUMNS, best first. `near_misses`: NEAR_MISS_COLUMNS, units the reference
    coded with the code that mimres's coding misses; None when the reference is mimres's own
    coding (there is nothing to miss).
    """

    code: str  # the code path
    label: str
    reference: str  # who says which units have the code: the human coders, or "mimres"
    units: int  # units compared
    coded_units: int  # of them, units that have the code
    terms: pd.DataFrame
    near_misses: pd.DataFrame | None

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables to write: the terms, and the near misses where there are any to find."""
        found = {"terms": self.terms}
        if self.near_misses is not None:
            found["near_misses"] = self.near_misses
        return found


def resolve_code(codes: pd.DataFrame, name: str) -> str:
    """The path of the code `name` (a path, an id used by one code only, or a label).

    Raises MimresError with the closest paths when there is no such code.
    """
    paths = [str(p) for p in codes["code"]]
    wanted = name.strip().strip("/")
    if wanted in paths:
        return wanted
    for found in (
        [p for p in paths if p.rsplit("/", 1)[-1] == wanted],
        [p for p, label in zip(paths, codes["label"], strict=True)
         if str(label).casefold() == wanted.casefold()],
    ):  # fmt: skip
        if len(found) == 1:
            return found[0]
        if found:
            raise MimresError(f"code '{name}' is used by {', '.join(found)}",
                              fix="Give the full path", code="E218")  # fmt: skip
    ids = {p.rsplit("/", 1)[-1]: p for p in paths}
    close = close_matches(wanted, paths, n=3)
    close += [ids[i] for i in close_matches(wanted, ids, n=3)]
    themes = ", ".join(p for p in paths if "/" not in p)
    raise MimresError(
        f"no code '{name}' in the results",
        fix=did_you_mean_of(list(dict.fromkeys(close))[:3],
                            otherwise=f"Give a code path: a theme ({themes}) or 'theme/code'"),
        code="E218",
    )  # fmt: skip


def suggest(
    tokens: pd.DataFrame,
    units: pd.DataFrame,
    codes: pd.DataFrame,
    code: str,
    *,
    coded: pd.DataFrame,
    reference: str = OWN_CODING,
    segments: pd.DataFrame | None = None,
    codebook_terms: Iterable[str] = (),
    stopwords: Iterable[str] = (),
    min_count: int = 2,
    top: int | None = None,
    per_unit: int = 5,
) -> Suggestions:
    """Lemmas and phrases over-represented in the units that have `code`, and the near misses.

    `units` are the units compared (interview_id, unit_index, text); `coded` says which have
    which code (interview_id, unit_index, code, and `coder` for human codings); `reference`
    names who coded `coded`. `segments` (mimres's coding) is given when `coded` is a human
    coding: its units with the code are left out of the near misses. `codebook_terms` are the
    code's terms (with its children's), marked in `in_codebook`. `min_count` is the least
    count a in the units with the code; `top` keeps the first rows; `per_unit` is the most
    distinctive terms listed per near miss. Raises MimresError when no unit, or every unit,
    has the code (nothing to compare).
    """
    path = resolve_code(codes, code)
    label = str(codes.loc[codes["code"] == path, "label"].iloc[0])
    pool = units[[*_KEYS, "text"]].drop_duplicates(_KEYS)
    has = _units_with(coded, path, pool)
    n_coded = len(has)
    if n_coded == 0 or n_coded == len(pool):
        which = "no unit" if n_coded == 0 else f"every one of the {len(pool)} units"
        raise MimresError(
            f"{which} compared has the code '{path}' in the coding by {reference}, so there "
            "is nothing to contrast",
            fix="Code some units with it (and leave others), or pick another code",
        )
    words = _words(tokens, pool)
    words["has"] = _flag(words, has)
    c = int(words["has"].sum())
    d = int(len(words) - c)
    stop = frozenset(w.casefold() for w in stopwords)
    occurrences = _occurrences(words, stop)
    table = _term_table(occurrences, c, d, n_coded, _covers(codebook_terms))
    suggested = table[(table["g2"] > 0) & (table["count"] >= min_count)]
    if top is not None:
        suggested = suggested.head(top)
    near = None
    if segments is not None:
        near = _near_misses(path, pool, coded, has, _units_with(segments, path, pool), occurrences,
                            table, per_unit)  # fmt: skip
    return Suggestions(path, label, reference, len(pool), n_coded,
                       suggested.reset_index(drop=True), near)  # fmt: skip


def _units_with(coded: pd.DataFrame, path: str, pool: pd.DataFrame) -> pd.DataFrame:
    """The units of `pool` coded with `path` or a code under it (distinct)."""
    rolled = roll_up(coded[[*_KEYS, "code"]])
    mine = rolled.loc[rolled["code"] == path, _KEYS].astype({"unit_index": "int64"})
    return mine.drop_duplicates().merge(pool[_KEYS], on=_KEYS)


def _flag(table: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    keys = pd.MultiIndex.from_frame(table[_KEYS])
    return pd.Series(keys.isin(pd.MultiIndex.from_frame(units[_KEYS])), index=table.index)


def _words(tokens: pd.DataFrame, pool: pd.DataFrame) -> pd.DataFrame:
    """The word and punctuation tokens of the compared units, in text order, lemma lowered.

    Transcription marks are dropped here, so that a phrase reads across them.
    """
    kept = tokens[tokens["kind"] != "mark"].merge(pool[_KEYS], on=_KEYS)
    kept = kept.sort_values([*_KEYS, "sentence_index", "token_index"]).reset_index(drop=True)
    lemma = kept["lemma"].fillna(kept["text"]).astype("string").str.lower()
    kept = kept.assign(lemma=lemma)
    return kept[kept["kind"] == "word"].assign(
        after=_next(kept, "lemma").loc[kept["kind"] == "word"],
        after_is_word=_next(kept, "kind").loc[kept["kind"] == "word"] == "word",
    )


def _next(kept: pd.DataFrame, column: str) -> pd.Series:
    """The value of `column` of the next token in the same sentence of the same unit."""
    following = kept.groupby([*_KEYS, "sentence_index"], sort=False)[column].shift(-1)
    return following.astype("string")


def _occurrences(words: pd.DataFrame, stop: frozenset[str]) -> pd.DataFrame:
    """One row per occurrence of a term: interview_id, unit_index, has, term."""
    content = ~words["lemma"].str.casefold().isin(stop)
    lemmas = words.loc[content, [*_KEYS, "has", "lemma"]].rename(columns={"lemma": "term"})
    pair = content & words["after_is_word"].fillna(False).astype(bool)
    pair &= ~words["after"].fillna("").str.casefold().isin(stop)
    phrases = words.loc[pair, [*_KEYS, "has"]].assign(
        term=words.loc[pair, "lemma"] + " " + words.loc[pair, "after"]
    )
    return pd.concat([lemmas, phrases], ignore_index=True)


def _term_table(occurrences: pd.DataFrame, c: int, d: int, n_coded: int, covered) -> pd.DataFrame:
    if occurrences.empty:
        return pd.DataFrame(columns=TERM_COLUMNS)
    counts = occurrences.groupby(["term", "has"]).size().unstack(fill_value=0)
    units = occurrences.drop_duplicates([*_KEYS, "term"]).groupby(["term", "has"]).size()
    units = units.unstack(fill_value=0)
    table = pd.DataFrame({
        "term": counts.index.astype(str),
        "count": counts.get(True, 0),
        "count_rest": counts.get(False, 0),
        "units": units.get(True, 0),
        "units_rest": units.get(False, 0),
    }).reset_index(drop=True)  # fmt: skip
    table[["count", "count_rest", "units", "units_rest"]] = table[
        ["count", "count_rest", "units", "units_rest"]
    ].astype("int64")
    table["in_codebook"] = [covered(term) for term in table["term"]]
    table["words"], table["words_rest"] = c, d
    stats = [log_likelihood(a, b, c, d) for a, b in zip(table["count"], table["count_rest"],
                                                         strict=True)]  # fmt: skip
    table["g2"] = [round(g2, 3) for g2, _ in stats]
    table["log_ratio"] = [round(ratio, 3) for _, ratio in stats]
    table["precision"] = (table["units"] / (table["units"] + table["units_rest"])).round(4)
    table["recall"] = (table["units"] / n_coded).round(4)
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table[TERM_COLUMNS]


def _covers(terms: Iterable[str]):
    """A test: is a lemma or phrase already matched by one of the code's `terms` (globs too)?"""
    split = [tuple(term.casefold().split()) for term in terms if term.strip()]

    def word_matches(pattern: str, word: str) -> bool:
        core = pattern.strip("*")
        if pattern.startswith("*") and pattern.endswith("*") and len(pattern) > 1:
            return core in word
        if pattern.startswith("*"):
            return word.endswith(core)
        if pattern.endswith("*"):
            return word.startswith(core)
        return word == pattern

    def covered(term: str) -> bool:
        words = term.casefold().split()
        return any(
            len(parts) == len(words) and all(map(word_matches, parts, words)) for parts in split
        )

    return covered


def _near_misses(
    path: str,
    pool: pd.DataFrame,
    coded: pd.DataFrame,
    has: pd.DataFrame,
    found: pd.DataFrame,
    occurrences: pd.DataFrame,
    table: pd.DataFrame,
    per_unit: int,
) -> pd.DataFrame:
    """Units the reference coded with the code and mimres did not, with their key terms."""
    missed = has.merge(found, on=_KEYS, how="left", indicator=True)
    missed = missed.loc[missed["_merge"] == "left_only", _KEYS]
    if missed.empty:
        return pd.DataFrame(columns=NEAR_MISS_COLUMNS)
    rows = missed.merge(pool, on=_KEYS).sort_values(_KEYS).reset_index(drop=True)
    g2 = dict(zip(table["term"], table["g2"], strict=True))
    in_book = set(table.loc[table["in_codebook"], "term"])
    terms_of = occurrences.drop_duplicates([*_KEYS, "term"]).groupby(_KEYS)["term"].agg(list)
    distinctive, present = [], []
    for key in zip(rows["interview_id"], rows["unit_index"], strict=True):
        terms = terms_of.get(key, [])
        ranked = sorted((t for t in terms if g2[t] > 0 and t not in in_book),
                        key=lambda t: (-g2[t], t))[:per_unit]  # fmt: skip
        distinctive.append("; ".join(f"{t} ({g2[t]:.2f})" for t in ranked))
        present.append("; ".join(sorted(t for t in terms if t in in_book)))
    rows["distinctive"] = distinctive
    rows["codebook_terms"] = present
    rows["coders"] = _coders(coded, path, rows)
    return rows[NEAR_MISS_COLUMNS]


def _coders(coded: pd.DataFrame, path: str, rows: pd.DataFrame) -> list[str]:
    """Who coded each unit of `rows` with `path` or a code under it, "; "-joined."""
    if "coder" not in coded.columns:
        return [""] * len(rows)
    codes = coded["code"].astype(str)
    coded = coded[(codes == path) | codes.str.startswith(path + "/")]
    who = coded.groupby(_KEYS)["coder"].agg(lambda s: "; ".join(sorted(set(map(str, s)))))
    return [who.get(key, "") for key in zip(rows["interview_id"], rows["unit_index"],
                                             strict=True)]  # fmt: skip
