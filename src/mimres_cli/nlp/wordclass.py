"""Parts of speech without a tagger: the classes Norsk Ordbank has readings of for a word form.

The built-in pipeline has no tagger, so a codebook's `pos` is judged by the form's readings in
the compiled lemma table (`lexicon.py`), whatever the context: "jobber" is a noun and a verb.
Kept apart from `lemmas.py`, whose source is part of the parse cache's fingerprint: these
classes change no Doc.
"""

from __future__ import annotations

import functools

from mimres_cli.nlp import lexicon
from mimres_cli.nlp.lemmas import _COMPOUND_POS as COMPOUND_POS
from mimres_cli.nlp.lemmas import _MIN_PREFIX as MIN_PREFIX
from mimres_cli.nlp.lemmas import _MIN_TAIL as MIN_TAIL

#: The Universal POS tags of Norsk Ordbank's classes: the only parts of speech `word_classes`
#: can tell (it has no proper nouns, pronouns, determiners, prepositions, auxiliaries ...).
ORDBANK_UPOS: dict[str, str] = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}

#: Pronouns and determiners, Bokmål and Nynorsk (personal, possessive, demonstrative,
#: interrogative, indefinite; the articles). The Ordbank lacks these classes, and its readings
#: of such forms are other, rare words: "jeg" (et jeg, the self), "hun", "mi" (a note), "alle"
#: (allé) as NOUN, "min" (mine), "sin", "våre", "en" (ene) as VERB. So they have no class,
#: which a `pos` rule does not restrict, rather than a wrong one; so do the forms that are also
#: a common other word ("si", to say; "vår", spring; "dette", to fall), as either class, given
#: without the context, would be wrong for the other use.
PRONOUNS_DETERMINERS = frozenset({
    "jeg", "eg", "meg", "deg", "du", "han", "ham", "hun", "ho", "henne", "hen", "den", "det",
    "vi", "me", "oss", "dere", "de", "dem", "dei", "dykk", "seg", "man",
    "min", "mi", "mitt", "mine", "din", "di", "ditt", "dine", "sin", "si", "sitt", "sine",
    "vår", "vårt", "våre", "hans", "hennes", "hennar", "dens", "dets", "deres", "deira", "dykkar",
    "en", "ei", "et", "ein", "eit", "denne", "dette", "disse", "desse",
    "hvem", "kven", "hva", "kva", "hvilken", "hvilket", "hvilke",
    "noen", "noe", "nokon", "noko", "nokre", "noka", "nokor", "ingen", "inga", "ingi", "intet",
    "ingenting", "inkje", "all", "alt", "alle", "allting", "hver", "hvert", "kvar", "kvart",
    "enhver", "ethvert", "einkvar", "hverandre", "kvarandre", "begge",
})  # fmt: skip


@functools.lru_cache(maxsize=200_000)
def word_classes(form: str) -> frozenset[str]:
    """The parts of speech (`ORDBANK_UPOS` values) Norsk Ordbank has a reading of for `form`
    (any case), whatever the context: "jobber" is NOUN and VERB. A compound or hyphenated form
    it lacks takes the noun and adjective readings of its longest known last part, as
    `lemma_candidates` does ("deltidsjobbene": NOUN), unless it is a Nynorsk word ("jobbar" is
    the Nynorsk verb, not "job" + "bar"). Empty when the Ordbank knows neither: Nynorsk forms
    spelt unlike any Bokmål one ("jobbar", "skulen"), numbers, unknown words; and for pronouns
    and determiners ("jeg", "dei", "min": `PRONOUNS_DETERMINERS`), whose classes it lacks."""
    form = form.lower()
    if form in PRONOUNS_DETERMINERS:
        return frozenset()
    known = lexicon.stored(form)
    readings = known.ordbank
    if not readings and not known.nynorsk and any(ch.isalpha() for ch in form):
        part = form.rpartition("-")[2]
        tails = [part] if "-" in form else []
        tails += lexicon.tails(part, MIN_PREFIX, MIN_TAIL)
        for tail in tails:
            readings = tuple(r for r in lexicon.stored(tail).ordbank if r[0] in COMPOUND_POS)
            if readings:
                break
    return frozenset(ORDBANK_UPOS[pos] for pos, _ in readings)
