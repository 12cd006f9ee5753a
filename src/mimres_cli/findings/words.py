"""What each group talks about in its own words: lemma frequencies, keyness and named entities.

Pure pandas over the token table (see `nlp.tokens.TOKEN_COLUMNS`), read in chunks so that a
corpus of any size is counted without holding its tokens. Only informant turns count, and only
tokens of kind "word": transcription marks and fillers are never words.

Formulas (a = the lemma's count in the group, b = its count in the rest of the corpus,
c = words in the group, d = words in the rest; "words" are all word tokens of informant turns,
stop words included):

- per_10k = a / c × 10,000
- keyness: log-likelihood G² (Dunning 1993, as computed by Rayson & Garside 2000) over the two
  cells of each side: E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), G² = 2(a ln(a/E1) + b ln(b/E2)),
  where 0 ln 0 = 0. Its sign is + when a/c > b/d (the group uses the lemma more than the rest),
  − when less. With 1 degree of freedom, G² ≥ 3.84 is p < 0.05, 6.63 p < 0.01, 10.83 p < 0.001.
- effect size: log ratio (Hardie 2014) = log2((a/c) / (b/d)); a count of zero is replaced
  by 0.5 in this formula only, so a lemma used by one side only still has a finite ratio.
  +1 means twice as frequent in the group as in the rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from mimres_cli.errors import MimresError, MissingInputError, Where
from mimres_cli.findings.collate import nb_series_key

#: The shipped stop word list (see docs/tagging.md for how it was curated).
STOPWORDS_FILE = "stopwords_nb.txt"
#: Nynorsk and dialect stop words, loaded with the Bokmål list.
STOPWORDS_NN_FILE = "stopwords_nn.txt"
#: A line of a project's stop word list that adds the shipped lists to it.
SHIPPED_LINE = "@shipped"

FREQUENCY_COLUMNS = ["lemma", "count", "per_10k", "interviews"]
KEYNESS_COLUMNS = [
    "lemma", "count", "count_rest", "per_10k", "per_10k_rest", "g2", "log_ratio", "interviews",
]  # fmt: skip
ENTITY_COLUMNS = ["label", "entity", "count", "interviews"]


@dataclass(frozen=True)
class WordCounts:
    """Counts over the informant words of a corpus, per interview and group.

    `lemmas`: interview_id, the `by` columns, lemma, upos, count.
    `words`: interview_id, the `by` columns, words (all word tokens).
    `entities`: interview_id, the `by` columns, label, entity, count.
    `tagged` / `has_entities`: whether any token had a UPOS tag / an entity tag.
    """

    by: tuple[str, ...]
    lemmas: pd.DataFrame
    words: pd.DataFrame
    entities: pd.DataFrame
    tagged: bool
    has_entities: bool


def count_words(tokens: pd.DataFrame | Iterable[pd.DataFrame], by: Sequence[str]) -> WordCounts:
    """Count lemmas, words and entities of informant turns per interview and `by` group.

    `tokens` is a token table or an iterable of token tables (chunks). A chunk must not split
    an entity; one interview per chunk never does.
    """
    by = tuple(by)
    chunks = [tokens] if isinstance(tokens, pd.DataFrame) else tokens
    keys = ["interview_id", *by]
    lemma_parts, word_parts, entity_parts = [], [], []
    tagged = has_entities = False
    for chunk in chunks:
        if chunk.empty:
            continue
        chunk = chunk.reset_index(drop=True)  # rows are matched by index below
        informant = chunk[chunk["role"] == "informant"]
        missing = [c for c in by if c not in informant.columns]
        if missing:
            raise MimresError(f"the token table has no column '{missing[0]}'")
        groups = informant[keys].astype("string").fillna("")
        words = informant[informant["kind"] == "word"]
        tagged = tagged or bool(words["upos"].notna().any())
        has_entities = has_entities or bool(informant["entity"].notna().any())
        frame = groups.loc[words.index].assign(
            lemma=words["lemma"].fillna(words["text"].str.lower()),
            upos=words["upos"].astype("string").fillna(""),
        )
        lemma_parts.append(frame.groupby([*keys, "lemma", "upos"]).size().rename("count"))
        word_parts.append(groups.loc[words.index].groupby(keys).size().rename("words"))
        entity_parts.append(_entity_counts(informant, groups, keys))
    lemmas = _concat(lemma_parts, [*keys, "lemma", "upos", "count"])
    words_table = _concat(word_parts, [*keys, "words"])
    entities = _concat(entity_parts, [*keys, "label", "entity", "count"])
    return WordCounts(by, lemmas, words_table, entities, tagged, has_entities)


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """Stop words from a file (one per line, `#` starts a comment), casefolded.

    Without `path`, the curated lists shipped with mimres: Bokmål, and Nynorsk and dialect. A
    file with a line `@shipped` extends the shipped lists instead of replacing them.
    """
    if path is None:
        package = resources.files("mimres_cli.findings")
        text = "\n".join(
            package.joinpath(name).read_text("utf-8")
            for name in (STOPWORDS_FILE, STOPWORDS_NN_FILE)
        )
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise MissingInputError(
                f"stop word list '{path}' does not exist",
                fix="Give a text file with one word per line",
            ) from exc
        except UnicodeDecodeError as exc:
            raise MimresError("is not UTF-8 text", where=Where(path),
                              fix="Save the stop word list as UTF-8") from exc  # fmt: skip
    words = {line.split("#", 1)[0].strip().casefold() for line in text.splitlines()} - {""}
    if path is not None and SHIPPED_LINE in words:
        words = (words - {SHIPPED_LINE}) | load_stopwords()
    return frozenset(words)


def frequencies(
    counts: WordCounts,
    *,
    pos: Sequence[str] = (),
    stopwords: Iterable[str] = (),
    min_count: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Lemma frequencies per group: count, per_10k (per 10,000 words of the group), interviews.

    Rows are sorted by group, then count (highest first), then lemma; `top` keeps the first
    rows of each group. Raises MimresError when `pos` is given but no token has a UPOS tag.
    """
    by = list(counts.by)
    lemmas = _selected(counts, pos, stopwords)
    table = lemmas.groupby([*by, "lemma"], as_index=False).agg(
        count=("count", "sum"), interviews=("interview_id", "nunique")
    )
    words = _group_words(counts)
    table = table.merge(words, on=by) if by else table.assign(words=int(words["words"].sum()))
    table["per_10k"] = (table["count"] / table["words"] * 10_000).round(2)
    table = table[table["count"] >= min_count]
    table = _sorted(table, by, ["count", "lemma"], [False, True])
    return _top(table, by, top)[[*by, *FREQUENCY_COLUMNS]].reset_index(drop=True)


def keyness(
    counts: WordCounts,
    *,
    pos: Sequence[str] = (),
    stopwords: Iterable[str] = (),
    min_count: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Keyness of each lemma in each group against the rest of the corpus (see module doc).

    `min_count` applies to the lemma's count in the whole corpus, so lemmas a group never
    uses appear with negative G². Rows are sorted by group, then signed G² (highest first);
    `top` keeps the first rows of each group. Raises MimresError with fewer than two groups.
    """
    by = list(counts.by)
    if not by:
        raise MimresError("keyness compares groups, but no grouping was given",
                          fix="Add --by, for example --by group")  # fmt: skip
    words = _group_words(counts)
    if len(words) < 2:
        raise MimresError(
            f"keyness needs at least two groups of --by {' '.join(by)}, found {len(words)}",
            fix="Group by an attribute with several values",
        )
    lemmas = _selected(counts, pos, stopwords)
    observed = lemmas.groupby([*by, "lemma"], as_index=False).agg(
        count=("count", "sum"), interviews=("interview_id", "nunique")
    )
    totals = observed.groupby("lemma")["count"].sum().rename("total")
    grid = words.merge(pd.DataFrame({"lemma": totals.index}), how="cross")
    table = grid.merge(observed, on=[*by, "lemma"], how="left").merge(totals, on="lemma")
    table[["count", "interviews"]] = table[["count", "interviews"]].fillna(0).astype("int64")
    table = table[table["total"] >= min_count]
    all_words = int(words["words"].sum())
    table["count_rest"] = table["total"] - table["count"]
    table["words_rest"] = all_words - table["words"]
    table["per_10k"] = (table["count"] / table["words"] * 10_000).round(2)
    table["per_10k_rest"] = (table["count_rest"] / table["words_rest"] * 10_000).round(2)
    stats = [
        log_likelihood(a, b, c, d)
        for a, b, c, d in zip(
            table["count"], table["count_rest"], table["words"], table["words_rest"], strict=True
        )
    ]
    table["g2"] = [round(g2, 3) for g2, _ in stats]
    table["log_ratio"] = [round(ratio, 3) for _, ratio in stats]
    table = _sorted(table, by, ["g2", "lemma"], [False, True])
    return _top(table, by, top)[[*by, *KEYNESS_COLUMNS]].reset_index(drop=True)


def log_likelihood(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """(signed G², log ratio) of a count `a` in `c` words against `b` in `d` words."""
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = 2 * ((a * math.log(a / e1) if a else 0.0) + (b * math.log(b / e2) if b else 0.0))
    if a / c < b / d:
        g2 = -g2
    ratio = math.log2(((a or 0.5) / c) / ((b or 0.5) / d))
    return g2 + 0.0, ratio  # + 0.0 turns -0.0 into 0.0


def entities(counts: WordCounts, *, min_count: int = 1, top: int | None = None) -> pd.DataFrame:
    """Named entities per group: label, entity text, count and interviews naming it.

    Rows are sorted by group, label, count (highest first) and entity text; `top` keeps the
    first rows of each group and label.
    """
    by = list(counts.by)
    table = counts.entities.groupby([*by, "label", "entity"], as_index=False).agg(
        count=("count", "sum"), interviews=("interview_id", "nunique")
    )
    table = table[table["count"] >= min_count]
    table = _sorted(table, by, ["label", "count", "entity"], [True, False, True])
    return _top(table, [*by, "label"], top)[[*by, *ENTITY_COLUMNS]].reset_index(drop=True)


def _selected(counts: WordCounts, pos: Sequence[str], stopwords: Iterable[str]) -> pd.DataFrame:
    lemmas = counts.lemmas
    if pos:
        if not counts.tagged:
            raise MimresError(
                "--pos needs part-of-speech tags, but the pipeline has no tagger",
                fix="Drop --pos, or pass --model with a trained Bokmål pipeline",
            )
        lemmas = lemmas[lemmas["upos"].isin([p.strip().upper() for p in pos])]
    stop = frozenset(word.casefold() for word in stopwords)
    if stop:
        lemmas = lemmas[~lemmas["lemma"].str.casefold().isin(stop)]
    return lemmas


def _group_words(counts: WordCounts) -> pd.DataFrame:
    by = list(counts.by)
    if not by:
        return pd.DataFrame({"words": [int(counts.words["words"].sum())]})
    return counts.words.groupby(by, as_index=False)["words"].sum()


def _entity_counts(informant: pd.DataFrame, groups: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Entity mentions (a B- token and the I- tokens that follow it) per key and label."""
    # A mark the model tagged ("#" as a place) is no mention; it also ends the one before.
    tagged = informant[
        informant["entity"].notna() & (informant["entity"] != "O") & (informant["kind"] != "mark")
    ]
    found: list[tuple] = []
    current: list | None = None
    previous = None
    for index, row in zip(tagged.index, tagged.itertuples(index=False), strict=True):
        tag = row.entity
        label = tag[2:]
        follows = (
            current is not None
            and tag.startswith("I-")
            and label == current[1]
            and (row.sentence_index, row.token_index) == (previous[0], previous[1] + 1)
        )
        if follows:
            gap = " " if row.start > previous[2] else ""
            current[2] += gap + row.text
        else:
            if current is not None:
                found.append(tuple(current))
            current = [index, label, row.text]
        previous = (row.sentence_index, row.token_index, row.end)
    if current is not None:
        found.append(tuple(current))
    if not found:
        return pd.Series(dtype="int64", name="count")
    mentions = pd.DataFrame(found, columns=["index", "label", "entity"]).set_index("index")
    mentions = groups.loc[mentions.index].join(mentions)
    return mentions.groupby([*keys, "label", "entity"]).size().rename("count")


def _concat(parts: list[pd.Series], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("count", "words") else "string")
                             for c in columns})  # fmt: skip
    table = pd.concat(parts).reset_index()
    return table.groupby(columns[:-1], as_index=False)[columns[-1]].sum()


def _sorted(
    table: pd.DataFrame, by: list[str], keys: list[str], ascending: list[bool]
) -> pd.DataFrame:
    def key(column: pd.Series) -> pd.Series:
        if pd.api.types.is_numeric_dtype(column):
            return column
        return nb_series_key(column)

    return table.sort_values([*by, *keys], ascending=[True] * len(by) + ascending, key=key)


def _top(table: pd.DataFrame, by: list[str], top: int | None) -> pd.DataFrame:
    if top is None:
        return table
    if not by:
        return table.head(top)
    return table.groupby(by, sort=False).head(top)
