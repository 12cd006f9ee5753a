"""The word lists behind the lemma candidates, compiled once into a compact table.

`lemmas.py` and `nynorsk.py` read three things about a string: simplemma's Bokmål lemma of it,
its Norsk Ordbank readings (`lemmas._direct`: exact, rule-derived and genitive) and its Nynorsk
lemmas (`nynorsk._direct`). Their sources are 25 MB of JSON in spacy-lookups-data and
simplemma's dictionaries: loading them takes about 2 s of CPU and 200 MB, and computing the
readings of a form takes tens of microseconds. So they are computed once, for every string that
has any, by those same functions (`entry_from_sources`), and stored in a MARISA trie
(marisa-trie: a static, compressed trie, about 10 MB for 1.5 million strings, memory-mapped in
well under a millisecond, a lookup in about a microsecond, shared between processes). A string
the table lacks has no readings, which holds because its keys are the full domains of the
sources (`lemmas._domain`, `nynorsk._domain`).

The table is built at first use (about half a minute) into the user cache folder
(`platformdirs.user_cache_dir("mimres-cli")`, `~/.cache/mimres-cli` on Linux; `XDG_CACHE_HOME`
moves it), under a name keyed by the source code of these three modules and the versions of
spacy-lookups-data, simplemma and marisa-trie: a new version of any builds a new table. Where
the folder cannot be written, the table is built in memory for the run.

simplemma normalises what it looks up (NFC, apostrophe variants, the other case of the first
letter), so its answers are stored for its keys and their lowercase forms, and the table answers
only strings on which those steps cannot reach another key (`table_answers`); the rare other
strings (an apostrophe, a decomposed letter) are looked up in simplemma itself.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import logging
import mmap
import re
import struct
import time
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from mimres_cli.files import write_atomic

log = logging.getLogger(__name__)

_PACKAGES = ("spacy-lookups-data", "simplemma", "marisa-trie")
_SOURCES = ("lexicon.py", "lemmas.py", "nynorsk.py")
_FIELD = "\x1f"
_ITEM = "\x1e"
_POS_CODES = {"noun": "n", "verb": "v", "adj": "a", "adv": "d"}
_POS_NAMES = {code: pos for pos, code in _POS_CODES.items()}
# The glyphs simplemma folds into one another when it looks a string up (simplemma.utils).
_APOSTROPHES = ("'", "\u2019", "\u02bc")


class Entry(NamedTuple):
    """What the sources say about one string."""

    bokmal_guess: str | None  # simplemma's Bokmål lemma, lowercased; None when it lacks it
    ordbank: tuple[tuple[str, str], ...]  # (POS, lemma) readings: `lemmas._direct`
    nynorsk: tuple[str, ...]  # Nynorsk lemmas: `nynorsk._direct`


_EMPTY = Entry(None, (), ())


# The Bokmål and the Nynorsk candidates of a form ask for the same strings (the form, its
# compound tails) one after the other: a small memo answers the second.
@functools.lru_cache(maxsize=4096)
def entry(form: str) -> Entry:
    """The sources' answers for `form` (a lowercase string), from the compiled table."""
    stored = _table().get(form) or _EMPTY
    if table_answers(form):
        return stored
    # simplemma would normalise this string: ask it (the Ordbank readings are exact lookups)
    from mimres_cli.nlp import lemmas, nynorsk

    return stored._replace(
        bokmal_guess=lemmas._simplemma_lemma(form), nynorsk=tuple(nynorsk._direct(form))
    )


def stored(form: str) -> Entry:
    """What the table holds for `form` (a lowercase string), simplemma never asked: its
    `ordbank` readings are `entry(form).ordbank` (exact lookups), its other fields those of
    `entry` for nearly every form (`table_answers`)."""
    return _table().get(form) or _EMPTY


def tails(form: str, min_prefix: int, min_tail: int) -> Iterator[str]:
    """The tails `form[i:]` (i >= `min_prefix`, at least `min_tail` long), longest first,
    whose `entry` may not be empty: the others need no lookup. One search of the table (its
    keys are stored reversed, so a form's tails are the prefixes of the reversed form)."""
    ends = range(min_prefix, len(form) - min_tail + 1)
    if not _PLAIN.fullmatch(form):  # a tail simplemma would normalise: ask about each one
        yield from (form[i:] for i in ends)
        return
    found = _table().tail_lengths(form)
    yield from (form[i:] for i in ends if len(form) - i in found)


def table_answers(form: str) -> bool:
    """Whether every key simplemma would try for `form` is `form`, its capitalised form (which
    lowercases back to `form`) or its spelling with another apostrophe glyph: so `form` is in
    NFC, its first letter is not upper case, and it mixes no apostrophe glyphs. Then the table
    holds simplemma's answer (`simplemma_strings`)."""
    if _PLAIN.fullmatch(form):
        return True
    return (
        not form[:1].isupper()
        and form.capitalize().lower() == form
        and sum(glyph in form for glyph in _APOSTROPHES) <= 1
        and unicodedata.is_normalized("NFC", form)
    )


# Lowercase letters of Norwegian and its neighbours in NFC, digits and punctuation without an
# apostrophe: `table_answers` at a glance for nearly every form.
_PLAIN = re.compile(r"[a-zæøåäöüéèêëóòôàáâçíìîïúùûñ0-9.,:;!?()&%/+_\-]*")


def simplemma_strings(dictionary: Iterable[str]) -> Iterator[str]:
    """Every string `table_answers` lets through on which simplemma finds something in
    `dictionary` (its keys): each key, its lowercase form, and both in each apostrophe glyph."""
    for key in dictionary:
        for text in dict.fromkeys((key, key.lower())):
            if any(glyph in text for glyph in _APOSTROPHES):
                straight = text
                for glyph in _APOSTROPHES[1:]:
                    straight = straight.replace(glyph, _APOSTROPHES[0])
                for glyph in _APOSTROPHES:
                    yield straight.replace(_APOSTROPHES[0], glyph)
            else:
                yield text


def entry_from_sources(form: str) -> Entry:
    """The answers for `form` computed from the source packages (what the table stores)."""
    from mimres_cli.nlp import lemmas, nynorsk

    return Entry(
        lemmas._simplemma_lemma(form), tuple(lemmas._direct(form)), tuple(nynorsk._direct(form))
    )


def table_path() -> Path:
    """Where the compiled table for the installed sources lives (it may not exist yet)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("mimres-cli")) / f"lemma-table-{_key()}.marisa"


@functools.cache
def _key() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    for package in _PACKAGES:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    return digest.hexdigest()[:16]


@functools.cache
def _table() -> _Table:
    """The compiled table, memory-mapped; built first when it does not exist."""
    path = table_path()
    found = _mapped(path)
    if found is not None:
        return found
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock(path.with_suffix(".lock")):
            found = _mapped(path)  # another process may have built it meanwhile
            if found is None:
                write_atomic(path, _build())
                found = _mapped(path)
    except OSError as exc:
        log.info("lemma table: cannot write %s (%s); keeping it in memory for this run",
                 path, exc.strerror or exc)  # fmt: skip
    return found if found is not None else _Table(_build())


class _Table:
    """The stored strings, reversed, in a MARISA trie (marisa_trie.Trie: it numbers its keys);
    the record of key number i is `blob[offsets[i]:offsets[i + 1]]` (`_encode`).

    File layout: magic, trie size and key count (`_HEADER`), the trie, padding to 8 bytes, the
    key count + 1 offsets as native uint32, the records in UTF-8."""

    def __init__(self, data: Any) -> None:
        import marisa_trie

        view = memoryview(data)
        magic, trie_size, count = _HEADER.unpack_from(view)
        if magic != _MAGIC:
            raise ValueError("not a mimres lemma table")
        at = _HEADER.size
        self._data = data  # the mmap the views below read
        self._trie = marisa_trie.Trie()
        self._trie.map(view[at : at + trie_size])
        at += _padded(trie_size)
        self._offsets = view[at : at + 4 * (count + 1)].cast("I")
        self._blob = view[at + 4 * (count + 1) :]
        if len(self._trie) != count or self._offsets[count] != len(self._blob):
            raise ValueError("a lemma table that does not fit together")

    def get(self, form: str) -> Entry | None:
        number = self._trie.get(form[::-1])
        if number is None:
            return None
        return _decode(bytes(self._blob[self._offsets[number] : self._offsets[number + 1]]))

    def tail_lengths(self, form: str) -> set[int]:
        """The lengths of the stored strings `form` ends with."""
        return {len(key) for key in self._trie.prefixes(form[::-1])}


_MAGIC = b"MIMRESL1"
_HEADER = struct.Struct("<8sQQ")


def _padded(size: int) -> int:
    return size + -size % 8


def _mapped(path: Path) -> _Table | None:
    """The table at `path`, memory-mapped; None when there is none (or it cannot be read)."""
    try:
        with path.open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _Table(data)
    except FileNotFoundError:
        return None
    except (RuntimeError, OSError, ValueError, struct.error) as exc:  # marisa: RuntimeError
        log.info("lemma table: cannot read %s (%s); building it again", path, exc)
        return None


def _build() -> bytes:
    """The table file's bytes: `entry_from_sources` of every string of the sources' domains."""
    import marisa_trie

    from mimres_cli.nlp import lemmas, nynorsk

    log.info("building the lemma table from Norsk Ordbank and simplemma (once, about 30 s)")
    started = time.process_time()
    records: dict[str, bytes] = {}
    for form in sorted(set(lemmas._domain()) | set(nynorsk._domain())):
        found = entry_from_sources(form)
        if found != _EMPTY:
            records[form[::-1]] = _encode(found)
    trie = marisa_trie.Trie(records)
    by_number = sorted((number, key) for key, number in trie.items())
    offsets = array.array("I", [0])
    blob = bytearray()
    for _, key in by_number:
        blob += records[key]
        offsets.append(len(blob))
    packed = trie.tobytes()
    header = _HEADER.pack(_MAGIC, len(packed), len(records))
    padding = bytes(_padded(len(packed)) - len(packed))
    log.info("lemma table: %d strings in %.1f s", len(records), time.process_time() - started)
    return b"".join((header, packed, padding, offsets.tobytes(), bytes(blob)))


def _encode(found: Entry) -> bytes:
    ordbank = _ITEM.join(_POS_CODES[pos] + lemma for pos, lemma in found.ordbank)
    fields = (found.bokmal_guess or "", ordbank, _ITEM.join(found.nynorsk))
    text = _FIELD.join(fields)
    if text.count(_FIELD) != 2 or any(_ITEM in lemma for lemma in _lemmas_of(found)):
        raise ValueError(f"a lemma holds a separator: {found}")
    return text.encode("utf-8")


def _lemmas_of(found: Entry) -> list[str]:
    return [found.bokmal_guess or "", *(lemma for _, lemma in found.ordbank), *found.nynorsk]


def _decode(data: bytes) -> Entry:
    guess, ordbank, nynorsk = data.decode("utf-8").split(_FIELD)
    return Entry(
        guess or None,
        tuple((_POS_NAMES[item[0]], item[1:]) for item in ordbank.split(_ITEM)) if ordbank else (),
        tuple(nynorsk.split(_ITEM)) if nynorsk else (),
    )


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` where the platform has one (processes of `--jobs`, or
    two runs, then build the table once)."""
    try:
        import fcntl
    except ImportError:  # Windows: at worst two processes build the same table
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
