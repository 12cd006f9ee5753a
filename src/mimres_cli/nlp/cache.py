"""A folder of parsed interviews (spaCy DocBin), so each text is parsed once per pipeline.

Layout of a cache folder (default `.mimres-cache/` beside the project):

    .mimres-cache/
      CACHEDIR.TAG                 tells backup tools to skip the folder
      mimres-cache.json            {"format": CACHE_FORMAT, "written_by": "mimres-cli 0.1.0"}
      <pipeline>-<fingerprint>/    one folder per pipeline identity (see `pipeline_fingerprint`)
        pipeline.json              the pipeline's name, version, spaCy version, parse version
        ab/abcdef….spacy           one DocBin per interview: one Doc per turn

An entry's key is the SHA-256 of the exact texts fed to the model (`model_text` of each turn),
so a changed codebook re-uses every entry and a changed transcript misses only its own. The
folder's fingerprint covers the pipeline (name, version, components, spaCy version) and the
tool's `PARSE_VERSION`, so a different pipeline or parser never reads another's entries.

An entry is never trusted: it must decode and give back exactly the texts it was asked for,
or it is ignored with a notice, deleted and parsed again. Entries are written atomically, so
two runs sharing a cache at worst parse the same text twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from mimres_cli.errors import MimresError, Where, problem, report
from mimres_cli.files import write_atomic
from mimres_cli.nlp import lemmas
from mimres_cli.nlp.arrays import doc_arrays
from mimres_cli.nlp.pipeline import PipelineInfo

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
        _prepare_root(folder)
        self._describe()
        lemma_key = _sha256("\n".join(_lemma_source()).encode("utf-8"))[:16]
        self._lemma_file = folder / f"lemmas-{lemma_key}.json"
        self._lemmas_saved = self._load_lemmas()

    def _load_lemmas(self) -> int:
        """Give the lemma module the candidates an earlier run saved; how many there were."""
        try:
            saved = json.loads(self._lemma_file.read_bytes())
        except FileNotFoundError:
            return 0
        except (OSError, ValueError) as exc:
            log.info("parse cache: ignoring %s (%s)", self._lemma_file, exc)
            return 0
        if not isinstance(saved, dict):
            return 0
        lemmas.remember(saved)
        return len(saved)

    def save_lemmas(self) -> None:
        """Save the lemma candidates of every form seen, when there are new ones."""
        answers = lemmas.answers()
        if len(answers) <= self._lemmas_saved:
            return
        data = json.dumps(answers, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            write_atomic(self._lemma_file, data)
        except OSError as exc:
            _warn(f"cannot write {self._lemma_file} ({exc.strerror})")
            return
        self._lemmas_saved = len(answers)

    def path_of(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def has(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def load(self, key: str, texts: Sequence[str], vocab: Vocab) -> list[Doc] | None:
        """The Docs stored under `key`, or None when there are none or they cannot be trusted."""
        path = self.path_of(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            return self._reject(path, f"cannot be read ({exc.strerror})")
        try:
            docs = list(DocBin(attrs=_ATTRS).from_bytes(data).get_docs(vocab))
        except _DECODE_ERRORS as exc:
            return self._reject(path, f"is damaged ({type(exc).__name__})")
        if len(docs) != len(texts) or any(
            doc_arrays(d).text != t for d, t in zip(docs, texts, strict=True)
        ):
            return self._reject(path, "does not hold the text it is filed under")
        self.hits += 1
        return docs

    def store(self, key: str, docs: Sequence[Doc]) -> None:
        """Write the Docs of one interview under `key` (atomically; errors only logged)."""
        path = self.path_of(key)
        data = DocBin(attrs=_ATTRS, docs=docs).to_bytes()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
        except OSError as exc:
            # A cache that cannot be written costs speed, not results.
            _warn(f"cannot write {path} ({exc.strerror}); continuing without it")

    def _reject(self, path: Path, why: str) -> None:
        self.rejected += 1
        self.misses += 1
        _warn(f"{path} {why}: ignoring it and parsing again")
        path.unlink(missing_ok=True)
        return None

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
        try:
            record = _read_json(sub / _PIPELINE_FILE)
            label = f"{record['name']} {record['version']}".strip()
        except (OSError, ValueError, KeyError, TypeError):
            label = f"{sub.name} (unreadable {_PIPELINE_FILE})"
        size = sum(f.stat().st_size for f in files)
        pipelines.append(CacheEntries(label, sub, len(files), size))
    return CacheSummary(folder, exists=True, pipelines=tuple(pipelines))


def clear_cache(folder: Path) -> CacheSummary:
    """Delete every entry of the cache in `folder`; returns what was there.

    Only the cache's own files are removed; raises MimresError if `folder` is not a cache.
    """
    before = cache_summary(folder)
    if before.exists:
        _remove_contents(folder)
        if not any(folder.iterdir()):
            folder.rmdir()
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
        _remove_contents(folder)
    try:
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
            shutil.rmtree(sub, ignore_errors=True)
        elif sub.is_file() and sub.name.startswith("lemmas-") and sub.suffix == ".json":
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
