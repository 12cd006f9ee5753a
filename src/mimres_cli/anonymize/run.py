"""Pseudonymise a corpus: `anonymize_corpus` (the single call behind `mimres anonymize`) and
`check_identifiers` (behind `mimres anonymize --check`).

Detection runs in two passes over the whole corpus. The first collects what the detectors are
sure of (at or above the threshold); the second also finds every other occurrence of those
entities, and of the entities in an existing key, so that one entity gets one pseudonym in
labels, text and front matter, in every interview. Nothing here opens a network connection.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from mimres_cli import __version__
from mimres_cli.anonymize.detect import (
    PSEUDONYM,
    Candidate,
    Vocabulary,
    entity_candidates,
    identifier_candidates,
    known_candidates,
    name_candidates,
)
from mimres_cli.anonymize.key import PseudonymKey, key_csv
from mimres_cli.anonymize.kinds import DEFAULT_KINDS, KINDS
from mimres_cli.anonymize.lists import name_lists, places
from mimres_cli.anonymize.protect import NO_CODEBOOK, CodebookWords
from mimres_cli.anonymize.review import ReviewFileError, ReviewRow, read_review, review_csv
from mimres_cli.anonymize.rewrite import Edit, apply_edits, context, line_and_column, resolve
from mimres_cli.corpus import Corpus, Interview, Turn, decode_text, load_corpus
from mimres_cli.corpus.metadata import CORPUS_FILE
from mimres_cli.corpus.turns import DEFAULT_INTERVIEWER_LABELS, find_labels
from mimres_cli.errors import CorpusError, MissingInputError, OutputError, Where
from mimres_cli.files import write_atomic
from mimres_cli.nlp import Pipeline, lemma_candidates, load_pipeline

#: The file in an output folder that lists its pseudonyms (never originals) for --check.
MANIFEST = ".mimres-anonymize.json"
#: Metadata keys whose values name people, and those that name workplaces.
PERSON_KEYS = (
    "name",
    "navn",
    "informant_name",
    "interviewer_name",
    "intervjuer",
    "interviewer",
    "informant",
    "speakers",
)
ORG_KEYS = (
    "employer",
    "arbeidsgiver",
    "workplace",
    "arbeidssted",
    "bedrift",
    "firma",
    "company",
    "organisation",
    "organisasjon",
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_TOP_KEY = re.compile(r"^(?P<key>[^\s#:][^:]*?)\s*:")


@dataclass(frozen=True)
class Options:
    """What to find and how to replace it."""

    kinds: frozenset[str] = DEFAULT_KINDS
    threshold: float = 0.5  # candidates below it are listed for review, not replaced
    design_too: bool = False  # also replace municipality and group
    realistic: bool = False  # Norwegian names instead of [PERSON-n]
    codebook: CodebookWords = NO_CODEBOOK  # words a codebook matches are kept


@dataclass
class Source:
    """One transcript as its text-format copy: front matter block and body, with the spans of
    speaker labels and turn texts in the body."""

    interview: Interview
    name: str  # the output file, relative to the output folder
    front: str
    body: str
    labels: list[tuple[int, int]]
    turns: list[tuple[int, int]]
    body_line: int
    found: list[Candidate] = field(default_factory=list)

    def where(self, offset: int) -> tuple[int, int]:
        line, column = line_and_column(self.body, offset)
        return self.body_line + line - 1, column


@dataclass(frozen=True)
class AnonymizeResult:
    out: Path
    files: int
    replaced: Counter[str]  # kind -> replacements written
    candidates: int  # listed for review and left as they are
    kept: int  # rejected in the review
    key: Path | None
    new_keys: int
    review: Path | None
    pipeline: str


@dataclass(frozen=True)
class Finding:
    """An identifier left in a corpus: where, what kind, and a masked preview."""

    file: str
    line: int
    column: int
    kind: str
    method: str
    confidence: float
    preview: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.kind} ({self.method}): {self.preview}"


# ---- the calls --------------------------------------------------------------------------


def anonymize_corpus(
    corpus: Path,
    out: Path,
    *,
    key: Path | None = None,
    review: Path | None = None,
    apply_review: Path | None = None,
    options: Options = Options(),
    model: str | None = None,
    metadata: Path | None = None,
    roles: Mapping[str, str] | None = None,
    pipeline: Pipeline | None = None,
) -> AnonymizeResult:
    """Write a pseudonymised text-format copy of every transcript in `corpus` to `out`.

    `key` (read if it exists, then written) keeps original → pseudonym; `review` receives every
    replacement and every candidate below the threshold; `apply_review` takes a review file
    whose `action` column says accept, reject or a replacement text. Inputs are never changed;
    the output folder, key and review file are each written whole or not at all.
    Raises OutputError for paths that would mix originals and pseudonyms, CorpusError for
    unusable inputs.
    """
    _check_paths(corpus, out, key, review, apply_review)
    loaded = load_corpus(corpus, metadata=metadata, roles=roles)
    the_key = (
        PseudonymKey.read(key, options.realistic)
        if key is not None and key.exists()
        else PseudonymKey(options.realistic)
    )
    decisions = read_review(apply_review) if apply_review is not None else {}
    pipe = pipeline if pipeline is not None else _pipeline(options, model)
    sources = sources_of(loaded)
    design = _design_values(loaded, options)
    known, vocabulary = _detect(sources, pipe, options, design, the_key)
    for decision in decisions.values():
        if decision.replacement is not None:
            the_key.set_pseudonym(
                decision.original,
                decision.kind,
                decision.replacement,
                f"{decision.file}:{decision.line}",
            )
    rows: list[ReviewRow] = []
    used: set[tuple[str, int, int, str]] = set()
    written: dict[str, str] = {}
    kept_places: list[dict[str, object]] = []
    replaced: Counter[str] = Counter()
    candidates = kept = 0
    rename = _renamer(the_key, known)
    for source in sources:
        winners = chosen(_with_known(source, known, vocabulary, options), options)
        edits: list[Edit] = []
        kept_here = []
        for candidate in winners:
            line, column = source.where(candidate.start)
            ident = (source.name, line, column, candidate.text)
            decision = decisions.get(ident)
            if decision is not None:
                used.add(ident)
            protected = options.codebook.names(candidate.text)
            if protected is not None:
                candidate = replace(
                    candidate,
                    confidence=min(candidate.confidence, 0.3),
                    method=f"{candidate.method}; codebook word '{protected}'",
                )
            sure = candidate.confidence >= options.threshold
            accept = sure if decision is None else decision.action != "reject"
            pseudonym = (
                the_key.pseudonym(
                    candidate.text, candidate.kind, f"{source.name}:{line}", candidate.gender
                )
                if accept or sure
                else _preview_pseudonym(the_key, candidate)
            )
            label = any(s <= candidate.start and candidate.end <= e for s, e in source.labels)
            rows.append(
                ReviewRow(
                    source.name,
                    line,
                    column,
                    candidate.text,
                    _label_form(pseudonym) if label else pseudonym,
                    candidate.kind,
                    candidate.method,
                    candidate.confidence,
                    context(source.body, candidate.start, candidate.end),
                    "accept" if sure else "reject",
                )
            )
            if accept:
                text = _label_form(pseudonym) if label else pseudonym
                edits.append(Edit(candidate.start, candidate.end, text))
                replaced[candidate.kind] += 1
            else:
                edits.append(Edit(candidate.start, candidate.end, "", keep=True))
                kept_here.append(candidate)
                if sure:
                    kept += 1
                else:
                    candidates += 1
        body, kept_at = apply_edits(source.body, edits)
        front = _rewrite_front(source, the_key, known, design, options, loaded.design.attributes)
        text = front + body
        for candidate, offset in zip(kept_here, kept_at, strict=True):
            line, column = line_and_column(text, len(front) + offset)
            kept_places.append(
                {
                    "file": rename(source.name),
                    "line": line,
                    "column": column,
                    "length": candidate.end - candidate.start,
                }
            )
        written[rename(source.name)] = text
    unused = [ident for ident in decisions if ident not in used]
    if unused:
        file, line, column, original = unused[0]
        raise ReviewFileError(
            f"{len(unused)} review row(s) match nothing in the corpus, the first "
            f"'{original}' at {file}:{line}:{column}",
            where=Where(apply_review or ""),
            fix="Make the review file again from this corpus and key with --review",
        )
    extras = _corpus_files(loaded, corpus, the_key, known, design, options)
    manifest = {
        "tool": "mimres-cli",
        "version": __version__,
        "kinds": sorted(options.kinds),
        "design_too": options.design_too,
        "realistic": options.realistic,
        "pseudonyms": sorted(the_key.pseudonyms() | {_label_form(p) for p in the_key.pseudonyms()}),
        "kept": kept_places,
    }
    written[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    _write_folder(out, {**extras, **written})
    if key is not None:
        _write_atomic(key, key_csv(the_key))
    if review is not None:
        _write_atomic(review, review_csv(rows))
    return AnonymizeResult(
        out,
        len(sources),
        replaced,
        candidates,
        kept,
        key,
        the_key.added,
        review,
        pipe.info.describe() if pipe else "none",
    )


def check_identifiers(
    corpus: Path,
    *,
    options: Options = Options(),
    model: str | None = None,
    metadata: Path | None = None,
    roles: Mapping[str, str] | None = None,
    pipeline: Pipeline | None = None,
) -> list[Finding]:
    """Identifiers left in `corpus` (pseudonymised or not) at or above the threshold.

    Pseudonyms listed in the folder's manifest and spans a reviewer kept are not counted.
    """
    loaded = load_corpus(corpus, metadata=metadata, roles=roles)
    manifest = _read_manifest(corpus)
    pseudonyms = set(manifest.get("pseudonyms", []))
    kept = {(k["file"], k["line"], k["column"]) for k in manifest.get("kept", [])}
    pipe = pipeline if pipeline is not None else _pipeline(options, model)
    sources = sources_of(loaded)
    design = _design_values(loaded, options)
    known, vocabulary = _detect(sources, pipe, options, design, PseudonymKey(), pseudonyms)
    findings = []
    for source in sources:
        for index, candidate in _front_found(
            source, known, design, options, loaded.design.attributes
        ):
            findings.append(
                Finding(
                    source.name,
                    index + 1,
                    candidate.start + 1,
                    candidate.kind,
                    candidate.method,
                    candidate.confidence,
                    _mask(candidate.text),
                )
            )
        for candidate in chosen(_with_known(source, known, vocabulary, options), options):
            if (
                candidate.confidence < options.threshold
                or options.codebook.names(candidate.text) is not None
            ):
                continue
            line, column = source.where(candidate.start)
            if (source.name, line, column) in kept:
                continue
            findings.append(
                Finding(
                    source.name,
                    line,
                    column,
                    candidate.kind,
                    candidate.method,
                    candidate.confidence,
                    _mask(candidate.text),
                )
            )
    findings += _sheet_findings(loaded, known, design, pseudonyms, options)
    return findings


def chosen(candidates: list[Candidate], options: Options) -> list[Candidate]:
    """The candidates that win their span and are of a kind to replace. Candidates of other
    kinds (countries when off, public bodies, design values) still claim their span first."""
    return [c for c in resolve(candidates, options.threshold) if c.kind in options.kinds]


def _design_candidates(text: str, design: set[str]) -> list[Candidate]:
    if not design:
        return []
    names = sorted(design, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, names))})(?=s?(?![\w-]))")
    return [
        Candidate(m.start(), m.end(), m.group(), "design", "design attribute", 1.0)
        for m in pattern.finditer(text)
    ]


def _with_known(
    source: Source, known: dict[str, str], vocabulary: Vocabulary, options: Options
) -> list[Candidate]:
    """The source's candidates, and other occurrences of known entities where no detector
    was sure already. A capitalised word of unknown kind takes the kind its text is known as
    (`Yonas` is a person once a label says so)."""
    sure = {(c.start, c.end) for c in source.found if c.confidence >= options.threshold}
    found = [
        replace(c, kind=known[c.text]) if c.kind == "name" and c.text in known else c
        for c in source.found
    ]
    extra = known_candidates(source.body, known, vocabulary)
    return found + [c for c in extra if (c.start, c.end) not in sure]


def detect_texts(
    texts: list[str],
    *,
    options: Options = Options(),
    pipeline: Pipeline | None = None,
) -> list[list[Candidate]]:
    """The candidates `anonymize_corpus` would choose in plain texts (one turn each), both
    passes, in text order: those at or above the threshold are the ones it replaces."""
    sources = []
    for index, text in enumerate(texts):
        turn = Turn(0, "text", "informant", 0, len(text), text)
        interview = Interview(f"text-{index}", Path(f"text-{index}"), text, {}, (turn,))
        sources.append(Source(interview, interview.id, "", text, [], [(0, len(text))], 1))
    known, vocabulary = _detect(sources, pipeline, options, set(), PseudonymKey())
    return [
        [
            c
            for c in chosen(_with_known(s, known, vocabulary, options), options)
            if options.codebook.names(c.text) is None
        ]
        for s in sources
    ]


# ---- detection --------------------------------------------------------------------------


def _pipeline(options: Options, model: str | None) -> Pipeline | None:
    if not options.kinds & {"person", "place", "org", "country", "name"}:
        return None
    return load_pipeline(model)


def _design_values(corpus: Corpus, options: Options) -> set[str]:
    if options.design_too:
        return set()
    keys = corpus.design.attributes
    return {str(item.metadata[key]) for item in corpus for key in keys if item.metadata.get(key)}


def _detect(
    sources: list[Source],
    pipeline: Pipeline | None,
    options: Options,
    design: set[str],
    key: PseudonymKey,
    pseudonyms: Iterable[str] = (),
) -> tuple[dict[str, str], Vocabulary]:
    """Fill each source's candidates; return original -> kind of every sure entity (in the
    key or found now, design values and pseudonyms left out) and the corpus vocabulary."""
    vocabulary = Vocabulary(s.body for s in sources)
    first_names = name_lists().first
    known: dict[str, str] = {o: k for o, k in key.known().items() if k in options.kinds}
    # only --check is given pseudonyms (of the manifest): in an original corpus a realistic
    # pseudonym from the key ("Turid") may be a real person's name that must be replaced
    pseudonyms = set(pseudonyms)

    def wanted(candidate: Candidate) -> bool:
        text = candidate.text
        claim = candidate.kind == "design"  # design values and pseudonyms hold their span
        return claim or (text not in pseudonyms and not PSEUDONYM.fullmatch(text))

    from_metadata = _metadata_entities(sources, options)
    for source in sources:
        found = identifier_candidates(source.body)
        if options.kinds & {"person", "place", "org", "country", "name"}:
            found += name_candidates(source.body, vocabulary)
        for start, end in source.labels:
            label = source.body[start:end]
            confidence = _label_confidence(label, first_names, from_metadata, vocabulary)
            if confidence:
                gender = first_names.get(label.split()[0])
                found.append(
                    Candidate(start, end, label, "person", "speaker label", confidence, gender)
                )
        found += known_candidates(source.body, from_metadata, vocabulary, "metadata")
        found += _design_candidates(source.body, design | pseudonyms)  # both claim their span
        source.found = [c for c in found if wanted(c) and not _unknown_in_label(c, source)]
    if pipeline is not None and pipeline.info.has_ner:
        _add_entities(sources, pipeline, vocabulary, wanted)
    if options.design_too and "place" in options.kinds:  # a municipality named only there
        named = {str(v) for s in sources for v in s.interview.metadata.values()}
        known.update({value: "place" for value in named if value in places()})
    for original, kind in from_metadata.items():
        if original not in design and kind in options.kinds:
            known.setdefault(original, kind)
    for source in sources:
        for candidate in chosen(source.found, options):
            if (
                candidate.confidence >= options.threshold
                and candidate.kind != "age"
                and options.codebook.names(candidate.text) is None
                and known.get(candidate.text, "name") == "name"  # a known kind beats `name`
            ):
                known[candidate.text] = candidate.kind
    known = {
        o: k
        for o, k in known.items()
        if o not in design and o not in pseudonyms and not PSEUDONYM.fullmatch(o) and len(o) > 1
    }
    return known, vocabulary


#: Short labels for roles that no dictionary knows.
_ROLE_ABBREVIATIONS = frozenset({"inf", "int", "intv", "resp", "mod", "iv", "ir", "ie"})


def _label_confidence(
    label: str, first_names: Mapping[str, object], metadata: Mapping[str, str], words: Vocabulary
) -> float:
    """How sure it is that a speaker label is a person's name: 0.95 when its first word is a
    first name or metadata names the person; 0.6 for one capitalised word that neither the
    corpus (in lowercase) nor Norsk Ordbank knows (`Tesfay:`, not `Butikksjef:`); else 0."""
    if label.casefold() in DEFAULT_INTERVIEWER_LABELS:
        return 0.0
    if label.split()[0] in first_names or metadata.get(label) == "person":
        return 0.95
    unknown = (
        " " not in label
        and label[:1].isupper()
        and label[1:].islower()
        and len(label) > 2
        and label.casefold() not in _ROLE_ABBREVIATIONS
        and not words.common(label)
        and not lemma_candidates(label.casefold())
    )
    return 0.6 if unknown else 0.0


def _unknown_in_label(candidate: Candidate, source: Source) -> bool:
    """A capitalised word no list knows, inside a speaker label (`Butikksjef:`): a role, not
    a name (a label is a name when its first word is a first name, or metadata names it)."""
    return candidate.kind == "name" and any(
        s <= candidate.start and candidate.end <= e for s, e in source.labels
    )


def _add_entities(
    sources: list[Source],
    pipeline: Pipeline,
    vocabulary: Vocabulary,
    wanted: Callable[[Candidate], bool],
) -> None:
    spans = [(source, start, end) for source in sources for start, end in source.turns]
    texts = (source.body[start:end].replace("\n", " ") for source, start, end in spans)
    for (source, start, _), doc in zip(spans, pipeline.nlp.pipe(texts), strict=True):
        entities = [(start + e.start_char, start + e.end_char, e.label_) for e in doc.ents]
        found = entity_candidates(source.body, entities, vocabulary)
        source.found += [c for c in found if wanted(c)]


def _metadata_entities(sources: list[Source], options: Options) -> dict[str, str]:
    """People and workplaces named in the metadata (front matter and sheet)."""
    found: dict[str, str] = {}
    for source in sources:
        meta = source.interview.metadata
        for keys, kind in ((PERSON_KEYS, "person"), (ORG_KEYS, "org")):
            for key in keys:
                value = meta.get(key)
                if value in (None, "") or kind not in options.kinds:
                    continue
                for part in re.split(r"\s*[;,]\s*", str(value)):
                    if part and part.casefold() not in DEFAULT_INTERVIEWER_LABELS:
                        found.setdefault(part, kind)
    return found


# ---- reading the transcripts ------------------------------------------------------------


def sources_of(corpus: Corpus) -> list[Source]:
    """Each interview as the text-format file it will be written as."""
    root = corpus.root if corpus.root.is_dir() else corpus.root.parent
    sources = []
    names: set[str] = set()
    for interview in corpus:
        relative = interview.path.relative_to(root).as_posix()
        if interview.format == "text":
            sources.append(_text_source(interview, relative))
        else:
            name = str(Path(relative).with_suffix(".md"))
            if name in names or (root / name).exists():
                name = str(Path(relative).with_suffix(f"{interview.path.suffix}.md"))
            sources.append(_composed_source(interview, name))
        names.add(sources[-1].name)
    return sources


def _text_source(interview: Interview, name: str) -> Source:
    text = decode_text(interview.path.read_bytes()).text
    body = interview.body
    if not text.endswith(body):  # the reader changed the body: write it out as turns instead
        return _composed_source(interview, name)
    front = text[: len(text) - len(body)]
    labels = []
    for m in find_labels(body):
        label = m["label"].strip()
        labels.append((m.start("label"), m.start("label") + len(label)))
    turns = [(t.start, t.end) for t in interview.turns]
    return Source(interview, name, front, body, labels, turns, front.count("\n") + 1)


def _composed_source(interview: Interview, name: str) -> Source:
    """A Word or subtitle transcript written out as front matter and `Label: text` lines."""
    meta: dict[str, object] = {"id": interview.id, **interview.metadata}
    speakers = {t.speaker: t.role for t in interview.turns}
    if speakers:
        meta["speakers"] = speakers
    front = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
    lines: list[str] = []
    labels: list[tuple[int, int]] = []
    turns: list[tuple[int, int]] = []
    offset = 0
    for turn in interview.turns:
        prefix = _time_code(turn.start_time)
        label_start = offset + len(prefix)
        line = f"{prefix}{turn.speaker}: {turn.text}"
        labels.append((label_start, label_start + len(turn.speaker)))
        text_start = label_start + len(turn.speaker) + 2
        turns.append((text_start, text_start + len(turn.text)))
        lines.append(line)
        offset += len(line) + 1
    body = "\n".join(lines) + "\n"
    return Source(interview, name, front, body, labels, turns, front.count("\n") + 1)


def _time_code(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"[{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}] "


# ---- writing ----------------------------------------------------------------------------


def _label_form(pseudonym: str) -> str:
    """Speaker labels and front matter take `PERSON-3`: a label may not start with '['."""
    return pseudonym[1:-1] if pseudonym.startswith("[") and pseudonym.endswith("]") else pseudonym


def _preview_pseudonym(key: PseudonymKey, candidate: Candidate) -> str:
    entry = key.entries.get(candidate.text)
    return entry.pseudonym if entry is not None else f"[{KINDS[candidate.kind].label}-?]"


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", _label_form(text).lower()).strip("-")


def _renamer(key: PseudonymKey, known: Mapping[str, str]) -> Callable[[str], str]:
    """File names and ids: a known person's name in them (any case) becomes its slug."""
    names = sorted(
        (o for o, k in known.items() if k == "person" and len(o) > 2), key=len, reverse=True
    )
    if not names:
        return lambda name: name
    pattern = re.compile(
        rf"(?<![^\W_])(?:{'|'.join(re.escape(n) for n in names)})(?![^\W_])", re.IGNORECASE
    )
    lookup = {n.casefold(): n for n in names}

    def rename(name: str) -> str:
        def slug(m: re.Match[str]) -> str:
            original = lookup[m.group().casefold()]
            return _slug(key.pseudonym(original, known[original], name))

        return pattern.sub(slug, name)

    return rename


def _front_found(
    source: Source,
    known: Mapping[str, str],
    design: set[str],
    options: Options,
    design_keys: tuple[str, ...],
) -> list[tuple[int, Candidate]]:
    """(line index, candidate with offsets in that line) of what is replaced in the front
    matter: identifiers and known entities in the values, the design attributes and `id`
    left out (the id is renamed, see `_renamer`)."""
    found: list[tuple[int, Candidate]] = []
    for index, line in enumerate(source.front.split("\n")):
        m = _TOP_KEY.match(line)
        name = m["key"].strip() if m else None
        design_key = name in design_keys and not options.design_too
        if line.strip() in ("---", "") or design_key or name == "id":
            continue
        start = m.end() if m else 0
        value = line[start:]
        candidates = identifier_candidates(value) + known_candidates(
            value, dict(known), Vocabulary()
        )
        found += [
            (index, replace(c, start=start + c.start, end=start + c.end))
            for c in resolve(candidates, options.threshold)
            if c.confidence >= options.threshold
            and c.kind in options.kinds
            and c.text not in design
            and not PSEUDONYM.fullmatch(c.text)
        ]
    return found


def _rewrite_front(
    source: Source,
    key: PseudonymKey,
    known: Mapping[str, str],
    design: set[str],
    options: Options,
    design_keys: tuple[str, ...],
) -> str:
    """The front matter with names and identifiers replaced (label form), the design
    attributes kept unless design_too, the id renamed like the file."""
    if not source.front:
        return ""
    rename = _renamer(key, known)
    lines = source.front.split("\n")
    edits: dict[int, list[Edit]] = {}
    for index, c in _front_found(source, known, design, options, design_keys):
        pseudonym = key.pseudonym(c.text, c.kind, f"{source.name}:{index + 1}", c.gender)
        edits.setdefault(index, []).append(Edit(c.start, c.end, _label_form(pseudonym)))
    for index, line in enumerate(lines):
        m = _TOP_KEY.match(line)
        if m is not None and m["key"].strip() == "id":
            lines[index] = line[: m.end()] + rename(line[m.end() :])
        elif index in edits:
            lines[index] = apply_edits(line, edits[index])[0]
    return "\n".join(lines)


def _sheet_findings(
    corpus: Corpus,
    known: Mapping[str, str],
    design: set[str],
    pseudonyms: set[str],
    options: Options,
) -> list[Finding]:
    """Identifiers and known entities in the cells of the metadata sheet (row, column)."""
    if corpus.metadata is None:
        return []
    header, rows, _, _ = _sheet_table(corpus.metadata)
    skip = set(corpus.design.attributes) if not options.design_too else set()
    findings = []
    for number, row in enumerate(rows, start=2):
        for column, (name, cell) in enumerate(zip(header, row, strict=False), start=1):
            if name in skip or cell in pseudonyms:
                continue
            found = identifier_candidates(cell) + known_candidates(cell, dict(known), Vocabulary())
            findings += [
                Finding(corpus.metadata.name, number, column, c.kind, c.method, c.confidence,
                        _mask(c.text))
                for c in resolve(found, options.threshold)
                if c.confidence >= options.threshold and c.kind in options.kinds
                and c.text not in design and c.text not in pseudonyms
            ]  # fmt: skip
    return findings


def _corpus_files(
    corpus: Corpus,
    root: Path,
    key: PseudonymKey,
    known: Mapping[str, str],
    design: set[str],
    options: Options,
) -> dict[str, str]:
    """corpus.yaml and the metadata sheet (as interviews.csv), pseudonymised, so the copy
    reads the same way: same attributes, same speaker roles."""
    folder = root if root.is_dir() else root.parent
    files: dict[str, str] = {}
    corpus_file = folder / CORPUS_FILE
    if corpus_file.is_file():
        text = decode_text(corpus_file.read_bytes()).text
        files[CORPUS_FILE] = _replace_known(text, key, known, label_form=True)
    if corpus.metadata is None:
        return files
    header, rows, delimiter, speakers = _sheet_table(corpus.metadata)
    rename = _renamer(key, known)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = []
        for column, cell in zip(header, row, strict=False):
            if column in corpus.design.attributes and not options.design_too:
                cells.append(cell)
            elif column in ("id", "file"):
                cells.append(rename(cell))
            else:
                cells.append(_replace_known(cell, key, known, label_form=True))
        writer.writerow(cells)
    files["interviews.csv"] = buffer.getvalue()
    if speakers:  # the roles sheet of a workbook goes to corpus.yaml
        data = yaml.safe_load(files.get(CORPUS_FILE, "")) or {}
        labels = {
            _replace_known(label, key, known, label_form=True): role for label, role in speakers
        }
        data["speakers"] = {**labels, **(data.get("speakers") or {})}
        files[CORPUS_FILE] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return files


def _sheet_table(path: Path) -> tuple[list[str], list[list[str]], str, list[tuple[str, str]]]:
    """Header, rows, delimiter and (label, role) pairs of a metadata sheet, cells as text."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = {name.casefold(): book[name] for name in book.sheetnames}
            table = sheets.get("interviews", book.worksheets[0])
            records = [[_cell(v) for v in row] for row in table.iter_rows(values_only=True)]
            roles = sheets.get("speakers")
            pairs = (
                []
                if roles is None
                else [
                    (_cell(row[0]), _cell(row[1]))
                    for row in roles.iter_rows(min_row=2, values_only=True)
                    if row and len(row) > 1 and row[0] is not None
                ]
            )
        finally:
            book.close()
        return (records[0] if records else []), records[1:], ",", pairs
    text = decode_text(path.read_bytes()).text
    try:
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [h.strip() for h in records[0]] if records else []
    return header, records[1:], delimiter, []


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _replace_known(
    text: str, key: PseudonymKey, known: Mapping[str, str], *, label_form: bool
) -> str:
    found = identifier_candidates(text) + known_candidates(text, dict(known), Vocabulary())
    edits = []
    for c in resolve(found, 0.5):
        if c.text in known or c.confidence >= 0.9:
            pseudonym = key.pseudonym(c.text, c.kind, "metadata", c.gender)
            edits.append(Edit(c.start, c.end, _label_form(pseudonym) if label_form else pseudonym))
    return apply_edits(text, edits)[0]


def _mask(text: str) -> str:
    """A preview that does not repeat the identifier in a CI log: first character, then *."""
    return text[:1] + re.sub(r"\S", "*", text[1:])


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or path.is_relative_to(folder)


def _check_paths(
    corpus: Path, out: Path, key: Path | None, review: Path | None, apply_review: Path | None
) -> None:
    folder = corpus if corpus.is_dir() else corpus.parent
    if _inside(out, folder) or _inside(folder, out):
        raise OutputError(
            f"the output folder '{out}' and the corpus '{corpus}' overlap",
            fix="Write the pseudonymised copy to a folder outside the corpus",
            code="E503",
        )
    for path, what in ((key, "pseudonym key"), (review, "review file")):
        if path is None:
            continue
        for place, name in ((out, "output folder"), (folder, "corpus folder")):
            if _inside(path, place):
                raise OutputError(
                    f"the {what} '{path}' is inside the {name} '{place}': it holds the "
                    "original names and must be stored apart from the data",
                    fix=f"Give a {what} path outside both folders, e.g. on a secure drive",
                    code="E505",
                )
        if not path.parent.is_dir():
            raise OutputError(
                f"the folder of the {what} '{path}' does not exist",
                fix="Create it first or give another path",
                code="E502",
            )
    if apply_review is not None and not apply_review.is_file():
        raise MissingInputError(
            f"review file '{apply_review}' does not exist",
            fix="Write one first with --review FILE",
        )
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())
    ):
        raise OutputError(
            f"'{out}' exists and was not written by 'mimres anonymize'",
            fix="Give a new or empty folder for the pseudonymised copy",
            code="E501",
        )


def _read_manifest(corpus: Path) -> dict:
    path = (corpus if corpus.is_dir() else corpus.parent) / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(
            "the anonymisation manifest cannot be read",
            where=Where(path),
            fix="Delete it to check the folder as if it were not pseudonymised",
        ) from exc
    return data if isinstance(data, dict) else {}


def _write_atomic(path: Path, text: str) -> None:
    """Write beside `path`, then rename: never a half-written key or review file."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise OutputError(f"cannot write '{path}' ({exc.strerror})", code="E502") from exc


def _write_folder(out: Path, files: Mapping[str, str]) -> None:
    """Write every file into a new folder beside `out`, then swap it in."""
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        for name, text in files.items():
            target = building / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            out.replace(old / "previous")
            building.replace(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            building.replace(out)
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise OutputError(
            f"cannot write the output folder '{out}' ({exc.strerror})", code="E502"
        ) from exc
