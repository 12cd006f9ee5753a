"""The word lists detection looks names and places up in: people's names, Norwegian places,
countries and public bodies.

- First names (with gender) and surnames come from Faker's person providers (a maintained
  package; its Norwegian lists hold the most common names from Statistics Norway, and its
  other Latin-script locales add the names of people who came from elsewhere).
- Municipalities, counties, towns and regions are shipped in data/places.csv (see its header
  for source and date).
- Country names in Norwegian come from the Unicode CLDR through Babel.
"""

from __future__ import annotations

import csv
import functools
import importlib
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from spacy.lang.nb.stop_words import STOP_WORDS

Gender = Literal["female", "male"]

#: Faker person locales whose names are written in the Latin script: the Nordic countries, the
#: countries most refugees and labour migrants in Norway come from or pass through, and the
#: large European and English-speaking lists (`en` alone has about 7,000 first names).
NAME_LOCALES = (
    "no_NO",
    "da_DK",
    "sv_SE",
    "fi_FI",
    "is_IS",
    "de_DE",
    "de_AT",
    "nl_NL",
    "nl_BE",
    "fr_FR",
    "fr_BE",
    "fr_DZ",
    "en",
    "en_US",
    "en_GB",
    "en_IE",
    "en_KE",
    "en_NG",
    "en_IN",
    "en_PK",
    "es_ES",
    "it_IT",
    "pt_PT",
    "pt_BR",
    "pl_PL",
    "lt_LT",
    "lv_LV",
    "et_EE",
    "cs_CZ",
    "sk_SK",
    "hr_HR",
    "sl_SI",
    "hu_HU",
    "ro_RO",
    "tr_TR",
    "az_AZ",
    "uz_UZ",
    "sw",
    "ha_NG",
    "yo_NG",
    "ig_NG",
    "tw_GH",
    "zu_ZA",
    "id_ID",
    "vi_VN",
)

#: The locale realistic replacements are drawn from.
REPLACEMENT_LOCALE = "no_NO"

#: Public bodies and national organisations that every municipality has: naming them does not
#: point to a person, and coding often depends on them (NAV, flyktningtjenesten).
PUBLIC_BODIES = frozenset(
    {
        "NAV",
        "Nav",
        "UDI",
        "IMDi",
        "IMDI",
        "UNE",
        "Skatteetaten",
        "Husbanken",
        "Bufetat",
        "Statsforvalteren",
        "Fylkesmannen",
        "Lånekassen",
        "Helfo",
        "Politiet",
        "Stortinget",
        "Regjeringen",
        "Kommunen",
        "Staten",
        "Fylkeskommunen",
        "Røde Kors",
        "Frelsesarmeen",
        "Norsk Folkehjelp",
        "Kirkens Bymisjon",
        "Flyktninghjelpen",
        "UNHCR",
        "FN",
        "EU",
        "NRK",
        "Vinmonopolet",
        "Helsenorge",
        "HK-dir",
        "NOKUT",
        "Arbeidstilsynet",
        "Barnevernet",
        "Læringssenteret",
        "Flyktningtjenesten",
        "Introduksjonsprogrammet",
        "Voksenopplæringen",
    }
)


@dataclass(frozen=True)
class NameLists:
    first: dict[str, Gender | None]  # first name -> gender (None where lists disagree)
    last: frozenset[str]
    replacement_first: dict[Gender, tuple[str, ...]]
    replacement_last: tuple[str, ...]


def _latin(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(ord(ch) < 0x250 for ch in name)


def _names(provider: type, attribute: str) -> list[str]:
    value = getattr(provider, attribute, ())
    return [str(name) for name in (value.keys() if hasattr(value, "keys") else value)]


@functools.cache
def name_lists() -> NameLists:
    """First names with gender and surnames of every locale in NAME_LOCALES (loaded once)."""
    first: dict[str, Gender | None] = {}
    settled: set[str] = set()  # the Norwegian list's gender wins over other locales'
    last: set[str] = set()
    replacement_first: dict[Gender, tuple[str, ...]] = {}
    replacement_last: tuple[str, ...] = ()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for gender, attribute in (("female", "first_names_female"), ("male", "first_names_male")):
            names = [n for n in _names(provider, attribute) if _latin(n)]
            if locale == REPLACEMENT_LOCALE:
                replacement_first[gender] = tuple(names)  # type: ignore[index]
            for name in names:
                for part in name.split():  # "Ole Martin" is two first names
                    if part in settled or part.lower() in STOP_WORDS:  # "Om", "Vi", "Etter"
                        continue
                    known = first.get(part, gender)
                    first[part] = gender if known == gender else None  # type: ignore[assignment]
                    if locale == REPLACEMENT_LOCALE:
                        settled.add(part)
        surnames = [n for n in _names(provider, "last_names") if _latin(n)]
        if locale == REPLACEMENT_LOCALE:
            replacement_last = tuple(surnames)
        last.update(
            part
            for name in surnames
            for part in name.split()
            if _latin(part) and part.lower() not in STOP_WORDS
        )
    return NameLists(first, frozenset(last), replacement_first, replacement_last)


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # fylke, kommune, tettsted or region
    county: str


@functools.cache
def places() -> dict[str, Place]:
    """Norwegian counties, municipalities, some towns and regions, by name."""
    text = (resources.files("mimres_cli.anonymize") / "data" / "places.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    found: dict[str, Place] = {}
    for row in rows:
        found.setdefault(row["name"], Place(row["name"], row["kind"], row["county"]))
    return found


@functools.cache
def countries() -> frozenset[str]:
    """Country names in Norwegian Bokmål (CLDR), with their short forms (`Kongo`)."""
    from babel import Locale

    names = set(Locale.parse("nb").territories.values())
    names |= {
        "Kongo",
        "Sør-Sudan",
        "Nord-Korea",
        "Sør-Korea",
        "Palestina",
        "Kurdistan",
        "Tsjetsjenia",
    }
    return frozenset(n for n in names if n[:1].isupper())
