"""The transcript memo beside the parse cache: a warm load gives the very corpus a fresh one
gives, and a changed or troubled transcript is read by the reader again."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from conftest import write_transcript
from mimres_cli.corpus import load_corpus
from mimres_cli.corpus.memo import MEMO_FOLDER, TranscriptMemo
from mimres_cli.errors import CorpusError
from mimres_cli.nlp.cache import clear_cache, open_cache
from mimres_cli.nlp.pipeline import fallback_pipeline

FRONT = "id: {id}\nmunicipality: Sel\ngroup: flyktning\nalder: 34\nvekt: 1.5\nintervjuer: [I]"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_transcript(folder, "a.md", FRONT.format(id="a"), """\
        I: Hvordan var norskkurset?
        Informant: Norskopplæringen var bra.
        Men jeg ville jobbe også.
        """)  # fmt: skip
    write_transcript(folder, "b.txt", FRONT.format(id="b"), """\
        [00:01:02] I: Og jobben?
        [00:01:09.5] Kari Nordmann: Arbeidsgiveren min er snill.
        """)  # fmt: skip
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    open_cache(folder, fallback_pipeline().info)  # a parse cache folder, as a run makes it
    return folder


def _load(corpus: Path, cache: Path) -> tuple[object, TranscriptMemo]:
    memo = TranscriptMemo.of(cache, corpus)
    loaded = load_corpus(corpus, memo=memo)
    memo.save()
    return loaded, memo


def test_a_load_through_the_memo_gives_the_corpus_a_fresh_load_gives(
    corpus: Path, cache: Path
) -> None:
    fresh = load_corpus(corpus)
    first, memo = _load(corpus, cache)
    assert memo.hits == 0 and first == fresh
    second, memo = _load(corpus, cache)
    assert memo.hits == 2
    assert second == fresh  # ids, bodies, metadata, turns with offsets, roles, times, notes
    a, b = second.interviews
    assert [(t.speaker, t.role, t.start_time) for t in b.turns] == [
        ("I", "interviewer", 62.0), ("Kari Nordmann", "informant", 69.5)
    ]  # fmt: skip
    assert b.metadata["alder"] == 34 and b.metadata["vekt"] == 1.5
    # each file's SHA-256 as read, for the run's manifest (not read again)
    assert memo.file_sha256 == {
        path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (a.path, b.path)
    }


def test_a_changed_transcript_is_read_again_with_its_error(corpus: Path, cache: Path) -> None:
    _load(corpus, cache)
    path = corpus / "a.md"
    path.write_text(path.read_text(encoding="utf-8").replace("id: a", "id: [a"), encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        _load(corpus, cache)
    assert "a.md" in str(raised.value)
    path.write_text(path.read_text(encoding="utf-8").replace("id: [a", "id: c"), encoding="utf-8")
    loaded, memo = _load(corpus, cache)
    assert memo.hits == 1 and loaded.interviews[0].id == "c"
    _, memo = _load(corpus, cache)
    assert memo.hits == 2  # the memo now holds the file as it is


def test_a_transcript_with_a_reader_warning_is_not_kept_and_still_warned_about(
    corpus: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_transcript(corpus, "c.md", FRONT.format(id="c"), """\
        Dette står før første taler.
        I: Hei?
        Informant: Hei.
        """)  # fmt: skip
    _load(corpus, cache)
    with caplog.at_level(logging.WARNING):
        loaded, memo = _load(corpus, cache)
    assert memo.hits == 2  # a.md and b.txt; c.md is read by the reader every time
    assert "before the first speaker label" in caplog.text
    assert loaded == load_corpus(corpus)


def test_front_matter_that_json_cannot_give_back_is_not_kept(corpus: Path, cache: Path) -> None:
    write_transcript(
        corpus, "c.md", FRONT.format(id="c") + "\nmål: .nan", "I: Hei?\nInformant: Hei.\n"
    )
    _load(corpus, cache)
    loaded, memo = _load(corpus, cache)
    assert memo.hits == 2
    assert str(loaded.interviews[2].metadata["mål"]) == "nan"


def test_a_memo_of_other_code_or_damaged_is_ignored(corpus: Path, cache: Path) -> None:
    _load(corpus, cache)
    (path,) = (cache / MEMO_FOLDER).glob("*.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["code"] = "0" * 16
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded, memo = _load(corpus, cache)
    assert memo.hits == 0 and loaded == load_corpus(corpus)
    document = json.loads(path.read_text(encoding="utf-8"))  # written again by this code
    for record in document["transcripts"].values():
        record["turns"][0][3] = 10**6  # a turn beyond the body
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded, memo = _load(corpus, cache)
    assert memo.hits == 0 and loaded == load_corpus(corpus)
    path.write_text("{not json", encoding="utf-8")
    assert _load(corpus, cache)[1].hits == 0


def test_no_memo_outside_a_parse_cache_and_clear_removes_it(corpus: Path, tmp_path: Path,
                                                            cache: Path) -> None:  # fmt: skip
    plain = tmp_path / "plain"
    plain.mkdir()
    _load(corpus, plain)
    assert not any(plain.iterdir())  # not a parse cache: nothing written there
    _load(corpus, cache)
    assert (cache / MEMO_FOLDER).is_dir()
    clear_cache(cache)
    assert not (cache / MEMO_FOLDER).exists()


def test_a_cold_run_into_a_new_cache_folder_leaves_the_memo_for_the_first_warm_run(
    corpus: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new-cache"
    memo = TranscriptMemo.of(new, corpus)  # before the run makes the folder a parse cache
    load_corpus(corpus, memo=memo)
    open_cache(new, fallback_pipeline().info)
    memo.save()
    assert _load(corpus, new)[1].hits == 2


def test_a_memo_that_cannot_be_written_costs_speed_only(
    corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mimres_cli.corpus import memo as memo_module

    def full_disk(path: Path, data: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(memo_module, "write_atomic", full_disk)
    loaded, _ = _load(corpus, cache)
    assert loaded == load_corpus(corpus) and not list(cache.glob(f"{MEMO_FOLDER}/*.json"))

    def unencodable(path: Path, data: str) -> None:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(memo_module, "write_atomic", unencodable)
    _load(corpus, cache)  # text the file cannot hold: also only logged
