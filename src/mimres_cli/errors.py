"""The problems a user can fix: one catalogue of stable codes, raised and reported the same way
by every stage and printed by the CLI in one place.

A `Problem` is one thing wrong with an input: its code (`E104`), severity, place, message and
fix. Codes are stable, like spaCy's E/W numbers, and each is listed once in `CODES` and
documented in docs/problems.md. The first letter is the severity (E error, W warning, N
notice); the hundreds say where: 0 general, 1 corpus, 2 codebook, 3 project file, 4 imported
codings, 5 results and outputs, 6 the environment (pipeline, parse cache).

This module imports nothing from mimres_cli, so every stage may use it.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal, NamedTuple

#: How bad a problem is: an error stops the work, a warning is shown (and fails `--fail-on
#: warnings` and `mimres corpus --strict`), a notice only informs (shown with -v).
Severity = Literal["error", "warning", "notice"]
SEVERITIES: dict[str, Severity] = {"E": "error", "W": "warning", "N": "notice"}


class Entry(NamedTuple):
    """One catalogue entry: a short stable name (also the `kind` in JSON) and what it means."""

    name: str
    summary: str


#: Every problem code mimres uses, with a short name and a one-line summary.
CODES: dict[str, Entry] = {
    # ---- general
    "E000": Entry("usage", "an option or an input that cannot be used (see the message)"),
    "E001": Entry("missing-input", "a file or folder that is not there"),
    "E002": Entry("unknown-attribute", "an interview attribute (--by) that no interview has"),
    "E003": Entry("too-large", "an input over one of the size limits in docs/reliability.md"),
    "E004": Entry(
        "unorderable-attribute",
        "an attribute to order by whose values are not all numbers or dates",
    ),
    # ---- corpus: transcripts, metadata sheets, corpus.yaml
    "E100": Entry("corpus", "a transcript or metadata file that cannot be used"),
    "E101": Entry("unreadable", "a reader could not read a transcript or its front matter"),
    "E102": Entry("metadata", "the metadata sheet, corpus.yaml or speaker roles cannot be used"),
    "E103": Entry("empty", "a transcript of zero bytes or only white space"),
    "E104": Entry("duplicate-id", "two interviews have the same id"),
    "E105": Entry("missing-metadata", "an interview has no id, or no value for a design attribute"),
    "E106": Entry("metadata-conflict", "front matter and metadata sheet disagree"),
    "E107": Entry("mojibake", "double-encoded text that would be coded wrongly"),
    "E108": Entry("no-transcripts", "a corpus folder with no file of a supported format"),
    "E109": Entry("bad-file-name", "a file name that is not valid UTF-8"),
    "E110": Entry("pseudonym-key", "a pseudonym key (mimres anonymize --key) that cannot be read"),
    "E111": Entry("review-file", "an anonymize review file that cannot be used or does not match"),
    "W101": Entry("no-text", "front matter and no interview text after it"),
    "W102": Entry("no-informant", "an interview with no informant turns: nothing is coded"),
    "W103": Entry("unknown-speaker", "a speaker label with no role; coded as informant"),
    "W104": Entry("unsupported", "a file in the corpus folder that is not a transcript format"),
    "W105": Entry("unmatched-row", "a metadata sheet row that matches no transcript"),
    "W106": Entry("no-speaker", "text before the first speaker label belongs to no turn"),
    "W107": Entry("renamed-key", "a metadata key named like a computed column, kept as meta_KEY"),
    "W108": Entry("no-turns", "an interview in which no line starts a speaker turn"),
    "W109": Entry("label-in-turn", "a line inside a turn that looks like a speaker label"),
    "W110": Entry("long-turn", "a turn so long it may hold the turns of several speakers"),
    "W111": Entry("broken-link", "a symbolic link to nothing, or in a loop, is skipped"),
    "W112": Entry("bad-cue", "a subtitle cue with a malformed, reversed or absurd timing line"),
    "N101": Entry("not-utf8", "a transcript that was not UTF-8 (decoded and normalised)"),
    "N102": Entry("skipped-table", "a Word table of more than two columns was left out"),
    "N103": Entry("one-turn", "a whole interview of several lines is one turn"),
    # ---- codebooks
    "E200": Entry("codebook", "a codebook that cannot be used"),
    "E201": Entry("yaml-syntax", "a codebook that is not valid YAML"),
    "E202": Entry("codebook-shape", "a codebook that is not a mapping with a list of codes"),
    "E203": Entry("duplicate-key", "a key given twice in one mapping"),
    "E204": Entry("unknown-key", "a key the codebook format does not know"),
    "E205": Entry("bad-include", "an included file that is missing or includes itself"),
    "E206": Entry("bad-id", "a code without an id, or an id or namespace not in lowercase"),
    "E207": Entry("duplicate-code", "a code defined twice, or in two codebooks"),
    "E208": Entry("empty-leaf", "a code with no rules and no child codes"),
    "E209": Entry(
        "bad-term",
        "a term that matches every word, has '*' inside a word, or misplaces an optional '(word)'",
    ),
    "E210": Entry("bad-regex", "a regex that does not compile or matches empty text"),
    "E211": Entry("bad-pattern", "a spaCy token pattern that is not valid"),
    "E212": Entry(
        "bad-near",
        "a 'near' or 'not_near' rule without terms or a whole-number 'within', or a bad 'side'",
    ),
    "E213": Entry("bad-pos", "an unknown part-of-speech tag"),
    "E214": Entry("bad-negation", "a negation mode other than flag, exclude or ignore"),
    "E215": Entry("bad-speakers", "an unknown or empty list of speaker roles"),
    "E216": Entry("bad-color", "a colour that is not '#rrggbb'"),
    "E217": Entry("bad-value", "a value of the wrong type (a list, mapping or text expected)"),
    "E218": Entry("unknown-code", "a code name that no loaded codebook defines"),
    "E219": Entry("bad-refi-qda", "a REFI-QDA file (.qdc, .qdpx) that cannot be read"),
    "E220": Entry(
        "bad-evidence-rule",
        "a min_hits, min_terms, scope, question_context or theme_evidence value that is not valid",
    ),
    "E221": Entry("slow-regex", "a regex that backtracks catastrophically or runs out of time"),
    "E222": Entry("bad-equivalents", "an 'equivalents' entry that is not a group of words"),
    "W201": Entry("ignored-namespace", "the 'namespace' of an included file is ignored"),
    "W202": Entry("broad-glob", "a glob with fewer than 3 letters matches very many words"),
    "W203": Entry("pos-without-terms", "'pos' has no effect on a code without terms"),
    "W204": Entry(
        "pos-without-tagger",
        "without a tagger, a 'pos' with a class beyond NOUN, VERB, ADJ, ADV is ignored",
    ),
    "W205": Entry("not-a-lemma", "a term that is not a lemma matches only that word form"),
    "W206": Entry(
        "never-met", "evidence rules a code can never meet (min_terms, a lone weak term)"
    ),
    "W207": Entry("one-standard-term", "a term in one written standard only, with no equivalent"),
    # ---- the project file mimres.yaml
    "E300": Entry("project", "a project file that cannot be used"),
    "E301": Entry("project-yaml", "a project file that is not valid YAML"),
    "E302": Entry("no-project", "the project file named does not exist"),
    "E303": Entry("project-shape", "a project file that is not a mapping of keys"),
    "E304": Entry("project-key", "a key the project file format does not know"),
    "E305": Entry("project-version", "a project file version this mimres cannot read"),
    "E306": Entry("project-path", "a corpus, metadata sheet or codebook path that does not exist"),
    "E307": Entry("project-value", "a value of the wrong type or form"),
    "E308": Entry("project-choice", "a value that is not one of the allowed choices"),
    # ---- imported codings: .qdpx projects and codings CSV files
    "E400": Entry("codings", "a codings file that cannot be used"),
    "E401": Entry("codings-csv", "a codings CSV without the needed columns or whole numbers"),
    "E402": Entry("codings-selection", "a selection with no valid start and end"),
    "E403": Entry("codings-source", "a source text that is not the interview that was coded"),
    "W401": Entry("codings-skipped", "codings that are skipped (unknown interview or code, ...)"),
    "W402": Entry("codings-unchecked", "a source whose text is not in the archive"),
    "N401": Entry("codings-shifted", "a source text that starts before the interview body"),
    # ---- results folders and outputs
    "E500": Entry("output", "results that cannot be read or written"),
    "E501": Entry("exists", "a file that would be overwritten"),
    "E502": Entry("cannot-write", "a file or folder that cannot be written"),
    "E503": Entry("bad-target", "an output that cannot go where it was asked (stdout, a folder)"),
    "E504": Entry("unknown-format", "an output format mimres cannot write"),
    "E505": Entry("key-beside-data", "a pseudonym key or review file inside the corpus or output"),
    "E506": Entry("replaces-input", "an output that would replace an input or go into the corpus"),
    "E507": Entry("foreign-folder", "a results folder that holds files mimres did not write"),
    "E510": Entry("bad-shard", "a --shard that is not I/N with 1 <= I <= N"),
    "E511": Entry("mismatched-parts", "shard parts coded from other corpora, codebooks or options"),
    "E512": Entry(
        "incomplete-parts", "a shard missing or given twice, or a folder that is no part"
    ),
    "W501": Entry("utf16-offsets", "characters above U+FFFF before coded text in an export"),
    "W502": Entry("export-color", "a code colour that is not '#rrggbb' is left out of an export"),
    # ---- the environment: spaCy pipeline, parse cache (never fail --fail-on warnings)
    "E600": Entry("model", "a spaCy pipeline that is missing or unusable"),
    "E601": Entry("needs-tagger", "an option needs part-of-speech tags the pipeline lacks"),
    "E602": Entry("bad-cache", "a parse cache folder that cannot be created or is not a cache"),
    "W601": Entry("fallback-pipeline", "the trained pipeline is missing; a simpler one is used"),
    "W602": Entry("parse-cache", "the parse cache cannot be read or written; parsing again"),
}


@dataclass(frozen=True)
class Where:
    """A place in an input file: `path:line` (1-based), or `path:line:col`, or just `path`."""

    path: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One problem with an input: `str()` gives `where: message. fix`; `formatted()` adds the
    severity and code as the CLI prints it."""

    code: str
    severity: Severity
    where: Where | None
    message: str
    fix: str = ""

    @property
    def kind(self) -> str:
        """The code's short stable name (`duplicate-id`)."""
        return CODES[self.code].name

    @property
    def path(self) -> Path | None:
        return Path(self.where.path) if self.where is not None else None

    @property
    def line(self) -> int | None:
        return self.where.line if self.where is not None else None

    @property
    def column(self) -> int | None:
        return self.where.column if self.where is not None else None

    @property
    def about_inputs(self) -> bool:
        """False for the environment's problems (pipeline, parse cache): code range 6xx."""
        return not self.code[1:].startswith("6")

    def formatted(self) -> str:
        """`mimres: error[E104]: file:line: message. fix` — the one way problems are printed."""
        return f"mimres: {self.severity}[{self.code}]: {self}"

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where is not None else self.message
        return f"{text}. {self.fix}" if self.fix else text


def problem(
    code: str, message: str, where: Where | Path | str | None = None, fix: str = ""
) -> Problem:
    """A Problem of a catalogued code; the severity follows from the code's letter."""
    if code not in CODES:
        raise KeyError(f"problem code {code} is not in the catalogue")
    if where is not None and not isinstance(where, Where):
        where = Where(where)
    return Problem(code, SEVERITIES[code[0]], where, message, fix)


class MimresError(Exception):
    """One or more problems the user can fix (`.problems`). Never raised for our own bugs.

    `MimresError(message, where=..., fix=..., code=...)` makes one error Problem; without a
    code, the class's `default_code`. `MimresError.collected(problems)` carries many.
    """

    exit_code: ClassVar[int] = 2
    default_code: ClassVar[str] = "E000"

    def __init__(
        self,
        message: str = "",
        *,
        where: Where | None = None,
        fix: str = "",
        code: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems) or (
            problem(code or self.default_code, message, where, fix),
        )
        super().__init__(str(self))

    @classmethod
    def collected(cls, problems: Sequence[Problem]) -> MimresError:
        """One error carrying every problem found, printed one per line."""
        return cls(problems=problems)

    @property
    def problem(self) -> Problem:
        """The first problem (the only one, mostly)."""
        return self.problems[0]

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def where(self) -> Where | None:
        return self.problem.where

    @property
    def fix(self) -> str:
        return self.problem.fix

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class MissingInputError(MimresError):
    """A file or folder that is not there."""

    default_code = "E001"


class CorpusError(MimresError):
    """A transcript or metadata file that cannot be used."""

    default_code = "E100"


class CodebookError(MimresError):
    """A codebook that cannot be used."""

    default_code = "E200"


class ProjectError(MimresError):
    """A project file (mimres.yaml) that cannot be used."""

    default_code = "E300"


class CodingsError(MimresError):
    """Human codings (a .qdpx project or a codings CSV) that cannot be used."""

    default_code = "E400"


class OutputError(MimresError):
    """Results that cannot be read or written."""

    default_code = "E500"


class ModelError(MimresError):
    """A spaCy pipeline that is missing or unusable."""

    default_code = "E600"


# --------------------------------------------------------------------------- reporting

_LEVELS: dict[Severity, int] = {"error": logging.ERROR, "warning": logging.WARNING,
                                "notice": logging.INFO}  # fmt: skip
_collectors: ContextVar[tuple[list[Problem], ...]] = ContextVar("mimres_problems", default=())


def report(found: Problem | Iterable[Problem], logger: logging.Logger) -> None:
    """Log problems that do not stop the work (warnings, notices) and collect them.

    The CLI prints each as `Problem.formatted()`; every `collecting()` block around the call
    gets them too, whether or not logging shows them (`--quiet`).
    """
    for one in [found] if isinstance(found, Problem) else found:
        for collector in _collectors.get():
            collector.append(one)
        logger.log(_LEVELS[one.severity], "%s", one, extra={"problem": one})


@contextmanager
def collecting() -> Iterator[list[Problem]]:
    """Collect the problems `report`ed while the block runs (for `--fail-on warnings`)."""
    found: list[Problem] = []
    token = _collectors.set((*_collectors.get(), found))
    try:
        yield found
    finally:
        _collectors.reset(token)


# --------------------------------------------------------------------------- did you mean


def close_matches(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """The `n` choices closest to `word` (difflib's ratio of at least 0.6), best first."""
    return difflib.get_close_matches(word, list(choices), n=n)


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 1, otherwise: str = "") -> str:
    """`Did you mean 'x'?` for the closest choices, or `otherwise` when none is close."""
    return suggest(close_matches(word, choices, n=n), otherwise=otherwise)


def suggest(candidates: Sequence[str], *, otherwise: str = "") -> str:
    """`Did you mean 'a', 'b'?` for candidates already found, or `otherwise` when none."""
    if not candidates:
        return otherwise
    return f"Did you mean {', '.join(repr(c) for c in candidates)}?"
