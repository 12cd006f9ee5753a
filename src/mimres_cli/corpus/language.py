"""Which written standard a transcript uses: Bokmål (nb), Nynorsk (nn), or both (mixed).

Counted on marker words: frequent function words and verbs whose spelling differs between the
standards (`eg`/`jeg`, `ikkje`/`ikke`, `kva`/`hva`, `berre`/`bare`, `frå`/`fra`, `noko`/`noe`,
`heim`/`hjem` ...). Words spelt alike in both (`har`, `det`, `er`) count for neither, so a text
without a marker has no language (""). Of the markers found, 80 % or more of one standard gives
that standard, anything in between "mixed". Dialect spellings that belong to neither
standard (`æ`, `itj`, `ka`) are not counted.

An interview's `language` metadata (front matter or metadata sheet) overrides the detection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mimres_cli.corpus.model import Interview

#: The values a `language` may have.
LANGUAGES = ("nb", "nn", "mixed")
#: The share of one standard's markers from which a text is that standard, not mixed.
THRESHOLD = 0.8

NYNORSK_MARKERS = frozenset({
    "eg", "ikkje", "ikkj", "ein", "eit", "kva", "korleis", "kvifor", "kven", "kvar", "noko",
    "nokon", "nokre", "berre", "frå", "ifrå", "vere", "vore", "òg", "mykje", "meir", "heim",
    "heime", "dei", "ho", "sjølv", "fleire", "gong", "gonger", "saman", "kjem", "veit", "trur",
    "seier", "gjere", "gjer", "hugsar", "hugse", "då", "medan", "sidan",
    "vart", "fekk", "gjekk", "høyrer", "skule", "skulen", "arbeidsgjevar", "bustad", "kjærleik",
})  # fmt: skip
BOKMAL_MARKERS = frozenset({
    "jeg", "ikke", "hva", "hvordan", "hvorfor", "hvem", "hvor", "noe", "noen", "bare", "fra",
    "være", "vært", "mye", "mer", "hjem", "hjemme", "hun", "selv", "flere", "sammen", "kommer",
    "vet", "tror", "sier", "gjøre", "gjør", "husker", "huske", "nå", "mens", "siden",
    "ble", "fikk", "gikk", "hører", "skole", "skolen", "arbeidsgiver", "bolig", "kjærlighet",
})  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(texts: Iterable[str]) -> str:
    """ "nb", "nn" or "mixed" by the marker words of `texts`; "" when there are none."""
    nn = nb = 0
    for text in texts:
        for match in _WORD.finditer(text.lower()):
            word = match.group()
            if word in NYNORSK_MARKERS:
                nn += 1
            elif word in BOKMAL_MARKERS:
                nb += 1
    if nn + nb == 0:
        return ""
    share = nn / (nn + nb)
    if share >= THRESHOLD:
        return "nn"
    if share <= 1 - THRESHOLD:
        return "nb"
    return "mixed"


def interview_language(interview: Interview) -> str:
    """The `language` metadata when given (nb, nn or mixed; front matter or metadata sheet:
    `corpus.metadata.OVERRIDES` keeps the key as it is), else `detect_language` on the
    interview's turns."""
    given = normalise_language(interview.metadata.get("language"))
    if given:
        return given
    return detect_language(turn.text for turn in interview.turns)


def normalise_language(value: Any) -> str:
    """A metadata `language` as nb/nn/mixed; "" for no value. Accepts the names in Norwegian
    and English (`nynorsk`, `bokmål`, `bokmal`, `no-nn`, `nob`, `nno`)."""
    if value is None:
        return ""
    text = str(value).strip().lower()
    return _ALIASES.get(text, text if text in LANGUAGES else "")


_ALIASES = {
    "nynorsk": "nn", "nno": "nn", "no-nn": "nn", "nb-no": "nb", "nn-no": "nn",
    "bokmål": "nb", "bokmal": "nb", "nob": "nb", "no-nb": "nb", "no": "nb",
    "blanda": "mixed", "blandet": "mixed", "begge": "mixed", "both": "mixed",
}  # fmt: skip
