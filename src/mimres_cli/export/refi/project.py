"""A coded results folder as a REFI-QDA project (`.qdpx`): project.qde plus sources/*.txt."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from mimres_cli.codebook import Codebook, load_codebook
from mimres_cli.coding.results import Manifest, Results
from mimres_cli.corpus import Interview, load_corpus
from mimres_cli.errors import (
    CorpusError,
    MimresError,
    MissingInputError,
    OutputError,
    Where,
    problem,
    report,
)
from mimres_cli.export.refi._xml import (
    ORIGIN,
    PROJECT_NS,
    clean,
    code_element,
    code_paths,
    nodes_from_codebook,
    nodes_from_table,
    serialise,
    tag,
    text_child,
    utc,
)
from mimres_cli.export.refi.qdc import (
    TOOL_USER_NAME,
    code_guid,
    stable_guid,
    tool_user_guid,
)
from mimres_cli.export.refi.variables import case_variables, variable_values
from mimres_cli.files import write_files_atomic

log = logging.getLogger(__name__)

_EXCERPT = 40


@dataclass(frozen=True)
class ProjectExport:
    """A built project: the `project.qde` bytes and the source texts by file name."""

    qde: bytes
    sources: dict[str, str]
    interviews: int = 0
    selections: int = 0
    codings: int = 0
    warnings: tuple[str, ...] = field(default=())


def reload_interviews(
    manifest: Manifest, corpus: Path | None = None, base: Path | None = None
) -> dict[str, Interview]:
    """The coded interviews, read again from the corpus the manifest names (or from `corpus`).

    A relative corpus path in the manifest is tried from the current folder, then from `base`
    (the folder that holds the results folder).

    Raises CorpusError when a transcript changed since it was coded (its sha256 differs from
    the one in manifest.json) and MissingInputError when one cannot be found.
    """
    files = manifest.files
    if not files:
        raise OutputError(
            "manifest.json lists no transcripts",
            fix="Write the results again with 'mimres run --out FOLDER'",
        )
    root = corpus
    if root is None:
        recorded = manifest.corpus
        root = _resolve(recorded, base) if recorded else Path()
        if not recorded or not root.exists():
            raise MissingInputError(
                f"the coded corpus '{root}' is not there",
                fix="Give the folder of transcripts that was coded with --corpus",
            )
    # The same metadata sheet and speaker roles as the coding run, so attributes match.
    options = manifest.options
    sheet = _resolve(str(options["metadata"]), base) if options.get("metadata") else None
    roles = options.get("roles") or None
    corpus_ = load_corpus(root, metadata=sheet, roles=roles, design=manifest.design)
    loaded = {item.id: item for item in corpus_}
    interviews: dict[str, Interview] = {}
    for entry in files:
        interview_id = entry.id
        if interview_id not in loaded:
            raise CorpusError(
                f"interview '{interview_id}' of the results is not in the corpus",
                where=Where(root),
                fix="Give the folder the results were coded from with --corpus",
            )
        interview = loaded[interview_id]
        digest = hashlib.sha256(interview.path.read_bytes()).hexdigest()
        if entry.sha256 and digest != entry.sha256:
            raise CorpusError(
                "transcript changed since it was coded (sha256 differs from manifest.json)",
                where=Where(interview.path),
                fix="Code the corpus again ('mimres run --out FOLDER'), then export",
            )
        interviews[interview_id] = interview
    return interviews


def build_project(
    coding: Results,
    interviews: dict[str, Interview],
    codebooks: list[Codebook] | None = None,
    name: str | None = None,
) -> ProjectExport:
    """Build `project.qde` and the `sources/` texts for the coded interviews.

    Every segment's evidence (the sentence or window that was coded, not the whole turn)
    becomes a `PlainTextSelection` at code-point offsets into the interview body (end
    exclusive) with one `Coding` per code, by the tool's user. Raises CorpusError when a
    segment's evidence is not the body at its offsets.
    """
    ns = PROJECT_NS
    manifest = coding.manifest
    created = utc(manifest.coded_at)
    user = tool_user_guid()
    project_name = name or _project_name(manifest)
    root = etree.Element(tag(ns, "Project"), nsmap={None: ns})
    for key, value in (("name", clean(project_name)), ("origin", ORIGIN),
                       ("creatingUserGUID", user), ("creationDateTime", created)):  # fmt: skip
        root.set(key, value)

    users = etree.SubElement(root, tag(ns, "Users"))
    etree.SubElement(users, tag(ns, "User"), guid=user, name=TOOL_USER_NAME, id="MR")

    nodes = nodes_from_codebook(codebooks) if codebooks else ()
    paths_in_books = {path for node in nodes for path in code_paths(node)}
    if not nodes or not set(coding.codes["code"]) <= paths_in_books:
        nodes = nodes_from_table(coding.codes)
    if nodes:
        book = etree.SubElement(root, tag(ns, "CodeBook"))
        codes_el = etree.SubElement(book, tag(ns, "Codes"))
        for node in nodes:
            code_element(codes_el, node, ns)
    known_codes = {path for node in nodes for path in code_paths(node)}

    order = [i for i in coding.interviews["interview_id"] if i in interviews]
    missing = [i for i in coding.interviews["interview_id"] if i not in interviews]
    if missing:
        raise CorpusError(
            f"no transcript for interview(s) {', '.join(missing[:5])}",
            fix="Give the folder the results were coded from with --corpus",
        )
    variables = case_variables([interviews[i] for i in order], manifest.design.attributes)
    if variables:
        variables_el = etree.SubElement(root, tag(ns, "Variables"))
        for var in variables:
            etree.SubElement(variables_el, tag(ns, "Variable"), guid=var.guid,
                             name=clean(var.name), typeOfVariable=var.type)  # fmt: skip

    sources: dict[str, str] = {}
    notes: list[etree._Element] = []
    warnings: list[str] = []
    n_selections = n_codings = 0
    if order:
        cases_el = etree.SubElement(root, tag(ns, "Cases"))
        for interview_id in order:
            case = etree.SubElement(cases_el, tag(ns, "Case"),
                                    guid=stable_guid("case", interview_id),
                                    name=clean(interview_id))  # fmt: skip
            variable_values(case, interviews[interview_id], variables)
            etree.SubElement(case, tag(ns, "SourceRef"),
                             targetGUID=stable_guid("source", interview_id))  # fmt: skip
        sources_el = etree.SubElement(root, tag(ns, "Sources"))
        segments = coding.segments
        by_interview = dict(tuple(segments.groupby("interview_id", sort=False)))
        for interview_id in order:
            interview = interviews[interview_id]
            body = _check_body(interview)
            guid = stable_guid("source", interview_id)
            file_name = f"{guid}.txt"
            sources[file_name] = body
            source = etree.SubElement(
                sources_el, tag(ns, "TextSource"), guid=guid, name=clean(interview_id),
                plainTextPath=f"internal://{file_name}", creatingUser=user,
                creationDateTime=created,
            )  # fmt: skip
            text_child(source, ns, "Description", f"Transcript {interview.path.name}")
            rows = by_interview.get(interview_id)
            if rows is not None:
                unknown = sorted(set(rows["code"]) - known_codes)
                if unknown:
                    raise OutputError(
                        f"segments use code(s) not in codes.csv: {', '.join(unknown[:5])}",
                        fix="Write the results folder again",
                    )
                counts, warning = _selections(source, rows, body, interview, user, created,
                                              notes)  # fmt: skip
                n_selections += counts[0]
                n_codings += counts[1]
                if warning:
                    warnings.append(warning)
                    report(problem("W501", warning), log)
            variable_values(source, interview, variables)
    if notes:
        notes_el = etree.SubElement(root, tag(ns, "Notes"))
        notes_el.extend(notes)
    _source_sets(root, [interviews[i] for i in order], manifest.design.attributes)
    text_child(root, ns, "Description", _project_description(manifest))
    return ProjectExport(
        qde=serialise(root),
        sources=sources,
        interviews=len(order),
        selections=n_selections,
        codings=n_codings,
        warnings=tuple(warnings),
    )


def write_qdpx(project: ProjectExport, path: Path, created: str = "") -> Path:
    """Zip `project.qde` and `sources/<guid>.txt` (UTF-8, no BOM, LF) into `path` atomically."""
    stamp = _zip_time(created)

    def writer(target: Path) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("project.qde", stamp), project.qde,
                             compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
            for file_name in sorted(project.sources):
                archive.writestr(
                    zipfile.ZipInfo(f"sources/{file_name}", stamp),
                    project.sources[file_name].encode("utf-8"),
                    compress_type=zipfile.ZIP_DEFLATED,
                )
        target.write_bytes(buffer.getvalue())

    write_files_atomic(path.parent, {path.name: writer})
    return path


def export_project(
    results: Path, output: Path, corpus: Path | None = None, name: str | None = None
) -> ProjectExport:
    """Read a results folder, reload and check its transcripts, and write a `.qdpx` project."""
    coding = Results.read(results)
    manifest = coding.manifest
    base = results.resolve().parent
    interviews = reload_interviews(manifest, corpus, base)
    books = _manifest_codebooks(manifest, base)
    project = build_project(coding, interviews, books, name)
    write_qdpx(project, output, manifest.coded_at)
    # The spec asks exporters to say what the other side drops (REFI-QDA 1.5 §7).
    log.info(
        "%s: QualCoder ignores Case/SourceRef and selection NoteRefs; the attributes are also "
        "on each source, and each note also in its selection's description",
        output,
    )
    return project


def _source_sets(
    root: etree._Element, interviews: list[Interview], attributes: Sequence[str]
) -> None:
    """One set of sources per value of each design attribute ("kommune: Vågå"); no set is
    ever empty."""
    members: dict[tuple[str, str], list[str]] = {}
    for interview in interviews:
        for key in attributes:
            value = str(interview.metadata.get(key, "") or "")
            if value:
                members.setdefault((key, value), []).append(interview.id)
    if not members:
        return
    sets = etree.SubElement(root, tag(PROJECT_NS, "Sets"))
    for key, value in sorted(members, key=lambda kv: (list(attributes).index(kv[0]), kv[1])):
        item = etree.SubElement(sets, tag(PROJECT_NS, "Set"),
                                guid=stable_guid("set", f"{key}={value}"),
                                name=clean(f"{key}: {value}"))  # fmt: skip
        for interview_id in members[(key, value)]:
            etree.SubElement(item, tag(PROJECT_NS, "MemberSource"),
                             targetGUID=stable_guid("source", interview_id))  # fmt: skip


def _resolve(recorded: str, base: Path | None) -> Path:
    """A path from the manifest: as written (absolute, or from here), else from `base`."""
    path = Path(recorded)
    if path.is_absolute() or path.exists() or base is None:
        return path
    return base / path if (base / path).exists() else path


def _manifest_codebooks(manifest: Manifest, base: Path | None = None) -> list[Codebook] | None:
    """The codebooks the results were coded with, when they are still there unchanged."""
    books = []
    for entry in manifest.codebooks:
        path = _resolve(entry.path, base)
        if not path.is_file():
            log.info("%s: codebook not found; the project gets code names only", path)
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry.sha256:
            log.info("%s: codebook changed since coding; the project gets code names only", path)
            return None
        try:
            books.append(load_codebook(path))
        except MimresError:
            return None
    return books or None


def _check_body(interview: Interview) -> str:
    body = interview.body
    if "\r" in body or body.startswith("\ufeff"):
        raise CorpusError(
            "the transcript body has CR line ends or a byte-order mark after reading",
            where=Where(interview.path),
            fix="Save the transcript as UTF-8 with LF line ends",
        )
    return body


def _selections(
    source: etree._Element,
    rows: pd.DataFrame,
    body: str,
    interview: Interview,
    user: str,
    created: str,
    notes: list[etree._Element],
) -> tuple[tuple[int, int], str]:
    ns = PROJECT_NS
    n_selections = n_codings = 0
    first_astral = next((i for i, ch in enumerate(body) if ord(ch) > 0xFFFF), None)
    astral_before = False
    rows = rows.assign(start=rows["evidence_start"], end=rows["evidence_end"],
                       text=rows["evidence"])  # fmt: skip
    spans = rows.sort_values(["start", "end"], kind="stable").groupby(["start", "end"], sort=False)
    for (start, end), group in spans:
        start, end = int(start), int(end)
        quote = body[start:end]
        if not 0 <= start < end <= len(body) or quote != group["text"].iloc[0]:
            raise CorpusError(
                f"segment {start}-{end} of interview '{interview.id}' does not match the "
                "transcript text",
                where=Where(interview.path),
                fix="Code the corpus again ('mimres run --out FOLDER'), then export",
            )
        if first_astral is not None and first_astral < end:
            astral_before = True
        key = f"{interview.id}:{start}:{end}"
        selection = etree.SubElement(
            source, tag(ns, "PlainTextSelection"), guid=stable_guid("selection", key),
            name=clean(_excerpt(quote)), startPosition=str(start), endPosition=str(end),
            creatingUser=user, creationDateTime=created,
        )  # fmt: skip
        memo = [_memo_line(row) for row in group.itertuples(index=False)]
        text_child(selection, ns, "Description", "\n".join(memo))
        for row in group.itertuples(index=False):
            coding_key = f"{key}:{row.code}"
            coding = etree.SubElement(selection, tag(ns, "Coding"),
                                      guid=stable_guid("coding", coding_key),
                                      creatingUser=user, creationDateTime=created)  # fmt: skip
            etree.SubElement(coding, tag(ns, "CodeRef"), targetGUID=code_guid(row.code))
            n_codings += 1
            if bool(row.negated):
                note_guid = stable_guid("note", coding_key)
                etree.SubElement(coding, tag(ns, "NoteRef"), targetGUID=note_guid)
                note = etree.Element(
                    tag(ns, "Note"), guid=note_guid,
                    name=clean(f"Negated: {row.label} in {interview.id}"),
                    creatingUser=user, creationDateTime=created,
                )  # fmt: skip
                text_child(note, ns, "PlainTextContent", _memo_line(row))
                notes.append(note)
        n_selections += 1
    warning = ""
    if astral_before:
        warning = (
            f"interview '{interview.id}' has emoji or other characters above U+FFFF before "
            "coded text; tools that count UTF-16 units may shift those quotes"
        )
    return (n_selections, n_codings), warning


def _memo_line(row: Any) -> str:
    line = f"mimres: {row.label} ({row.code})"
    if row.rule == "question":
        line += f"; from the interviewer's question (turn {row.context_turn}): '{row.matched}'"
    elif row.matched:
        line += f"; matched '{row.matched}' by {row.rule} '{row.pattern}'"
    if bool(row.negated):
        line += "; NEGATED: a negation governs the match, check whether the code applies"
    return line


def _excerpt(quote: str) -> str:
    flat = " ".join(quote.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1].rstrip() + "…"


def _project_name(manifest: Manifest) -> str:
    corpus = manifest.corpus.rstrip("/\\")
    return f"mimres: {Path(corpus).name}" if corpus else "mimres coding"


def _project_description(manifest: Manifest) -> str:
    pipeline = manifest.pipeline
    books = ", ".join(book.name for book in manifest.codebooks)
    return (
        f"Automatic coding by {ORIGIN}: codebook(s) {books or '?'}, unit "
        f"{manifest.options.get('unit', '?')}, pipeline {pipeline.name or '?'} "
        f"{pipeline.version}, coded {manifest.coded_at or '?'}. "
        "Every coding by the user 'mimres' is a suggestion to review."
    ).replace("  ", " ")


def _zip_time(created: str) -> tuple[int, int, int, int, int, int]:
    stamp = dt.datetime.strptime(utc(created), "%Y-%m-%dT%H:%M:%SZ")
    return (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
