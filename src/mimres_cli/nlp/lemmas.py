"""Lemma candidates for Norwegian Bokmål word forms, without a tagger.

Used by the fallback pipeline when no Norwegian spaCy model is installed, and beside a trained
pipeline's predicted lemma (trained models get unseen compounds wrong). A codebook term word
matches a token when it equals any candidate, so the candidates aim at coverage; the first one is
the best single guess.

Sources, in the order their candidates are listed:

1. `_DIALECT`: a few Nynorsk and dialect spellings common in transcripts, mapped to Bokmål lemmas.
2. simplemma's Bokmål dictionary, when it knows the form (its lemma goes first).
3. Norsk Ordbank as shipped by spacy-lookups-data (`nb_lemma_exc`), in POS order noun, verb,
   adj, adv. The export keeps one lemma per form and POS, the alphabetically last one, so
   `biler` -> `bile`, `saken` -> `sake`, `jobber` -> noun `jobber` only. Suffix rules
   (`nb_lemma_rules` plus `_EXTRA_RULES`) win the lost readings back: a rule result counts only if
   it is a lemma of that POS, sorts before the lemma the table kept (`jobb` < `jobber`), and the
   lemma's own attested forms do not contradict it (`_plausible`: `leite` is not `leie`).
4. Genitive `-s` of a known noun form (`landets` -> `land`, `dagens` -> `dag`).
5. Compounds and hyphenated forms missing from the tables: prefix + the noun/adj lemmas of the
   longest known tail (`flyktningtjenesten` -> `flyktningtjeneste`, `NAV-kontoret` -> `nav-kontor`).
6. Nynorsk lemmas (`nynorsk.py`: `hugsar` -> `hugse`, `butikkeigaren` -> `butikkeigar`); with
   `language="nn"` they come first instead of last.

Measured on NorNE Bokmål dev (UD; 13,780 NOUN/VERB/ADJ tokens, gold LEMMA lowercased) as "gold
among candidates" / "first candidate is gold": Ordbank only 89.7 / 81.7 %; + rules 91.9 / 81.7 %;
+ genitive and compound tails 97.0 / 86.5 %; + simplemma 98.2 / 94.3 % (test split: 98.6 /
94.8 %). simplemma alone: 94.1 / 94.1 %. Without simplemma the best first-candidate heuristics
were verb first for -er/-et/-te (88.0 %) and, on top, demoting imperative readings such as
`klar` -> `klare` (89.5 %); "not the form itself first" scored 82.3 %. simplemma's lemma first
beats them all and restores irregular forms the export lost (`regler` -> `regel`).
"""

from __future__ import annotations

import functools
import gc
import gzip
import json
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from itertools import chain
from typing import Any, NamedTuple

from mimres_cli.nlp import lexicon
from mimres_cli.nlp.nynorsk import nynorsk_candidates

_POS_ORDER: tuple[str, ...] = ("noun", "verb", "adj", "adv")
# Compounds are nouns or adjectives: `deltidsjobber` -> `deltidsjobb`, not `deltidsjobbe`.
_COMPOUND_POS: tuple[str, ...] = ("noun", "adj")
_MIN_TAIL = 3
_MIN_PREFIX = 2
# A genitive `-s` is stripped from forms without a noun reading, or from definite forms.
_DEFINITE_ENDINGS: tuple[str, ...] = ("en", "et", "a", "ne")

# Regular Bokmål inflection suffixes that `nb_lemma_rules` lacks (it has e.g. noun `er` -> `e`
# but not `er` -> ``, so `jobber` could never reach `jobb`). Results are checked against the
# lemma list, so over-general rules only cost lookups.
_EXTRA_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "noun": (("er", ""), ("ene", ""), ("en", ""), ("et", ""), ("a", ""), ("ne", "")),
    "verb": (("r", ""), ("s", ""), ("de", "e"), ("dde", ""), ("dd", ""), ("tt", "")),
    "adj": (("t", ""), ("e", "t")),
}

# Nynorsk / dialect spelling -> Bokmål lemma(s). Standard Nynorsk-Bokmål correspondences (Norsk
# Ordbok / Nynorskordboka headwords) plus a few widespread dialect spellings (marked).
_DIALECT: dict[str, tuple[str, ...]] = {
    "ikkje": ("ikke",),
    "itj": ("ikke",),  # trøndersk
    "eg": ("jeg",),
    "æ": ("jeg",),  # nordnorsk, trøndersk
    "ho": ("hun",),
    "dei": ("de",),
    "dokker": ("dere",),  # dialect
    "ein": ("en",),
    "eit": ("en",),  # like Bokmål `et`, whose lemma is `en`
    "noko": ("noe",),
    "nokon": ("noen",),
    "nokre": ("noen",),
    "kva": ("hva",),
    "ka": ("hva",),  # dialect
    "korleis": ("hvordan",),
    "koss": ("hvordan",),  # dialect
    "kvifor": ("hvorfor",),
    "korfor": ("hvorfor",),
    "kor": ("hvor",),
    "kven": ("hvem",),
    "berre": ("bare",),
    "mykje": ("mye",),
    "sjøl": ("selv",),
    "heim": ("hjem",),
    "trur": ("tro",),
    "kjem": ("komme",),
    "veit": ("vite",),
    "vart": ("bli",),
    "frå": ("fra",),
    "vere": ("være",),
    "vore": ("være",),
    "òg": ("også",),
    "gjere": ("gjøre",),
    "seie": ("si",),
    "gjekk": ("gå",),
    "gong": ("gang",),
    "gongen": ("gang",),
    "gonger": ("gang",),
    "gongene": ("gang",),
    "tenesta": ("tjeneste",),
    "tenester": ("tjeneste",),
    "saman": ("sammen",),
    "fleire": ("flere",),
    "sjølv": ("selv",),
    "no": ("nå",),
}

# Personal pronouns are read as pronouns: Norsk Ordbank also lists them as forms of rare verbs
# (the imperative `vi` of `vie`, `dem` of `demme`, the past `seg` of `sige`, `meg` of `mige`),
# and a pronoun this frequent would match a term `vie` in nearly every sentence (LIA: 785 `vi`).
_PRONOUN_FORMS: frozenset[str] = frozenset({"vi", "oss", "dem", "seg", "meg", "deg"})

# Frequent forms whose first dictionary reading is rarely the one meant in an interview:
# "går" is far more often the verb "gå" than the noun "går" (yesterday), so the verb leads.
_PREFERRED_FIRST: dict[str, str] = {
    "går": "gå",
}


# A rule-derived reading is a guess: `leite` -> verb `leie` by the past-tense rule `-te`, though
# `leie` has the past `leide` and `leite` is a verb of its own ("search"). `_plausible` keeps a
# guess only where the derived lemma's own attested forms do not contradict it (see there).
_MIN_STEM = 2
# Verb endings (after the stem) that fill the same slot: a verb whose past (or participle) is
# attested with one of them does not also take another one ("leide", so not "leite").
_VERB_PAST: frozenset[str] = frozenset({"te", "de", "dde", "et", "a"})
_VERB_PARTICIPLE: frozenset[str] = frozenset({"t", "d", "dd", "tt", "et", "a"})


class _Tables(NamedTuple):
    forms: dict[str, dict[str, list[str]]]  # POS -> lowercased form -> lowercased lemmas
    lemmas: dict[str, frozenset[str]]  # POS -> every lemma of that POS
    rules: dict[str, tuple[tuple[str, str], ...]]  # POS -> (suffix, replacement), shipped first


def _read_json_gz(name: str) -> Any:
    data = (resources.files("spacy_lookups_data") / "data" / name).read_bytes()
    return json.loads(gzip.decompress(data))


@functools.cache
def _tables() -> _Tables:
    """Load and index the Ordbank tables once (25 MB of JSON)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~600k small lists: cyclic GC passes would add a third to the load time
    try:
        exc = _read_json_gz("nb_lemma_exc.json.gz")
    finally:
        if gc_was_enabled:
            gc.enable()
    shipped = _read_json_gz("nb_lemma_rules.json.gz")
    forms: dict[str, dict[str, list[str]]] = {}
    for pos in _POS_ORDER:
        table: dict[str, list[str]] = exc.get(pos, {})
        # ~2 % of entries have capitals (`Vesten` beside `vesten`): lowercase and merge them.
        mixed = [form for form, lems in table.items() if not (form.islower() and lems[0].islower())]
        for form in mixed:
            lems = [lem.lower() for lem in table.pop(form)]
            key = form.lower()
            table[key] = list(dict.fromkeys(table.get(key, []) + lems))
        forms[pos] = table
    lemmas = {pos: frozenset(chain.from_iterable(forms[pos].values())) for pos in _POS_ORDER}
    rules: dict[str, tuple[tuple[str, str], ...]] = {}
    for pos in _POS_ORDER:
        pairs = [(suffix, repl) for suffix, repl in shipped.get(pos, []) if suffix]
        pairs += [pair for pair in _EXTRA_RULES.get(pos, ()) if pair not in pairs]
        rules[pos] = tuple(pairs)
    return _Tables(forms=forms, lemmas=lemmas, rules=rules)


def _domain() -> Iterator[str]:
    """Every string `_direct` or `_simplemma_lemma` may answer (for `lexicon.py`): the Ordbank
    forms, their genitive `-s` (`_direct` reads the noun forms under it), and the strings on
    which simplemma finds a Bokmål lemma (`lexicon.simplemma_strings`)."""
    forms = _tables().forms
    for pos in _POS_ORDER:
        yield from forms[pos]
    yield from (form + "s" for form in forms["noun"])
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

    yield from lexicon.simplemma_strings(DEFAULT_DICTIONARY_FACTORY.get_dictionary("nb"))


@functools.cache
def _simplemma() -> Any:
    import simplemma  # loads a 60 MB dictionary on first use: keep importing this module cheap

    return simplemma


def _simplemma_lemma(form: str) -> str | None:
    """simplemma's lemma for `form`, or None when its Bokmål dictionary lacks the form."""
    simplemma = _simplemma()
    if not simplemma.is_known(form, lang="nb"):
        return None
    return str(simplemma.lemmatize(form, lang="nb")).lower()


def _exact(form: str) -> list[tuple[str, str]]:
    """(POS, lemma) readings listed for `form` in the Ordbank tables."""
    forms = _tables().forms
    return [(pos, lem) for pos in _POS_ORDER for lem in forms[pos].get(form, ())]


def _ruled(form: str) -> list[tuple[str, str]]:
    """(POS, lemma) readings the suffix rules win back from the one-lemma-per-form export."""
    tables = _tables()
    found: list[tuple[str, str]] = []
    for pos in _POS_ORDER:
        kept = tables.forms[pos].get(form)
        if not kept:
            continue
        ceiling = max(kept)
        for suffix, repl in tables.rules[pos]:
            if len(form) > len(suffix) and form.endswith(suffix):
                lemma = form[: -len(suffix)] + repl
                if (
                    lemma < ceiling
                    and lemma in tables.lemmas[pos]
                    and _plausible(pos, form, suffix, lemma)
                ):
                    found.append((pos, lemma))
    return found


def _plausible(pos: str, form: str, suffix: str, lemma: str) -> bool:
    """Whether `form` may be the `suffix` inflection of `lemma` (POS `pos`), by the forms the
    tables attest for `lemma` itself. Measured on NorNE (benchmarks/lemma_ambiguity.py):

    - the stem left after the suffix has at least two letters (`men` is not `m` + `en`);
    - a verb's past in `-te/-de/-dde/-et/-a` (or participle in `-t/-d/-dd/-tt/-et/-a`) is
      refused when the verb has another such ending attested: `leie` has `leide`, so `leite`
      is not `leie`; `le` has `ledd`, so `lett` is not `le`;
    - a noun's masculine `-en`/`-er` is refused for a neuter noun (its `-et` form attested, its
      `-en` form not: `skjønnet`, so `skjønner` is not the plural of `skjønn`), and a neuter
      `-et` for a masculine one (`fisken`, so `fisket` is not `fisk`);
    - a noun's `-ne` (definite plural) only follows an `-e` (`skolene`, not `mine` -> `mi`).
    """
    stem = form[: -len(suffix)]
    if len(stem) < _MIN_STEM or len(lemma) < _MIN_STEM:
        return False
    attested = _tables().forms[pos]

    def has(other: str) -> bool:
        return other != form and lemma in attested.get(other, ())

    if pos == "verb":
        verb_stem = lemma[:-1] if lemma.endswith("e") and not stem.endswith("e") else lemma
        ending = form[len(verb_stem) :] if form.startswith(verb_stem) else ""
        for family in (_VERB_PAST, _VERB_PARTICIPLE):
            if ending in family and any(has(verb_stem + e) for e in family - {ending}):
                return False
    elif pos == "noun":
        if suffix in ("en", "er") and has(lemma + "et") and not has(lemma + "en"):
            return False
        if suffix == "et" and has(lemma + "en") and not has(lemma + "et"):
            return False
        if suffix == "ne" and not lemma.endswith("e"):
            return False
    return True


def _direct(form: str) -> list[tuple[str, str]]:
    """Readings of a form the tables know: exact, rule-derived and genitive; a personal
    pronoun has no verb readings (`_PRONOUN_FORMS`)."""
    readings = _exact(form) + _ruled(form)
    if form in _PRONOUN_FORMS:
        readings = [(pos, lem) for pos, lem in readings if pos != "verb"]
    if form.endswith("s") and len(form) > 3:
        stem = form[:-1]
        has_noun = any(pos == "noun" for pos, _ in readings)
        if (not has_noun or stem.endswith(_DEFINITE_ENDINGS)) and stem in _tables().forms["noun"]:
            readings += [(pos, lem) for pos, lem in _exact(stem) + _ruled(stem) if pos == "noun"]
    return readings


def _readings(form: str) -> tuple[tuple[str, str], ...]:
    """`_direct(form)`, from the compiled table (`lexicon.py`)."""
    return lexicon.entry(form).ordbank


def _tail_lemmas(tail: str) -> list[str]:
    """Noun/adj lemmas of a compound's last part; [] when the tables don't know it."""
    return [lem for pos, lem in _readings(tail) if pos in _COMPOUND_POS]


def _compound(form: str) -> list[str]:
    """Prefix + lemma of the longest known tail (at least 3 characters, prefix at least 2)."""
    for tail in lexicon.tails(form, _MIN_PREFIX, _MIN_TAIL):
        tail_lemmas = _tail_lemmas(tail)
        if tail_lemmas:
            return [form[: len(form) - len(tail)] + lem for lem in tail_lemmas]
    return []


def _hyphenated(form: str) -> list[str]:
    """`nav-kontoret` -> `nav-kontor`: lemmatise the part after the last hyphen."""
    head, _, tail = form.rpartition("-")
    if not any(ch.isalpha() for ch in tail):
        return []
    tail_lemmas = _tail_lemmas(tail) or [lem for _, lem in _readings(tail)] or _compound(tail)
    return [f"{head}-{lem}" for lem in tail_lemmas]


@functools.lru_cache(maxsize=200_000)
def lemma_candidates(form: str, language: str = "nb") -> tuple[str, ...]:
    """Every lemma Norsk Ordbank allows for `form`, lowercased, most likely first; () when unknown.

    Order: dialect/Nynorsk mapping, simplemma's lemma, Ordbank readings (noun, verb, adj, adv,
    then rule-derived and genitive), compound-tail lemmas, Nynorsk lemmas. With `language`
    "nn" the Nynorsk lemmas come first; the set is the same. Forms without letters give ().
    """
    form = form.lower()
    if not any(ch.isalpha() for ch in form):
        return ()
    known = _answers.get(form)
    if known is None:
        known = _answers[form] = _look_up(form)
    if language == "nn":
        return tuple(dict.fromkeys(nynorsk_candidates(form) + known))
    return known


# Every form answered in this process, plus those an earlier run saved (see `remember`): a warm
# run over a parsed corpus then never loads the Ordbank and simplemma tables (about 2.7 s).
_answers: dict[str, tuple[str, ...]] = {}


def remember(saved: Mapping[str, Sequence[str]]) -> None:
    """Take the answers of an earlier run of this same code (`answers()` saved by nlp.cache)."""
    for form, candidates in saved.items():
        _answers.setdefault(form, tuple(candidates))


def answers() -> dict[str, tuple[str, ...]]:
    """Every form answered so far, with its candidates."""
    return dict(_answers)


def _look_up(form: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(bokmal_candidates(form) + nynorsk_candidates(form)))


@functools.lru_cache(maxsize=200_000)
def bokmal_candidates(form: str) -> tuple[str, ...]:
    """`lemma_candidates` without the Nynorsk lemmas: sources 1-5 above (lowercase `form`)."""
    candidates: list[str] = list(_DIALECT.get(form, ()))
    if form in _PREFERRED_FIRST:
        candidates.insert(0, _PREFERRED_FIRST[form])
    known = lexicon.entry(form)
    if known.bokmal_guess:
        candidates.append(known.bokmal_guess)
    ordbank = [lem for _, lem in known.ordbank]
    if not ordbank:
        ordbank = _hyphenated(form) if "-" in form else _compound(form)
    candidates += ordbank
    return tuple(dict.fromkeys(candidates))
