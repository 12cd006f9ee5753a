"""Load a YAML codebook, check it completely, and report every problem with its line and column.

Codebooks are untrusted input: they are read with a safe loader that also remembers the line and
column of every key, value and list item, so messages can point at `file:line:col`.
`check_codebook` collects every problem (errors and warnings) without raising; `load_codebook`
raises one CodebookError carrying all the errors.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from mimres_cli.codebook.model import (
    MAX_OPTIONAL_WORDS,
    NEGATION_MODES,
    SCOPES,
    SIDES,
    SPEAKER_ROLES,
    Code,
    Codebook,
    Near,
    optional_word,
    pattern_text,
)
from mimres_cli.codebook.token_patterns import plainly_valid
from mimres_cli.errors import (
    CodebookError,
    MimresError,
    MissingInputError,
    Problem,
    ProjectError,
    Where,
    did_you_mean,
    problem,
    report,
)
from mimres_cli.nlp.wordclass import ORDBANK_UPOS
from mimres_cli.safety import use_input
from mimres_cli.yaml_limits import ALIAS_FIX, FAST_LOADER, load_within, too_deep

log = logging.getLogger(__name__)

TOP_KEYS = (
    "codebook", "language", "description", "namespace", "include", "defaults", "equivalents",
    "codes",
)  # fmt: skip
#: The evidence rules (see `_Checker.evidence_rules`); each also a key of `defaults:`.
EVIDENCE_KEYS = (
    "weak_terms", "min_hits", "min_terms", "scope", "not_near", "not_phrases", "question_context",
    "question_not_terms",
)  # fmt: skip
#: Rule keys that `defaults:` may set for every code of its file.
DEFAULT_KEYS = ("near", "not_terms", "pos", "negation", "speakers", *EVIDENCE_KEYS)
CODE_KEYS = (
    "id", "label", "definition", "when_to_use", "when_not_to_use", "examples", "color",
    "terms", "regex", "patterns", "near", "not_terms", "pos", "negation", "speakers",
    *EVIDENCE_KEYS, "theme_evidence", "codes",
)  # fmt: skip
NEAR_KEYS = ("terms", "within", "side")
THEME_EVIDENCE_KEYS = ("min_terms", "per_words")
SCOPE_KEYS = ("words",)
#: The `Code` fields the evidence rules fill.
EVIDENCE_FIELDS = (
    "weak_terms", "min_hits", "min_terms", "scope", "scope_words", "not_near", "not_phrases",
    "question_context", "question_not_terms",
)  # fmt: skip
#: Token attributes a token pattern may test that only a trained pipeline sets.
TAGGED_ATTRS = ("POS", "TAG", "MORPH", "DEP")
#: Universal POS tags, as spaCy's tagger or morphologizer sets `Token.pos_`.
UPOS = (
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
)  # fmt: skip
_ID = re.compile(r"^[a-z0-9æøå][a-z0-9æøå_\-]*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_MAX_PROBLEMS = 20
_MIN_GLOB_LETTERS = 3
#: Limits on codebooks and project files (docs/reliability.md). Real ones are far below:
#: the shipped codebook has 62 KB, codes 3 levels deep and no aliases.
MAX_YAML_BYTES = 5_000_000
MAX_YAML_DEPTH = 100
MAX_YAML_VALUES = 1_000_000
MAX_CODE_DEPTH = 20
#: Seconds a codebook regex may take on a short probe text before `codebook validate`
#: rejects it (see `regex_problem`); coding itself limits each regex per unit (compile.py).
REGEX_PROBE_SECONDS = 0.1
_PROBE_LENGTH = 30

Pos = tuple[int | None, int | None]  # (line, column), 1-based


# --------------------------------------------------------------------------- line-aware YAML


class LinedDict(dict):
    """A mapping that remembers where it, each key and each value start (1-based line, col)."""

    line: int = 0
    column: int = 0
    key_pos: dict[str, tuple[int, int]]
    value_pos: dict[str, tuple[int, int]]
    duplicates: list[tuple[str, int, int, int]]  # key, line, col, line of the first one

    @property
    def key_lines(self) -> dict[str, int]:
        return {key: pos[0] for key, pos in self.key_pos.items()}


class LinedList(list):
    """A list that remembers where it and each item start (1-based line, col)."""

    line: int = 0
    column: int = 0
    item_pos: list[tuple[int, int]]


class _LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping positions on mappings and lists."""


class _FastLineLoader(FAST_LOADER):  # type: ignore[misc,valid-type]
    """The same on libyaml where PyYAML has it (same nodes and marks); text it cannot read is
    read again by `_LineLoader`, whose error messages are the ones reported."""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LinedDict()
    data.line, data.column = _mark(node)
    data.key_pos, data.value_pos, data.duplicates = {}, {}, []
    yield data
    data.update(loader.construct_mapping(node, deep=True))
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in data.key_pos:
            data.duplicates.append((key, *_mark(key_node), data.key_pos[key][0]))
        data.key_pos[key] = _mark(key_node)
        data.value_pos[key] = _mark(value_node)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    data = LinedList()
    data.line, data.column = _mark(node)
    data.item_pos = [_mark(item) for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node, deep=True))


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def read_yaml(path: Path, *, error: type[MimresError] = CodebookError, code: str = "E201") -> Any:
    """Parse a YAML file with positions kept; raise `error` (with `code`) on a syntax error.

    Codebooks and project files are untrusted input, read within limits (docs/reliability.md):
    at most MAX_YAML_BYTES, lists and mappings nested at most MAX_YAML_DEPTH deep, and at most
    MAX_YAML_VALUES values once aliases (`*name`) are expanded, so a 1 KB "alias bomb" is an
    error (E003) instead of gigabytes. A file that is not UTF-8 text is `error` too.
    """
    if not path.is_file():
        raise MissingInputError(
            f"codebook '{path}' does not exist", fix="Give the path of a YAML codebook"
        )
    use_input(path, "project file" if error is ProjectError else "codebook")
    text = _yaml_text(path, error, code)
    _check_nesting(text, path, error)

    def too_many(excess: str, node: yaml.Node) -> MimresError:
        return error(
            excess, where=Where(path, node.start_mark.line + 1), fix=ALIAS_FIX, code="E003"
        )

    try:
        return load_within(text, (_FastLineLoader, _LineLoader), MAX_YAML_VALUES, too_many)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        why = getattr(exc, "problem", None) or "invalid YAML"
        raise error(
            f"not valid YAML ({why})",
            where=Where(path, mark.line + 1 if mark else None, mark.column + 1 if mark else None),
            fix="Check the indentation and quoting on that line",
            code=code,
        ) from exc


def _yaml_text(path: Path, error: type[MimresError], code: str) -> str:
    """The file's text: E003 over MAX_YAML_BYTES, `code` when it is not UTF-8 text."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(
                f"is {size:,} bytes, more than the {MAX_YAML_BYTES:,} a YAML file may have",
                where=Where(path),
                fix="Split it into files joined with 'include:', or check that it is the right "
                "file",
                code="E003",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror})", where=Where(path),
                    fix="Check the file's permissions", code=code) from exc  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at byte {exc.start:,})",
            where=Where(path, line),
            fix="Save it as UTF-8 text; a binary file (e.g. a Word or Excel file) is no YAML",
            code=code,
        ) from None
    if "\x00" in text:
        raise error("is not a text file (it holds NUL bytes)", where=Where(path, 1),
                    fix="Give a YAML text file", code=code)  # fmt: skip
    return text


def _check_nesting(text: str, path: Path, error: type[MimresError]) -> None:
    """E003 when lists and mappings nest deeper than MAX_YAML_DEPTH (before parsing, which
    would otherwise run out of stack)."""
    mark = too_deep(text, MAX_YAML_DEPTH)
    if mark is not None:
        raise error(
            f"nests lists or mappings more than {MAX_YAML_DEPTH} deep",
            where=Where(path, mark.line + 1),
            fix=f"Codes may nest at most {MAX_CODE_DEPTH} levels: flatten the hierarchy",
            code="E003",
        )


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class CodebookCheck:
    """The result of checking a codebook: the model (None when unreadable) and every problem."""

    codebook: Codebook | None
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


Lemmatize = Callable[[list[str]], dict[str, tuple[str, ...]]]


def check_codebook(
    path: Path | str, *, lemmatize: Lemmatize | None = None, tagger: bool = True
) -> CodebookCheck:
    """Read and check a codebook and the files it includes; never raises for a bad codebook.

    With `lemmatize` (see `pipeline_lemmatizer`), every single-word term that is not among its
    own lemmas gets a warning: it matches only that exact word form. With `tagger=False` (the
    pipeline has no tagger), every `pos` gets a warning that it will be ignored. Problems are
    in file order. Raises MissingInputError when `path` itself does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingInputError(
            f"codebook '{path}' does not exist", fix="Give the path of a YAML codebook"
        )
    checker = _Checker(path)
    checker.tagger = tagger
    try:
        data = read_yaml(path)
    except CodebookError as exc:
        checker.add_error(exc)
        return CodebookCheck(None, tuple(checker.problems))
    codebook = checker.codebook(data)
    if lemmatize is not None:
        checker.check_lemmas(lemmatize)
    order = {file: n for n, file in enumerate(checker.files)}
    problems = sorted(
        checker.problems,
        key=lambda p: (order.get(p.path, len(order)), p.line or 0, p.column or 0),
    )
    return CodebookCheck(codebook, tuple(problems))


def load_codebook(path: Path | str) -> Codebook:
    """Read and validate a codebook file; raise CodebookError listing every error found.

    Warnings (broad globs, rules that have no effect) are reported (logged and collected, see
    `errors.report`), not raised.
    """
    check = check_codebook(path)
    if check.errors or check.codebook is None:
        raise CodebookError.collected(check.errors[:_MAX_PROBLEMS])
    report(check.warnings, log)
    return check.codebook


def refuse_tag_patterns(codebooks: Iterable[Codebook], *, built_in: bool) -> None:
    """Raise CodebookError E211, one error per code, for token patterns that test POS, TAG,
    MORPH or DEP when the pipeline is the built-in one (`built_in`), which sets none of them:
    called once the pipeline is known and before any text is parsed, so that `mimres code`
    stops at once instead of after parsing (coding itself stops the same way for a trained
    pipeline that lacks the component, `CodeMatcher`)."""
    if not built_in:
        return
    errors = []
    for code in (code for book in codebooks for code in book.walk()):
        tested = {key.upper() for pattern in code.token_patterns for token in pattern
                  for key in token} & set(TAGGED_ATTRS)  # fmt: skip
        if not tested:
            continue
        attrs = [attr for attr in TAGGED_ATTRS if attr in tested]
        lacks = " or ".join(dict.fromkeys("parser" if a == "DEP" else "tagger" for a in attrs))
        errors.append(problem(
            "E211",
            f"the token patterns of '{code.path}' test {', '.join(attrs)}, which the built-in "
            f"pipeline does not set (it has no {lacks})",
            Where(code.file, code.line or None, None),
            "Run with a trained pipeline (--model) that sets it, or test LOWER or LEMMA "
            "instead"))  # fmt: skip
    if errors:
        raise CodebookError.collected(errors[:_MAX_PROBLEMS])


def pipeline_lemmatizer(nlp: Any) -> Lemmatize:
    """A `lemmatize` for check_codebook: Norsk Ordbank candidates plus `nlp`'s own lemma."""
    from mimres_cli.nlp.lemmas import lemma_candidates

    def lemmatize(words: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for word, doc in zip(words, nlp.pipe(words), strict=True):
            lemmas = dict.fromkeys(lemma_candidates(word))
            if len(doc) == 1 and doc[0].lemma_:
                lemmas[doc[0].lemma_.lower()] = None
            found[word] = tuple(lemmas)
        return found

    return lemmatize


# --------------------------------------------------------------------------- the checker


@dataclass
class _TermWord:
    word: str
    term: str
    code: str
    path: Path
    pos: Pos


@dataclass
class _Defaults:
    values: dict[str, Any] = field(default_factory=dict)


class _Checker:
    """Builds the model while collecting problems, so that one run reports them all."""

    def __init__(self, path: Path) -> None:
        self.root = path
        self.path = path  # the file being read now (an included one, maybe)
        self.problems: list[Problem] = []
        self.paths: dict[str, tuple[Path, int]] = {}
        self.files: list[Path] = [path]
        self.stack: list[Path] = [path.resolve()]
        self.namespace = ""
        self.defaults = _Defaults()
        self.term_words: list[_TermWord] = []
        self.tagger = True

    # ---- reporting

    def problem(self, code: str, pos: Pos, message: str, fix: str = "") -> None:
        self.problems.append(problem(code, message, _where(self.path, pos), fix))

    def add_error(self, exc: MimresError) -> None:
        self.problems.extend(exc.problems)

    # ---- files

    def codebook(self, data: Any) -> Codebook:
        if isinstance(data, dict):
            self.namespace = self.namespace_of(data)
        codes = self.file_codes(data, top=True)
        digest = hashlib.sha256()
        for file in self.files:
            digest.update(file.read_bytes())
        data = data if isinstance(data, dict) else {}
        return Codebook(
            name=str(data.get("codebook") or self.root.stem),
            path=self.root,
            sha256=digest.hexdigest(),
            language=str(data.get("language") or "nb"),
            description=_text(data.get("description")),
            codes=codes,
            namespace=self.namespace,
            includes=tuple(self.files[1:]),
            equivalents=self.equivalents(data),
        )

    def equivalents(self, data: dict) -> tuple[tuple[str, ...], ...]:
        """`equivalents:`: a list of groups, each a list of two or more words (E222)."""
        if data.get("equivalents") is None:
            return ()
        value = data["equivalents"]
        fix = "Write groups of words that mean the same: equivalents: [[arbeidsplass, arbeidsstad]]"
        if not isinstance(value, list):
            self.problem("E222", _value_pos(data, "equivalents"),
                         "'equivalents' is not a list of word groups", fix)  # fmt: skip
            return ()
        groups = []
        for group, pos in _items(data, "equivalents"):
            words = group if isinstance(group, list) else None
            if (
                words is None
                or len(words) < 2
                or not all(
                    isinstance(w, str) and w.strip() and " " not in w.strip() and "*" not in w
                    for w in words
                )
            ):
                self.problem("E222", pos,
                             f"equivalents group {group!r} is not a list of two or more single "
                             "words without '*'", fix)  # fmt: skip
                continue
            groups.append(tuple(w.strip().lower() for w in words))
        return tuple(groups)

    def namespace_of(self, data: dict) -> str:
        value = data.get("namespace")
        if value is None:
            return ""
        if not isinstance(value, str) or not _ID.match(value):
            self.problem("E206", _value_pos(data, "namespace"),
                         f"namespace '{value}' is not a lowercase id",
                         "Use lowercase letters, digits, '_' and '-'")  # fmt: skip
            return ""
        return value

    def file_codes(self, data: Any, *, top: bool) -> tuple[Code, ...]:
        """The codes of one file: its included files' codes first, then its own."""
        if not isinstance(data, dict):
            self.problem("E202", (1, 1), "a codebook is a mapping with 'codebook' and 'codes'",
                         "Start with 'codebook: <name>' and a 'codes:' list")  # fmt: skip
            return ()
        for key, line, column, first in data.duplicates:
            self.problem(
                "E203",
                (line, column),
                f"key '{key}' is given twice (first at line {first})",
                "Keep one; YAML would silently use the last",
            )
        self.unknown_keys(data, TOP_KEYS, "codebook")
        if not top and "namespace" in data:
            self.problem("W201", _key_pos(data, "namespace"),
                         "'namespace' of an included file is ignored",
                         "Set it in the codebook that includes this file")  # fmt: skip
        saved = self.defaults
        self.defaults = self.defaults_of(data)
        included = self.includes(data)  # restores self.defaults when done
        codes_data = data.get("codes")
        if codes_data is None and included:
            codes_data = []
        if not isinstance(codes_data, list) or (not codes_data and not included):
            self.problem("E202", _value_pos(data, "codes") if "codes" in data else (1, 1),
                         "'codes' must be a non-empty list of codes",
                         "Add 'codes:' with '- id: ...' items")  # fmt: skip
            codes_data = []
        own = self.codes(codes_data, parent="")
        self.defaults = saved
        return (*included, *own)

    def includes(self, data: dict) -> list[Code]:
        value = data.get("include")
        if value is None:
            return []
        items = self.string_items(data, "include", "the codebook")
        codes: list[Code] = []
        for name, pos in items:
            target = (self.path.parent / name).resolve()
            if target in self.stack:
                self.problem("E205", pos, f"include '{name}' includes itself (a cycle)",
                             "Remove this include")  # fmt: skip
                continue
            if not target.is_file():
                state = "is not a file" if target.exists() else "does not exist"
                self.problem("E205", pos, f"included file '{name}' {state}",
                             f"Give a path relative to {self.path.parent or '.'}")  # fmt: skip
                continue
            shown = self.path.parent / name
            if shown not in self.files:
                self.files.append(shown)
            outer = self.path
            self.path = shown
            self.stack.append(target)
            try:
                included = read_yaml(shown)
            except CodebookError as exc:
                self.add_error(exc)
            else:
                codes.extend(self.file_codes(included, top=False))
            finally:
                self.stack.pop()
                self.path = outer
        return codes

    def defaults_of(self, data: dict) -> _Defaults:
        value = data.get("defaults")
        if value is None:
            return _Defaults()
        if not isinstance(value, dict):
            self.problem("E217", _value_pos(data, "defaults"), "'defaults' must be a mapping",
                         f"Give some of {', '.join(DEFAULT_KEYS)}")  # fmt: skip
            return _Defaults()
        self.unknown_keys(value, DEFAULT_KEYS, "defaults")
        resolved: dict[str, Any] = {}
        where = "defaults"
        if "near" in value:
            resolved["near"] = self.near(value, where)
        if "not_terms" in value:
            resolved["not_terms"] = self.terms(value, where, key="not_terms")
        if "pos" in value:
            resolved["pos"] = self.pos(value, where)
            self.untagged(value, resolved["pos"])
        if "negation" in value:
            resolved["negation"] = self.negation(value, where)
        if "speakers" in value:
            resolved["speakers"] = self.speakers(value, where)
        resolved.update(self.evidence_rules(value, where))
        return _Defaults(resolved)

    # ---- codes

    def codes(self, items: list[Any], parent: str) -> tuple[Code, ...]:
        positions = getattr(items, "item_pos", [(None, None)] * len(items))
        built = [self.code(item, pos, parent) for item, pos in zip(items, positions, strict=True)]
        return tuple(code for code in built if code is not None)

    def code(self, item: Any, pos: Pos, parent: str) -> Code | None:
        if not isinstance(item, dict):
            self.problem("E202", pos, "a code must be a mapping with 'id' and 'label'",
                         "Write '- id: <id>' followed by its keys")  # fmt: skip
            return None
        pos = (item.line, item.column)
        for key, line, column, first in item.duplicates:
            self.problem(
                "E203",
                (line, column),
                f"key '{key}' is given twice (first at line {first})",
                "Keep one; YAML would silently use the last",
            )
        self.unknown_keys(item, CODE_KEYS, "code")
        code_id = str(item.get("id", "")).strip()
        if not code_id:
            self.problem("E206", pos, "code has no 'id'", "Add 'id: <lowercase-id>'")
            code_id = f"?{pos[0]}"
        elif not _ID.match(code_id):
            self.problem(
                "E206",
                _value_pos(item, "id"),
                f"code id '{code_id}' is not a lowercase id",
                "Use lowercase letters, digits, '_' and '-' (e.g. 'fast_kontaktperson')",
            )
        if parent:
            path = f"{parent}/{code_id}"
        else:
            path = f"{self.namespace}:{code_id}" if self.namespace else code_id
        if path in self.paths:
            first_file, first_line = self.paths[path]
            first = (
                f"line {first_line}" if first_file == self.path else f"{first_file}:{first_line}"
            )
            self.problem("E207", _value_pos(item, "id") if "id" in item else pos,
                         f"code '{path}' is defined twice (first at {first})",
                         "Rename one or merge their rules")  # fmt: skip
        else:
            self.paths[path] = (self.path, pos[0] or 0)
        children_data = item.get("codes") or []
        if not isinstance(children_data, list):
            self.problem("E217", _value_pos(item, "codes"), f"'codes' of '{path}' must be a list")
            children_data = []
        if children_data and path.count("/") + 1 >= MAX_CODE_DEPTH:
            self.problem("E003", _key_pos(item, "codes"),
                         f"codes nest more than {MAX_CODE_DEPTH} levels deep under '{path}'",
                         "Flatten the hierarchy")  # fmt: skip
            children_data = []
        defaults = self.defaults.values
        terms = self.terms(item, path)
        regex = self.regex(item, path)
        patterns = self.patterns(item, path)
        near = self.near(item, path) if "near" in item else defaults.get("near", ())
        not_terms = (
            self.terms(item, path, key="not_terms")
            if "not_terms" in item
            else defaults.get("not_terms", ())
        )
        pos_tags = self.pos(item, path) if "pos" in item else defaults.get("pos", ())
        negation = self.negation(item, path) if "negation" in item else defaults.get("negation")
        speakers = self.speakers(item, path) if "speakers" in item else defaults.get("speakers")
        color = self.color(item, path)
        evidence = {**defaults, **self.evidence_rules(item, path)}
        evidence = {key: evidence[key] for key in EVIDENCE_FIELDS if key in evidence}
        self.check_min_terms(item, path, evidence, len(terms) + len(regex) + len(patterns))
        if "theme_evidence" in item:
            evidence.update(self.theme_evidence(item, path, top=not parent))
        children = self.codes(children_data, path)
        # Rules given but invalid were reported already: an empty leaf has none written.
        written = any(item.get(key) for key in ("terms", "regex", "patterns", "weak_terms"))
        if not children_data and not written:
            self.problem(
                "E208",
                pos,
                f"code '{path}' has no rules and no child codes (an empty leaf)",
                "Add 'terms:', 'regex:' or 'patterns:' so that it can match",
            )
        if "pos" in item:
            self.untagged(item, pos_tags)
        if "pos" in item and not terms:
            self.problem(
                "W203",
                _key_pos(item, "pos"),
                f"'pos' of '{path}' has no effect without 'terms'",
                "It restricts terms only; remove it or add terms",
            )
        return Code(
            id=code_id,
            path=path,
            label=_text(item.get("label")) or code_id,
            definition=_text(item.get("definition")),
            when_to_use=_text(item.get("when_to_use")),
            when_not_to_use=_text(item.get("when_not_to_use")),
            examples=tuple(_text(x) for x, _ in self.string_items(item, "examples", path)),
            terms=terms,
            regex=regex,
            patterns=patterns,
            near=near,
            not_terms=not_terms,
            pos=pos_tags,
            negation=negation or "flag",
            speakers=speakers or ("informant",),
            color=color,
            children=children,
            line=pos[0] or 0,
            file=self.path,
            **evidence,
        )

    # ---- rules

    def terms(self, item: dict, path: str, *, key: str = "terms") -> tuple[str, ...]:
        kept = []
        for term, pos in self.string_items(item, key, path):
            why = _optional_problem(term)
            if why:
                self.problem("E209", pos, f"term '{term}' of '{path}' {why}",
                             "Put an optional word in parentheses, apart from the other "
                             "words, beside a word that is not: 'ble (vi) flyttet'")  # fmt: skip
                continue
            words = [word[1:-1] if optional_word(word) else word for word in term.split()]
            if not words or all(set(word) <= {"*"} for word in words):
                self.problem("E209", pos, f"term '{term}' of '{path}' would match every word",
                             "Give at least one letter, e.g. '*opplæring'")  # fmt: skip
                continue
            if any("*" in word.strip("*") for word in words):
                self.problem("E209", pos, f"term '{term}' of '{path}' has '*' inside a word",
                             "Put '*' only at the start or end of a word")  # fmt: skip
                continue
            for word in words:
                letters = sum(ch.isalnum() for ch in word)
                if "*" in word and letters < _MIN_GLOB_LETTERS:
                    self.problem(
                        "W202",
                        pos,
                        f"glob '{word}' in term '{term}' of '{path}' is very broad "
                        f"(fewer than {_MIN_GLOB_LETTERS} letters)",
                        "Give more of the word",
                    )
            # Multi-word terms are fixed phrases ("har det bra"): inflected on purpose. A word
            # left alone when the optional words drop ("(fast) jobben") is a one-word term.
            required = [word for word in term.split() if not optional_word(word)]
            if len(required) == 1 and "*" not in required[0]:
                self.term_words.append(_TermWord(required[0].lower(), term, path, self.path, pos))
            kept.append(" ".join(term.split()).lower())
        return tuple(kept)

    def regex(self, item: dict, path: str) -> tuple[str, ...]:
        kept = []
        for pattern, pos in self.string_items(item, "regex", path):
            why = regex_problem(pattern)
            if why:
                code = "E221" if "backtracks" in why else "E210"
                fix = {"E221": "Rewrite it so that no part can be repeated in several ways, "
                               "e.g. '(a|aa)+' as 'a+', or use terms",
                       "empty": "Make it require at least one character"}.get(
                    "empty" if "empty" in why else code,
                    "Fix the pattern; in YAML, quote it with single quotes")  # fmt: skip
                self.problem(code, pos, f"regex '{pattern}' of '{path}' {why}", fix)
                continue
            kept.append(pattern)
        return tuple(kept)

    def patterns(self, item: dict, path: str) -> tuple[str, ...]:
        value = item.get("patterns")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("E211", _value_pos(item, "patterns"),
                         f"'patterns' of '{path}' must be a list of token patterns",
                         "Write '- [{LEMMA: få}, {LEMMA: jobb}]'")  # fmt: skip
            return ()
        kept = []
        for number, (pattern, pos) in enumerate(_items(item, "patterns"), start=1):
            why = _pattern_problem(pattern)
            if why:
                self.problem("E211", pos, f"token pattern {number} of '{path}' is invalid ({why})",
                             "See spaCy's Matcher token patterns: a list of token "
                             "mappings such as {LEMMA: jobb}")  # fmt: skip
                continue
            kept.append(pattern_text(pattern))
        return tuple(kept)

    def near(self, item: dict, path: str, *, key: str = "near") -> tuple[Near, ...]:
        value = item.get(key)
        if isinstance(value, dict):
            entries = [(value, _value_pos(item, key))]
        elif isinstance(value, list) and value:
            entries = _items(item, key)
        else:
            self.problem("E212", _value_pos(item, key),
                         f"'{key}' of '{path}' must be {{terms: [...], within: N}} or a list",
                         f"Write '{key}: {{terms: [plass], within: 3}}'")  # fmt: skip
            return ()
        kept = []
        for entry, pos in entries:
            if not isinstance(entry, dict):
                self.problem("E212", pos,
                             f"'{key}' of '{path}' must be {{terms: [...], within: N}}",
                             f"Write '{key}: {{terms: [plass], within: 3}}'")  # fmt: skip
                continue
            self.unknown_keys(entry, NEAR_KEYS, key)
            terms = self.terms(entry, path)
            within = entry.get("within")
            ok = True
            if not terms:
                ok = False
                if entry.get("terms") in (None, []):  # missing or empty: not dropped silently
                    self.problem("E212", _value_pos(entry, "terms") if "terms" in entry else pos,
                                 f"'{key}' of '{path}' has no 'terms'",
                                 "Add 'terms: [...]'")  # fmt: skip
            if not isinstance(within, int) or isinstance(within, bool) or within < 1:
                ok = False
                self.problem("E212", _value_pos(entry, "within") if "within" in entry else pos,
                             f"'within' of '{path}' must be a whole number of words, 1 or more",
                             "Write e.g. 'within: 3'")  # fmt: skip
            side = entry.get("side", "both")
            if side not in SIDES:
                ok = False
                self.problem("E212", _value_pos(entry, "side"),
                             _not_one_of("side", side, f"'{key}' of '{path}'",
                                         "before, after or both"),
                             did_you_mean(_yaml_shown(side).lower(), SIDES,
                                          otherwise="Write 'side: before' (the term before the "
                                          "hit), 'side: after' or leave it out for both "
                                          "sides"))  # fmt: skip
            if ok:
                kept.append(Near(terms, within, str(side)))
        return tuple(kept)

    def pos(self, item: dict, path: str) -> tuple[str, ...]:
        kept = []
        for tag, pos in self.string_items(item, "pos", path):
            upper = tag.upper()
            if upper not in UPOS:
                hint = did_you_mean(upper, UPOS, otherwise=f"Use one of {', '.join(UPOS)}")
                self.problem("E213", pos, f"unknown part of speech '{tag}' in '{path}'", hint)
                continue
            kept.append(upper)
        return tuple(kept)

    def negation(self, item: dict, path: str) -> str | None:
        value = item.get("negation")
        if value not in NEGATION_MODES:
            hint = did_you_mean(_yaml_shown(value), NEGATION_MODES,
                                otherwise="Use flag, exclude or ignore")  # fmt: skip
            self.problem("E214", _value_pos(item, "negation"),
                         _not_one_of("negation", value, f"'{path}'", "flag, exclude or ignore"),
                         hint)  # fmt: skip
            return None
        return str(value)

    def speakers(self, item: dict, path: str) -> tuple[str, ...] | None:
        kept = []
        for role, pos in self.string_items(item, "speakers", path):
            if role not in SPEAKER_ROLES:
                hint = did_you_mean(role, SPEAKER_ROLES, otherwise="Use informant or interviewer")
                self.problem("E215", pos, f"unknown speaker role '{role}' in '{path}'", hint)
                continue
            kept.append(role)
        if not kept and "speakers" in item and not isinstance(item.get("speakers"), str):
            if item.get("speakers") == []:
                self.problem("E215", _value_pos(item, "speakers"),
                             f"'speakers' of '{path}' is empty: the code could never apply",
                             "List informant, interviewer or both")  # fmt: skip
            return None
        return tuple(dict.fromkeys(kept)) or None

    def color(self, item: dict, path: str) -> str:
        value = item.get("color")
        if value is None:
            if "color" in item:  # `color: #1f77b4` unquoted: the YAML comment ate the value
                self.problem("E216", _value_pos(item, "color"), f"color of '{path}' is empty",
                             "Quote it ('#' starts a YAML comment): color: '#1f77b4'")  # fmt: skip
            return ""
        if not isinstance(value, str) or not _COLOR.match(value):
            self.problem("E216", _value_pos(item, "color"),
                         f"color '{value}' of '{path}' is not a hex colour '#rrggbb'",
                         "Quote it in YAML, e.g. color: '#1f77b4'")  # fmt: skip
            return ""
        return value.lower()

    # ---- evidence rules

    def evidence_rules(self, item: dict, path: str) -> dict[str, Any]:
        """The evidence rules `item` sets (a code or `defaults:`), as `Code` fields; problems
        are reported and the key left out."""
        found: dict[str, Any] = {}
        if "weak_terms" in item:
            found["weak_terms"] = self.terms(item, path, key="weak_terms")
        for key in ("min_hits", "min_terms"):
            if key in item:
                number = self.whole_number(item, key, path)
                if number is not None:
                    found[key] = number
        if "scope" in item:
            found.update(self.scope(item, path))
        if "not_near" in item:
            found["not_near"] = self.near(item, path, key="not_near")
        for key in ("not_phrases", "question_not_terms"):
            if key in item:
                found[key] = self.terms(item, path, key=key)
        if "question_context" in item:
            value = item["question_context"]
            if isinstance(value, bool):
                found["question_context"] = value
            else:
                self.problem("E220", _value_pos(item, "question_context"),
                             f"question_context of '{path}' must be true or false, not "
                             f"{_given(value)}",
                             "Write 'question_context: true'")  # fmt: skip
        return found

    def theme_evidence(self, item: dict, path: str, *, top: bool) -> dict[str, Any]:
        """`theme_evidence: {min_terms: N, per_words: W}` of a theme, as `Code` fields."""
        value = item.get("theme_evidence")
        if not top:
            self.problem("E220", _key_pos(item, "theme_evidence"),
                         f"theme_evidence of '{path}' is allowed only on a theme (top-level code)",
                         "Move it to the theme's own entry")  # fmt: skip
            return {}
        if not isinstance(value, dict) or "min_terms" not in value:
            self.problem("E220", _value_pos(item, "theme_evidence"),
                         f"theme_evidence of '{path}' must be a mapping with min_terms",
                         "Write e.g. 'theme_evidence: {min_terms: 1, per_words: 150}'")  # fmt: skip
            return {}
        self.unknown_keys(value, THEME_EVIDENCE_KEYS, "theme_evidence")
        found = {}
        for key, name in (("min_terms", "theme_min_terms"), ("per_words", "theme_per_words")):
            if key in value:
                number = self.whole_number(value, key, f"{path} theme_evidence")
                if number is not None:
                    found[name] = number
        return found

    def whole_number(self, item: dict, key: str, path: str) -> int | None:
        value = item.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.problem("E220", _value_pos(item, key),
                     f"{key} of '{path}' must be a whole number, 1 or more, not {_given(value)}",
                     f"Write e.g. '{key}: 2'")  # fmt: skip
        return None

    def scope(self, item: dict, path: str) -> dict[str, Any]:
        value = item.get("scope")
        if value in SCOPES:
            return {"scope": value, "scope_words": 0}
        if isinstance(value, dict):
            self.unknown_keys(value, SCOPE_KEYS, "scope")
            words = value.get("words")
            if isinstance(words, int) and not isinstance(words, bool) and words >= 1:
                return {"scope": "words", "scope_words": words}
            if "words" not in value and any(key not in SCOPE_KEYS for key in value):
                return {}  # the unknown key is the problem reported
            where = _value_pos(value, "words") if "words" in value else _value_pos(item, "scope")
            self.problem("E220", where,
                         f"'words' of the scope of '{path}' must be a whole number, 1 or more",
                         "Write e.g. 'scope: {words: 12}'")  # fmt: skip
            return {}
        hint = did_you_mean(_yaml_shown(value), SCOPES,
                            otherwise="Use unit, sentence or {words: N}")  # fmt: skip
        self.problem("E220", _value_pos(item, "scope"),
                     _not_one_of("scope", value, f"'{path}'", "unit, sentence or {words: N}"),
                     hint)  # fmt: skip
        return {}

    def check_min_terms(self, item: dict, path: str, evidence: dict, strong: int) -> None:
        """A threshold of distinct rules the code does not have can never be met."""
        weak = len(evidence.get("weak_terms", ()))
        rules = strong + weak
        if weak == 1 and not strong:
            where = _key_pos(item, "weak_terms") if "weak_terms" in item else _key_pos(item, "id")
            self.problem("W206", where,
                         f"'{path}' has one weak term and no other rule: it can never apply",
                         "A weak term counts only beside another term or weak term "
                         "of the code; add one")  # fmt: skip
        needed = evidence.get("min_terms", 1)
        if rules and needed > rules:
            where = "min_terms" if "min_terms" in item else None
            self.problem("W206", _value_pos(item, where) if where else (item.line, item.column),
                         f"min_terms {needed} of '{path}' can never be met: it has {rules} "
                         f"rule(s)", "Add terms or lower min_terms")  # fmt: skip

    # ---- helpers

    def untagged(self, item: dict, tags: tuple[str, ...]) -> None:
        """W204 for a `pos` the pipeline cannot apply: it has no tagger, and Norsk Ordbank's
        readings tell only NOUN, VERB, ADJ and ADV (`compile.CodeMatcher._ordbank_rejection`)."""
        others = [tag for tag in tags if tag not in ORDBANK_UPOS.values()]
        if not self.tagger and others:
            self.problem("W204", _key_pos(item, "pos"),
                         f"the pipeline has no tagger, so this 'pos' will be ignored (without "
                         f"one, only NOUN, VERB, ADJ and ADV are told, not {', '.join(others)})",
                         "Validate and run with a trained pipeline (--model), or keep to NOUN, "
                         "VERB, ADJ and ADV")  # fmt: skip

    def string_items(self, item: dict, key: str, path: str) -> list[tuple[str, Pos]]:
        """The texts listed under `key`, each with its position; a lone text counts as a list."""
        value = item.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value, _value_pos(item, key))]
        if not isinstance(value, list) or not all(isinstance(x, (str, int, float)) for x in value):
            self.problem(
                "E217",
                _value_pos(item, key),
                f"'{key}' of '{path}' must be a list of texts",
                f"Write '{key}: [first, second]'",
            )
            return []
        return [(str(x), pos) for x, pos in _items(item, key)]

    def unknown_keys(self, data: dict, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                hint = did_you_mean(
                    str(key), allowed, otherwise=f"Known keys: {', '.join(allowed)}"
                )
                if what == "codebook" and key in DEFAULT_KEYS:
                    hint = "Put it under 'defaults:' to set it for every code"
                self.problem("E204", _key_pos(data, key), f"unknown {what} key '{key}'", hint)

    def check_lemmas(self, lemmatize: Lemmatize) -> None:
        words = sorted({w.word for w in self.term_words})
        if not words:
            return
        lemmas = lemmatize(words)
        for item in self.term_words:
            given = lemmas.get(item.word, ())
            found = [lemma for lemma in given if not _agentive(item.word, lemma)]
            if not found or item.word in given:
                continue
            words = item.term.split()
            what = f"term '{item.term}' of '{item.code}'"
            if len(words) > 1:  # the one word left when the optional ones drop
                what += f" has '{item.word}' alone without its optional words, which"
            lemma = " ".join(found[0] if word.lower() == item.word else word for word in words)
            self.problems.append(problem(
                "W205",
                f"{what} is not a lemma (the pipeline lemmatises it as '{', '.join(found)}'): "
                "it matches only this exact word form",
                _where(item.path, item.pos),
                f"Write '{lemma}' to match every form"))  # fmt: skip


def _optional_problem(term: str) -> str:
    """What is wrong with the optional words of a term ("" when nothing): parentheses that do
    not enclose one whole word, every word optional, or too many optional words."""
    words = term.split()
    optional = [word for word in words if optional_word(word)]
    if any(ch in word for word in words if word not in optional for ch in "()") or any(
        ch in word[1:-1] for word in optional for ch in "()"
    ):
        return "has '(' or ')' that does not enclose one whole word"
    if optional and len(optional) == len(words):
        return "has only optional words"
    if len(optional) > MAX_OPTIONAL_WORDS:
        return f"has more than {MAX_OPTIONAL_WORDS} optional words"
    return ""


def _agentive(word: str, lemma: str) -> bool:
    """True when `word` is `lemma` + -r/-er/-ere: more often a lemma of its own ("utleier",
    "miljøarbeider", "videre") that the lemma guesser does not know than a plural."""
    return any(word == lemma + suffix for suffix in ("r", "er", "ere"))


def regex_problem(pattern: str) -> str:
    """Why a codebook regex cannot be used ("is invalid (...)", "matches empty text", "can
    backtrack catastrophically ..."), or "" when it can.

    A regex is tried on short texts made to make a backtracking engine fail slowly (a run of
    one character and a character that ends the match); one that needs more than
    REGEX_PROBE_SECONDS on one of them would hang on a long turn.
    """
    try:
        compiled = regex.compile(pattern, regex.IGNORECASE)
    except (regex.error, OverflowError, RecursionError, ValueError) as exc:
        return f"is invalid ({getattr(exc, 'msg', None) or exc})"
    try:
        if compiled.fullmatch("", timeout=REGEX_PROBE_SECONDS) is not None:
            return "matches empty text"
        for probe in _probes(pattern):
            compiled.search(probe, timeout=REGEX_PROBE_SECONDS)
    except TimeoutError:
        return (f"backtracks catastrophically (more than {REGEX_PROBE_SECONDS:g} s on a text of "
                f"{_PROBE_LENGTH} characters)")  # fmt: skip
    return ""


def _probes(pattern: str) -> list[str]:
    """Texts on which a backtracking regex is slow: runs of a letter, digit or space the
    pattern may repeat (its own letters among them), each ended by characters it may not
    expect."""
    letters = [ch for ch in dict.fromkeys(pattern.lower()) if ch.isalnum()][:8]
    runs = dict.fromkeys(["a", "1", " ", "æ", *letters])
    return [run * _PROBE_LENGTH + end for run in runs for end in ("!", "\n", "")] + [
        "ab " * (_PROBE_LENGTH // 3) + "!"
    ]


def _pattern_problem(pattern: Any) -> str:
    """Why `pattern` is not a valid spaCy token pattern, or "" when it is."""
    if not isinstance(pattern, list) or not pattern:
        return "a token pattern is a non-empty list of token mappings"
    if not all(isinstance(token, dict) for token in pattern):
        return "each token of a pattern must be a mapping such as {LOWER: jobb}"
    if plainly_valid(pattern):  # most patterns: checked without importing spaCy
        return ""
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(pattern)
    if errors:
        return "; ".join(errors[:2])
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    try:
        Matcher(Vocab(), validate=True).add("check", [pattern])
    except (ValueError, KeyError, TypeError) as exc:
        return str(exc).strip().splitlines()[0][:200]
    return ""


def _items(data: dict, key: str) -> Iterable[tuple[Any, Pos]]:
    value = data[key]
    positions = getattr(value, "item_pos", None) or [_value_pos(data, key)] * len(value)
    return list(zip(value, positions, strict=True))


def _key_pos(data: Any, key: str) -> Pos:
    pos = getattr(data, "key_pos", {}).get(key)
    return pos if pos else (getattr(data, "line", None), getattr(data, "column", None))


def _value_pos(data: Any, key: str) -> Pos:
    pos = getattr(data, "value_pos", {}).get(key)
    return pos if pos else _key_pos(data, key)


def _where(path: Path, pos: Pos) -> Where:
    line, column = pos
    return Where(path, line, column if line is not None else None)


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _yaml_shown(value: Any) -> str:
    """`value` as YAML writes it (`true`, `[before]`, `{words: 5}`), not as Python's repr."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_shown(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_shown(v)}" for k, v in value.items()) + "}"
    return str(value)


def _given(value: Any) -> str:
    """A written value for a message: `'true'`, or `empty` for a key with no value (`side:`)."""
    return "empty" if value is None else f"'{_yaml_shown(value)}'"


def _not_one_of(key: str, value: Any, where: str, choices: str) -> str:
    """The message for a value not among `choices`: "side 'true' of 'near' of 'a' is not before,
    after or both", or, for `side:` with no value, "side of ... is empty, not before, ..."."""
    if value is None:
        return f"{key} of {where} is empty, not {choices}"
    return f"{key} '{_yaml_shown(value)}' of {where} is not {choices}"
