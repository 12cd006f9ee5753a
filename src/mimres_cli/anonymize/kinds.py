"""The kinds of identifying information, their pseudonym labels and whether they are on by
default (each can be switched with --skip / --also)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # pseudonyms are [LABEL-n]
    default: bool
    description: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("person", "PERSON", True, "person names (pipeline NER, name lists, speaker labels)"),
        Kind("name", "NAVN", True, "other capitalised words inside a sentence (no list knows)"),
        Kind("place", "STED", True, "Norwegian municipalities, counties, towns, NER places"),
        Kind("org", "ORG", True, "organisations and workplaces (NER, employer in metadata)"),
        Kind("address", "ADRESSE", True, "street name + house number"),
        Kind("postcode", "POSTNR", True, "four-digit postcode before a place name"),
        Kind("fnr", "FNR", True, "fødselsnummer and D-number (check digits)"),
        Kind("phone", "TLF", True, "phone numbers (Norwegian and international)"),
        Kind("email", "EPOST", True, "e-mail addresses"),
        Kind("url", "URL", True, "web addresses"),
        Kind("account", "KONTO", True, "bank account numbers (MOD11 check digit)"),
        Kind("car", "REGNR", True, "car registration numbers (two letters + digits)"),
        Kind("birthdate", "FØDSELSDATO", True, "dates (and years) of birth"),
        Kind("age", "ALDER", False, "ages ('43 år gammel'); off unless --also age"),
        Kind("country", "LAND", False, "country names; off unless --also country"),
    )
}

#: Kinds found by their form rather than by a list or a model.
IDENTIFIER_KINDS = frozenset(
    {"address", "postcode", "fnr", "phone", "email", "url", "account", "car", "birthdate", "age"}
)

DEFAULT_KINDS = frozenset(name for name, kind in KINDS.items() if kind.default)


def chosen_kinds(skip: list[str] | None = None, also: list[str] | None = None) -> frozenset[str]:
    """The default kinds, less `skip`, plus `also`. Raises ValueError naming an unknown kind."""
    for name in [*(skip or []), *(also or [])]:
        if name not in KINDS:
            raise ValueError(name)
    return (DEFAULT_KINDS - set(skip or [])) | set(also or [])
