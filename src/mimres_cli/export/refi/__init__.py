"""REFI-QDA, both ways: the one package that reads and writes QDA-XML (`.qdc`, `.qdpx`).

- qdc.py: reading code trees (a `.qdc`, or a `.qdpx`'s codebook) into a YAML skeleton
  (`mimres import codebook`), the XML helpers, and what writers and readers must agree on: the
  stable GUIDs (`stable_guid`, `code_guid`) and the layout of a code's `Description`.
- codings.py: reading the human codings of a `.qdpx` (and `read_codings` for .qdpx or CSV).
- codebook.py, project.py, variables.py, _xml.py: writing `.qdc` and `.qdpx`.

Why at the export layer: writing needs the codebook model, the coding results and the corpus,
so the package sits above all of them, and reading lives beside writing so the two cannot
drift apart. What lower stages need stays free of QDA-XML: coding/human.py holds the codings
table, CSV codings and the overlap rule that maps any codings onto units; the code-id rule
(`id_from_name`) is in codebook/model.py. Agreement (findings) takes codings tables, read
here by the command.

Writing follows shared/specs/refi-qda.md: QDA-XML 1.0 namespaces, schema element order, no
empty containers, lowercase `sources/`, LF-only UTF-8 texts without BOM, code-point offsets
with the end exclusive, stable UUID5 GUIDs, 6-digit colours, and every optional attribute that
some importer relies on (`TextSource/@name`, `Coding/@creatingUser`, `creationDateTime`).
"""

from mimres_cli.export.refi._xml import CODEBOOK_NS, ORIGIN, PROJECT_NS
from mimres_cli.export.refi.codebook import codebook_qdc, write_qdc
from mimres_cli.export.refi.project import (
    ProjectExport,
    build_project,
    export_project,
    reload_interviews,
    write_qdpx,
)

__all__ = [
    "CODEBOOK_NS",
    "ORIGIN",
    "PROJECT_NS",
    "ProjectExport",
    "build_project",
    "codebook_qdc",
    "export_project",
    "reload_interviews",
    "write_qdc",
    "write_qdpx",
]
