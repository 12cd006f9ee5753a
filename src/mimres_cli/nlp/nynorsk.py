"""Nynorsk lemma candidates for word forms, beside the Bokmål ones of `lemmas.py`.

Transcripts from inland municipalities (Vågå, Sel) are written in Nynorsk or keep dialect forms;
a Bokmål lemmatiser leaves `butikkeigaren`, `hugsar` or `låg` as they are. `lemmas.py` adds these
candidates after its Bokmål ones, and puts them first for a text in Nynorsk.

Sources, in the order their candidates are listed:

1. `_IRREGULAR`: strong and irregular verbs whose Nynorsk lemma simplemma gets wrong or in an
   older spelling (`låg` -> `ligge`, simplemma `liggja`), checked against Nynorskordboka.
2. simplemma's Nynorsk dictionary ("nn", built from Wiktionary and the Nynorsk Ordbank forms),
   when it knows the form, and `MISSING_LEMMAS`: Nynorskordboka headwords the dictionary lacks
   (`einsleg`, `lønsemd`), which then count as lemmas for 3. and 4. as its own do.
3. Regular Nynorsk endings (`_SUFFIXES`): noun definite `-en/-a`, plural `-ar/-ane/-er/-ene`,
   verb `-ar/-a/-de/-te/-dde/-r`, adjective `-e/-t`, genitive `-s`; a result counts only where
   simplemma's Nynorsk dictionary knows it as its own lemma, is no pronoun (`_PRONOUNS`:
   their forms are irregular, so `det` is no adjective `-t` of `de`, nor `kvar` a present of
   `kva`), and the lemma's own listed forms do not contradict the ending (`_plausible`: an
   a-verb takes no `-de`, a noun no adjective `-t`). A neuter `-et` is left to the dictionary:
   as a rule it would make the past tense `jobbet` a form of the noun `jobb`.
4. Compounds missing from the dictionary: prefix + the lemma of the longest known tail
   (`butikkeigaren` -> `butikkeigar`, `norskopplæringa` -> `norskopplæring`).

There is no Nynorsk Ordbank export in a maintained package (spacy-lookups-data ships only the
Bokmål one, `nb_lemma_*`), so simplemma is the dictionary. Measured by benchmarks/lemmas.py on
the LIA treebank of spoken Nynorsk (see the README's lemma section).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from mimres_cli.nlp import lexicon

#: Nynorsk forms whose lemma simplemma lacks or gives in another spelling (Nynorskordboka).
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "sat": ("sitte",),
    "sit": ("sitte",),
    "set": ("sette",),
    "song": ("synge",),
    "skar": ("skjere",),
    "voks": ("vekse",),
    "vaks": ("vekse",),
    "drege": ("dra",),
    "sete": ("sitte",),
    "sitt": ("sitte",),
    "vorte": ("verte", "bli"),
    "lite": ("liten",),
    "litle": ("liten",),
    "mindre": ("liten",),
    "minst": ("liten",),
    "betre": ("god",),
    "best": ("god",),
    "verre": ("vond",),
    "verst": ("vond",),
    "verste": ("vond",),
    "eldre": ("gammal",),
    "eldst": ("gammal",),
    "yngre": ("ung",),
    "større": ("stor",),
    "størst": ("stor",),
    "lengre": ("lang",),
    "fleire": ("mange",),
    "flest": ("mange",),
    "fleste": ("mange",),
    "låg": ("ligge",),
    "lå": ("ligge",),
    "ligg": ("ligge",),
    "ligga": ("ligge",),
    "legi": ("ligge",),
    "lege": ("ligge",),
    "vore": ("vere",),
    "vori": ("vere",),
    "vera": ("vere",),
    "sjå": ("sjå",),
    "såg": ("sjå",),
    "sett": ("sjå", "setje"),
    "gjort": ("gjere",),
    "gjer": ("gjere",),
    "gjera": ("gjere",),
    "seia": ("seie",),
    "sagt": ("seie",),
    "hugsa": ("hugse",),
    "hugs": ("hugse",),
    "køyrt": ("køyre",),
    "kalla": ("kalle",),
    "kallar": ("kalle",),
    "kjem": ("kome",),
    "kom": ("kome",),
    "kome": ("kome",),
    "komme": ("kome",),
    "kommer": ("kome",),
    "kjøme": ("kome",),
    "gjekk": ("gå",),
    "gjenge": ("gå",),
    "fekk": ("få",),
    "fenge": ("få",),
    "fått": ("få",),
    "tok": ("ta",),
    "teke": ("ta",),
    "tatt": ("ta",),
    "vart": ("verte", "bli"),
    "blei": ("bli",),
    "vi": ("vi",),
    "synest": ("synast",),
    "syntest": ("synast",),
    "veit": ("vite",),
    "visste": ("vite",),
    "trur": ("tru",),
    "trudde": ("tru",),
    "budde": ("bu",),
    "bur": ("bu",),
    "meir": ("mykje", "meir"),
    "mest": ("mykje", "mest"),
}

#: Nynorskordboka headwords simplemma's Nynorsk dictionary lacks, though their Bokmål twins are
#: everyday words (`enslig`, `lønnsomhet`, `tilskudd`, `-giver`): with them the regular endings
#: find `einslege`, `lønsemda`, `lønstilskot`, `programrådgjevaren` as for the dictionary's own.
MISSING_LEMMAS = frozenset({"einsleg", "lønsemd", "tilskot", "gjevar", "nedskjering"})

#: Regular Nynorsk inflection endings by part of speech: (ending, what replaces it).
_SUFFIXES: tuple[tuple[str, str], ...] = (
    # nouns: definite singular (not neuter -et: `jobbet` is no noun), plurals, genitive
    ("ane", ""), ("ene", ""), ("ene", "e"), ("ar", ""), ("er", ""), ("er", "e"),
    ("en", ""), ("a", ""), ("a", "e"), ("i", ""), ("s", ""),
    # verbs: present, past, participle (a-verbs, e-verbs, j-verbs)
    ("ar", "e"), ("a", "e"), ("de", "e"), ("te", "e"), ("dde", ""), ("dd", ""),
    ("t", "e"), ("d", "e"), ("r", ""), ("ande", "e"),
    # adjectives: plural/definite, neuter
    ("e", ""), ("t", ""),
)  # fmt: skip
#: Personal and interrogative pronouns (Nynorskordboka): their forms are irregular and listed
#: in the dictionary (`eg`/`meg`, `ho`/`henne`, `de`/`dykk`), so no regular ending leads to
#: one. Without this `det` (4,351 tokens in LIA), `der` and `hos` had the candidates `de` and
#: `ho`, and `kvar` (each, where) the candidate `kva` (what).
_PRONOUNS = frozenset({
    "eg", "du", "han", "ho", "hen", "vi", "me", "de", "dei", "dykk", "den", "det", "kva", "kven",
})  # fmt: skip
_MIN_TAIL = 3
_MIN_PREFIX = 2


@functools.cache
def _simplemma() -> Any:
    import simplemma  # loads its dictionaries on first use: keep importing this module cheap

    return simplemma


@functools.lru_cache(maxsize=200_000)
def _known(form: str) -> str | None:
    """simplemma's Nynorsk lemma for a form its dictionary lists (or a `MISSING_LEMMAS` word
    itself), else None."""
    if form in MISSING_LEMMAS:
        return form
    simplemma = _simplemma()
    if not simplemma.is_known(form, lang="nn"):
        return None
    return str(simplemma.lemmatize(form, lang="nn")).lower()


def _is_lemma(word: str) -> bool:
    """Whether simplemma's Nynorsk dictionary (or `MISSING_LEMMAS`) has `word` as a lemma."""
    return _known(word) == word


def _by_suffix(form: str) -> list[str]:
    found: list[str] = []
    for suffix, repl in _SUFFIXES:
        if len(form) - len(suffix) >= 2 and form.endswith(suffix):
            lemma = form[: -len(suffix)] + repl
            if (
                lemma != form
                and lemma not in _PRONOUNS
                and _is_lemma(lemma)
                and not _verb_not_noun(form, suffix, repl)
                and _plausible(suffix, repl, lemma)
            ):
                found.append(lemma)
    return found


#: The e-verbs' past and participle endings (`køyrde`, `kjøpte`, `køyrt`, `lærd`); a-verbs take
#: `-a` there (`hala`, `tala`).
_E_VERB_ENDINGS = frozenset({("de", "e"), ("te", "e"), ("t", "e"), ("d", "e")})
#: An adjective's neuter `-t` (`godt`), and its plural/definite `-e` (`gode`). The rule `-e`
#: -> `` stays open to nouns: it is also the dialect dative (`på fjelle`, `i huse`).
_NEUTER = ("t", "")


def _plausible(suffix: str, repl: str, lemma: str) -> bool:
    """Whether a regular ending may lead to `lemma`, by the forms the dictionary lists for
    `lemma` itself (as `lemmas._plausible` does for Bokmål):

    - an e-verb's past or participle (`-de/-te/-t/-d`) is refused for an a-verb, one whose
      present `-ar` is listed (`halar`, `talar`) and no past in `-de/-te/-dde`: `halde` (hold)
      is no past of `hale` (haul, past `hala`), `talde` (counted) none of `tale` (speak);
    - an adjective's neuter `-t` is refused for a noun, one whose definite `-en/-et/-a` is
      listed, when no plural `-e` is listed for it either: `lagt` (laid) is no neuter of `lag`
      (team), nor `hest` of `hes` (hoarse: `hes` is a noun too); `godt` stays `god`.
    """
    if (suffix, repl) in _E_VERB_ENDINGS:
        stem = lemma[:-1]
        own = (lemma, stem + "a")  # simplemma gives some verbs their a-infinitive (`helsa`)
        if _known(stem + "ar") in own:
            return any(_known(stem + past) in own for past in ("de", "te", "dde"))
    if (suffix, repl) == _NEUTER and any(_known(lemma + e) == lemma for e in ("en", "et", "a")):
        return _known(lemma + "e") == lemma
    return True


def _verb_not_noun(form: str, suffix: str, repl: str) -> bool:
    """Whether a `-a` form the dictionary knows as a verb (`jobba`: `jobbe`) is no form of the
    noun without `-a` either, because that noun is masculine (its definite singular is
    `-en`: `jobben`); only feminine and neuter nouns have a definite `-a` (`bygda`, `snakka`:
    the dictionary has no `bygden`, `snakken`). `jobba her` is then no `jobb her`."""
    if (suffix, repl) != ("a", ""):
        return False
    noun = form[:-1]
    verb = _known(form)
    return verb is not None and verb != noun and _known(noun + "en") == noun


def _direct(form: str) -> list[str]:
    """Lemmas of a form without splitting it: table, dictionary, regular endings."""
    found = list(_IRREGULAR.get(form, ()))
    lemma = _known(form)
    if lemma:
        found += [*_e_infinitive(lemma), lemma]
    # simplemma keeps one lemma per form: the regular endings add the others (`snakka` is
    # `snakke` as well as `snakk`).
    for other in _by_suffix(form):
        found += [*_e_infinitive(other), other]
    return list(dict.fromkeys(found))


def _e_infinitive(lemma: str) -> list[str]:
    """The e-infinitive of an a-infinitive simplemma gives (`liggja` -> `ligge`, `sitja` ->
    `sitte`, `bera` -> `bere`), and the form without j (`syngje` -> `synge`): forms of current
    Nynorsk (2012 norm) and of LIA's lemmas.
    Kept only where the dictionary knows the result. A j-verb's infinitive with a doubled
    consonant instead of the j (`sitja` -> `sitte`, `setja` -> `sette`) is a form of only a few
    verbs, so it is kept only where the dictionary lists it as a form of this very verb (or of
    the verb a compound ends in: `tilsetja` -> `tilsette`, as `setja` -> `sette`): `velle`
    (well up), `verre` (worse), `fylle` (fill), `søkke` (sink) are other words, not forms of
    `velja`, `verja`, `fylja`, `søkja` (whose e-infinitives are `velje`, `verje`, ...)."""
    if lemma.endswith("ja") and len(lemma) > 4:
        stem = lemma[:-2]
        if stem[-1] == stem[-2]:  # liggja -> ligge: nothing doubled
            variants = [stem + "e", stem + "je"]
        elif _doubles(lemma):
            variants = [stem + stem[-1] + "e", stem + "je"]
        else:
            variants = [stem + "je"]
    elif lemma.endswith("a") and len(lemma) > 3:
        variants = [lemma[:-1] + "e"]
    elif lemma.endswith(("gje", "kje")) and len(lemma) > 4:
        variants = [lemma[:-2] + "e"]  # syngje -> synge, følgje -> følge
    else:
        return []
    return [word for word in variants if _known(word) is not None]


def _doubles(lemma: str) -> bool:
    """Whether the j-verb `lemma` (`-ja`), or the verb it ends in, has its infinitive with a
    doubled consonant listed in the dictionary as its own form, under either infinitive
    (`sette` -> `setja`, `ville` -> `vilje`; `velle` is `vella`, another verb)."""
    for start in range(len(lemma) - 4):
        verb = lemma[start:]
        stem = verb[:-2]
        if _known(stem + stem[-1] + "e") in (verb, stem + "je"):
            return True
    return False


def _domain() -> Iterator[str]:
    """Every string `_direct` may answer (for `lexicon.py`, which stores `_direct` of each):
    `_IRREGULAR`'s forms, the strings on which simplemma finds a Nynorsk lemma
    (`lexicon.simplemma_strings`) and `MISSING_LEMMAS`, and each of their lemmas with each of
    `_SUFFIXES` in place of the ending the rule replaces. A new source of lemmas in `_direct`
    must add its strings here."""
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

    yield from _IRREGULAR
    known = set(lexicon.simplemma_strings(DEFAULT_DICTIONARY_FACTORY.get_dictionary("nn")))
    known |= MISSING_LEMMAS
    yield from known
    for lemma in known:
        if _is_lemma(lemma):
            for suffix, repl in _SUFFIXES:
                if lemma.endswith(repl):
                    yield lemma[: len(lemma) - len(repl)] + suffix


def _lemmas(form: str) -> tuple[str, ...]:
    """`_direct(form)`, from the compiled table (`lexicon.py`)."""
    return lexicon.entry(form).nynorsk


def _compound(form: str) -> list[str]:
    """Prefix + lemmas of the longest tail the dictionary knows (tail >= 3, prefix >= 2)."""
    for tail in lexicon.tails(form, _MIN_PREFIX, _MIN_TAIL):
        lemmas = _lemmas(tail)
        if lemmas:
            return [form[: len(form) - len(tail)] + lemma for lemma in lemmas]
    return []


@functools.lru_cache(maxsize=200_000)
def nynorsk_candidates(form: str) -> tuple[str, ...]:
    """Nynorsk lemmas for `form` (lowercased), most likely first; () when none is found."""
    form = form.lower()
    if not any(ch.isalpha() for ch in form):
        return ()
    if "-" in form:
        head, _, tail = form.rpartition("-")
        if not any(ch.isalpha() for ch in tail):
            return ()
        return tuple(f"{head}-{lemma}" for lemma in _lemmas(tail) or _compound(tail))
    return tuple(_lemmas(form) or _compound(form))
