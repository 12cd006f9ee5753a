"""Parse interviews with a spaCy pipeline: one Doc per speaker turn, in turn order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from mimres_cli.corpus.model import Interview
from mimres_cli.nlp.pipeline import Pipeline

# Line breaks inside a turn become spaces of the same length: offsets stay valid and the model
# never sees the bare newline tokens it was not trained on.
_TO_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " "})


@dataclass(frozen=True)
class ParsedInterview:
    """An interview and one Doc per turn (`docs[i]` is the text of `interview.turns[i]`)."""

    interview: Interview
    docs: tuple[Doc, ...]


def model_text(text: str) -> str:
    """The text of a turn as the model sees it: same length, line breaks as spaces."""
    return text.translate(_TO_SPACES)


def parse_interviews(
    interviews: Iterable[Interview],
    pipeline: Pipeline,
    *,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[ParsedInterview]:
    """Parse every turn with `nlp.pipe`, yielding each interview as soon as it is complete.

    Speaker labels are not part of a turn's text, and the white space between turns is never
    fed to the model. Interviews stream through, so memory holds about one batch of Docs.
    """
    pending: dict[int, tuple[Interview, list[Doc | None]]] = {}
    order: list[int] = []
    next_to_yield = 0

    def texts() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, interview in enumerate(interviews):
            pending[number] = (interview, [None] * len(interview.turns))
            order.append(number)
            for turn_index, turn in enumerate(interview.turns):
                yield model_text(turn.text), (number, turn_index)

    docs = pipeline.nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, (number, turn_index) in docs:
        pending[number][1][turn_index] = doc
        while next_to_yield < len(order):
            interview, turn_docs = pending[order[next_to_yield]]
            if any(d is None for d in turn_docs):
                break
            del pending[order[next_to_yield]]
            next_to_yield += 1
            yield ParsedInterview(interview, tuple(turn_docs))  # type: ignore[arg-type]
    # Interviews with no turns produce no Doc; they still belong to the corpus.
    for number in order[next_to_yield:]:
        interview, turn_docs = pending.pop(number)
        yield ParsedInterview(interview, tuple(turn_docs))  # type: ignore[arg-type]
