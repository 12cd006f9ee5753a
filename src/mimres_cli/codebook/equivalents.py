"""Bokmål ↔ Nynorsk equivalents: a codebook term in either standard finds the word in both.

A term word is matched against a token's lemma candidates (`nlp.words.token_candidates`), and
those are Bokmål or Nynorsk lemmas depending on how the word is spelt (`arbeidsgiveren` has
`arbeidsgiver`, `arbeidsgjevaren` has `arbeidsgjevar`). So each term word also stands for its
equivalents in the other standard: the pairs of `equivalents_nb_nn.tsv` (shipped), plus a
codebook's own `equivalents:` groups. A compound not in the table gets the equivalents of its
longest listed tail (at least 4 letters, the rest at least 2): `deltidsarbeidsgiver` also
finds `deltidsarbeidsgjevar`; its first part, when listed (at least 3 letters, before a joining
`s` or `e`), is changed too (`lønnstilskudd` / `lønstilskot`). A compound with no listed tail
gets the equivalents of its longest listed first part when the rest is a word spelt alike in
both standards (`voksenopplæring` / `vaksenopplæring`, `heltid` / `heiltid`; not `ensomhet`,
whose `-het` is no such word). Words spelt alike (`kommune`,
`språk`) need no entry. An inflected term of an `-ing` noun stands for the other standard's
definite form too (`norskopplæringen` / `norskopplæringa`).

How the shipped table was built: no maintained package has a Bokmål–Nynorsk word list (Norsk
Ordbank ships the two standards as separate lexicons, and only the Bokmål one is in a package,
spacy-lookups-data), so the pairs were written from the Bokmål and Nynorsk dictionaries'
headwords for the words interview codebooks use (work, school, home, family, settling,
language, health, frequent verbs and function words). A test checks every Bokmål word against
Norsk Ordbank or simplemma's Bokmål dictionary, and every Nynorsk word against simplemma's
Nynorsk dictionary.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources

from mimres_cli.codebook.model import Codebook
from mimres_cli.errors import Problem, Where, problem

#: The shipped table, in this package.
TABLE_FILE = "equivalents_nb_nn.tsv"
_MIN_TAIL = 4
_MIN_PREFIX = 2
#: A listed first part of a compound has at least 3 letters, the rest after it at least 3.
_MIN_HEAD = 3
_MIN_REST = 3


def read_table(text: str) -> list[tuple[str, ...]]:
    """Groups of equivalent words from TSV text: one group a line, `#` starts a comment."""
    groups = []
    for line in text.splitlines():
        words = tuple(w.strip().lower() for w in line.split("#", 1)[0].split("\t") if w.strip())
        if len(words) >= 2:
            groups.append(words)
    return groups


@functools.cache
def shipped_groups() -> tuple[tuple[str, ...], ...]:
    """The shipped Bokmål–Nynorsk pairs (Bokmål first)."""
    text = resources.files("mimres_cli.codebook").joinpath(TABLE_FILE).read_text("utf-8")
    return tuple(read_table(text))


class Equivalents:
    """Which words stand for which: the shipped groups plus `extra` groups (a codebook's)."""

    def __init__(self, extra: Iterable[Iterable[str]] = ()) -> None:
        self._of: dict[str, dict[str, None]] = defaultdict(dict)
        for group in (*shipped_groups(), *extra):
            words = [w.lower() for w in group]
            for word in words:
                for other in words:
                    if other != word:
                        self._of[word][other] = None

    def of(self, word: str) -> tuple[str, ...]:
        """The equivalents of `word` (not `word` itself), its own first, then by compound tail."""
        word = word.lower()
        found = self._of.get(word)
        if found:
            return tuple(found)
        for i in range(_MIN_PREFIX, len(word) - _MIN_TAIL + 1):
            tail = self._of.get(word[i:])
            if tail:
                heads = (word[:i], *self._heads(word[:i]))
                found = [head + other for head in heads for other in tail]
                return tuple(dict.fromkeys(found + [head + word[i:] for head in heads[1:]]))
        for i in range(len(word) - _MIN_REST, _MIN_HEAD - 1, -1):
            heads = self._heads(word[:i])
            if heads and _alike(word[i:]):
                return tuple(head + word[i:] for head in heads)
        return _definite_ing(word)

    def _heads(self, head: str) -> tuple[str, ...]:
        """The equivalents of a compound's first part `head` (`voksen` -> `vaksen`), keeping a
        joining `s` or `e` (`lønns` -> `løns`); () when it is not listed."""
        for joint in ("", "s", "e"):
            stem = head[: len(head) - len(joint)]
            if len(stem) >= _MIN_HEAD and head.endswith(joint) and self._of.get(stem):
                return tuple(other + joint for other in self._of[stem])
        return ()

    def of_terms(self, terms: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each word of `terms` (globs as written) that has equivalents, with them."""
        found: dict[str, tuple[str, ...]] = {}
        for term in terms:
            for word in term.split():
                core = word.strip("*")
                others = self.of(core)
                if others:
                    found[word] = tuple(word.replace(core, other) for other in others)
        return found

    def table(self) -> Mapping[str, tuple[str, ...]]:
        """Every listed word and its equivalents."""
        return {word: tuple(others) for word, others in self._of.items()}


@functools.lru_cache(maxsize=20_000)
def _alike(word: str) -> bool:
    """Whether `word` is a lemma of both standards, spelt alike (`opplæring`, `tid`, `land`)."""
    from mimres_cli.nlp.lemmas import bokmal_candidates
    from mimres_cli.nlp.nynorsk import nynorsk_candidates

    return word in nynorsk_candidates(word) and word in bokmal_candidates(word)


def _definite_ing(word: str) -> tuple[str, ...]:
    """The other standard's definite form of an `-ing` noun: Bokmål `-ingen` is Nynorsk `-inga`
    (`norskopplæringen` / `norskopplæringa`); Bokmål also allows `-inga`. Only `-ing` nouns,
    whose gender is feminine in Nynorsk; `jobben` / `jobba` (a verb) stay apart."""
    if len(word) > 6 and word.endswith("ingen") and word != "ingen":
        return (word[:-2] + "a",)
    if len(word) > 5 and word.endswith("inga") and word != "inga":
        return (word[:-1] + "en",)
    return ()


def one_standard_terms(
    codebook: Codebook, languages: Iterable[str], equivalents: Equivalents | None = None
) -> list[Problem]:
    """W207 for each term word of `codebook` that is spelt in one standard only and has no
    equivalent, where the corpus (its interviews' `languages`) is written in the other.

    A word is Nynorsk when it is among its own Nynorsk lemma candidates (simplemma's Nynorsk
    dictionary, compounds by their tail), Bokmål when it is among its Bokmål ones; `arbeidsløyse`
    is Nynorsk only, `arbeidsledighet` Bokmål only, `kommune` both.
    """
    from mimres_cli.nlp.lemmas import bokmal_candidates
    from mimres_cli.nlp.nynorsk import nynorsk_candidates

    present = set(languages)
    wanted = {"nn": bool(present & {"nn", "mixed"}), "nb": bool(present & {"nb", "mixed"})}
    equivalents = equivalents or Equivalents(codebook.equivalents)
    found: list[Problem] = []
    for code in codebook.walk():
        for term in code.terms:
            for word in term.split():
                core = word.strip("*").lower()
                if len(core) < 3 or equivalents.of(core):
                    continue
                nynorsk = core in nynorsk_candidates(core)
                bokmal = core in bokmal_candidates(core)
                other = "nn" if bokmal and not nynorsk else "nb" if nynorsk and not bokmal else ""
                if other and wanted[other]:
                    name = {"nn": "Nynorsk", "nb": "Bokmål"}[other]
                    where = Where(code.file or codebook.path, code.line or None)
                    found.append(problem(
                        "W207",
                        f"term '{term}' of '{code.path}' is spelt in one standard only and has no "
                        f"{name} equivalent, but the corpus has {name} interviews",
                        where,
                        f"Add the {name} word under 'equivalents:' (e.g. [{core}, ...]) or as a "
                        "term of its own",
                    ))  # fmt: skip
    return found
