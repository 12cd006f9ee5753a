"""One row per interview for `mimres corpus`: what was loaded, from where, and how much."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mimres_cli.corpus.language import interview_language
from mimres_cli.corpus.load import CorpusCheck
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.model import Interview

#: The fixed columns of `interview_rows`, in order; the design's two attributes follow, then
#: the other metadata columns.
FIRST_COLUMNS = ("id", "file", "format", "encoding")
LAST_COLUMNS = ("language", "turns", "informant_turns", "informant_words", "duration")

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the problems table of `corpus_tables`.
PROBLEM_COLUMNS = ("severity", "code", "kind", "file", "line", "message")

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def corpus_tables(check: CorpusCheck) -> dict[str, pd.DataFrame]:
    """The tables `mimres corpus` writes: `interviews` (`interview_rows`) and `problems`
    (PROBLEM_COLUMNS: one row per problem, `line` empty where the problem has none)."""
    import pandas as pd

    rows = interview_rows(check)
    # object columns: metadata values keep their own type (30, "", 125.4 stay as written).
    interviews = pd.DataFrame(rows, columns=list(rows[0]) if rows else list(FIRST_COLUMNS),
                              dtype=object)  # fmt: skip
    problems = pd.DataFrame(
        [
            {
                "severity": p.severity,
                "code": p.code,
                "kind": p.kind,
                "file": str(p.path) if p.path is not None else None,
                "line": p.line,
                "message": str(p),
            }
            for p in check.problems
        ],
        columns=list(PROBLEM_COLUMNS),
        dtype=object,
    )
    return {"interviews": interviews, "problems": problems}


def interview_rows(check: CorpusCheck) -> list[dict[str, Any]]:
    """A row per interview, every row with the same keys (missing attributes are "").

    `informant_words` counts words (letters and digits, joined by `-` or `'`) in informant turns
    outside transcription marks, without spaCy. Coding counts the pipeline's tokens instead;
    on the 18 sample interviews the two counts agree exactly.
    `duration` is the end of the last timed turn in seconds, or None for untimed sources.
    `language` is nb, nn or mixed: the `language` metadata, else detected from the turns
    (`corpus.language`); "" when no marker word says which.
    """
    design = check.design.attributes
    extra = sorted(
        {key for i in check.interviews for key in i.metadata}
        - {*FIRST_COLUMNS, *design, *LAST_COLUMNS}
    )
    rows = []
    for interview in check.interviews:
        row: dict[str, Any] = {
            "id": interview.id,
            "file": _relative(interview.path, check.root),
            "format": interview.format,
            "encoding": interview.encoding,
        }
        for key in (*design, *extra):
            row[key] = interview.metadata.get(key, "")
        informant = interview.informant_turns()
        row["language"] = interview_language(interview)
        row["turns"] = len(interview.turns)
        row["informant_turns"] = len(informant)
        row["informant_words"] = sum(count_words(t.text) for t in informant)
        row["duration"] = duration(interview)
        rows.append(row)
    return rows


def count_words(text: str) -> int:
    """Words (`åtte-ni` is one) that are not (in) a transcription mark."""
    marks = find_marks(text)
    return sum(1 for m in _WORD.finditer(text) if not overlaps_mark(m.start(), m.end(), marks))


def duration(interview: Interview) -> float | None:
    """Seconds from the start of the recording to the end of the last timed turn."""
    ends = [t.end_time for t in interview.turns if t.end_time is not None]
    return round(max(ends), 3) if ends else None


def _relative(path: Path, root: Path) -> str:
    if root.is_dir() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return path.name
