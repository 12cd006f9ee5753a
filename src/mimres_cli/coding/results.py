"""`Results`: the coded tables of one run and their manifest, the one shape later stages read.

A run (`mimres_cli.code`, `mimres run --out`) makes one; `Results.read(folder)` reads a results
folder back. Coverage and report tables are computed once and reused by the terminal, Markdown,
HTML and XLSX renderers. This module imports neither spaCy nor the NLP stage.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from mimres_cli.coding.schema import (
    CODE_COLUMNS,
    INTERVIEW_COLUMNS,
    SEGMENT_COLUMNS,
    UNIT_COLUMNS,
    TableLayout,
)
from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.errors import MimresError, MissingInputError, OutputError, Problem, Where
from mimres_cli.files import FLOAT_FORMAT, staged_files, write_table_csv
from mimres_cli.findings import coverage, crosstab, findings, tables
from mimres_cli.safety import (
    RESULTS_MARKER,
    InputKind,
    check_results_folder,
    results_marker,
    use_input,
)

#: The files of a results folder that later commands read; findings.csv is computed again.
RESULT_FILES = ("segments.csv", "units.csv", "interviews.csv", "codes.csv", "manifest.json")
#: The tables of a results folder, in the order they are written.
TABLES = ("segments", "findings", "interviews", "units", "codes")
_CODE_DTYPES = {"code": "string", "theme": "string", "label": "string", "parent": "string",
                "depth": "int64", "codebook": "string"}  # fmt: skip
_TOOL = "mimres-cli"


@dataclass(frozen=True)
class PipelineRecord:
    """The spaCy pipeline that parsed the text, as manifest.json records it."""

    name: str = ""
    version: str = ""
    spacy: str = ""
    fallback: bool = False
    components: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodebookRecord:
    """One codebook applied: its name, path and the sha256 of the file."""

    name: str
    path: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class SourceFile:
    """One transcript coded: its interview id, file and sha256."""

    id: str
    file: str
    sha256: str = ""


@dataclass(frozen=True)
class Manifest:
    """manifest.json of a results folder: what was coded, with what, how and when.

    Read and written only here (`from_dict` / `to_dict`); keys this version does not know are
    kept in `extra` and written back unchanged.
    """

    tool_version: str = ""
    python: str = ""
    spacy: str = ""
    pipeline: PipelineRecord = field(default_factory=PipelineRecord)
    codebooks: tuple[CodebookRecord, ...] = ()
    corpus: str = ""  # the corpus path as given
    files: tuple[SourceFile, ...] = ()
    metadata: dict[str, str] | None = None  # the metadata sheet merged in: path and sha256
    options: dict[str, Any] = field(default_factory=dict)
    design: Design = DEFAULT_DESIGN
    parse_cache: dict[str, int] | None = None
    started: str = ""  # when coding started (UTC, ISO 8601); `created` in older manifests
    durations: dict[str, float] = field(default_factory=dict)
    tables: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. project, fail_on, outputs

    def __repr__(self) -> str:
        books = ", ".join(book.name for book in self.codebooks)
        return (f"Manifest({_TOOL} {self.tool_version}, pipeline {self.pipeline.name}, "
                f"codebooks [{books}], {len(self.files)} files, design {self.design})")  # fmt: skip

    @property
    def coded_at(self) -> str:
        """When the results were coded."""
        return self.started

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        """A manifest from its JSON form; missing keys get their defaults."""
        data = dict(data)
        tool = _mapping(data.pop("tool", None))
        pipeline = _mapping(data.pop("pipeline", None))
        corpus = _mapping(data.pop("corpus", None))
        design = data.pop("design", None)
        started = data.pop("started", None) or data.pop("created", None) or ""
        return cls(
            tool_version=str(tool.get("version") or ""),
            python=str(data.pop("python", "") or ""),
            spacy=str(data.pop("spacy", "") or ""),
            pipeline=PipelineRecord(
                name=str(pipeline.get("name") or ""),
                version=str(pipeline.get("version") or ""),
                spacy=str(pipeline.get("spacy") or ""),
                fallback=bool(pipeline.get("fallback")),
                components=tuple(pipeline.get("components") or ()),
            ),
            codebooks=tuple(
                CodebookRecord(
                    str(b.get("name", "")), str(b.get("path", "")), str(b.get("sha256", ""))
                )
                for b in map(_mapping, data.pop("codebooks", None) or ())
            ),
            corpus=str(corpus.get("path") or ""),
            files=tuple(
                SourceFile(str(f.get("id", "")), str(f.get("file", "")), str(f.get("sha256", "")))
                for f in map(_mapping, corpus.get("files") or ())
            ),
            metadata=data.pop("metadata", None) or None,
            options=dict(data.pop("options", None) or {}),
            design=Design.from_data(design) if design else DEFAULT_DESIGN,
            parse_cache=data.pop("parse_cache", None),
            started=str(started),
            durations=dict(data.pop("durations", None) or {}),
            tables=tuple(data.pop("tables", None) or ()),
            extra=data,  # what is left: keys other versions or commands added
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of manifest.json (the same keys every version wrote, and `design`)."""
        pipeline = self.pipeline
        return {
            **self.extra,
            "tool": {"name": _TOOL, "version": self.tool_version},
            "python": self.python,
            "spacy": self.spacy,
            "pipeline": {
                "name": pipeline.name,
                "version": pipeline.version,
                "spacy": pipeline.spacy,
                "fallback": pipeline.fallback,
                "components": list(pipeline.components),
            },
            "codebooks": [
                {"name": b.name, "path": b.path, "sha256": b.sha256} for b in self.codebooks
            ],
            "corpus": {
                "path": self.corpus,
                "files": [{"id": f.id, "file": f.file, "sha256": f.sha256} for f in self.files],
            },
            "metadata": self.metadata,
            "options": self.options,
            "design": self.design.to_dict(),
            "parse_cache": self.parse_cache,
            "started": self.started,
            "durations": self.durations,
            "tables": list(self.tables),
        }

    @classmethod
    def read(cls, path: Path | str) -> Manifest:
        """manifest.json at `path`."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OutputError(f"cannot read manifest.json ({exc})", where=Where(path),
                              fix="Write the results again") from exc  # fmt: skip
        if not isinstance(data, dict):
            raise OutputError("manifest.json is not a JSON object", where=Where(path),
                              fix="Write the results again")  # fmt: skip
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError, AttributeError, MimresError) as exc:
            raise OutputError(
                f"manifest.json has a value mimres cannot read ({exc})",
                where=Where(path),
                fix="Write the results again with 'mimres code'",
            ) from None


@dataclass(frozen=True, eq=False)
class Results:
    """The segments, units, interviews and codes tables of a coded corpus, and its manifest.

    `coverage()`, `crosstab()` and `findings` are computed once per argument and kept; they
    return copies, so changing one does not change what the next call returns.
    """

    segments: pd.DataFrame
    units: pd.DataFrame
    interviews: pd.DataFrame
    codes: pd.DataFrame
    manifest: Manifest = field(default_factory=Manifest)
    warnings: tuple[Problem, ...] = ()  # warnings about the inputs met during the run
    _memo: dict[tuple, pd.DataFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __repr__(self) -> str:
        return (f"Results({len(self.interviews)} interviews, {len(self.units)} units, "
                f"{len(self.segments)} segments, {len(self.codes)} codes, "
                f"design {self.design})")  # fmt: skip

    @property
    def design(self) -> Design:
        """The two attributes the main tables cross (recorded in the manifest)."""
        return self.manifest.design

    @property
    def durations(self) -> dict[str, float]:
        """Seconds per stage of the run that made these results."""
        return self.manifest.durations

    @property
    def findings(self) -> pd.DataFrame:
        """findings.csv: coverage over all interviews, per design attribute, and both crossed."""
        return self._cached(("findings",), lambda: findings(
            self.segments, self.interviews, self.codes, self.design))  # fmt: skip

    def coverage(self, by: str | Sequence[str] = ()) -> pd.DataFrame:
        """Per code and cell of `by` (an attribute, "a+b" crossed, or a list): interviews,
        coded_interviews, share, segments and words (see `findings.coverage`)."""
        names = _attributes(by)
        return self._cached(("coverage", *names), lambda: coverage(
            self.segments, self.interviews, self.codes, names))  # fmt: skip

    def crosstab(
        self, by: str | Sequence[str] | None = None, measure: str = "share"
    ) -> pd.DataFrame:
        """A report table: a row per code, a column per value of `by` (default: the design's
        first attribute), then All; cells hold `measure` (see `findings.crosstab`)."""
        names = _attributes(by) if by is not None else [self.design.rows]
        self._check(names)
        return self._cached(("crosstab", measure, *names), lambda: crosstab(
            self.segments, self.interviews, self.codes, names, measure))  # fmt: skip

    def tables(
        self,
        by: Sequence[str] | None = None,
        *,
        measure: str = "share",
        under: str | None = None,
        min_share: float = 0.0,
        sort: str = "codebook",
    ) -> dict[str, pd.DataFrame]:
        """The report tables of `mimres tables`, one per entry of `by` (default: one per
        attribute of the design); see `findings.tables` for the options."""
        by = list(self.design.attributes if by is None else by)
        return tables(self.segments, self.interviews, self.codes, by, measure=measure,
                      under=under, min_share=min_share, sort=sort)  # fmt: skip

    def uncoded_interviews(self) -> list[str]:
        """Ids of the interviews where no code matched any unit."""
        coded = set(self.segments["interview_id"])
        return [i for i in self.interviews["interview_id"] if i not in coded]

    def failed(self, conditions: Iterable[str]) -> list[str]:
        """One line for each `--fail-on` condition that these results meet (empty: none met)."""
        lines = []
        for condition in dict.fromkeys(conditions):
            if condition == "warnings" and self.warnings:
                lines.append(f"{len(self.warnings)} warning(s) about the inputs "
                             "(--fail-on warnings)")  # fmt: skip
            elif condition == "uncoded-interviews" and (uncoded := self.uncoded_interviews()):
                shown = ", ".join(uncoded[:10]) + (", ..." if len(uncoded) > 10 else "")
                lines.append(f"{len(uncoded)} interview(s) with no coded segment: {shown} "
                             "(--fail-on uncoded-interviews)")  # fmt: skip
        return lines

    def with_design(self, design: Design | None) -> Results:
        """These results with another design (None: unchanged); checks the attributes exist."""
        if design is None or design == self.design:
            return self
        self._check(design.attributes)
        return self.with_manifest(replace(self.manifest, design=design))

    def with_manifest(
        self, manifest: Manifest, warnings: Sequence[Problem] | None = None
    ) -> Results:
        """The same tables with another manifest (and warnings). What was computed is kept
        while the design stays the same."""
        warnings = self.warnings if warnings is None else tuple(warnings)
        made = Results(self.segments, self.units, self.interviews, self.codes, manifest, warnings)
        if manifest.design == self.design:
            made._memo.update(self._memo)
        return made

    @classmethod
    def read(cls, folder: Path | str, *, design: Design | None = None) -> Results:
        """A results folder (written by `write`, `mimres code` or `mimres run --out`), with
        the documented dtypes. `design` overrides the one recorded in the manifest."""
        folder = Path(folder)
        if not folder.is_dir():
            raise MissingInputError(
                f"results folder '{folder}' does not exist",
                fix="Write one with 'mimres code ... --out FOLDER' or 'mimres run --out FOLDER'",
            )
        missing = [name for name in RESULT_FILES if not (folder / name).is_file()]
        if missing:
            raise MissingInputError(
                f"results folder '{folder}' lacks {', '.join(missing)}",
                fix="Write it again with 'mimres code ... --out FOLDER'",
            )
        for name in RESULT_FILES:
            use_input(folder / name, "results file")
        manifest = Manifest.read(folder / "manifest.json")
        _use_recorded_inputs(manifest)
        results = cls(
            segments=_read(folder / "segments.csv", SEGMENT_COLUMNS),
            units=_read(folder / "units.csv", UNIT_COLUMNS),
            interviews=_read(folder / "interviews.csv", INTERVIEW_COLUMNS),
            codes=_with_descriptions(_read(folder / "codes.csv", _CODE_DTYPES)),
            manifest=manifest,
        )
        return results.with_design(design)

    def write(
        self,
        folder: Path | str,
        *,
        tables: Sequence[str] = TABLES,
        extra: Mapping[str, Any] | None = None,
        force: bool = False,
    ) -> list[Path]:
        """Write the chosen tables as CSV (default: all of TABLES) and manifest.json.

        All files appear together or none do. `extra` adds keys to the manifest (e.g. the
        project file). Rows are in a fixed order and floats have a fixed format, so the same
        inputs give byte-identical tables. The folder gets a marker file listing them; a
        folder of other files, or inside the corpus, is refused unless `force`, and an input
        is never replaced (see `safety.check_results_folder`).
        """
        with ResultsFolder.open(folder, tables=tables, force=force) as target:
            target.finish(self, extra)
        return target.written

    def _check(self, attributes: Iterable[str]) -> None:
        missing = [a for a in attributes if a not in self.interviews.columns]
        if missing:
            known = [c for c in self.interviews.columns if c not in INTERVIEW_COLUMNS]
            raise MimresError(f"no attribute '{missing[0]}' in the interviews",
                              fix=f"Use one of {', '.join(known)}", code="E002")  # fmt: skip

    def _cached(self, key: tuple, compute: Any) -> pd.DataFrame:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key].copy()


#: The columns of unit text that a run written while coding (`ResultsFolder`) writes to its
#: files but does not keep in the `Results` it returns.
TEXT_COLUMNS = ("text", "evidence")
#: Rows gathered before they are written, and text characters: one chunk of a streamed table.
_CHUNK_ROWS = 5000
_CHUNK_CHARS = 4_000_000


class ResultsFolder:
    """A results folder being written: the segments and units rows as they come (`add`), the
    rest at the end (`finish`). Use `ResultsFolder.open`.

    Everything goes to temporary files inside the folder and appears only when `finish` has
    written the last file (all files or none; a failure leaves the folder as it was). The
    streamed tables are byte-identical to `Results.write` of the same rows: each chunk is
    typed by the run's `TableLayout`, fixed before the first row.
    """

    def __init__(self, folder: Path, staging: Path, chosen: list[str], force: bool) -> None:
        self.folder, self.staging, self.chosen, self.force = folder, staging, chosen, force
        self.layout: TableLayout | None = None
        self.streams: dict[str, Any] = {}  # table name: its open temporary file
        self.pending: dict[str, list[Mapping[str, Any]]] = {"segments": [], "units": []}
        self.pending_chars = 0
        self.kept: dict[str, list[pd.DataFrame]] = {"segments": [], "units": []}
        self.interview_rows: list[Mapping[str, Any]] = []
        self.written: list[Path] = []  # set by `finish`
        self.seconds = 0.0  # spent writing rows (`add`)

    @classmethod
    @contextmanager
    def open(
        cls, folder: Path | str, *, tables: Sequence[str] = TABLES, force: bool = False
    ) -> Iterator[ResultsFolder]:
        """Check `folder` (as `Results.write` does) and write into it while the block runs;
        the files appear when the block ends after `finish`, else none does."""
        unknown = [name for name in tables if name not in TABLES]
        if unknown:
            raise MimresError(f"unknown table(s) {', '.join(unknown)}",
                              fix=f"Choose from {', '.join(TABLES)}")  # fmt: skip
        chosen = [name for name in TABLES if name in tables]
        folder = Path(folder)
        names = [*(f"{name}.csv" for name in chosen), "manifest.json"]
        check_results_folder(folder, names, force=force)
        with staged_files(folder, [*names, RESULTS_MARKER], inside_corpus=force) as staging:
            target = cls(folder, staging, chosen, force)
            try:
                yield target
            finally:
                for stream in target.streams.values():
                    stream.close()
            if not target.written:
                raise MimresError("the results folder was left unfinished",
                                  fix="Call finish before the block ends")  # fmt: skip

    def stream(self, layout: TableLayout) -> None:
        """Take the segments and units rows by `add` from now on, typed by `layout`."""
        self.layout = layout
        for name in ("segments", "units"):
            if name in self.chosen:
                path = self.staging / f"{name}.csv"
                self.streams[name] = path.open("w", encoding="utf-8", newline="")

    def add(self, segments: Sequence[Mapping[str, Any]], units: Sequence[Mapping[str, Any]],
            interview: Mapping[str, Any]) -> None:  # fmt: skip
        """One interview's rows (as `coding.apply.coded_rows` gives them)."""
        self.pending["segments"] += segments
        self.pending["units"] += units
        self.interview_rows.append(interview)
        self.pending_chars += sum(len(row["text"]) for row in units)
        self.pending_chars += sum(len(row["evidence"]) for row in segments)
        if self.pending_chars >= _CHUNK_CHARS or len(self.pending["units"]) >= _CHUNK_ROWS:
            self._flush()

    def results(self, codes: pd.DataFrame, manifest: Manifest) -> Results:
        """The streamed run's `Results`: every table, the segments and units without their
        `TEXT_COLUMNS` (they are in the files)."""
        if self.layout is None:
            raise MimresError("no rows were streamed", fix="Call ResultsFolder.stream first")
        self._flush(last=True)

        def kept(name: str) -> pd.DataFrame:  # one chunk at least, after the last flush
            return pd.concat(self.kept[name], ignore_index=True)

        interviews = self.layout.table("interviews", self.interview_rows)
        return Results(kept("segments"), kept("units"), interviews, codes, manifest)

    def finish(self, results: Results, extra: Mapping[str, Any] | None = None) -> Manifest:
        """Write the tables not streamed (from `results`), manifest.json and the marker; the
        files (`written`) appear in the folder when the block of `open` ends. Returns the
        manifest written (`results`' with `extra` and the tables)."""
        manifest = replace(results.manifest, tables=tuple(f"{n}.csv" for n in self.chosen),
                           extra={**results.manifest.extra, **dict(extra or {})})  # fmt: skip
        for name in self.chosen:
            table = getattr(results, name)
            if name not in self.streams and "text" not in table and name in ("segments", "units"):
                raise MimresError(
                    f"these results hold no unit text ({name}): they were written to a "
                    "results folder while coding",
                    fix="Read that folder with Results.read, or copy it",
                )
        for name in self.chosen:
            if name not in self.streams:
                write_table_csv(getattr(results, name), self.staging / f"{name}.csv")
        text = json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False, sort_keys=True)
        (self.staging / "manifest.json").write_text(text + "\n", encoding="utf-8")
        names = [*(f"{name}.csv" for name in self.chosen), "manifest.json"]
        marker = results_marker(self.folder, names, results.manifest.tool_version)
        (self.staging / RESULTS_MARKER).write_text(marker, encoding="utf-8")
        self.written = [self.folder / name for name in names]
        return manifest

    def _flush(self, last: bool = False) -> None:
        start = time.perf_counter()
        for name, rows in self.pending.items():
            first = not self.kept[name]
            if not rows and not (last and first):
                continue
            table = self.layout.table(name, rows)  # type: ignore[union-attr]
            if name in self.streams:
                table.to_csv(self.streams[name], index=False, header=first, lineterminator="\n",
                             float_format=FLOAT_FORMAT)  # fmt: skip
            self.kept[name].append(_without_text(table))
            rows.clear()
        self.pending_chars = 0
        self.seconds += time.perf_counter() - start


def _without_text(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=[c for c in TEXT_COLUMNS if c in table.columns])


def _use_recorded_inputs(manifest: Manifest) -> None:
    """The corpus, metadata sheet, codebooks and project file the results were coded from
    (where they still are) are inputs in use too: no output may replace them."""
    paths: list[tuple[str, InputKind]] = [(book.path, "codebook") for book in manifest.codebooks]
    paths += [(source.file, "transcript") for source in manifest.files]
    paths.append((str((manifest.metadata or {}).get("path") or ""), "metadata sheet"))
    paths.append((str(manifest.extra.get("project") or ""), "project file"))
    if manifest.corpus and Path(manifest.corpus).is_dir():
        use_input(manifest.corpus, "corpus folder")
    for path, kind in paths:
        if path and Path(path).is_file():
            use_input(path, kind)


def _attributes(by: str | Sequence[str]) -> list[str]:
    parts = [by] if isinstance(by, str) else list(by)
    return [name.strip() for part in parts for name in part.split("+") if name.strip()]


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _with_descriptions(codes: pd.DataFrame) -> pd.DataFrame:
    """codes.csv from before descriptions were written gets empty description columns."""
    for column in CODE_COLUMNS:
        if column not in codes.columns:
            codes[column] = ""
    return codes.fillna({"parent": ""})


def _read(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    try:
        # Metadata columns stay text: "01" is an id, not the number 1.
        table = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise OutputError(
            f"cannot read {path.name} ({exc})", where=Where(path), fix="Write the results again"
        ) from exc
    missing = [c for c in dtypes if c not in table.columns]
    if missing:
        raise OutputError(
            f"missing column(s) {', '.join(missing)}",
            where=Where(path),
            fix="Write the results folder again with this version of mimres",
        )
    for column, dtype in dtypes.items():
        if dtype == "boolean":
            table[column] = table[column].map({"True": True, "False": False}).astype("boolean")
        elif dtype != "string":
            try:
                table[column] = pd.to_numeric(table[column]).astype(dtype)
            except (ValueError, TypeError, OverflowError) as exc:
                raise OutputError(
                    f"column '{column}' holds a value that is no number ({exc})",
                    where=Where(path),
                    fix="Write the results folder again with 'mimres code'",
                ) from None
    for column in table.columns:
        if column not in dtypes:
            table[column] = table[column].fillna("")
    for column, dtype in dtypes.items():
        if dtype == "string":
            table[column] = table[column].fillna("")
    return table
