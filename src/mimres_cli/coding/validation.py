"""Human codings kept in a results folder, and how mimres's coding agrees with them.

`mimres import codings FILE --results FOLDER --save` keeps a person's codings in the results
folder as `human_codings.csv`; the report and the tables workbook then show the per-theme
agreement (`findings.validation.validate`) with them.
"""

from __future__ import annotations

from pathlib import Path

from mimres_cli.coding.human import COMPARED_ROLES, TOOL_CODER, human_side, read_csv_codings
from mimres_cli.coding.results import Results
from mimres_cli.errors import MissingInputError
from mimres_cli.findings.validation import Validation, validate

#: The file in a results folder that holds imported human codings.
HUMAN_CODINGS_FILE = "human_codings.csv"


def kept_codings(folder: Path | str) -> Path:
    """The human codings kept in the results folder `folder`.

    Raises MissingInputError when none were kept.
    """
    path = Path(folder) / HUMAN_CODINGS_FILE
    if not path.is_file():
        raise MissingInputError(
            f"no human codings are kept in '{folder}' (no {HUMAN_CODINGS_FILE})",
            fix=f"Give --human FILE, or keep codings with 'mimres import codings FILE "
            f"--results {folder} --save'",
        )
    return path


def kept_validation(folder: Path | str, results: Results) -> Validation | None:
    """The per-theme agreement with the codings kept in `folder`; None when there are none
    (no `human_codings.csv`, or only mimres's own codings in it)."""
    path = Path(folder) / HUMAN_CODINGS_FILE
    if not path.is_file():
        return None
    codings = read_csv_codings(path, results.interviews, results.codes).codings
    people = codings[codings["coder"] != TOOL_CODER]
    if people.empty:
        return None
    units = results.units[results.units["role"].isin(COMPARED_ROLES)]
    _, human, interviews = human_side(str(path), people, results.units, ())
    return validate(units, results.segments, human, results.codes, interviews)
