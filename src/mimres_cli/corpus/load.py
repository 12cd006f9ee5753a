"""Load a corpus folder: every supported transcript becomes an `Interview`.

`check_corpus` reads everything and collects every problem (for `mimres corpus`);
`load_corpus` does the same and raises the first error (for coding).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from mimres_cli.corpus import problems as catalogue
from mimres_cli.corpus.hygiene import UTF8, find_mojibake
from mimres_cli.corpus.memo import TranscriptMemo
from mimres_cli.corpus.metadata import (
    CORPUS_FILE,
    SHEET_NAMES,
    MetadataSheet,
    SheetRow,
    computed_free,
    find_sheet,
    load_corpus_design,
    load_corpus_file,
    load_metadata_sheet,
    same_value,
)
from mimres_cli.corpus.model import (
    Interview,
    Problem,
    Role,
    Severity,
    Transcript,
)
from mimres_cli.corpus.readers import READERS
from mimres_cli.corpus.speakers import assign_roles, interview_speakers, parse_speakers
from mimres_cli.corpus.text import ROLE_KEYS
from mimres_cli.corpus.turns import label_like_lines
from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.errors import CorpusError, MimresError, MissingInputError, Where, report
from mimres_cli.safety import use_input

log = logging.getLogger(__name__)

# Files that document a corpus folder rather than belong to it.
_NOT_TRANSCRIPTS = ("readme", "license", "licence")
PROJECT_FILE = "mimres.yaml"  # a project kept in the corpus folder itself


@dataclass(frozen=True)
class Corpus:
    """The interviews of a corpus folder, in file-name order, and the files that were skipped."""

    root: Path
    interviews: tuple[Interview, ...]
    skipped: tuple[Path, ...] = field(default=())
    metadata: Path | None = None  # the metadata sheet merged in, if any
    problems: tuple[Problem, ...] = field(default=())  # warnings and notices (no errors)
    design: Design = DEFAULT_DESIGN  # the two attributes every interview has

    def __repr__(self) -> str:
        return (
            f"Corpus({str(self.root)!r}, {len(self.interviews)} interviews, design={self.design})"
        )

    def __len__(self) -> int:
        return len(self.interviews)

    def __iter__(self) -> Iterator[Interview]:
        return iter(self.interviews)

    def left_out(self) -> list[dict[str, str]]:
        """The interviews with no informant turns, each with its id, file and why: nothing in
        them can be coded, so they are in no denominator of the findings (the run's manifest
        lists them under corpus.left_out)."""
        return [
            {
                "id": i.id,
                "file": str(i.path),
                "reason": "no informant turns" if i.turns else "no speaker turns",
            }
            for i in self.interviews
            if not i.informant_turns()
        ]


@dataclass(frozen=True)
class CorpusCheck:
    """Everything found in a corpus folder: the interviews that loaded and every problem."""

    root: Path
    interviews: tuple[Interview, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[Path, ...] = field(default=())
    metadata: Path | None = None
    design: Design = DEFAULT_DESIGN

    def __repr__(self) -> str:
        return (f"CorpusCheck({str(self.root)!r}, {len(self.interviews)} interviews, "
                f"{len(self.problems)} problems)")  # fmt: skip

    def of(self, severity: Severity) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == severity)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return self.of("error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.of("warning")


def load_corpus(
    root: Path | str,
    *,
    metadata: Path | str | None = None,
    roles: Mapping[str, str] | None = None,
    design: Design | None = None,
    memo: TranscriptMemo | None = None,
) -> Corpus:
    """Read every transcript under `root` (a folder, searched recursively, or one file).

    `metadata` names a metadata sheet (default: interviews.csv or interviews.xlsx in `root`);
    `roles` maps speaker labels to roles for the whole corpus (`{"SPEAKER_00": "interviewer"}`),
    over the mapping of corpus.yaml and the metadata sheet. `design` names the two attributes
    every interview must have (default: the `design:` of corpus.yaml, else municipality and
    group). Warnings and notices are reported (logged and collected, see `errors.report`).
    Raises MissingInputError when `root` does not exist and CorpusError for the first error
    found (see `check_corpus`). `memo` gives what the reader found in transcripts read before
    (`corpus.memo`): the same interviews, problems and errors, faster.
    """
    check = check_corpus(root, metadata=metadata, roles=roles, design=design, memo=memo)
    if check.errors:
        raise CorpusError(problems=check.errors[:1])
    report(check.problems, log)
    return Corpus(
        root=Path(root),
        interviews=check.interviews,
        skipped=check.skipped,
        metadata=check.metadata,
        problems=check.problems,
        design=check.design,
    )


def check_corpus(
    root: Path | str,
    *,
    metadata: Path | str | None = None,
    roles: Mapping[str, str] | None = None,
    design: Design | None = None,
    memo: TranscriptMemo | None = None,
) -> CorpusCheck:
    """Read every transcript under `root` and collect every problem instead of stopping.

    Errors: unreadable files, duplicate ids, missing design attributes, conflicts between
    front matter and the metadata sheet, empty files, double-encoded text (mojibake).
    Warnings: no informant turns, speaker labels without a role, unsupported files, sheet
    rows that match no transcript. Notices: files that were not UTF-8.
    Raises MissingInputError when `root` or `metadata` does not exist, and CorpusError when
    `root` holds no file of a supported format.
    """
    root = Path(root)
    metadata = Path(metadata) if metadata is not None else None
    if not root.exists():
        raise MissingInputError(
            f"corpus '{root}' does not exist",
            fix=f"Give a folder of transcripts ({', '.join(sorted(READERS))})",
        )
    problems: list[Problem] = []
    folder = root if root.is_dir() else root.parent  # one file still gets its folder's sheet
    use_input(root, "corpus folder" if root.is_dir() else "transcript")  # never an output
    sheet = _sheet(folder, metadata, problems)
    if sheet is not None:
        use_input(sheet.path, "metadata sheet")
    corpus_roles = _corpus_roles(folder, sheet, roles, problems)
    design = design or _corpus_design(folder, problems) or DEFAULT_DESIGN
    labels = sorted({*corpus_roles, *(k for row in sheet.rows for k in row.speakers)}
                    if sheet is not None else set(corpus_roles))  # fmt: skip
    files = [root] if root.is_file() else sorted(_candidate_files(root, sheet, problems))
    interviews: list[Interview] = []
    skipped: list[Path] = []
    used_rows: set[int] = set()
    renamed: dict[str, tuple[str, Where, int]] = {}
    for path in files:
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            skipped.append(path)
            problems.append(catalogue.unsupported(path, sorted(READERS)))
            continue
        if not _printable_name(path):
            problems.append(catalogue.bad_file_name(path))
            continue
        try:
            size = path.stat().st_size
        except OSError as exc:
            problems.append(catalogue.unreadable_file(path, exc))
            continue
        if size == 0:
            problems.append(catalogue.empty(path))
            continue
        use_input(path, "transcript")
        try:
            transcript = (memo.reader(reader) if memo is not None else reader)(path, labels)
        except CorpusError as exc:
            problems.append(catalogue.of_error("unreadable", exc))
            continue
        interview, row, found, keys = _build(transcript, sheet, corpus_roles, folder, design)
        problems.extend(found)
        interviews.append(interview)
        for key, (name, where) in keys.items():
            first = renamed.get(key, (name, where, 0))
            renamed[key] = (first[0], first[1], first[2] + 1)
        if row is not None:
            used_rows.add(row.line)
    problems.extend(
        catalogue.renamed_key(key, name, where, count)
        for key, (name, where, count) in renamed.items()
    )
    if len(skipped) == len(files):
        raise CorpusError(
            "no transcripts found",
            where=Where(root),
            fix=f"Put transcripts there (supported: {', '.join(sorted(READERS))})",
            code="E108",
        )
    problems.extend(_duplicates(interviews))
    if sheet is not None:
        unused = (row for row in sheet.rows if row.line not in used_rows)
        problems.extend(catalogue.unmatched_row(row.describe(), sheet.where(row)) for row in unused)
    return CorpusCheck(
        root=root,
        interviews=tuple(interviews),
        problems=tuple(problems),
        skipped=tuple(skipped),
        metadata=sheet.path if sheet is not None else None,
        design=design,
    )


def _sheet(root: Path, metadata: Path | None, problems: list[Problem]) -> MetadataSheet | None:
    try:
        path = metadata if metadata is not None else find_sheet(root)
        return load_metadata_sheet(path) if path is not None else None
    except MissingInputError:
        raise
    except CorpusError as exc:
        problems.append(catalogue.of_error("metadata", exc))
        return None


def _corpus_roles(
    root: Path,
    sheet: MetadataSheet | None,
    given: Mapping[str, str] | None,
    problems: list[Problem],
) -> dict[str, Role]:
    roles: dict[str, Role] = dict(sheet.speakers) if sheet is not None else {}
    corpus_file = root / CORPUS_FILE
    if root.is_dir() and corpus_file.is_file():
        try:
            from_file = load_corpus_file(corpus_file)
        except CorpusError as exc:
            problems.append(catalogue.of_error("metadata", exc))
            from_file = {}
        for label, role in from_file.items():
            if sheet is not None and roles.get(label, role) != role:
                problems.append(
                    catalogue.speaker_conflict(label, role, roles[label], sheet.path, corpus_file)
                )
            roles[label] = role
    try:
        roles |= parse_speakers(dict(given or {}), Where("the speaker roles given"))
    except CorpusError as exc:
        problems.append(catalogue.of_error("metadata", exc))
    return roles


def _corpus_design(root: Path, problems: list[Problem]) -> Design | None:
    corpus_file = root / CORPUS_FILE
    if not (root.is_dir() and corpus_file.is_file()):
        return None
    try:
        return load_corpus_design(corpus_file)
    except MimresError as exc:
        error = CorpusError(exc.message, where=exc.where, fix=exc.fix)
        problems.append(catalogue.of_error("metadata", error))
        return None


def _build(
    transcript: Transcript,
    sheet: MetadataSheet | None,
    corpus_roles: Mapping[str, Role],
    root: Path,
    design: Design = DEFAULT_DESIGN,
) -> tuple[Interview, SheetRow | None, list[Problem], dict[str, tuple[str, Where]]]:
    """Merge the sheet row into the front matter, assign roles and check the interview.

    Also returns the metadata keys renamed because a computed column has their name:
    {key: (new name, where the key is)}.
    """
    path = transcript.path
    problems = list(transcript.problems)
    front = transcript.front_matter or {}
    if transcript.front_matter is None and not transcript.body.strip():
        empty = Interview(path.stem, path, transcript.body, {}, (), transcript.format)
        return empty, None, [catalogue.empty(path)], {}

    def at(key: str) -> Where:
        has_lines = transcript.front_matter is not None and transcript.body_line is not None
        line = transcript.front_matter_lines.get(key, 2 if has_lines else None)
        return Where(path, line)

    try:
        roles = interview_speakers(front, at("speakers"))
    except CorpusError as exc:
        problems.append(catalogue.of_error("unreadable", exc))
        roles = {}
    complete = "speakers" in front  # a `speakers:` block claims to name every label
    meta = {k: v for k, v in front.items() if k not in ROLE_KEYS}
    front_id = str(meta.pop("id", "") or "").strip() or None
    row = sheet.row_for(front_id, path, root) if sheet is not None else None
    if row is not None and sheet is not None:
        row_at = sheet.where(row)
        named = transcript.front_matter_name
        if front_id is not None and row.id is not None and row.id != front_id:
            problems.append(catalogue.conflict("id", front_id, row.id, row_at, at("id"), named))
        for key, value in row.values.items():
            if key not in meta:
                meta[key] = value
            elif not same_value(meta[key], value):
                problems.append(catalogue.conflict(key, meta[key], value, row_at, at(key), named))
        for label, role in row.speakers.items():
            if roles.get(label, role) != role:
                problems.append(
                    catalogue.conflict(
                        f"speaker {label}", roles[label], role, row_at, at(label), named
                    )
                )
            roles.setdefault(label, role)
    interview_id = front_id or (row.id if row is not None else None) or path.stem
    has_front = transcript.front_matter is not None
    missing = [key for key in design.attributes if meta.get(key) in (None, "")]
    if has_front and front_id is None and (row is None or row.id is None):
        missing.insert(0, "id")  # front matter says who it is; only files without take their name
    for key in missing:
        where = at(key) if has_front else Where(path, 1 if transcript.body_line else None)
        sheet_path = sheet.path if sheet is not None else None
        problems.append(catalogue.missing(key, where, sheet_path, has_front, row is not None,
                                          transcript.front_matter_name))  # fmt: skip
    turns, unknown = assign_roles(transcript.turns, roles, corpus_roles, complete=complete)
    from_sheet = set(row.values) - set(front) if row is not None and sheet is not None else set()
    meta, names = computed_free(meta)
    renamed = {
        key: (name, Where(sheet.path, 1) if key in from_sheet and sheet is not None else at(key))
        for key, name in names.items()
    }
    interview = Interview(
        id=interview_id,
        path=path,
        body=transcript.body,
        metadata=meta,
        turns=turns,
        format=transcript.format,
        encoding=transcript.encoding,
    )
    problems.extend(catalogue.unknown_speaker(label, path) for label in unknown)
    if not transcript.body.strip():
        problems.append(catalogue.empty(path, after_front_matter=True))
    else:
        problems.extend(turn_problems(transcript, interview))
    problems.extend(_hygiene(transcript))
    notes = tuple(str(p) for p in problems if p.severity != "error")
    return (replace(interview, notes=notes) if notes else interview), row, problems, renamed


#: A turn of more words than this is reported by `mimres corpus`: it often holds the turns of
#: several speakers whose labels were not recognised.
LONG_TURN_WORDS = 3000


def turn_problems(transcript: Transcript, interview: Interview) -> list[Problem]:
    """What `mimres corpus` says about an interview's turns.

    No turns at all or no informant turns (a warning: the interview is left out of coding),
    a single turn of several lines (a notice: other speakers' labels may have been missed),
    lines inside turns that look like a speaker label but were read as text (a warning, one
    per file: the first and how many), and turns of more than LONG_TURN_WORDS words (a
    warning naming the longest).
    """
    path, body = transcript.path, transcript.body

    def where(offset: int) -> Where:
        if transcript.body_line is None:
            return Where(path)
        return Where(path, transcript.body_line + body.count("\n", 0, offset))

    problems: list[Problem] = []
    if not interview.turns:
        problems.append(catalogue.no_turns(path, label_like_lines(body)[:1]))
    elif not interview.informant_turns():
        problems.append(catalogue.no_informant(path))
    elif len(interview.turns) == 1 and "\n" in interview.turns[0].text:
        only = interview.turns[0]
        problems.append(catalogue.one_turn(path, only.speaker, only.text.count("\n") + 1))
    spans = [(t.start, t.end) for t in interview.turns]
    inside = [
        m for m in label_like_lines(body, [t.speaker for t in interview.turns])
        if any(start <= m.start() < end for start, end in spans)
    ]  # fmt: skip
    if inside:
        problems.append(
            catalogue.label_in_turn(inside[0]["label"], len(inside), where(inside[0].start()))
        )
    # Only a turn of 2 × LONG_TURN_WORDS characters can hold more words (each word and the
    # space after it take two at least), so the others are not split into words.
    long = [t for t in interview.turns if len(t.text) > 2 * LONG_TURN_WORDS - 1]
    if long:
        longest = max(long, key=lambda t: len(t.text.split()))
        words = len(longest.text.split())
        if words > LONG_TURN_WORDS:
            problems.append(
                catalogue.long_turn(longest.speaker, words, LONG_TURN_WORDS, where(longest.start))
            )
    return problems


def _hygiene(transcript: Transcript) -> list[Problem]:
    problems = []
    found = find_mojibake(transcript.body)
    if found:
        line, written, meant = found[0]
        at_line = transcript.body_line + line - 1 if transcript.body_line is not None else None
        where = Where(transcript.path, at_line)
        problems.append(catalogue.mojibake(len(found), written, meant, where))
    if transcript.encoding not in UTF8 and transcript.format != "docx":
        problems.append(catalogue.not_utf8(transcript.path, transcript.encoding))
    return problems


def _duplicates(interviews: list[Interview]) -> list[Problem]:
    first: dict[str, Path] = {}
    problems = []
    for interview in interviews:
        if interview.id in first:
            where = Where(interview.path, 2 if interview.format == "text" else None)
            problems.append(catalogue.duplicate_id(interview.id, where, first[interview.id]))
        else:
            first[interview.id] = interview.path
    return problems


def _candidate_files(
    root: Path, sheet: MetadataSheet | None, problems: list[Problem]
) -> list[Path]:
    """The files under `root` that may be transcripts; broken symbolic links are reported."""
    own = {(root / name).resolve() for name in (CORPUS_FILE, PROJECT_FILE, *SHEET_NAMES)}
    if sheet is not None:
        own.add(sheet.path.resolve())
    # a file that is no link keeps its name when resolved: only links and files of these
    # names can be one of `own` (resolving every file costs a stat per folder above it)
    own_names = {path.name for path in own}
    found = []
    for p in root.rglob("*"):
        if any(part.startswith((".", "~$")) for part in p.relative_to(root).parts):
            continue
        link = p.is_symlink()
        if link and not p.exists():
            problems.append(catalogue.broken_link(p, _link_loops(p)))
            continue
        if (
            p.is_file()
            and not ((link or p.name in own_names) and p.resolve() in own)
            and not p.stem.lower().startswith(_NOT_TRANSCRIPTS)
        ):
            found.append(p)
    return found


def _link_loops(path: Path) -> bool:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _printable_name(path: Path) -> bool:
    """False for a file name that is not valid Unicode (undecodable bytes on Linux)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
