"""Parse interviews with a spaCy pipeline: one Doc per speaker turn, in turn order."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from mimres_cli.corpus.model import Interview
from mimres_cli.nlp.arrays import DocArrays, doc_arrays
from mimres_cli.nlp.cache import ParseCache, text_key
from mimres_cli.nlp.pipeline import Pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

# Line breaks inside a turn become spaces of the same length: offsets stay valid and the model
# never sees the bare newline tokens it was not trained on.
_BREAKS = ("\n", "\r", "\t", "\f", "\v")

#: Below this many words to parse per extra process, one process is faster: starting workers
#: and shipping Docs back between processes costs more than it saves (see docs/benchmarks.md).
MIN_WORDS_PER_PROCESS = 20_000
#: Pipelines with only these components are cheap enough that extra processes never pay off:
#: pickling each Doc back to the main process costs more than tokenizing and a lookup.
_CHEAP_COMPONENTS = frozenset({"sentencizer", "mimres_ordbank_lemmatizer"})


class ParsedInterview:
    """An interview and one Doc per turn (`docs[i]` is the text of `interview.turns[i]`).

    `arrays[i]` are the token arrays of turn i (`nlp.arrays`). An interview read from the
    parse cache has its arrays only: its Docs are decoded when `docs` is first asked for.
    """

    __slots__ = ("_arrays", "_docs", "interview")

    def __init__(
        self,
        interview: Interview,
        docs: Sequence[Doc] | None = None,
        arrays: Sequence[DocArrays] | None = None,
    ) -> None:
        if docs is None and arrays is None:
            raise TypeError("ParsedInterview needs docs or arrays")
        self.interview = interview
        self._docs = tuple(docs) if docs is not None else None
        self._arrays = tuple(arrays) if arrays is not None else None

    @property
    def docs(self) -> tuple[Doc, ...]:
        if self._docs is None:
            self._docs = tuple(one.doc for one in self._arrays or ())
        return self._docs

    @property
    def arrays(self) -> tuple[DocArrays, ...]:
        if self._arrays is None:
            self._arrays = tuple(doc_arrays(doc) for doc in self._docs or ())
        return self._arrays

    def __len__(self) -> int:
        return len(self._arrays if self._arrays is not None else self._docs or ())

    def __repr__(self) -> str:
        return f"ParsedInterview({self.interview.id!r}, {len(self)} docs)"


def model_text(text: str) -> str:
    """The text of a turn as the model sees it: same length, line breaks as spaces."""
    for char in _BREAKS:  # str.replace runs at memory speed; translate looks up each char
        if char in text:
            text = text.replace(char, " ")
    return text


def model_texts(interview: Interview) -> list[str]:
    """The texts of an interview's turns as the model sees them (the parse cache's key)."""
    return [model_text(turn.text) for turn in interview.turns]


def processes_for(pipeline: Pipeline, jobs: int, words: int) -> int:
    """How many processes to parse `words` words with, given at most `jobs`."""
    if jobs <= 1 or not set(pipeline.info.components) - _CHEAP_COMPONENTS:
        return 1
    return max(1, min(jobs, words // MIN_WORDS_PER_PROCESS))


def why_fewer_processes(pipeline: Pipeline, words: int) -> str:
    """Why `processes_for` chose fewer processes than allowed, in words for people."""
    if not words:
        return "every interview came from the parse cache"
    if not set(pipeline.info.components) - _CHEAP_COMPONENTS:
        return ("the pipeline only tokenizes and looks up lemmas, so sending each Doc back "
                "from another process costs more than it saves")  # fmt: skip
    return (f"{words:,} words to parse; each extra process pays off only from "
            f"{MIN_WORDS_PER_PROCESS:,} words")  # fmt: skip


def parse_interviews(
    interviews: Iterable[Interview],
    pipeline: Pipeline,
    *,
    batch_size: int = 64,
    n_process: int = 1,
    cache: ParseCache | None = None,
    on_parsed: Callable[[ParsedInterview, bool], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
) -> Iterator[ParsedInterview]:
    """Parse every turn with `nlp.pipe`, yielding each interview as soon as it is complete.

    Speaker labels are not part of a turn's text, and the white space between turns is never
    fed to the model. Interviews stream through in corpus order, so memory holds about one
    batch of Docs per process, not the corpus. With `cache`, interviews whose texts were
    parsed before by the same pipeline are read from it, and new parses are stored in it.
    `n_process` is an upper bound: small jobs and cheap pipelines run in one process.
    `on_parsed(item, from_cache)` is called for each interview before it is yielded, and
    `on_plan(processes, words)` once, before parsing, with the processes used and the words
    to parse (those not read from the cache).
    """
    plan = [_Planned(interview, cache) for interview in interviews]
    to_parse = [item for item in plan if item.needs_parsing]
    words = sum(item.words for item in to_parse)
    processes = processes_for(pipeline, n_process, words)
    log.debug("parsing %d of %d interviews (%d words) in %d process(es); %d from the cache",
              len(to_parse), len(plan), words, processes,
              sum(1 for item in plan if item.cached))  # fmt: skip
    if on_plan is not None:
        on_plan(processes, words)
    limit = max_piece_length(pipeline) if to_parse else 0  # loads the pipeline
    pending: dict[int, list[list[Doc | None]]] = {}
    remaining: dict[int, int] = {}  # pieces of each interview still to come back

    def feed() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for number, item in enumerate(plan):
            if item.needs_parsing:
                split = [pieces(text, limit) for text in model_texts(item.interview)]
                pending[number] = [[None] * len(parts) for parts in split]
                remaining[number] = sum(len(parts) for parts in split)
                for turn_index, parts in enumerate(split):
                    for piece_index, part in enumerate(parts):
                        yield part, (number, turn_index, piece_index)

    def vocab() -> Vocab:  # the pipeline is loaded only when a Doc is needed
        return pipeline.nlp.vocab

    def ready(number: int) -> bool:
        return not plan[number].needs_parsing or remaining.get(number) == 0

    def finish(number: int) -> ParsedInterview:
        item = plan[number]
        from_cache = False
        arrays: Sequence[DocArrays] | None = None
        docs: Sequence[Doc] | None = None
        if item.needs_parsing:
            docs = [joined(parts) for parts in pending.pop(number)]  # type: ignore[misc]
            del remaining[number]
            if cache is not None:
                arrays = cache.store(item.key, docs)
        elif item.cached:
            texts = model_texts(item.interview)

            def reparse(texts: list[str] = texts) -> list[Doc]:
                return parse_texts(pipeline, texts, batch_size=batch_size)

            arrays = cache.load(item.key, texts, vocab, reparse)  # type: ignore[union-attr]
            from_cache = arrays is not None
            if arrays is None:  # a damaged entry: parse again, here, and replace it
                docs = reparse()
                arrays = cache.store(item.key, docs)  # type: ignore[union-attr]
        else:
            docs = ()  # an interview without turns
        parsed = ParsedInterview(item.interview, docs, arrays)
        if on_parsed is not None:
            on_parsed(parsed, from_cache)
        return parsed

    next_number = 0
    if to_parse:
        stream = pipeline.nlp.pipe(
            feed(), as_tuples=True, batch_size=batch_size, n_process=processes
        )
        for doc, (number, turn_index, piece_index) in stream:
            pending[number][turn_index][piece_index] = doc
            remaining[number] -= 1
            while next_number < len(plan) and ready(next_number):
                yield finish(next_number)
                next_number += 1
    while next_number < len(plan):
        yield finish(next_number)
        next_number += 1
    if cache is not None:
        cache.flush()


def max_piece_length(pipeline: Pipeline) -> int:
    """The longest text given to the pipeline at once: spaCy refuses longer ones (E088)."""
    return max(1, int(pipeline.nlp.max_length) - 1)


def pieces(text: str, limit: int) -> list[str]:
    """`text` cut into pieces of at most `limit` characters that join back to it exactly.

    A cut goes after the last line break, sentence end or space before the limit (a word is
    cut only when a piece has no space at all), so offsets of the joined Doc stay those of
    the turn.
    """
    if len(text) <= limit:
        return [text]
    parts = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! ")) + 2
        if cut <= 2:
            cut = window.rfind(" ") + 1
        if cut <= 1:
            cut = limit
        parts.append(text[start : start + cut])
        start += cut
    parts.append(text[start:])
    return parts


def joined(parts: Sequence[Doc]) -> Doc:
    """One Doc of the pieces of a turn; its text is exactly the pieces joined."""
    if len(parts) == 1:
        return parts[0]
    from spacy.tokens import Doc

    return Doc.from_docs(list(parts), ensure_whitespace=False)


def parse_texts(pipeline: Pipeline, texts: Sequence[str], *, batch_size: int = 64) -> list[Doc]:
    """One Doc per text, texts longer than spaCy's max_length parsed in pieces and joined."""
    limit = max_piece_length(pipeline)
    split = [pieces(text, limit) for text in texts]
    flat = list(pipeline.nlp.pipe([p for parts in split for p in parts], batch_size=batch_size))
    docs, at = [], 0
    for parts in split:
        docs.append(joined(flat[at : at + len(parts)]))
        at += len(parts)
    return docs


class _Planned:
    """One interview on its way through `parse_interviews`: cached, to parse, or empty."""

    __slots__ = ("cached", "interview", "key", "needs_parsing", "words")

    def __init__(self, interview: Interview, cache: ParseCache | None) -> None:
        self.interview = interview
        self.key = ""
        self.cached = False
        if cache is not None and interview.turns:
            self.key = text_key(model_texts(interview))
            self.cached = cache.has(self.key)
        self.needs_parsing = bool(interview.turns) and not self.cached
        # words to parse (for the number of processes): a cached interview needs no count
        self.words = (
            sum(len(turn.text.split()) for turn in interview.turns) if self.needs_parsing else 0
        )
