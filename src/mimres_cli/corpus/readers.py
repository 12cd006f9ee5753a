"""`READERS` maps a file suffix to the reader that turns such a file into a `Transcript`.

Adding a format is one new module with a reader function and one entry here. A reader takes
the file and the speaker labels declared for the whole corpus (corpus.yaml, the metadata sheet:
they always start a turn), and raises CorpusError for a file it cannot read; metadata and
speaker roles are merged in later (load.py), so a reader only knows what is inside its file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from mimres_cli.corpus.hygiene import normalise_text
from mimres_cli.corpus.model import Transcript
from mimres_cli.corpus.subtitles import read_srt_transcript, read_webvtt_transcript
from mimres_cli.corpus.text import parse_front_matter, read_text_transcript
from mimres_cli.corpus.word import read_word_transcript


class Reader(Protocol):
    """A reader: a file, and the speaker labels declared for the corpus, to a Transcript."""

    def __call__(self, path: Path, labels: Iterable[str] = ..., /) -> Transcript: ...


READERS: dict[str, Reader] = {
    ".txt": read_text_transcript,
    ".md": read_text_transcript,
    ".docx": read_word_transcript,
    ".vtt": read_webvtt_transcript,
    ".srt": read_srt_transcript,
}

__all__ = ["READERS", "Reader", "normalise_text", "parse_front_matter"]
