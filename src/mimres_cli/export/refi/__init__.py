"""REFI-QDA exports: a codebook as `.qdc`, a coded results folder as a `.qdpx` project.

Follows shared/specs/refi-qda.md: QDA-XML 1.0 namespaces, schema element order, no empty
containers, lowercase `sources/`, LF-only UTF-8 texts without BOM, code-point offsets with the
end exclusive, stable UUID5 GUIDs, 6-digit colours, and every optional attribute that some
importer relies on (`TextSource/@name`, `Coding/@creatingUser`, `creationDateTime`).
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
