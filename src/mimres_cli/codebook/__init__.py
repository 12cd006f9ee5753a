"""Codebook stage: YAML → validated `Codebook` → compiled `CodeMatcher`."""

from mimres_cli.codebook.compile import (
    EVIDENCE_RULES,
    POSITIVE_RULES,
    CodeMatcher,
    Hit,
    compile_codebooks,
)
from mimres_cli.codebook.load import (
    CodebookCheck,
    Problem,
    check_codebook,
    load_codebook,
    pipeline_lemmatizer,
    read_yaml,
    refuse_tag_patterns,
)
from mimres_cli.codebook.model import Code, Codebook, Near

__all__ = [
    "EVIDENCE_RULES",
    "POSITIVE_RULES",
    "Code",
    "CodeMatcher",
    "Codebook",
    "CodebookCheck",
    "Hit",
    "Near",
    "Problem",
    "check_codebook",
    "compile_codebooks",
    "load_codebook",
    "pipeline_lemmatizer",
    "read_yaml",
    "refuse_tag_patterns",
]
