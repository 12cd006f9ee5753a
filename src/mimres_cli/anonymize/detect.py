"""Detectors: each finds one way of pointing at a person in a text and says how sure it is.

Every detector returns `Candidate`s (character span, kind, method, confidence). Which ones
are replaced is decided later (see rewrite.resolve): a candidate at or above the threshold is
replaced, one below it is only listed for review. The methods are documented in
docs/anonymize.md; the confidences are fixed per method, not learnt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from spacy.lang.nb.stop_words import STOP_WORDS
from stdnum.no import fodselsnummer, kontonr

from mimres_cli.anonymize.kinds import IDENTIFIER_KINDS
from mimres_cli.anonymize.lists import PUBLIC_BODIES, countries, name_lists, places
from mimres_cli.nlp import lemma_candidates


@dataclass(frozen=True)
class Candidate:
    """A span of a text that may identify someone."""

    start: int
    end: int
    text: str
    kind: str
    method: str
    confidence: float
    gender: str | None = None  # for person names the lists know

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end


class Vocabulary:
    """Lowercase words seen written in lowercase in the texts at hand, plus spaCy's Norwegian
    stop words: a capitalised word whose lowercase form is among them (`Per`, `Liv`, `Sel`)
    may just start a sentence, so it is a name only with less confidence."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.words: set[str] = set(STOP_WORDS)
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        text = _ADDRESS_LIKE.sub(" ", text)  # "amina" in amina.yusuf@example.no is no word
        self.words.update(m.group() for m in _LOWER_WORD.finditer(text))

    def common(self, word: str) -> bool:
        return word.lower() in self.words


_ADDRESS_LIKE = re.compile(r"\S*[@./:]\w\S*")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-zæøåéü][\wæøå]*")
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÆØÅÉÜ][a-zæøåéüäöçğışñ'’]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?")
#: A possessive after the word (`Son min`, `Mora mi`: a kinship noun in Nynorsk and dialect):
#: a common noun, whatever the name lists say.
_POSSESSIVE_AFTER = re.compile(
    r"[ \t]+(?:min|mi|mitt|mine|din|di|ditt|dine|sin|si|sitt|sine|vår|vårt|våre)(?![\w-])"
)
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "al", "el", "bin", "ibn", "abu", "da"})
_OPENERS = "«\"'“‘(*[-–—_"
#: Bracketed pseudonyms this tool writes (`[PERSON-3]`) and their label form (`PERSON-3`).
PSEUDONYM = re.compile(r"\[?\b[A-ZÆØÅ]+-\d+\b\]?")


def starts_sentence(text: str, start: int) -> bool:
    """True when `start` begins a sentence, line or turn (only quotes or brackets before)."""
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in ".!?:;…\n"


# ---- identifiers ------------------------------------------------------------------------

_ELEVEN_DIGITS = re.compile(r"(?<![\d.,])\d{6}[ .]?\d{5}(?!\d|[.,]\d)")
_ACCOUNT = re.compile(r"(?<![\d.,])\d{4}[ .]\d{2}[ .]\d{5}(?!\d|[.,]\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"]+[^\s<>«»\".,;:!?)]"
    r"|(?<![@\w.-])(?:[a-zA-Z0-9-]+\.)+(?:no|com|org|net|se|dk|eu|io|info)(?:/[^\s<>«»\"]*[\w/])?"
    r"(?![\w@-])"
)
_CAR = re.compile(r"(?<![\w-])[A-Z]{2}[ -]?\d{4,5}(?![\w-])")
_POSTCODE = re.compile(r"(?<![\d\w])\d{4}(?=[ \t]+[A-ZÆØÅ][a-zæøå]+)")
_POSTCODE_WORD = re.compile(r"(?i:postnummer|postnr\.?)\s+(\d{4})(?!\d)")
_STREET = (
    r"(?:vei(?:en)?|veg(?:en)?|gat(?:a|e|en)|allé(?:en)?|alle|plass(?:en)?|stien|stigen|"
    r"svingen|bakken|tunet|lia|lien|vangen|brekka|jordet|kroken|kleiva|ringen|tun|myra|haugen)"
)
_ADDRESS = re.compile(
    r"(?<![\w-])(?:[A-ZÆØÅ][\wæøå.-]*\s){0,3}"
    rf"(?:[A-ZÆØÅ][\wæøå-]*{_STREET}|[a-zæøå]*{_STREET})"
    r"\s+\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?![\d])"
)
_MONTHS = (
    "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des"
)
_DATE = (
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)?\d{2}|\d{1,2}\.?\s(?:"
    + _MONTHS
    + r")\.?\s(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2}|\d{1,2}/\d{1,2}[/-](?:19|20)?\d{2})"
)
_DATE_ONLY = re.compile(_DATE)
_BIRTH_WORDS = r"(?:født|fødd|f\.|fødselsdato|fødselsdag|bursdag|fødselsår)"
_BIRTHDATE = re.compile(
    rf"(?i:{_BIRTH_WORDS})[^\n.!?]{{0,25}}?(?P<date>{_DATE}|(?<=i )(?:19|20)\d{{2}}(?!\d))"
)
_AGE = re.compile(
    r"(?i:\b(?:er|var|blir|ble|fylte|fyller)\s+)(?P<age>\d{1,3})\s+år\b"
    r"|(?P<age2>\d{1,3})\s*(?:år\s+gammel|-?åring)\b"
)


def identifier_candidates(text: str) -> list[Candidate]:
    """Fødselsnummer and D-numbers, account numbers, phones, e-mail, URLs, car registration
    numbers, postcodes, street addresses, dates of birth and ages, found by their form."""
    found: list[Candidate] = []
    for m in _ELEVEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        account_word = "konto" in text[max(0, m.start() - 30) : m.start()].lower()
        if kontonr.is_valid(digits) and (account_word or not fodselsnummer.is_valid(digits)):
            found.append(Candidate(m.start(), m.end(), m.group(), "account", "MOD11 check", 1.0))
        elif fodselsnummer.is_valid(digits):
            dnumber = int(digits[0]) >= 4
            method = "D-number check digits" if dnumber else "fødselsnummer check digits"
            found.append(Candidate(m.start(), m.end(), m.group(), "fnr", method, 1.0))
        else:
            found.append(Candidate(m.start(), m.end(), m.group(), "fnr", "11 digits", 0.4))
    for m in _ACCOUNT.finditer(text):
        if kontonr.is_valid(re.sub(r"\D", "", m.group())):
            found.append(Candidate(m.start(), m.end(), m.group(), "account", "MOD11 check", 1.0))
    for match in phonenumbers.PhoneNumberMatcher(text, "NO", leniency=phonenumbers.Leniency.VALID):
        if _DATE_ONLY.fullmatch(match.raw_string):
            continue  # 21.03.1980 is a valid landline number, and a date
        found.append(
            Candidate(match.start, match.end, match.raw_string, "phone", "phonenumbers", 0.95)
        )
    found += _pattern(text, _EMAIL, "email", "e-mail pattern", 1.0)
    found += [c for c in _pattern(text, _URL, "url", "URL pattern", 0.95) if "@" not in c.text]
    found += _pattern(text, _CAR, "car", "registration number pattern", 0.9)
    for m in _ADDRESS.finditer(text):
        start = m.start()
        for word in re.finditer(r"\S+", m.group()):  # "I Storgata 5": the street, not "I"
            if word.group().lower() not in STOP_WORDS:
                break
            start = m.start() + word.end() + 1
        found.append(
            Candidate(start, m.end(), text[start : m.end()], "address", "street + number", 0.9)
        )
    for m in _POSTCODE.finditer(text):
        place = text[m.end() :].split(None, 1)[0].strip(".,;:!?")
        sure = place in places()
        found.append(
            Candidate(
                m.start(), m.end(), m.group(), "postcode", "4 digits + place", 0.95 if sure else 0.5
            )
        )
    for m in _POSTCODE_WORD.finditer(text):
        found.append(Candidate(m.start(1), m.end(1), m[1], "postcode", "after 'postnummer'", 1.0))
    for m in _BIRTHDATE.finditer(text):
        found.append(
            Candidate(
                m.start("date"), m.end("date"), m["date"], "birthdate", "date after 'født'", 0.95
            )
        )
    for m in _AGE.finditer(text):
        group = "age" if m["age"] is not None else "age2"
        found.append(Candidate(m.start(group), m.end(group), m[group], "age", "'N år'", 0.9))
    return found


def _pattern(text: str, pattern: re.Pattern[str], kind: str, method: str, confidence: float):
    return [
        Candidate(m.start(), m.end(), m.group(), kind, method, confidence)
        for m in pattern.finditer(text)
    ]


# ---- names from lists --------------------------------------------------------------------


def _stem(word: str, known: Callable[[str], bool]) -> str | None:
    """`word` or, for a genitive (`Aminas`), its stem, when `known`; else None."""
    if known(word):
        return word
    if word.endswith("s") and len(word) > 3 and known(word[:-1]):
        return word[:-1]
    return None


def name_candidates(text: str, vocabulary: Vocabulary) -> list[Candidate]:
    """Person names from the first-name and surname lists, Norwegian places from the place
    list, countries, and (for review only) other capitalised words inside a sentence."""
    lists = name_lists()
    found: list[Candidate] = []
    words = list(_CAPITALISED.finditer(text))
    used = set()
    for index, m in enumerate(words):
        if index in used:
            continue
        first = _stem(m.group(), lists.first.__contains__)
        surname = _stem(m.group(), lists.last.__contains__)
        if first is None and surname is None:
            continue
        # a run of capitalised words after a first name: "Amina Yusuf", "Ole Martin Hansen"
        end_index = index
        while end_index + 1 < len(words):
            gap = text[words[end_index].end() : words[end_index + 1].start()]
            if not (gap == " " or (gap.strip() in _PARTICLES and gap.count(" ") == 2)):
                break
            if first is None and surname is not None and end_index == index:
                nxt = words[end_index + 1].group()
                if _stem(nxt, lists.last.__contains__) is None:
                    break
            end_index += 1
        start = m.start()
        if end_index > index:
            last_word = words[end_index].group()
            end = words[end_index].end()
            listed = last_word in lists.first or last_word in lists.last
            if last_word.endswith("s") and not listed and _stem(last_word, lists.last.__contains__):
                end -= 1  # "Amina Yusufs" -> "Amina Yusuf" + s
            used.update(range(index, end_index + 1))
            gender = lists.first.get(first) if first else None
            found.append(
                Candidate(start, end, text[start:end], "person", "name lists", 0.95, gender)
            )
            continue
        word = first or surname or ""
        end = start + len(word)
        initial = starts_sentence(text, start)
        common = vocabulary.common(word) or _POSSESSIVE_AFTER.match(text, end) is not None
        if first is not None:
            confidence = 0.35 if initial and common else 0.8 if common else 0.9
            method = "first-name list"
        else:
            confidence = (
                0.3 if initial and common else 0.45 if initial else 0.55 if common else 0.75
            )
            method = "surname list"
        gender = lists.first.get(first) if first else None
        found.append(Candidate(start, end, word, "person", method, confidence, gender))
    found += place_candidates(text, vocabulary)
    found += _unknown_capitalised(text, words, vocabulary)
    for m in _COMPANY.finditer(text):
        start = m.start()
        for word in re.finditer(r"\S+", m.group()):  # "Hos Hansen Bygg AS": not "Hos"
            initial = starts_sentence(text, m.start() + word.start())
            plain = vocabulary.common(word.group()) or (
                initial and lemma_candidates(word.group().lower())
            )
            if not plain or word.end() == m.end() - m.start():
                break
            start = m.start() + word.end() + 1
        span = text[start : m.end()].lstrip()
        if " " in span:
            start = m.end() - len(span)
            found.append(Candidate(start, m.end(), span, "org", "company form", 0.9))
    return found


#: A company name: capitalised words (or initials, `&`) before a company form (AS, ASA, ...).
_COMPANY = re.compile(
    r"(?<![\w-])(?:[A-ZÆØÅ0-9][\wæøåÆØÅ&.'’-]*[ \t]+(?:og[ \t]+|&[ \t]+)?){1,4}"
    r"(?:AS|ASA|BA|SA|ANS|DA|NUF|SUS)(?![\w-])"
)


def _place_pattern() -> re.Pattern[str]:
    names = sorted(set(places()) | countries(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?=s?(?![\w-]))")


_PLACES: list[re.Pattern[str]] = []


def place_candidates(text: str, vocabulary: Vocabulary) -> list[Candidate]:
    """Norwegian counties, municipalities, towns and regions (places.csv), countries, and
    public bodies (kind `public`, never replaced: they keep other detectors off the span)."""
    if not _PLACES:
        _PLACES.append(_place_pattern())
        bodies = sorted(PUBLIC_BODIES, key=len, reverse=True)
        _PLACES.append(re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, bodies))})(?![\w-])"))
    found = [
        Candidate(m.start(), m.end(), m.group(), "public", "public body list", 1.0)
        for m in _PLACES[1].finditer(text)
    ]
    country_names = countries()
    for m in _PLACES[0].finditer(text):
        name = m.group()
        if name in country_names and name not in places():
            found.append(Candidate(m.start(), m.end(), name, "country", "country list", 0.9))
            continue
        initial = starts_sentence(text, m.start())
        confidence = 0.35 if initial and vocabulary.common(name) else 0.9
        found.append(Candidate(m.start(), m.end(), name, "place", "place list", confidence))
    return found


def _unknown_capitalised(
    text: str, words: Sequence[re.Match[str]], vocabulary: Vocabulary
) -> list[Candidate]:
    """Capitalised words inside a sentence that no list knows and that are not written in
    lowercase elsewhere: names the lists miss, of a kind not known (`name`, [NAVN-n])."""
    lists = name_lists()
    known = places()
    found = []
    for m in words:
        word = m.group()
        if (
            _stem(word, lambda w: w in lists.first or w in lists.last or w in known)
            or word in lists.first
            or word in lists.last
            or word in known
            or word in PUBLIC_BODIES
            or vocabulary.common(word)
            or starts_sentence(text, m.start())
        ):
            continue
        found.append(Candidate(m.start(), m.end(), word, "name", "capitalised word", 0.55))
    return found


# ---- entities from the pipeline -----------------------------------------------------------

#: NER labels (NorNE's, as in nb_core_news_sm) and the kind they are replaced as.
NER_KINDS = {
    "PER": "person",
    "LOC": "place",
    "GPE_LOC": "place",
    "GPE": "place",
    "ORG": "org",
    "GPE_ORG": "org",
}
_NER_CONFIDENCE = {"person": 0.85, "place": 0.8, "org": 0.7}


def entity_candidates(
    text: str, entities: Iterable[tuple[int, int, str]], vocabulary: Vocabulary
) -> list[Candidate]:
    """Candidates from a pipeline's named entities (start, end, label) over `text`.

    Entities of public bodies (NAV, Røde Kors) are left out; an entity made only of words
    written in lowercase elsewhere (`Flyktningtjenesten`) is listed for review only.
    """
    lists = name_lists()
    found = []
    for start, end, label in entities:
        kind = NER_KINDS.get(label)
        span = text[start:end]
        if kind is None or not span[:1].isupper() or span in PUBLIC_BODIES:
            continue
        if kind == "place" and span in countries() and span not in places():
            kind = "country"
        words = span.split()
        listed = any(w in lists.first or w in lists.last or w in places() for w in words)
        confidence = _NER_CONFIDENCE.get(kind, 0.8)
        initial = len(words) == 1 and starts_sentence(text, start)
        if (initial or not listed) and all(vocabulary.common(w) for w in words):
            confidence = 0.4
        elif initial:
            # one capitalised word opening a sentence: the stand-in model often calls it PER
            confidence = confidence if span in lists.first or span in places() else 0.45
        gender = lists.first.get(words[0]) if kind == "person" else None
        found.append(Candidate(start, end, span, kind, f"NER {label}", confidence, gender))
    return found


def known_candidates(
    text: str, known: dict[str, str], vocabulary: Vocabulary, method: str = "known entity"
) -> list[Candidate]:
    """Every occurrence of an entity already found (in this corpus or in the key), so that one
    entity is replaced everywhere, also where no detector saw it."""
    if not known:
        return []
    names = sorted(known, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(n) for n in names)})(?=s?(?![\w-]))")
    found = []
    for m in pattern.finditer(text):
        kind = known[m.group()]
        confidence = 0.95
        if kind not in IDENTIFIER_KINDS and starts_sentence(text, m.start()):
            confidence = 0.35 if vocabulary.common(m.group()) else confidence
        found.append(Candidate(m.start(), m.end(), m.group(), kind, method, confidence))
    return found
