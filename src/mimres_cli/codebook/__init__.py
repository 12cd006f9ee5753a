"""Codebook stage: YAML → validated `Codebook` → compiled `CodeMatcher`."""

from mimres_cli.codebook.compile import CodeMatcher, Hit, compile_codebooks
from mimres_cli.codebook.load import load_codebook, read_yaml
from mimres_cli.codebook.model import Code, Codebook

__all__ = [
    "Code",
    "CodeMatcher",
    "Codebook",
    "Hit",
    "compile_codebooks",
    "load_codebook",
    "read_yaml",
]
