"""A folder of parsed interviews (token arrays, and spaCy DocBins of trained pipelines), so each
text is parsed once per pipeline.

Layout of a cache folder (default `.mimres-cache/` beside the project):

    .mimres-cache/
      CACHEDIR.TAG                 tells backup tools to skip the folder
      mimres-cache.json            {"format": CACHE_FORMAT, "written_by": "mimres-cli 0.1.0"}
      <pipeline>-<fingerprint>/    one folder per pipeline identity (see `pipeline_fingerprint`)
        pipeline.json              the pipeline's name, version, spaCy version, parse version
        ab/abcdef….arrays          the token arrays coding reads, one set per turn
        ab/abcdef….spacy           trained pipelines only: one DocBin per interview, one Doc
                                   per turn

An entry's key is the SHA-256 of the exact texts fed to the model (`model_text` of each turn),
so a changed codebook re-uses every entry and a changed transcript misses only its own. The
folder's fingerprint covers the pipeline (name, version, components, spaCy version) and the
tool's `PARSE_VERSION`, so a different pipeline or parser never reads another's entries.

The `.arrays` file holds what coding reads of an interview's turns (`nlp.arrays`), so a warm
run codes without Docs; a Doc is made only when a rule needs one (token `patterns` that test
more than the word form), for that interview only: decoded from the DocBin of a trained
pipeline, or parsed again with the built-in pipeline, whose entries are the arrays alone (its
Docs hold nothing more, and writing a DocBin per interview cost a cold run more than parsing).
It is plain little-endian numbers and UTF-8 (no pickle): `ARRAYS_MAGIC`, the derived key (16 ASCII
characters: a hash of the code and data the lemma candidates and the marks came from: lemmas,
lexicon, transcription marks), then, zlib-compressed:

    counts           int64 × 6: turns, tokens, types, candidate ids, strings, string characters
    turn sizes       int64 × turns: tokens per turn
    tokens           int32 × tokens × 6: type, flags (space after 1, white space 2,
                     punctuation 4, transcription mark 8), sentence start (1, -1, 0 unknown),
                     POS string, DEP string, head (token index within the turn)
    types            int32 × types × 2: form string, lemma string
    candidates       int32 × (types + 1) offsets, then int32 × candidate ids: the strings a
                     codebook word may equal for each type (`nlp.words._candidates`)
    strings          int64 × (strings + 1) character offsets, then the UTF-8 text of all
                     strings joined (string 0 is "")

An entry written without arrays (by an earlier release), or whose arrays came from other lemma
or mark code (another derived key), gets them built from its DocBin on first read, not parsed
again; an entry of arrays alone is parsed again. Entries of the built-in pipeline with a DocBin
(earlier releases) are read like a trained pipeline's.

An entry is never trusted: it must decode and give back exactly the texts it was asked for,
or it is ignored with a notice, deleted and parsed again (damaged arrays beside a sound DocBin
are rebuilt from it). Entries are written atomically, so two runs sharing a cache at worst
parse the same text twice.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import shutil
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from itertools import chain, pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mimres_cli.errors import MimresError, Where, problem, report
from mimres_cli.files import write_atomic
from mimres_cli.nlp.arrays import (
    IS_WS,
    MARK,
    PUNCT,
    SPACE_AFTER,
    TYPES,
    DocArrays,
    TypeTable,
    _joined,
    doc_arrays,
)
from mimres_cli.nlp.pipeline import PipelineInfo

if TYPE_CHECKING:  # spaCy is imported where a DocBin is read or written
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)


def _warn(message: str) -> None:
    """A parse cache problem: it costs speed, never results."""
    report(problem("W602", f"parse cache: {message}"), log)


#: Bump when the way turns become Docs changes (`model_text`, pipeline set-up): old entries
#: then live under another fingerprint and are never read.
PARSE_VERSION = 1
#: Bump when the layout of the cache folder changes: older folders are then rebuilt.
CACHE_FORMAT = 1
DEFAULT_CACHE_DIR = ".mimres-cache"

_MARKER = "mimres-cache.json"
_PIPELINE_FILE = "pipeline.json"
_SUFFIX = ".spacy"
_ARRAYS_SUFFIX = ".arrays"
#: The first bytes of an arrays file (see the module notes); the digit is its layout version.
ARRAYS_MAGIC = b"MIMRESA1"
#: The types of every arrays file read, by the hash of its bytes (`_TypeMap`).
_TYPE_MAP_FILE = "types.map"
_TYPE_MAP_MAGIC = b"MIMRESM1"
_COLUMNS = 6  # type, flags, sentence start, POS, DEP, head
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mimres-cli (parsed interviews).\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
# Token attributes kept in an entry: everything the pipelines set that later stages read.
_ATTRS = ("ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID",
          "LEMMA", "MORPH", "POS", "SENT_START")  # fmt: skip
# What decoding a damaged DocBin can raise: zlib and msgpack errors, and the ValueError,
# KeyError or IndexError of arrays that do not fit together.
_DECODE_ERRORS = (ValueError, KeyError, IndexError, TypeError, EOFError, zlib.error, OSError)


@dataclass(frozen=True)
class CacheEntries:
    """What a cache folder holds for one pipeline identity (for `mimres cache info`)."""

    pipeline: str  # "name version", as recorded in its pipeline.json
    folder: Path
    entries: int
    bytes: int


@dataclass(frozen=True)
class CacheSummary:
    """A cache folder and its contents per pipeline."""

    folder: Path
    exists: bool
    pipelines: tuple[CacheEntries, ...]

    @property
    def entries(self) -> int:
        return sum(p.entries for p in self.pipelines)

    @property
    def bytes(self) -> int:
        return sum(p.bytes for p in self.pipelines)


def pipeline_fingerprint(info: PipelineInfo) -> str:
    """A short hash of everything about a pipeline that changes its Docs.

    The built-in pipeline's lemmas come from our own code and data packages, so its
    fingerprint also covers the source of the lemmatiser and the versions of those packages.
    """
    parts: list[str] = [
        f"parse={PARSE_VERSION}",
        f"name={info.name}",
        f"version={info.version}",
        f"spacy={info.spacy_version}",
        f"components={','.join(info.components)}",
    ]
    if info.fallback:
        here = Path(__file__).parent
        for module in ("pipeline.py", "words.py"):
            parts.append(f"{module}={_sha256((here / module).read_bytes())}")
        parts.extend(_lemma_source())
    return _sha256("\n".join(parts).encode("utf-8"))[:16]


def _lemma_source() -> list[str]:
    """What the lemma candidates depend on: our code (the Bokmål and Nynorsk lemmas, and the
    language detection that orders them) and two data packages."""
    here = Path(__file__).parent
    sources = (here / "lemmas.py", here / "nynorsk.py", here.parent / "corpus" / "language.py")
    parts = [f"{path.name}={_sha256(path.read_bytes())}" for path in sources]
    parts += [f"{package}={_installed_version(package)}"
              for package in ("spacy-lookups-data", "simplemma")]  # fmt: skip
    return parts


def text_key(texts: Sequence[str]) -> str:
    """The key of an interview's entry: SHA-256 over the exact texts fed to the model."""
    digest = hashlib.sha256(f"parse={PARSE_VERSION};turns={len(texts)}".encode())
    for text in texts:
        data = text.encode("utf-8")
        digest.update(f";{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


class ParseCache:
    """The entries of one pipeline in a cache folder.

    Raises MimresError when `folder` exists, is not empty and is not a mimres cache (we never
    write into, or delete from, a folder of someone else's files).
    """

    def __init__(self, folder: Path, info: PipelineInfo) -> None:
        self.root = folder
        self.info = info
        self.folder = folder / f"{_slug(info.name)}-{pipeline_fingerprint(info)}"
        self.hits = 0
        self.misses = 0
        self.rejected = 0
        self._write_failures: set[str] = set()  # the reasons already reported
        self._found: dict[str, bool] = {}  # entries `has` found: whether with a DocBin
        self._types = _TypeMap(self.folder / _TYPE_MAP_FILE)
        #: Whether entries hold a DocBin beside the arrays. The built-in pipeline's Docs hold
        #: nothing its arrays lack, and parsing a turn again costs less than writing (and
        #: decoding) a DocBin, so its entries are arrays only and a Doc, where a rule needs
        #: one, is parsed again (`_DocLoader`). Trained pipelines keep their DocBins (their
        #: tags, dependencies and entities cost a model run).
        self.docbins = not info.fallback
        _prepare_root(folder)
        if not (self.folder / _PIPELINE_FILE).is_file():
            self._notice_other_versions()
        self._describe()

    def path_of(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def arrays_path_of(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_ARRAYS_SUFFIX}"

    def has(self, key: str) -> bool:
        if self.path_of(key).is_file():
            self._found[key] = True
            return True
        if not self.docbins and self.arrays_path_of(key).is_file():
            self._found[key] = False
            return True
        return False

    def load(
        self,
        key: str,
        texts: Sequence[str],
        vocab: Vocab | Callable[[], Vocab],
        reparse: Callable[[], Sequence[Doc]] | None = None,
    ) -> list[DocArrays] | None:
        """The arrays of the turns stored under `key`, or None when there are none or they
        cannot be trusted. Their Docs are decoded from the DocBin when first asked for; should
        it turn out damaged then, `reparse()` parses the texts again (and they are stored).
        `vocab` may be a function that gives the pipeline's Vocab: it is called only when a
        Doc is needed, so a warm run that needs none never loads the pipeline."""
        path = self.path_of(key)
        # what `has` found when the run was planned (one stat per file, not three); a file
        # gone since then is a miss when read
        has_docbin = self._found.pop(key, None)
        if has_docbin is None:
            if not self.has(key):
                self.misses += 1
                return None
            has_docbin = self._found.pop(key)
        arrays = self._read_arrays(key, texts, vocab, has_docbin)
        if arrays is None and not has_docbin:  # an entry of arrays only: parse it again
            self.misses += 1
            return None
        if arrays is None:  # none yet, or not to be trusted: build them from the DocBin
            docs = self._decode(path, texts, vocab)
            if docs is None:
                return None
            arrays = [doc_arrays(doc) for doc in docs]
            self._write_arrays(key, arrays)
        else:
            load = _DocLoader(self, key, texts, vocab, arrays, reparse)
            for one in arrays:
                one._load = load
        self.hits += 1
        return arrays

    def flush(self) -> None:
        """Keep what this run learnt of its entries' types (`_TypeMap`) for the next run."""
        self._types.save()

    def _read_arrays(
        self,
        key: str,
        texts: Sequence[str],
        vocab: Vocab | Callable[[], Vocab],
        has_docbin: bool = True,
    ) -> list[DocArrays] | None:
        path = self.arrays_path_of(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.info("parse cache: cannot read %s (%s)", path, exc.strerror)
            return None
        key_of = data[len(ARRAYS_MAGIC) : len(ARRAYS_MAGIC) + 16]
        if (
            data.startswith(ARRAYS_MAGIC)
            and len(key_of) == 16
            and key_of != _derived_key().encode()
        ):
            return None  # candidates of other lemma code: rebuilt from the DocBin, quietly
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        try:
            turns, type_ids = _decode_arrays(data, texts, vocab, self._types.ids(digest))
            self._types.remember(digest, type_ids)
            return turns
        except (*_DECODE_ERRORS, _DamagedError) as exc:
            self.rejected += 1
            then = "rebuilding it from the parses" if has_docbin else "parsing again"
            _warn(f"{path} is damaged ({exc}): ignoring it and {then}")
            path.unlink(missing_ok=True)
            return None

    def _decode(
        self, path: Path, texts: Sequence[str], vocab: Vocab | Callable[[], Vocab]
    ) -> list[Doc] | None:
        """The Docs of a DocBin, or None (the entry rejected) when they cannot be trusted."""
        from spacy.tokens import DocBin

        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            return self._reject(path, f"cannot be read ({exc.strerror})")
        try:
            docs = list(DocBin(attrs=_ATTRS).from_bytes(data).get_docs(_vocab_of(vocab)))
        except _DECODE_ERRORS as exc:
            return self._reject(path, f"is damaged ({type(exc).__name__})")
        if len(docs) != len(texts) or any(
            doc_arrays(d).text != t for d, t in zip(docs, texts, strict=True)
        ):
            return self._reject(path, "does not hold the text it is filed under")
        return docs

    def store(self, key: str, docs: Sequence[Doc]) -> list[DocArrays]:
        """Write the arrays of one interview's Docs under `key`, and the Docs themselves
        where entries hold DocBins (`docbins`); atomically, errors only logged. Returns the
        arrays."""
        arrays = [doc_arrays(doc) for doc in docs]
        path = self.path_of(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if self.docbins:
                from spacy.tokens import DocBin

                write_atomic(path, DocBin(attrs=_ATTRS, docs=docs).to_bytes())
        except OSError as exc:
            # A cache that cannot be written costs speed, not results.
            self._cannot_write(path, exc)
            return arrays
        self._write_arrays(key, arrays)
        return arrays

    def _write_arrays(self, key: str, arrays: Sequence[DocArrays]) -> None:
        path = self.arrays_path_of(key)
        data = encode_arrays(arrays)
        try:
            write_atomic(path, data)
        except OSError as exc:
            self._cannot_write(path, exc)
            return
        # the entry's types, in the order the file numbers them (`encode_arrays`), for the
        # next run that reads it (`_TypeMap`)
        every = [one.type_of for one in arrays]
        used = np.unique(np.concatenate(every)) if every else np.zeros(0, np.intp)
        self._types.remember(hashlib.blake2b(data, digest_size=16).hexdigest(), used)

    def _cannot_write(self, path: Path, exc: OSError) -> None:
        """Warn once per reason: a read-only or full cache would otherwise warn per interview."""
        reason = str(exc.strerror or exc)
        if reason in self._write_failures:
            return
        self._write_failures.add(reason)
        _warn(f"cannot write {path} ({reason}); continuing without it (other entries that "
              "cannot be written for this reason are not listed)")  # fmt: skip

    def _reject(self, path: Path, why: str) -> None:
        self.rejected += 1
        self.misses += 1
        _warn(f"{path} {why}: ignoring it and parsing again")
        path.unlink(missing_ok=True)
        path.with_suffix(_ARRAYS_SUFFIX).unlink(missing_ok=True)
        return None

    def _notice_other_versions(self) -> None:
        """One notice when this pipeline's folder is new but the cache holds the parses of the
        same pipeline by other code (another release, lemma code or entry layout): they are
        not read, so every interview is parsed again once."""
        others = []
        for sub in self.root.iterdir():
            try:
                if _read_json(sub / _PIPELINE_FILE).get("name") == self.info.name:
                    others.append(sub.name)
            except (OSError, ValueError, AttributeError):
                continue
        if others:
            _warn(f"{self.root} holds parses of {self.info.name} by another version of mimres or "
                  f"of the pipeline ({', '.join(sorted(others))}): they are not read, so the "
                  "interviews are parsed again once ('mimres cache clear' removes the old "
                  "ones)")  # fmt: skip

    def _describe(self) -> None:
        record = {
            "name": self.info.name,
            "version": self.info.version,
            "spacy": self.info.spacy_version,
            "components": list(self.info.components),
            "fallback": self.info.fallback,
            "parse_version": PARSE_VERSION,
        }
        target = self.folder / _PIPELINE_FILE
        try:
            if target.is_file() and _read_json(target) == record:
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, _json_bytes(record))
        except OSError as exc:
            _warn(f"cannot write {target} ({exc.strerror})")


class _DocLoader:
    """Decodes an entry's DocBin when a rule first needs a Doc of one of its turns, and gives
    each turn's arrays its Doc."""

    def __init__(self, cache: ParseCache, key: str, texts: Sequence[str],
                 vocab: Vocab | Callable[[], Vocab],
                 arrays: Sequence[DocArrays],
                 reparse: Callable[[], Sequence[Doc]] | None) -> None:  # fmt: skip
        self.cache, self.key, self.texts, self.vocab = cache, key, texts, vocab
        self.arrays, self.reparse = arrays, reparse

    def __call__(self) -> None:
        path = self.cache.path_of(self.key)
        docs = None
        if path.is_file() or self.cache.docbins:
            docs = self.cache._decode(path, self.texts, self.vocab)
        elif self.reparse is not None:  # an entry of arrays only: the same pipeline, again
            docs = list(self.reparse())
            for one, doc in zip(self.arrays, docs, strict=True):
                one.attach(doc)
            return
        if docs is None:
            if self.reparse is None:
                raise MimresError(
                    f"the parse cache entry {self.cache.path_of(self.key)} is damaged",
                    fix="Run again: the entry was removed and will be parsed afresh",
                    code="E602",
                )
            docs = list(self.reparse())
            self.cache.store(self.key, docs)
        for one, doc in zip(self.arrays, docs, strict=True):
            one.attach(doc)


class _TypeMap:
    """What the types of each arrays file are in `TYPES`, kept for the next run (in the
    pipeline's folder, `_TYPE_MAP_FILE`), so a warm run reads an entry's types as ids instead
    of cutting out and looking up each type's strings (a third of decoding).

    An entry is filed under a hash of its file's bytes (BLAKE2b), so it applies only to the
    very bytes it was made from; the file also holds the derived key (`_derived_key`) and
    the types themselves (form, lemma, candidates), which are added to `TYPES` when first
    needed. Layout: `_TYPE_MAP_MAGIC`, the derived key, the length of a JSON header (8
    bytes), the header ({"types": [[form, lemma, [candidate, …]], …], "entries": {hash:
    [offset, count]}}), then the ids (int32) of every entry, one run after another. A file
    that cannot be read or was written by other code is ignored (and replaced); one that
    cannot be written costs speed only. It holds the entries read or written since it was
    last written, with those it held then.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read = False
        self.types: list[tuple[str, str, tuple[str, ...]]] = []
        self.entries: dict[str, tuple[int, int]] = {}
        self.ids_blob = np.zeros(0, dtype="<i4")
        self.in_types: np.ndarray | None = None  # each saved type's id in `TYPES`
        self.new: dict[str, np.ndarray] = {}  # entries read this run: their `TYPES` ids

    def ids(self, digest: str) -> np.ndarray | None:
        """The `TYPES` ids of the entry whose bytes have this hash, where known."""
        found = self.new.get(digest)
        if found is not None:
            return found.astype(np.intp)
        if not self.read:
            self._read()
        where = self.entries.get(digest)
        if where is None:
            return None
        if self.in_types is None:
            add = TYPES.add
            self.in_types = np.array([add(*one) for one in self.types], dtype=np.intp)
        return self.in_types[self.ids_blob[where[0] : where[0] + where[1]]]

    def remember(self, digest: str, ids: np.ndarray) -> None:
        self.new[digest] = ids.astype(np.int32)  # half the memory of intp, kept for the run

    def save(self) -> None:
        """Write the map, when this run read entries it did not hold."""
        if not self.read:
            self._read()
        if not set(self.new) - set(self.entries):
            return
        runs: dict[str, np.ndarray | None] = {digest: self.ids(digest) for digest in self.entries}
        runs.update(self.new)
        every = [run for run in runs.values() if run is not None]
        used, local = np.unique(np.concatenate(every) if every else np.zeros(0, np.intp),
                                return_inverse=True)  # fmt: skip
        types = [[*TYPES.pairs[t], list(TYPES.candidates(t))] for t in used.tolist()]
        entries, at = {}, 0
        for digest, run in runs.items():
            if run is not None:
                entries[digest] = [at, len(run)]
                at += len(run)
        try:
            header = json.dumps({"types": types, "entries": entries}, ensure_ascii=False).encode()
            data = b"".join([_TYPE_MAP_MAGIC, _derived_key().encode("ascii"),
                             len(header).to_bytes(8, "little"), header,
                             local.reshape(-1).astype("<i4").tobytes()])  # fmt: skip
            write_atomic(self.path, data)
        except (OSError, ValueError) as exc:  # a full or read-only disk; text UTF-8 cannot hold
            log.info("parse cache: cannot write %s (%s)", self.path, exc)

    def _read(self) -> None:
        self.read = True
        try:
            data = self.path.read_bytes()
            start = len(_TYPE_MAP_MAGIC) + 16
            if data[:start] != _TYPE_MAP_MAGIC + _derived_key().encode("ascii"):
                return
            size = int.from_bytes(data[start : start + 8], "little")
            header = json.loads(data[start + 8 : start + 8 + size])
            blob = np.frombuffer(data, dtype="<i4", offset=start + 8 + size)
            types = [(str(f), str(lemma), tuple(map(str, c))) for f, lemma, c in header["types"]]
            entries = {str(d): (int(a), int(n)) for d, (a, n) in header["entries"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return
        if not _within(blob, len(types)) or any(
            a < 0 or n < 0 or a + n > len(blob) for a, n in entries.values()
        ):
            return
        self.types, self.entries, self.ids_blob = types, entries, blob


class _DamagedError(ValueError):
    """An arrays file that does not fit together or does not hold its texts."""


def encode_arrays(turns: Sequence[DocArrays]) -> bytes:
    """The arrays file of an entry's turns (layout in the module notes).

    Built with whole-entry array operations and C-level dict and map calls: no Python call
    per token, type or string (this runs for every interview a cold run parses).
    """
    every = [one.type_of for one in turns]
    used, local = np.unique(np.concatenate(every) if every else np.zeros(0, np.intp),
                            return_inverse=True)  # fmt: skip
    # Per type: its form, its lemma and its candidates, one run of strings after another.
    per_type = _runs_of(used.tolist())
    flat_strings = list(chain.from_iterable(per_type))
    labels = [one.labels[0] for one in turns if one.labels is not None]
    numbered = dict.fromkeys(chain(("",), flat_strings, chain.from_iterable(labels)))
    texts = list(numbered)
    number = dict(zip(texts, range(len(texts)), strict=True))
    ids = np.fromiter(map(number.__getitem__, flat_strings), dtype="<i4", count=len(flat_strings))
    runs = np.fromiter(map(len, per_type), dtype=np.int64, count=len(per_type))
    starts = np.zeros(len(runs), dtype=np.int64)
    np.cumsum(runs[:-1], out=starts[1:])
    types = np.stack([ids[starts], ids[starts + 1]], axis=1).astype("<i4") if len(runs) else (
        np.zeros((0, 2), "<i4"))  # fmt: skip
    is_candidate = np.ones(len(ids), dtype=bool)
    is_candidate[starts] = is_candidate[starts + 1] = False
    flat = ids[is_candidate]
    offsets = np.zeros(len(runs) + 1, dtype="<i4")
    np.cumsum(runs - 2, out=offsets[1:])
    sizes = np.array([len(one) for one in turns], dtype="<i8")
    firsts = np.zeros(len(turns), dtype=np.int64)
    np.cumsum(sizes[:-1], out=firsts[1:])
    total = int(sizes.sum())
    tokens = np.zeros((total, _COLUMNS), dtype="<i4")
    if total:
        tokens[:, 0] = local.reshape(-1)
        tokens[:, 1] = np.concatenate([one.flags for one in turns]) & (SPACE_AFTER | IS_WS | PUNCT)
        tokens[:, 2] = np.concatenate([one.sent_marks for one in turns])
        # heads are token indices within the turn; a token without one is its own head
        tokens[:, 5] = np.arange(total) - np.repeat(firsts, sizes)
    for first, one in zip(firsts.tolist(), turns, strict=True):
        if one.marks:
            tokens[first + np.array(sorted(one.marks)), 1] |= MARK
        if one.labels is not None:
            names = np.array([number[name] for name in one.labels[0]], dtype="<i4")
            end = first + len(one)
            tokens[first:end, 3] = names[one.labels[1]]
            tokens[first:end, 4] = names[one.labels[2]]
        if one.head is not None:
            tokens[first : first + len(one), 5] = one.head
    chars = np.zeros(len(texts) + 1, dtype="<i8")
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=chars[1:])
    counts = [len(turns), total, len(types), len(flat), len(texts), int(chars[-1])]
    parts = [
        np.array(counts, dtype="<i8").tobytes(),
        sizes.tobytes(),
        tokens.tobytes(),
        types.tobytes(),
        offsets.tobytes(),
        flat.tobytes(),
        chars.tobytes(),
        "".join(texts).encode("utf-8"),
    ]
    body = zlib.compress(b"".join(parts), 1)  # a fifth of the size; inflating is quick
    return ARRAYS_MAGIC + _derived_key().encode("ascii") + body


#: Each type's run of strings in an arrays file (form, lemma, candidates), by its id in
#: `_RUNS_TABLE`: worked out once per type, not once per entry that holds it.
_RUNS: list[tuple[str, ...] | None] = []
_RUNS_TABLE: list[TypeTable] = []


def _runs_of(used: list[int]) -> list[tuple[str, ...]]:
    """The (form, lemma, *candidates) of each of these types of `TYPES`."""
    if not _RUNS_TABLE or _RUNS_TABLE[0] is not TYPES:  # another table (tests start afresh)
        _RUNS.clear()
        _RUNS_TABLE[:] = [TYPES]
    if len(_RUNS) < len(TYPES):
        _RUNS.extend([None] * (len(TYPES) - len(_RUNS)))
    found = list(map(_RUNS.__getitem__, used))
    if None in found:
        for n, type_id in enumerate(used):
            if found[n] is None:
                found[n] = _RUNS[type_id] = (*TYPES.pairs[type_id], *TYPES.candidates(type_id))
    return found  # type: ignore[return-value]


def decode_arrays(
    data: bytes, texts: Sequence[str], vocab: Vocab | Callable[[], Vocab]
) -> list[DocArrays]:
    """The turns' arrays of an arrays file, checked: every id in range, and each turn's text
    exactly the text it is filed under. Raises `_DamagedError` (or a ValueError) when not.
    `vocab` (or the function that gives it) is the arrays' `DocArrays.vocab`."""
    return _decode_arrays(data, texts, vocab)[0]


def _decode_arrays(
    data: bytes,
    texts: Sequence[str],
    vocab: Vocab | Callable[[], Vocab],
    known: np.ndarray | None = None,
) -> tuple[list[DocArrays], np.ndarray]:
    """`decode_arrays`, and the entry's types as ids in `TYPES`. `known`: those ids as a
    run before found them for these very bytes (`_TypeMap`), so the strings of the types
    are not cut out and looked up again; every other check is made as without."""
    if data[: len(ARRAYS_MAGIC)] != ARRAYS_MAGIC:
        raise _DamagedError("not an arrays file")
    data = zlib.decompress(data[len(ARRAYS_MAGIC) + 16 :])
    at = 0

    def take(dtype: str, count: int) -> np.ndarray:
        nonlocal at
        size = np.dtype(dtype).itemsize * count
        if count < 0 or at + size > len(data):
            raise _DamagedError("truncated")
        found = np.frombuffer(data, dtype=dtype, count=count, offset=at)
        at += size
        return found

    n_turns, n_tokens, n_types, n_ids, n_strings, n_chars = take("<i8", 6).tolist()
    sizes = take("<i8", n_turns)
    tokens = take("<i4", n_tokens * _COLUMNS).reshape(-1, _COLUMNS)
    types = take("<i4", n_types * 2).reshape(-1, 2)
    offsets = take("<i4", n_types + 1)
    flat = take("<i4", n_ids)
    chars = take("<i8", n_strings + 1)
    joined = data[at:].decode("utf-8")
    if (
        n_turns != len(texts)
        or int(sizes.sum()) != n_tokens
        or (sizes < 0).any()
        or len(joined) != n_chars
        or n_strings < 1
        or chars[0] != 0
        or chars[1] != 0
        or chars[-1] != n_chars
        or (np.diff(chars) < 0).any()
        or offsets[0] != 0
        or offsets[-1] != n_ids
        or (np.diff(offsets) < 0).any()
        or not _within(types, n_strings)
        or not _within(flat, n_strings)
        or not _within(tokens[:, 0], n_types)
        or not _within(tokens[:, 1], 16)
        or not _within(tokens[:, 2] + 1, 3)
        or not _within(tokens[:, 3:5], n_strings)
    ):
        raise _DamagedError("its parts do not fit together")
    labelled = bool(tokens[:, 3:5].any())
    if known is not None and len(known) == n_types and not labelled:
        global_ids = known
        strings: list[str] = []  # no labels to name
        forms = list(map(TYPES.form, known.tolist()))
    else:
        bounds = chars.tolist()
        strings = [joined[a:b] for a, b in pairwise(bounds)]
        pairs = [(strings[form], strings[lemma]) for form, lemma in types.tolist()]

        def candidates(n: int) -> tuple[str, ...]:
            return tuple(strings[i] for i in flat[offsets[n] : offsets[n + 1]].tolist())

        global_ids = TYPES.ids_of(pairs, candidates)
        forms = [form for form, _ in pairs]
    turns, start = [], 0
    for size, text in zip(sizes.tolist(), texts, strict=True):
        rows = tokens[start : start + size]
        start += size
        local = rows[:, 0].astype(np.intp)
        flags = rows[:, 1].astype(np.int64)
        if _joined(forms, local, (flags & 1).astype(bool)) != text:
            raise _DamagedError("it does not hold the text it is filed under")
        labels = head = None
        if rows[:, 3].any() or rows[:, 4].any():
            labels = (strings, rows[:, 3].astype(np.intp), rows[:, 4].astype(np.intp))
            head = rows[:, 5].astype(np.int64)
            if not _within(head, size):
                raise _DamagedError("a head lies outside its turn")
        marks = frozenset(np.flatnonzero(flags & MARK).tolist())
        turns.append(
            DocArrays(
                global_ids[local],
                flags & ~MARK,
                rows[:, 2].astype(np.int64),
                text,
                labels=labels,
                head=head,
                vocab=vocab,
                marks=marks,
            )
        )
    return turns, global_ids


def _vocab_of(vocab: Vocab | Callable[[], Vocab]) -> Vocab:
    return vocab() if callable(vocab) else vocab


def _within(values: np.ndarray, size: int) -> bool:
    return not values.size or (int(values.min()) >= 0 and int(values.max()) < size)


@functools.cache
def _derived_key() -> str:
    """What an arrays file's lemma candidates and marks depend on (16 hex digits): the lemma
    code and data (`_lemma_source`), the compiled lexicon's code and the transcription marks'."""
    here = Path(__file__).parent
    parts = [*_lemma_source()]
    for path in (here / "lexicon.py", here.parent / "corpus" / "marks.py"):
        parts.append(f"{path.name}={_sha256(path.read_bytes())}")
    return _sha256("\n".join(parts).encode("utf-8"))[:16]


def open_cache(folder: Path, info: PipelineInfo) -> ParseCache:
    """The parse cache in `folder` for the pipeline `info` (created on first use)."""
    return ParseCache(folder, info)


def cache_summary(folder: Path) -> CacheSummary:
    """What `folder` holds, per pipeline; raises MimresError if it is not a mimres cache."""
    if not folder.exists():
        return CacheSummary(folder, exists=False, pipelines=())
    _check_is_cache(folder)
    if not (folder / _MARKER).exists() and not any(folder.iterdir()):
        return CacheSummary(folder, exists=False, pipelines=())
    pipelines = []
    for sub in sorted(p for p in folder.iterdir() if (p / _PIPELINE_FILE).is_file()):
        files = list(sub.glob(f"*/*{_SUFFIX}"))
        arrays = list(sub.glob(f"*/*{_ARRAYS_SUFFIX}"))
        entries = len({path.stem for path in [*files, *arrays]})  # a DocBin, arrays or both
        try:
            record = _read_json(sub / _PIPELINE_FILE)
            label = f"{record['name']} {record['version']}".strip()
        except (OSError, ValueError, KeyError, TypeError):
            label = f"{sub.name} (unreadable {_PIPELINE_FILE})"
        size = sum(f.stat().st_size for f in [*files, *arrays])
        pipelines.append(CacheEntries(label, sub, entries, size))
    return CacheSummary(folder, exists=True, pipelines=tuple(pipelines))


def clear_cache(folder: Path) -> CacheSummary:
    """Delete every entry of the cache in `folder`; returns what was there.

    Only the cache's own files are removed; raises MimresError if `folder` is not a cache.
    """
    before = cache_summary(folder)
    if before.exists:
        try:
            _remove_contents(folder)
            if not any(folder.iterdir()):
                folder.rmdir()
        except OSError as exc:
            raise MimresError(
                f"cannot clear the parse cache ({exc.strerror or exc})",
                where=Where(folder),
                fix="Clear it as a user who may write to the folder, or delete the folder",
                code="E602",
            ) from exc
    return before


def _prepare_root(folder: Path) -> None:
    """Create the cache folder, or check an existing one; rebuild it if its format is foreign."""
    if folder.exists() and any(folder.iterdir()):
        _check_is_cache(folder)
        marker = folder / _MARKER
        try:
            found = _read_json(marker).get("format") if marker.is_file() else None
        except (OSError, ValueError, AttributeError):
            found = "unreadable"
        if found == CACHE_FORMAT:
            return
        _warn(f"{folder} was written by another version of mimres (format {found}, expected "
              f"{CACHE_FORMAT}): ignoring it and rebuilding")  # fmt: skip
    try:
        if folder.exists() and any(folder.iterdir()):
            _remove_contents(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG, encoding="utf-8")
        record = {"format": CACHE_FORMAT, "written_by": f"mimres-cli {_tool_version()}"}
        write_atomic(folder / _MARKER, _json_bytes(record))
    except OSError as exc:
        raise MimresError(
            f"cannot create the parse cache ({exc.strerror})",
            where=Where(folder),
            fix="Choose a folder you can write to with --cache-dir, or pass --no-cache",
            code="E602",
        ) from exc


def _check_is_cache(folder: Path) -> None:
    if not folder.is_dir():
        raise MimresError(
            "the cache path is not a folder",
            where=Where(folder),
            fix="Give a folder with --cache-dir, or pass --no-cache",
            code="E602",
        )
    if (folder / _MARKER).exists() or (folder / "CACHEDIR.TAG").exists():
        return
    if any(folder.iterdir()):
        raise MimresError(
            "this folder is not a mimres parse cache, and it is not empty",
            where=Where(folder),
            fix="Give a new or empty folder with --cache-dir (mimres never deletes other files)",
            code="E602",
        )


def _remove_contents(folder: Path) -> None:
    """Remove the cache's own files and folders; anything else in `folder` stays."""
    for sub in folder.iterdir():
        ours = (sub / _PIPELINE_FILE).is_file() or sub.name.startswith(".mimres-")
        if sub.is_dir() and ours:
            shutil.rmtree(sub)
        elif sub.is_file() and sub.name.startswith("lemmas-") and sub.suffix == ".json":
            # the lemma candidates earlier releases kept beside the parses
            sub.unlink(missing_ok=True)
    for name in (_MARKER, "CACHEDIR.TAG"):
        (folder / name).unlink(missing_ok=True)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _json_bytes(record: dict) -> bytes:
    return (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return cleaned[:60] or "pipeline"


def _installed_version(package: str) -> str:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return "absent"


def _tool_version() -> str:
    from mimres_cli import __version__

    return __version__
