"""Streaming writers for the token table: CSV, JSON Lines and Parquet.

Rows arrive in chunks (one interview's tokens each) and leave as they arrive, so a corpus of
any size is written with one interview's tokens in memory. Empty cells are None: an empty
field in CSV, `null` in JSON Lines and Parquet.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mimres_cli.vocabulary import TOKEN_FORMATS, TokenFormat


@dataclass(frozen=True)
class TokenWriter:
    """One token format: the suffixes that name it, whether it is text (stdout works) and
    whether its provenance goes into a sidecar file (else it is inside the file)."""

    suffixes: tuple[str, ...]
    text: bool = True
    sidecar: bool = False


#: Every token format and the file suffixes that name it (`mimres tag -o x.conllu`).
TOKEN_WRITERS: dict[TokenFormat, TokenWriter] = {
    "csv": TokenWriter((".csv",), sidecar=True),
    "jsonl": TokenWriter((".jsonl", ".ndjson"), sidecar=True),
    "parquet": TokenWriter((".parquet",), text=False),  # provenance in the schema metadata
    "conllu": TokenWriter((".conllu", ".conll")),  # provenance in comments
}
assert tuple(TOKEN_WRITERS) == TOKEN_FORMATS, "one writer per token format"

Chunk = list[dict[str, Any]]

# Parquet row groups of about this many rows: large enough to compress well, small enough
# that the buffer stays a few megabytes.
_PARQUET_ROWS = 50_000


def write_tokens_csv(chunks: Iterable[Chunk], columns: Iterable[str], out: IO[str]) -> int:
    """Write the rows as CSV (header first, `\\n` line endings); return the number of rows."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", restval="")
    writer.writeheader()
    count = 0
    for chunk in chunks:
        writer.writerows(chunk)
        count += len(chunk)
    return count


def write_tokens_jsonl(chunks: Iterable[Chunk], columns: Iterable[str], out: IO[str]) -> int:
    """Write one JSON object per line, keys in column order; return the number of rows."""
    names = list(columns)
    count = 0
    for chunk in chunks:
        out.writelines(
            json.dumps({name: row.get(name) for name in names}, ensure_ascii=False) + "\n"
            for row in chunk
        )
        count += len(chunk)
    return count


def write_tokens_parquet(
    chunks: Iterable[Chunk],
    columns: Mapping[str, str],
    path: Path,
    provenance: Mapping[str, Any] | None = None,
) -> int:
    """Write a Parquet file with pyarrow's ParquetWriter, a row group per ~50,000 rows.

    `columns` maps each column to a pandas dtype name (string, int64, Int64, float64, boolean).
    `provenance` is stored as JSON in the schema metadata under the key "mimres".
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(dtype)) for name, dtype in columns.items()])
    if provenance is not None:
        schema = schema.with_metadata({"mimres": json.dumps(provenance, ensure_ascii=False)})
    names = list(columns)
    count = 0
    buffer: Chunk = []
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in chunks:
            buffer.extend(chunk)
            count += len(chunk)
            if len(buffer) >= _PARQUET_ROWS:
                writer.write_table(_arrow_table(buffer, names, schema))
                buffer = []
        if buffer or count == 0:
            writer.write_table(_arrow_table(buffer, names, schema))
    return count


def _arrow_table(rows: Chunk, names: list[str], schema: Any) -> Any:
    import pyarrow as pa

    data = {}
    for name, field in zip(names, schema, strict=True):
        values = [row.get(name) for row in rows]
        if pa.types.is_string(field.type):  # metadata of mixed types is text
            values = [v if v is None or isinstance(v, str) else str(v) for v in values]
        else:  # "" stands for a missing metadata value
            values = [None if v == "" else v for v in values]
        data[name] = values
    return pa.Table.from_pydict(data, schema=schema)


def _arrow_type(dtype: str) -> Any:
    import pyarrow as pa

    kinds = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
             "boolean": pa.bool_()}  # fmt: skip
    return kinds[dtype.lower()]
