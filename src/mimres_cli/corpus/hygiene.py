"""Text hygiene: decode any common encoding, normalise to NFC and `\\n`, and spot mojibake.

Transcripts come from Word, Notepad and old Windows machines. A file is read as UTF-8 (with or
without a byte-order mark) when it is valid UTF-8; as UTF-16/32 when it has a byte-order mark or
the NUL bytes of UTF-16; otherwise charset-normalizer chooses among the encodings Norwegian text
is really saved in. Those candidates are fixed on purpose: left free, it reads æ/ø in a short
Windows-1252 file as Central European Windows-1250 (ć, ř).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

#: What `decode_text` may report as a file's encoding.
UTF8 = ("utf-8", "utf-8-sig")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Candidates for text that is not UTF-8. Windows-1252 comes first: it is Latin-1 plus the curly
# quotes and dashes Word writes, and the same bytes for æ, ø, å.
_CANDIDATES = ["cp1252", "latin_1"]

# Mojibake: UTF-8 bytes read as Windows-1252 ("ø" → "Ã¸", "å" → "Ã¥", "–" → "â€“").
# A continuation byte 80–BF shows as one of these characters. Only the lead bytes C2/C3
# (U+0080–U+00FF: æøå, é, «», no-break space) and E2 80 (dashes, quotes, …) are looked for:
# other leads show as letters a dialect transcript really has, as in “Æ” ("jeg" in Trøndersk).
_CONTINUATION = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)
)
_MOJIBAKE = re.compile("(?:[ÂÃ]|â€)[" + re.escape(_CONTINUATION) + "]")


@dataclass(frozen=True)
class Decoded:
    """A file's text (NFC, `\\n` line endings) and the encoding it was read with."""

    text: str
    encoding: str


def decode_text(data: bytes) -> Decoded:
    """Decode transcript bytes (see the module docstring for the order) and normalise them."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(normalise_text(data.decode(encoding)), encoding)
    try:
        return Decoded(normalise_text(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return Decoded(normalise_text(data.decode(encoding, errors="replace")), encoding)
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    encoding = codecs.lookup(best.encoding).name if best is not None else "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; Latin-1 has them all
        encoding, text = "iso8859-1", data.decode("latin-1")
    return Decoded(normalise_text(text), encoding)


def _invisible_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in [*range(0x10000), *range(0xE0000, 0xE0080)]:
        category = unicodedata.category(chr(code))
        if category == "Cf":  # zero-width space/joiners, soft hyphen, word joiner, BOM, bidi
            table[code] = None
        elif category == "Zs" and code != 0x20:  # no-break and other spaces
            table[code] = " "
        elif category in ("Zl", "Zp"):  # line and paragraph separators
            table[code] = "\n"
    return table


_INVISIBLE = _invisible_table()
#: The characters of `_INVISIBLE`. Most texts have none: testing the set of a text's characters
#: against them is several times faster than `str.translate` with a dict.
_INVISIBLE_CHARS = frozenset(map(chr, _INVISIBLE))


def normalise_text(text: str) -> str:
    """NFC, `\\n` line endings and no invisible characters, so offsets mean the same everywhere.

    Invisible format characters (zero-width space and joiners, soft hyphens, word joiners,
    byte-order marks, direction marks) are removed, other spaces (no-break, thin, ...) become
    " ", and Unicode line separators "\\n". Offsets index this normalised text, which is also
    the text every output holds.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _INVISIBLE_CHARS.isdisjoint(set(text)):
        text = text.translate(_INVISIBLE)
    return unicodedata.normalize("NFC", text)


def find_mojibake(text: str) -> list[tuple[int, str, str]]:
    """Every double-encoded character in `text`: (1-based line, as written, as meant)."""
    found: list[tuple[int, str, str]] = []
    if "Ã" not in text and "Â" not in text and "â€" not in text:  # what every match starts with
        return found
    for match in _MOJIBAKE.finditer(text):
        try:
            meant = match[0].encode("cp1252").decode("utf-8")
        except UnicodeError:
            meant = match[0].encode("latin-1", errors="replace").decode("utf-8", errors="replace")
        found.append((text.count("\n", 0, match.start()) + 1, match[0], meant))
    return found


def describe_encoding(encoding: str) -> str:
    """A reader's name for an encoding: 'Windows-1252', 'UTF-16', 'UTF-8 with BOM'."""
    names = {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 with BOM",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16",
        "utf-16-be": "UTF-16",
        "utf-32": "UTF-32",
        "cp1252": "Windows-1252",
        "iso8859-1": "Latin-1",
        "latin-1": "Latin-1",
    }
    return names.get(encoding, encoding)


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: Latin text has a NUL in nearly every other byte."""
    if len(data) < 4 or len(data) % 2:
        return False
    nuls = max(data[0::2].count(0), data[1::2].count(0))
    return nuls >= 0.4 * len(data) / 2
