"""The codebook data model: a tree of codes, each with its matching rules."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from mimres_cli.vocabulary import ROLES

Negation = Literal["flag", "exclude", "ignore"]

#: The negation modes, the first is the default.
NEGATION_MODES: tuple[Negation, ...] = get_args(Negation)
#: The speaker roles a code can apply to.
SPEAKER_ROLES = ROLES
DEFAULT_SPEAKERS = ("informant",)
Scope = Literal["unit", "sentence", "words"]
#: Where a code's evidence must sit: the whole unit (default), one sentence, or N words.
SCOPES: tuple[str, ...] = ("unit", "sentence")
#: Where a `near` (`not_near`) term may be, seen from the hit: either side (the default),
#: only before it, or only after it.
SIDES: tuple[str, ...] = ("both", "before", "after")
#: Optional words a term may have ("ble (vi) flyttet"): each doubles the phrases it stands for.
MAX_OPTIONAL_WORDS = 4


@dataclass(frozen=True)
class Near:
    """One proximity constraint: one of `terms` within `within` words of the match, on its
    `side` ("before": the term ends before the hit starts; "after": it starts after the hit)."""

    terms: tuple[str, ...]
    within: int
    side: str = "both"

    @property
    def where(self) -> str:
        """The constraint's reach, for messages: "3 words" or "3 words before it"."""
        words = "word" if self.within == 1 else "words"
        return f"{self.within} {words}" + ("" if self.side == "both" else f" {self.side} it")


def optional_word(word: str) -> bool:
    """Whether a word of a term is optional: written in parentheses, "(vi)"."""
    return len(word) > 2 and word[0] == "(" and word[-1] == ")"


def term_variants(term: str) -> list[tuple[str, ...]]:
    """The word sequences a term stands for: itself, or with optional words ("ble (vi)
    flyttet") every sequence with and without each of them, longest first."""
    words = term.split()
    if not any(optional_word(word) for word in words):
        return [tuple(words)]
    choices = [(word[1:-1], "") if optional_word(word) else (word,) for word in words]
    variants = (tuple(w for w in combo if w) for combo in itertools.product(*choices))
    return [variant for variant in dict.fromkeys(variants) if variant]


@dataclass(frozen=True)
class Code:
    """One code. `path` is its ids joined by "/" from the theme down (e.g. "arbeid/praksis").

    The rules combine as: (any `terms`, `regex` or `patterns` hit) and (every `near`
    constraint holds for that hit) and not (any `not_terms` hit in the unit). The evidence
    rules (`min_hits`, `min_terms`, `weak_terms`, `scope`, `not_near`, `not_phrases`,
    `question_context`) narrow that; with their defaults they change nothing. See
    docs/codebook.md for the exact matching semantics.
    """

    id: str
    path: str
    label: str
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    examples: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    children: tuple[Code, ...] = ()
    color: str = ""  # "#rrggbb", kept for QDA exports
    line: int = 0  # where the code starts in its file (1-based), for messages
    patterns: tuple[str, ...] = ()  # spaCy Matcher token patterns, each as compact JSON text
    near: tuple[Near, ...] = ()
    not_terms: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()  # Universal POS tags that restrict `terms` (empty: any)
    negation: Negation = "flag"
    speakers: tuple[str, ...] = DEFAULT_SPEAKERS
    file: Path | None = None  # the file that defines the code (an included file, maybe)
    weak_terms: tuple[str, ...] = ()  # count only beside another hit or cue of the code
    min_hits: int = 1  # counting hits (terms, regex, patterns, weak cues) needed in one scope
    min_terms: int = 1  # distinct rules among them
    scope: Scope = "unit"
    scope_words: int = 0  # with scope "words": the evidence lies within this many words
    not_near: tuple[Near, ...] = ()  # a hit with one of these terms within N words is dropped
    not_phrases: tuple[str, ...] = ()  # a hit inside one of these phrases is dropped
    question_context: bool = False  # found in the interviewer's question: counts for the answer
    #: Terms that, in the interviewer's question a unit answers, make the code's hits in that
    #: informant unit not count (and keep the code from being carried over from the question).
    question_not_terms: tuple[str, ...] = ()
    #: On a theme (top-level code), `theme_evidence`: the theme's codes together need this many
    #: distinct counting terms in a unit (0: no theme rule) ...
    theme_min_terms: int = 0
    #: ... and one more per this many words of the unit beyond the first block (0: never more).
    theme_per_words: int = 0

    def theme_needed(self, words: int) -> int:
        """Distinct terms the theme's codes together need in a unit of `words` words (0: any)."""
        if not self.theme_min_terms:
            return 0
        extra = (max(words, 1) - 1) // self.theme_per_words if self.theme_per_words else 0
        return self.theme_min_terms + extra

    @property
    def theme_evidence_text(self) -> str:
        """The theme rule as written ("" when none): "min_terms 1, +1 per 150 words"."""
        if not self.theme_min_terms:
            return ""
        text = f"min_terms {self.theme_min_terms}"
        return text + (f", +1 per {self.theme_per_words} words" if self.theme_per_words else "")

    @property
    def scope_text(self) -> str:
        """The scope as written: "unit", "sentence" or "12 words"."""
        return f"{self.scope_words} words" if self.scope == "words" else self.scope

    def __repr__(self) -> str:
        return f"Code({self.path!r}, {self.label!r}, {len(self.children)} children)"

    @property
    def theme(self) -> str:
        """The id of the top-level code this code belongs to."""
        return self.path.split("/", 1)[0]

    @property
    def has_rules(self) -> bool:
        """True when the code can match on its own (terms, regex or token patterns)."""
        return bool(self.terms or self.regex or self.patterns or self.weak_terms)

    @property
    def token_patterns(self) -> list[list[dict[str, Any]]]:
        """The token patterns as spaCy Matcher takes them."""
        return [json.loads(text) for text in self.patterns]

    def rule_counts(self) -> dict[str, int]:
        """How many rules of each kind the code has (kinds with none are left out)."""
        counts = {
            "terms": len(self.terms),
            "regex": len(self.regex),
            "patterns": len(self.patterns),
            "near": len(self.near),
            "not_terms": len(self.not_terms),
            "weak_terms": len(self.weak_terms),
            "not_near": len(self.not_near),
            "not_phrases": len(self.not_phrases),
            "question_not_terms": len(self.question_not_terms),
        }
        return {kind: n for kind, n in counts.items() if n}

    def walk(self) -> Iterator[Code]:
        """This code and all its descendants, depth first, in file order."""
        yield self
        for child in self.children:
            yield from child.walk()


def pattern_text(pattern: list[dict[str, Any]]) -> str:
    """A token pattern as the compact JSON text stored in `Code.patterns` and the segments."""
    return json.dumps(pattern, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Codebook:
    """A loaded, validated codebook (with the codes of its included files)."""

    name: str
    path: Path
    sha256: str
    language: str = "nb"
    description: str = ""
    codes: tuple[Code, ...] = field(default=())
    namespace: str = ""  # prefixes every code path as "namespace:path" when set
    includes: tuple[Path, ...] = ()  # every file included, directly or not
    #: The codebook's own groups of Bokmål/Nynorsk equivalents, beside the shipped table.
    equivalents: tuple[tuple[str, ...], ...] = ()

    def __repr__(self) -> str:
        count = sum(1 for _ in self.walk())
        return f"Codebook({self.name!r}, {str(self.path)!r}, {count} codes)"

    def walk(self) -> Iterator[Code]:
        """Every code, depth first, in file order (the order tables use)."""
        for code in self.codes:
            yield from code.walk()

    def by_path(self) -> dict[str, Code]:
        return {code.path: code for code in self.walk()}


_ID_CHARS = re.compile(r"[^a-z0-9æøå]+")


def id_from_name(name: str) -> str:
    """A codebook id made from a code name: lowercase, æøå kept, other accents dropped."""
    # NFKD splits 'å' into 'a' + ring above: keep that ring, drop every other accent.
    kept = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", name.lower())
        if not unicodedata.combining(ch) or ch == "\u030a"
    )
    kept = unicodedata.normalize("NFC", kept)
    slug = _ID_CHARS.sub("_", kept).strip("_")
    return slug or "kode"
