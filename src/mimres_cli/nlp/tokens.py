"""Token rows: one flat record per token of a parsed interview, for `mimres tag` and `words`.

A row carries the interview id, metadata and written standard (`language`), where the token
is (turn, sentence, token index and character offsets into the interview body), and what the
pipeline says about it (lemma, UPOS, morphology, dependency head and relation, entity in BIO
form). Columns the pipeline cannot fill are None, and `missing_columns()` says which and why.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from mimres_cli.corpus.language import interview_language
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.model import REQUIRED_METADATA, Interview
from mimres_cli.nlp.lemmas import lemma_candidates
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.nlp.pipeline import PipelineInfo
from mimres_cli.nlp.units import unit_spans
from mimres_cli.nlp.words import is_word
from mimres_cli.vocabulary import UnitKind

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Fixed columns of the token table, in order, with their pandas dtypes. The interview's
#: metadata columns (municipality, group, then the rest sorted) follow `interview_id`.
TOKEN_COLUMNS: dict[str, str] = {
    "interview_id": "string",
    "language": "string",  # nb | nn | mixed: the interview's `language`, else detected
    "speaker": "string",  # the speaker label as written
    "role": "string",  # interviewer | informant
    "turn_index": "int64",  # 0-based index of the turn in the interview
    "unit_index": "int64",  # the segments table's unit_index for the same --unit
    "sentence_index": "int64",  # 0-based, running over all turns of the interview
    "token_index": "int64",  # 0-based index of the token in its sentence
    "text": "string",  # the token as written; body[start:end] == text
    "lemma": "string",  # lowercase, except for proper nouns
    "lemma_candidates": "string",  # fallback only: Ordbank lemmas joined by "|" when > 1
    "upos": "string",  # Universal POS tag (tagger or morphologizer)
    "morph": "string",  # UD features, "Definite=Def|Number=Sing"
    "head": "Int64",  # token_index of the head in the same sentence; empty for the root
    "dep": "string",  # UD relation ("root" for the root)
    "entity": "string",  # BIO: "B-PER", "I-PER", "O"
    "start": "int64",  # 0-based character offset in the interview body
    "end": "int64",  # end-exclusive
    "kind": "string",  # word | mark (transcription mark) | punct (punctuation, symbols)
}

#: Columns that need a pipeline component, and the component that fills them.
_NEEDS = {
    "upos": "tagger",
    "morph": "tagger",
    "head": "parser",
    "dep": "parser",
    "entity": "entity recogniser",
}


def token_columns(interviews: Iterable[Interview]) -> dict[str, str]:
    """The columns of the token table of these interviews: fixed ones plus typed metadata.

    A metadata column is int64, float64 or boolean when every interview that has it gives a
    value of that type, else string.
    """
    values: dict[str, list[Any]] = {}
    for interview in interviews:
        for key, value in interview.metadata.items():
            values.setdefault(key, []).append(value)
    first = [k for k in REQUIRED_METADATA if k in values]
    rest = sorted(k for k in values if k not in REQUIRED_METADATA and k not in TOKEN_COLUMNS)
    metadata = first + rest
    columns = {"interview_id": TOKEN_COLUMNS["interview_id"]}
    columns.update({key: _metadata_type(values[key]) for key in metadata})
    columns.update({k: v for k, v in TOKEN_COLUMNS.items() if k != "interview_id"})
    return columns


def metadata_of(columns: Iterable[str]) -> list[str]:
    """The metadata columns among `columns` (every column that is not a fixed one)."""
    return [c for c in columns if c not in TOKEN_COLUMNS]


def missing_columns(info: PipelineInfo) -> dict[str, str]:
    """Columns this pipeline leaves empty, each with the component it lacks."""
    has = {
        "tagger": info.has_tagger,
        "parser": "parser" in info.components,
        "entity recogniser": info.has_ner,
    }
    return {column: need for column, need in _NEEDS.items() if not has[need]}


def tagger_notice(info: PipelineInfo) -> str | None:
    """One line saying which columns are empty with this pipeline and why; None if none are."""
    missing = missing_columns(info)
    if not missing:
        return None
    lacks = list(dict.fromkeys(missing.values()))
    named = lacks[0] if len(lacks) == 1 else f"{', '.join(lacks[:-1])} or {lacks[-1]}"
    text = f"pipeline {info.name} has no {named}, so {', '.join(missing)} are empty"
    if info.fallback:
        text += (
            ". Lemmas come from Norsk Ordbank; lemma_candidates lists the alternatives where "
            "it cannot choose. Pass --model with a trained Bokmål pipeline for tags"
        )
    return text


def token_rows(
    parsed: ParsedInterview,
    info: PipelineInfo,
    *,
    roles: Collection[str] | None = ("informant",),
    unit: UnitKind = "turn",
) -> list[dict[str, Any]]:
    """One row per token of the turns whose role is in `roles` (all turns with None).

    White-space tokens are left out (a line break inside a turn becomes one), and a sentence
    of white space only is no sentence, as in the segments table. Sentence numbers run over
    all turns, so they do not change with `roles`. Rows are in body order.
    """
    interview = parsed.interview
    language = interview_language(interview)
    missing = missing_columns(info)
    rows: list[dict[str, Any]] = []
    marks: dict[int, list[tuple[int, int]]] = {}  # per turn
    # The sentences are the units of `--unit sentence`, split where the segments' are.
    for sentence in unit_spans(parsed, "sentence"):
        turn = sentence.turn
        if roles is not None and turn.role not in roles:
            continue
        if sentence.turn_index not in marks:
            marks[sentence.turn_index] = find_marks(parsed.docs[sentence.turn_index].text)
        tokens = [t for t in sentence.span if not t.is_space]
        base = {
            "interview_id": interview.id,
            **interview.metadata,
            "language": language,
            "speaker": turn.speaker,
            "role": turn.role,
            "turn_index": sentence.turn_index,
            "unit_index": sentence.turn_index if unit == "turn" else sentence.index,
            "sentence_index": sentence.index,
        }
        heads = _heads(sentence.span, tokens) if "head" not in missing else {}
        for n, token in enumerate(tokens):
            start = turn.start + token.idx
            row = dict(base)
            row.update(_token_fields(token, marks[sentence.turn_index], info, missing))
            row.update(token_index=n, start=start, end=start + len(token.text))
            if "head" not in missing:
                row["head"], row["dep"] = heads[n]
            rows.append(row)
    return rows


def _token_fields(
    token: Token, marks: list[tuple[int, int]], info: PipelineInfo, missing: dict[str, str]
) -> dict[str, Any]:
    if overlaps_mark(token.idx, token.idx + len(token.text), marks):
        kind = "mark"
    elif is_word(token, marks):
        kind = "word"
    else:
        kind = "punct"
    upos = (token.pos_ or None) if "upos" not in missing else None
    lemma = token.lemma_ or None
    if lemma is not None and upos != "PROPN":
        lemma = lemma.lower()  # trained lemmatisers keep a sentence-initial capital
    candidates = None
    if info.fallback and kind == "word":
        found = lemma_candidates(token.text)
        candidates = "|".join(found) if len(found) > 1 else None
    entity = None
    if "entity" not in missing:
        entity = f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else "O"
    return {
        "text": token.text,
        "lemma": lemma,
        "lemma_candidates": candidates,
        "upos": upos,
        "morph": (str(token.morph) or None) if "morph" not in missing else None,
        "head": None,
        "dep": None,
        "entity": entity,
        "kind": kind,
    }


def _heads(sentence: Span, tokens: list[Token]) -> dict[int, tuple[int | None, str | None]]:
    """(head token_index or None for the root, relation) for each kept token of a sentence.

    A head that was left out (white space) is replaced by its own head, so the tree stays a
    tree over the kept tokens. If that leaves several roots, the first keeps the root and
    the others hang from it as `dep`; CoNLL-U allows one root per sentence.
    """
    index = {t.i: n for n, t in enumerate(tokens)}
    found: dict[int, tuple[int | None, str | None]] = {}
    for n, token in enumerate(tokens):
        head = token
        target: int | None = None
        for _ in range(len(sentence) + 1):
            if head.head.i == head.i or not (sentence.start <= head.head.i < sentence.end):
                break  # the root, or a head outside the sentence: treat as the root
            head = head.head
            if head.i in index:
                target = index[head.i]
                break
        dep = token.dep_ or None
        if target is None:
            dep = "root"
        found[n] = (target, dep)
    roots = [n for n, (target, _) in found.items() if target is None]
    for extra in roots[1:]:
        found[extra] = (roots[0], "dep")
    return found


def _metadata_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int64"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "float64"
    return "string"
