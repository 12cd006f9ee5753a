"""mimres-cli: transparent, reproducible dictionary coding of Norwegian interviews.

The public API is imported on first use, so `import mimres_cli` (and `mimres --help`) stays fast:

    import mimres_cli
    r = mimres_cli.code("sample_interviews", ["codebooks/integrering.yaml"])
    r.segments               # the segments table (pandas)
    r.crosstab(by=r.design.columns)  # share of interviews per code and group (the design's)
    r.write("results")       # the results folder; mimres_cli.Results.read("results") reads it
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name → the module that defines it.
_API = {
    "load_corpus": "mimres_cli.corpus",
    "Interview": "mimres_cli.corpus",
    "Turn": "mimres_cli.corpus",
    "load_pipeline": "mimres_cli.nlp",
    "parse_interviews": "mimres_cli.nlp",
    "load_codebook": "mimres_cli.codebook",
    "compile_codebooks": "mimres_cli.codebook",
    "code_interviews": "mimres_cli.coding",
    "SEGMENT_COLUMNS": "mimres_cli.coding",
    "Results": "mimres_cli.coding.results",
    "Manifest": "mimres_cli.coding.results",
    "coverage": "mimres_cli.findings",
    "crosstab": "mimres_cli.findings",
    "Design": "mimres_cli.design",
    "code": "mimres_cli.workflow",
    "open_corpus": "mimres_cli.workflow",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'mimres_cli' has no attribute {name!r}")
