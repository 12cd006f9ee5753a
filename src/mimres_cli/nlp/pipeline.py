"""Choose the spaCy pipeline: a named or local model, `nb_core_news_sm`, or the built-in fallback.

The fallback is `spacy.blank("nb")` with a sentencizer and a lemmatiser over the Norsk Ordbank
forms in spacy-lookups-data (see `lemmas.py`). It has no tagger, parser or entity recogniser.

spaCy is imported only when a pipeline is loaded or built: the built-in one is described
without it (`PipelineInfo`) and built when a text is first parsed or a Doc first needed, so a
warm run that reads every interview from the parse cache never imports spaCy for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy

from mimres_cli.corpus.language import detect_language
from mimres_cli.errors import ModelError, problem, report
from mimres_cli.nlp import arrays
from mimres_cli.nlp.arrays import _joined, texts_of
from mimres_cli.nlp.lemmas import lemma_candidates

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

DEFAULT_MODEL = "nb_core_news_sm"
FALLBACK_NAME = "mimres_fallback_nb"
#: The names that choose the built-in pipeline on purpose (`--model fallback`, `model:` in the
#: project file): no notice that the trained one is missing.
FALLBACK_MODELS = frozenset({"fallback", FALLBACK_NAME})
FALLBACK_LEMMATIZER = "mimres_ordbank_lemmatizer"
#: The components of the built-in pipeline, in order (its `nlp.pipe_names`).
FALLBACK_COMPONENTS = ("sentencizer", FALLBACK_LEMMATIZER)
_TAGGERS = frozenset({"tagger", "morphologizer"})
#: Components that set sentence boundaries (a pipeline without one gets a sentencizer).
SENTENCE_SETTERS = frozenset({"parser", "senter", "sentencizer"})


@dataclass(frozen=True)
class PipelineInfo:
    """What every output records about the pipeline that parsed the text."""

    name: str
    version: str
    spacy_version: str
    components: tuple[str, ...]
    fallback: bool

    @property
    def has_tagger(self) -> bool:
        return bool(_TAGGERS & set(self.components))

    @property
    def has_ner(self) -> bool:
        return "ner" in self.components

    def describe(self) -> str:
        if self.fallback:
            return f"{self.name} (built-in: spaCy blank 'nb' + Norsk Ordbank lemmas)"
        return f"{self.name} {self.version}"


class Pipeline:
    """A spaCy pipeline and its description. `nlp` is loaded on first use where the pipeline
    was described without loading it (the built-in one: see the module notes)."""

    __slots__ = ("_build", "_nlp", "info")

    def __init__(
        self,
        nlp: Language | None = None,
        info: PipelineInfo | None = None,
        *,
        build: Callable[[], Language] | None = None,
    ) -> None:
        if info is None or (nlp is None) == (build is None):
            raise TypeError("Pipeline needs its info and either nlp or build")
        self._nlp, self._build, self.info = nlp, build, info

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (built now if it was not yet)."""
        if self._nlp is None:
            assert self._build is not None
            self._nlp = self._build()
        return self._nlp

    @property
    def loaded(self) -> bool:
        """Whether `nlp` is loaded yet (it is loaded when first asked for)."""
        return self._nlp is not None

    def __repr__(self) -> str:
        return f"Pipeline({self.info.describe()})"


class _OrdbankLemmatizer:
    """Set each token's lemma to its first candidate (or its lowercase form): the first Nynorsk
    one in a turn written in Nynorsk (`corpus.language`), else the first Norsk Ordbank one.

    On the token arrays, once per distinct form of the turn: no Token objects per token (even
    `Doc.text` builds one per token), each form's lemma is worked out once per process and its
    hash looked up once per pipeline (a dict of this pipeline's Vocab). It also builds the
    turn's `DocArrays` from the same arrays (`nlp.arrays.made_with`), which the parse cache
    stores and coding reads, so they are not read from the Doc a second time.
    """

    def __init__(self) -> None:
        self._lemmas: dict[str, dict[int, int]] = {"nb": {}, "nn": {}}  # form -> lemma hash
        self._types: dict[str, dict[int, int]] = {"nb": {}, "nn": {}}  # form -> id in TYPES
        self._table = arrays.TYPES  # the table those ids are of

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, ORTH, SENT_START, SPACY

        if not len(doc):
            return doc
        if self._table is not arrays.TYPES:  # another table (tests start afresh)
            self._types, self._table = {"nb": {}, "nn": {}}, arrays.TYPES
        table = doc.to_array([ORTH, SPACY, IS_SPACE, IS_PUNCT, SENT_START])
        forms, where = numpy.unique(table[:, 0], return_inverse=True)
        where = where.reshape(-1)
        strings = doc.vocab.strings
        hashes = forms.tolist()
        texts = texts_of(strings, hashes)
        text = _joined(texts, where, table[:, 1].astype(bool))
        language = "nn" if detect_language([text]) == "nn" else "nb"
        lemma_of, type_of = self._lemmas[language], self._types[language]
        lemmas, types = list(map(lemma_of.get, hashes)), list(map(type_of.get, hashes))
        if None in types:
            known = _FIRST_LEMMAS[language]
            for n, form in enumerate(texts):
                if types[n] is None:
                    lemma = known.get(form) or _first_lemma(form, language)
                    lemmas[n] = lemma_of[hashes[n]] = strings.add(lemma)
                    types[n] = type_of[hashes[n]] = self._table.add(form, lemma)
        found = numpy.array(lemmas, dtype=numpy.uint64)
        doc.from_array([LEMMA], found[where].reshape(-1, 1))
        arrays.made_with(doc, numpy.array(types, dtype=numpy.intp)[where], table, text)
        return doc


#: The lemma `_OrdbankLemmatizer` gives each form, per language ("nb", "nn"), as worked out.
_FIRST_LEMMAS: dict[str, dict[str, str]] = {"nb": {}, "nn": {}}


def _first_lemma(form: str, language: str) -> str:
    candidates = lemma_candidates(form, language)
    lemma = _FIRST_LEMMAS[language][form] = candidates[0] if candidates else form.lower()
    return lemma


def load_pipeline(model: str | Path | None = None) -> Pipeline:
    """Load `model` (a package name or a folder); with None, nb_core_news_sm or the fallback.

    "fallback" (or "mimres_fallback_nb") names the built-in pipeline: chosen on purpose, it
    loads without the W601 notice that None gives when nb_core_news_sm is not installed.
    Raises ModelError when a named model cannot be loaded.
    """
    if isinstance(model, str) and model in FALLBACK_MODELS:
        return fallback_pipeline()
    import spacy

    if model is None:
        try:
            if not _may_load(DEFAULT_MODEL):  # what spacy.load checks, without importing it
                raise OSError(DEFAULT_MODEL)
            nlp = spacy.load(DEFAULT_MODEL)
        except OSError:
            _notice_fallback()
            return fallback_pipeline()
        return _described(_with_sentences(nlp), fallback=False)
    try:
        nlp = spacy.load(model)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"spaCy pipeline '{model}' could not be loaded ({_first_line(exc)})",
            fix=f"Install it with 'python -m spacy download {model}', give the path of a "
            "pipeline folder, or drop --model to use the built-in Bokmål pipeline",
        ) from exc
    return _described(_with_sentences(nlp), fallback=False)


def build_fallback_pipeline() -> Pipeline:
    """The built-in Bokmål pipeline: tokenizer, sentencizer and Norsk Ordbank lemmas."""
    return _described(_fallback_nlp(), fallback=True)


def fallback_pipeline() -> Pipeline:
    """The built-in pipeline, described now and built when first used (spaCy is imported
    then): its `info` is what `build_fallback_pipeline` gives."""
    info = PipelineInfo(
        name=FALLBACK_NAME,
        version=_package_version(),
        spacy_version=importlib_metadata.version("spacy"),
        components=FALLBACK_COMPONENTS,
        fallback=True,
    )
    return Pipeline(info=info, build=_fallback_nlp)


def _fallback_nlp() -> Language:
    import spacy
    from spacy.language import Language

    if not Language.has_factory(FALLBACK_LEMMATIZER):
        Language.factory(FALLBACK_LEMMATIZER, func=lambda nlp, name: _OrdbankLemmatizer())
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(FALLBACK_LEMMATIZER)  # last: the turn's arrays are built from its Doc
    nlp.meta["name"] = FALLBACK_NAME
    nlp.meta["version"] = _package_version()
    assert tuple(nlp.pipe_names) == FALLBACK_COMPONENTS
    return nlp


def _may_load(name: str) -> bool:
    """Whether `spacy.load(name)` would try to load something: an installed package of that
    name or a path (else it raises OSError at once)."""
    try:
        importlib_metadata.distribution(name)
    except importlib_metadata.PackageNotFoundError:
        return Path(name).exists()
    return True


def _with_sentences(nlp: Language) -> Language:
    """Make sure the pipeline sets sentence boundaries (needed for `--unit sentence`)."""
    if not SENTENCE_SETTERS & set(nlp.pipe_names):
        if "sentencizer" in nlp.disabled:
            nlp.enable_pipe("sentencizer")  # a second one would be spaCy's E007
        else:
            nlp.add_pipe("sentencizer")
    return nlp


def _described(nlp: Language, *, fallback: bool) -> Pipeline:
    import spacy

    meta = nlp.meta
    name = meta.get("name", "pipeline")
    if not fallback and not name.startswith(f"{nlp.lang}_"):
        name = f"{nlp.lang}_{name}"  # spaCy stores "core_news_sm"; the package is nb_core_news_sm
    info = PipelineInfo(
        name=name,
        version=str(meta.get("version", "")),
        spacy_version=spacy.__version__,
        components=tuple(nlp.pipe_names),
        fallback=fallback,
    )
    return Pipeline(nlp=nlp, info=info)


def _notice_fallback() -> None:
    # Logged at every fallback; the CLI's handler shows a repeated message only once a run.
    report(problem(
        "W601",
        f"spaCy pipeline '{DEFAULT_MODEL}' is not installed: using the built-in Bokmål pipeline "
        "(no tagger, parser or entities; lemmas from Norsk Ordbank)",
        fix=f"Install it with 'python -m spacy download {DEFAULT_MODEL}', pass --model, or "
        "pass --model fallback (or 'model: fallback' in mimres.yaml) to use the built-in one "
        "without this warning",
    ), log)  # fmt: skip


def _package_version() -> str:
    from mimres_cli import __version__

    return __version__


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
