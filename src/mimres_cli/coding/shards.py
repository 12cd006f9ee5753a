"""Coding a corpus in shards on several machines, and merging the parts into one results folder.

`mimres code --shard I/N` codes the interviews of shard I of N (`Shard.holds`: a stable hash
of the interview id, the same on every machine and Python) and writes a *part*: a results
folder of those interviews whose manifest records the shard and the whole corpus (every file
with its sha256). `merge_parts` reads the N parts, checks that they were coded from the same
corpus, codebooks and options, puts the rows in the order a one-machine run writes them (the
corpus order recorded in the manifest) and computes the findings again over all interviews.

What "identical to a one-machine run" covers: every table (segments, units, interviews,
codes, findings) byte for byte, and manifest.json apart from the keys that differ from run to
run whatever the input (`RUN_KEYS`): when coding started, how long the stages took, the parse
cache's hits, the number of processes and the cache folder, and the `parts` record of a
merge. This module imports neither spaCy nor the NLP stage.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from mimres_cli.coding.results import TABLES, Manifest, Results
from mimres_cli.coding.schema import (
    INTERVIEW_COLUMNS,
    SEGMENT_COLUMNS,
    UNIT_COLUMNS,
    metadata_columns,
    order_columns,
)
from mimres_cli.errors import MimresError, OutputError

#: The manifest key of a part: which shard of how many it holds ("2/3").
SHARD_KEY = "shard"
#: The manifest key of a merged results folder: what each part recorded of its own run.
PARTS_KEY = "parts"
#: Manifest keys (dotted: within `options`) that differ from run to run for the same inputs;
#: everything else in a merged manifest is what a one-machine run writes.
RUN_KEYS = ("started", "durations", "parse_cache", "options.jobs", "options.jobs_requested",
            "options.cache", PARTS_KEY)  # fmt: skip

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
_SHARD_FIX = "Give the shard as I/N with 1 <= I <= N, e.g. --shard 2/3 (on Slurm: " \
    "--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)"  # fmt: skip
_SAME_RUN_FIX = "Code every shard with the same corpus, codebooks and options, then merge"


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (1-based): the interviews whose id hashes to it."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise MimresError(f"shard {self.index}/{self.count} does not exist",
                              fix=_SHARD_FIX, code="E510")  # fmt: skip

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, spec: str | Shard) -> Shard:
        """A shard from its `I/N` form ("2/3")."""
        if isinstance(spec, Shard):
            return spec
        found = _SPEC.fullmatch(spec)
        if found is None:
            raise MimresError(f"--shard '{spec}' is not I/N", fix=_SHARD_FIX, code="E510")
        return cls(int(found[1]), int(found[2]))

    def holds(self, interview_id: str) -> bool:
        """Whether the interview with this id belongs to this shard."""
        return shard_of(interview_id, self.count) == self.index

    def select(self, ids: Iterable[str]) -> list[str]:
        """The ids of this shard, in the order given."""
        return [one for one in ids if self.holds(one)]


def shard_of(interview_id: str, count: int) -> int:
    """The shard (1..count) of an interview: its id's SHA-256 modulo `count`.

    Stable across machines, processes and Python versions (unlike `hash()`), so every task of
    a job array agrees on the partition without talking to the others.
    """
    digest = hashlib.sha256(interview_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def part_manifest(manifest: Manifest, shard: Shard | None) -> Manifest:
    """`manifest` marked as that of the part holding `shard` (unchanged for None)."""
    if shard is None:
        return manifest
    return replace(manifest, extra={**manifest.extra, SHARD_KEY: str(shard)})


def part_tables(results: Results, shard: Shard | None) -> Results:
    """The coded tables of a shard, with the design's columns even when the shard holds no
    interview, so that every part can be counted, written, read and merged alike."""
    if shard is None:
        return results
    attributes = results.design.attributes

    def typed(table: pd.DataFrame, fixed: dict[str, str]) -> pd.DataFrame:
        if all(name in table.columns for name in attributes):
            return table
        metadata = sorted({*metadata_columns(table, fixed), *attributes})
        return order_columns(table, fixed, metadata, attributes)

    return Results(
        segments=typed(results.segments, SEGMENT_COLUMNS),
        units=typed(results.units, UNIT_COLUMNS),
        interviews=typed(results.interviews, INTERVIEW_COLUMNS),
        codes=results.codes,
        manifest=results.manifest,
        warnings=results.warnings,
    )


def merge_folders(folders: Sequence[Path | str], out: Path | str) -> tuple[Results, list[Path]]:
    """Read the parts in `folders`, merge them (`merge_parts`) and write the results folder
    `out` with the tables the parts were written with. Returns the results and the files."""
    merged = read_parts(folders)  # the parts are inputs now: writing over one is E506
    tables = [name.removesuffix(".csv") for name in merged.manifest.tables] or TABLES
    return merged, merged.write(Path(out), tables=tables)


def read_parts(folders: Sequence[Path | str]) -> Results:
    """Read the parts written by `mimres code --shard I/N` and merge them (`merge_parts`)."""
    folders = [Path(folder) for folder in folders]
    return merge_parts([Results.read(folder) for folder in folders], [str(f) for f in folders])


def merge_parts(parts: Sequence[Results], names: Sequence[str] = ()) -> Results:
    """The results of a one-machine run, from the parts of every shard.

    `names` name the parts in messages (their folders). Raises MimresError (E511) when the
    parts were coded from different corpora, codebooks or options, and (E512) when a part is
    no shard part, or a shard is missing or given twice.
    """
    names = list(names) or [f"part {n}" for n in range(1, len(parts) + 1)]
    if not parts:
        raise MimresError("no parts to merge", code="E512",
                          fix="Give the results folders of every shard")  # fmt: skip
    shards = [_shard(part, name) for part, name in zip(parts, names, strict=True)]
    _check_complete(shards, names)
    _check_same_run(parts, names)
    for part, shard, name in zip(parts, shards, names, strict=True):
        _check_interviews(part, shard, name)
    order = {source.id: n for n, source in enumerate(parts[0].manifest.files)}
    ordered = sorted(range(len(parts)), key=lambda n: shards[n].index)
    first = parts[0].design.attributes

    def merged(name: str, fixed: dict[str, str]) -> pd.DataFrame:
        tables = [getattr(parts[n], name) for n in ordered]
        table = pd.concat(tables, ignore_index=True)
        metadata = sorted({c for t in tables for c in metadata_columns(t, fixed)})
        position = table["interview_id"].map(order)
        table = table.iloc[position.argsort(kind="stable")].reset_index(drop=True)
        table = order_columns(table, fixed, metadata, first)
        # as Results.read gives them: a text attribute an interview lacks is empty
        return table.fillna({c: "" for c in metadata if table[c].dtype == "string"})

    results = Results(
        segments=merged("segments", SEGMENT_COLUMNS),
        units=merged("units", UNIT_COLUMNS),
        interviews=merged("interviews", INTERVIEW_COLUMNS),
        codes=parts[0].codes,
        manifest=_merged_manifest([parts[n] for n in ordered], [names[n] for n in ordered]),
    )
    results.findings  # noqa: B018 (over all interviews, as a one-machine run computes them)
    return results


def comparable(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """A manifest's JSON form without the `RUN_KEYS` and the shard: what identical runs share."""
    data = {key: value for key, value in manifest.items() if key not in RUN_KEYS}
    data.pop(SHARD_KEY, None)
    options = dict(data.get("options") or {})
    for key in RUN_KEYS:
        if key.startswith("options."):
            options.pop(key.removeprefix("options."), None)
    data["options"] = options
    return data


# --------------------------------------------------------------------------- checks


def _shard(part: Results, name: str) -> Shard:
    spec = part.manifest.extra.get(SHARD_KEY)
    if not spec:
        raise OutputError(f"'{name}' is no shard part (coded without --shard)", code="E512",
                          fix="Merge only the folders written by "
                          "'mimres code --shard I/N'")  # fmt: skip
    try:
        return Shard.parse(str(spec))
    except MimresError:
        raise OutputError(f"'{name}' records shard '{spec}', which is not I/N", code="E512",
                          fix="Write the part again with "
                          "'mimres code --shard I/N'") from None  # fmt: skip


def _check_complete(shards: Sequence[Shard], names: Sequence[str]) -> None:
    counts = dict.fromkeys(shard.count for shard in shards)
    if len(counts) > 1:
        a, b = 0, next(n for n, shard in enumerate(shards) if shard.count != shards[0].count)
        raise OutputError(f"'{names[a]}' is shard {shards[a]} but '{names[b]}' is shard "
                          f"{shards[b]}: the parts split the corpus differently", code="E512",
                          fix="Merge the parts of one job array (the same N)")  # fmt: skip
    seen: dict[int, int] = {}
    for n, shard in enumerate(shards):
        if shard.index in seen:
            raise OutputError(f"shard {shard} is given twice ('{names[seen[shard.index]]}' "
                              f"and '{names[n]}')", code="E512",
                              fix="Give each shard's folder once")  # fmt: skip
        seen[shard.index] = n
    count = shards[0].count
    missing = [str(i) for i in range(1, count + 1) if i not in seen]
    if missing:
        raise OutputError(f"shard(s) {', '.join(missing)} of {count} are missing", code="E512",
                          fix=f"Give the results folders of all {count} shards (a failed "
                          "task: run it again, then merge)")  # fmt: skip


def _check_same_run(parts: Sequence[Results], names: Sequence[str]) -> None:
    reference = comparable(parts[0].manifest.to_dict())
    for part, name in zip(parts[1:], names[1:], strict=True):
        other = comparable(part.manifest.to_dict())
        for key in sorted(reference.keys() | other.keys(), key=_check_order):
            if reference.get(key) != other.get(key):
                raise OutputError(
                    f"'{name}' was coded with {_WHAT.get(key, f'another {key}')} than '{names[0]}'"
                    f"{_difference(key, reference.get(key), other.get(key))}",
                    code="E511", fix=_SAME_RUN_FIX,
                )  # fmt: skip
        if not part.codes.equals(parts[0].codes):
            raise OutputError(f"'{name}' has codes other than '{names[0]}' (codes.csv)",
                              code="E511", fix=_SAME_RUN_FIX)  # fmt: skip


def _check_interviews(part: Results, shard: Shard, name: str) -> None:
    known = {source.id for source in part.manifest.files}
    ids = list(part.interviews["interview_id"])
    expected = shard.select(source.id for source in part.manifest.files)
    if ids != expected or not set(part.segments["interview_id"]) <= known:
        raise OutputError(f"'{name}' does not hold the interviews of shard {shard} of its corpus",
                          code="E511",
                          fix="Write the part again with 'mimres code --shard "
                          f"{shard}'")  # fmt: skip


# --------------------------------------------------------------------------- the manifest

#: What a manifest key is, in messages, and the order in which keys are compared (the most
#: telling difference first).
_WHAT = {
    "corpus": "another corpus (files or their sha256)",
    "codebooks": "other codebooks (or another version of them)",
    "metadata": "another metadata sheet",
    "design": "another study design",
    "pipeline": "another spaCy pipeline",
    "options": "other options",
    "tool": "another version of mimres",
    "spacy": "another version of spaCy",
    "python": "another version of Python",
}
_CHECK_ORDER: dict[str, int] = {key: n for n, key in enumerate(_WHAT)}


def _check_order(key: str) -> tuple[int, str]:
    return _CHECK_ORDER.get(key, len(_CHECK_ORDER)), key


def _difference(key: str, one: Any, other: Any) -> str:
    """What differs, briefly: the first differing entry of a list or mapping."""
    if key == "corpus" and isinstance(one, dict) and isinstance(other, dict):
        ids = {f.get("id"): f for f in one.get("files", [])}
        for source in other.get("files", []):
            if ids.get(source.get("id")) != source:
                return f" (interview '{source.get('id')}')"
        return ""
    if key == "codebooks" and isinstance(one, list) and isinstance(other, list):
        return f" ({', '.join(b.get('name', '') for b in other)})"
    if isinstance(one, dict) and isinstance(other, dict):
        keys = [k for k in sorted(one.keys() | other.keys()) if one.get(k) != other.get(k)]
        return f" ({key}.{keys[0]}: {one.get(keys[0])!r} against {other.get(keys[0])!r})"
    return f" ({one!r} against {other!r})"


def _merged_manifest(parts: Sequence[Results], names: Sequence[str]) -> Manifest:
    """The manifest of a one-machine run; what differs per run is combined and kept per part."""
    manifests = [part.manifest for part in parts]
    first = manifests[0]
    durations: dict[str, float] = {}
    for manifest in manifests:
        for stage, seconds in manifest.durations.items():
            durations[stage] = round(durations.get(stage, 0.0) + seconds, 3)
    caches = [m.parse_cache for m in manifests if m.parse_cache is not None]
    parse_cache = None
    if caches:
        parse_cache = {key: sum(c.get(key, 0) for c in caches) for key in caches[0]}
    options = dict(first.options)
    for key in ("jobs", "jobs_requested", "cache"):
        values = {repr(m.options.get(key)) for m in manifests}
        options[key] = first.options.get(key) if len(values) == 1 else None
    if options.get("jobs_requested") is None:
        options.pop("jobs_requested", None)
    extra = {key: value for key, value in first.extra.items() if key != SHARD_KEY}
    extra[PARTS_KEY] = [
        {"folder": name, SHARD_KEY: str(m.extra.get(SHARD_KEY)), "started": m.started,
         "durations": m.durations, "parse_cache": m.parse_cache,
         "jobs": m.options.get("jobs"), "cache": m.options.get("cache")}
        for m, name in zip(manifests, names, strict=True)
    ]  # fmt: skip
    return replace(first, started=min(m.started for m in manifests), durations=durations,
                   parse_cache=parse_cache, options=options, extra=extra)  # fmt: skip
