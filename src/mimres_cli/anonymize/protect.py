"""Codebook words: a candidate that a codebook rule names (`oslo` in a code about city and
country) is kept, so that coding the pseudonymised copy gives the same codes as the original.

Pseudonyms themselves are `[LABEL-n]`, a transcription mark that is never a word nor a match,
so they cannot create matches; this module keeps them from destroying any.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.lang.nb.stop_words import STOP_WORDS

from mimres_cli.codebook import load_codebook


@dataclass(frozen=True)
class CodebookWords:
    """The words of every term, near-term and not-term, and every regex, of some codebooks."""

    words: frozenset[str]
    globs: tuple[str, ...]
    regexes: tuple[re.Pattern[str], ...]

    def names(self, text: str) -> str | None:
        """The codebook word or rule that `text` would match, or None."""
        for word in re.findall(r"[\w-]+", text.lower()):
            if word in self.words:
                return word
            for glob in self.globs:
                if fnmatch.fnmatchcase(word, glob):
                    return glob
        for regex in self.regexes:
            if regex.search(text):
                return regex.pattern
        return None


NO_CODEBOOK = CodebookWords(frozenset(), (), ())


def codebook_words(paths: Iterable[Path]) -> CodebookWords:
    """Load the codebooks (CodebookError for a bad one) and collect their words."""
    words: set[str] = set()
    globs: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    for path in paths:
        for code in load_codebook(path).walk():
            terms = [*code.terms, *code.not_terms, *(t for n in code.near for t in n.terms)]
            for term in terms:
                for word in term.lower().split():
                    if word in STOP_WORDS:  # "i" of "i by" must not keep "I Storgata 5"
                        continue
                    (globs if "*" in word or "?" in word else words).add(word)
            regexes += [re.compile(pattern, re.IGNORECASE) for pattern in code.regex]
    return CodebookWords(frozenset(words), tuple(sorted(globs)), tuple(regexes))
