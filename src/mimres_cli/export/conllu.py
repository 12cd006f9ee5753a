"""Write token rows as CoNLL-U (https://universaldependencies.org/format.html), streamed.

Each interview starts a document: `# newdoc id = <interview id>`, the provenance comments given
(`mimres tag` writes `# pipeline = <name> <version>` and `# mimres_version = <version>`), and
one `# meta::<key> = <value>` comment per metadata attribute that has a value (the GUM corpus
convention).
Each sentence is a block with `# sent_id = <interview id>-<sentence_index>`, `# speaker`,
`# turn_index` and `# text`, then one line of 10 tab-separated columns per token:

ID (token_index + 1), FORM, LEMMA, UPOS, XPOS (`_`), FEATS, HEAD (0 for the root, `_` without a
parser), DEPREL, DEPS (`_`), MISC. Unknown values are `_`. MISC holds `name=B-PER` (the entity
tag in BIO form, as in NorNE), `LemmaCandidates=a,b`, `Mark=Yes` for transcription marks,
`SpaceAfter=No` and `TokenRange=start:end` (character offsets into the interview body).
Transcription marks are kept as tokens, so the forms rebuild the text exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import IO, Any

Chunk = list[dict[str, Any]]


def write_conllu(
    chunks: Iterable[Chunk],
    metadata: Sequence[str],
    out: IO[str],
    provenance: Mapping[str, str] | None = None,
) -> int:
    """Write each chunk (one interview's rows, in body order) as a CoNLL-U document.

    `metadata` names the metadata columns to write as `# meta::` comments; `provenance` gives
    `# key = value` comments for every document header. Returns the number of tokens written.
    A chunk with no rows writes nothing (CoNLL-U has no empty documents).
    """
    count = 0
    for chunk in chunks:
        if not chunk:
            continue
        out.write(_document_header(chunk[0], metadata, provenance or {}))
        space_after = _space_after(chunk)
        position = 0
        for sentence_index, rows in groupby(chunk, key=lambda row: row["sentence_index"]):
            sentence = list(rows)
            spaces = space_after[position : position + len(sentence)]
            out.write(_sentence(sentence, sentence_index, spaces))
            position += len(sentence)
        count += len(chunk)
    return count


def _document_header(
    row: dict[str, Any], metadata: Sequence[str], provenance: Mapping[str, str]
) -> str:
    lines = [f"# newdoc id = {_one_line(row['interview_id'])}"]
    lines += [f"# {key} = {_one_line(value)}" for key, value in provenance.items()]
    for key in metadata:
        value = row.get(key)
        if value is not None and _one_line(value):  # an empty value would end in a blank
            lines.append(f"# meta::{key} = {_one_line(value)}")
    return "\n".join(lines) + "\n"


def _sentence(rows: list[dict[str, Any]], sentence_index: int, spaces: list[bool]) -> str:
    first = rows[0]
    text = "".join(
        row["text"] + (" " if space and n < len(rows) - 1 else "")
        for n, (row, space) in enumerate(zip(rows, spaces, strict=True))
    )
    lines = [
        f"# sent_id = {_one_line(first['interview_id'])}-{sentence_index}",
        f"# speaker = {_one_line(first['speaker'])}",
        f"# turn_index = {first['turn_index']}",
        f"# text = {text}",
    ]
    lines += [_token_line(row, space) for row, space in zip(rows, spaces, strict=True)]
    return "\n".join(lines) + "\n\n"


def _token_line(row: dict[str, Any], space_after: bool) -> str:
    has_parse = row.get("dep") is not None
    head = row.get("head")
    columns = [
        str(row["token_index"] + 1),
        row["text"],
        _field(row.get("lemma")),
        _field(row.get("upos")),
        "_",
        _field(row.get("morph")),
        ("0" if head is None else str(head + 1)) if has_parse else "_",
        _field(row.get("dep")),
        "_",
        _misc(row, space_after),
    ]
    return "\t".join(columns)


def _misc(row: dict[str, Any], space_after: bool) -> str:
    parts = []
    if row.get("entity"):
        parts.append(f"name={row['entity']}")
    if row.get("lemma_candidates"):
        parts.append(f"LemmaCandidates={row['lemma_candidates'].replace('|', ',')}")
    if row.get("kind") == "mark":
        parts.append("Mark=Yes")
    if not space_after:
        parts.append("SpaceAfter=No")
    parts.append(f"TokenRange={row['start']}:{row['end']}")
    return "|".join(parts)


def _space_after(chunk: Chunk) -> list[bool]:
    """False where the next token of the same turn starts right where this one ends."""
    flags = []
    for row, following in zip(chunk, [*chunk[1:], None], strict=True):
        touching = (
            following is not None
            and following["turn_index"] == row["turn_index"]
            and following["start"] == row["end"]
        )
        flags.append(not touching)
    return flags


def _field(value: Any) -> str:
    if value is None or value == "":
        return "_"
    return _one_line(value).replace(" ", "_")


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())
