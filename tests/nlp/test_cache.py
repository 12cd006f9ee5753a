"""The parse cache: hits, misses and invalidation, and entries that must never be trusted."""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import zlib
from pathlib import Path

import pytest

from conftest import write_transcript
from mimres_cli.corpus import load_corpus
from mimres_cli.errors import MimresError
from mimres_cli.nlp import Pipeline, model_text, parse_interviews
from mimres_cli.nlp import cache as cache_module
from mimres_cli.nlp.arrays import TYPES
from mimres_cli.nlp.cache import (
    ARRAYS_MAGIC,
    CACHE_FORMAT,
    cache_summary,
    clear_cache,
    open_cache,
    pipeline_fingerprint,
    text_key,
)
from mimres_cli.nlp.parse import processes_for

FRONT = "id: {id}\nmunicipality: Sel\ngroup: flyktning"


def _corpus(folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", FRONT.format(id="a"), """\
        I: Hvordan var norskkurset?
        Informant: Norskopplæringen var bra.
        Men jeg ville jobbe også.
        """)  # fmt: skip
    write_transcript(corpus, "b.md", FRONT.format(id="b"), """\
        I: Og jobben?
        Informant: Arbeidsgiveren min er snill. Vi snakker norsk i lunsjen.
        """)  # fmt: skip
    return corpus


@pytest.fixture
def docbin_pipeline(fallback_pipeline: Pipeline) -> Pipeline:
    """The built-in pipeline described as a trained one: its entries hold DocBins."""
    return Pipeline(
        fallback_pipeline.nlp, dataclasses.replace(fallback_pipeline.info, fallback=False)
    )


def _through_cache(corpus, pipeline: Pipeline, folder: Path, **options):
    """Parse `corpus` through the cache in `folder`; return the parses and the cache."""
    cache = open_cache(folder, pipeline.info)
    return list(parse_interviews(corpus, pipeline, cache=cache, **options)), cache


def _tokens(parsed) -> list:
    """Everything coding and tagging read from a Doc, per interview and turn."""
    return [
        [
            [
                (
                    t.text,
                    t.lemma_,
                    t.pos_,
                    t.tag_,
                    t.dep_,
                    t.head.i,
                    t.is_sent_start,
                    t.ent_iob_,
                    t.ent_type_,
                    str(t.morph),
                    t.whitespace_,
                )
                for t in doc
            ]
            for doc in item.docs
        ]
        for item in parsed
    ]


def test_parse_interviews_stores_then_reads_identical_docs(
    tmp_path: Path, fallback_pipeline: Pipeline
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh = list(parse_interviews(corpus, fallback_pipeline))
    first = open_cache(tmp_path / "cache", fallback_pipeline.info)
    stored = list(parse_interviews(corpus, fallback_pipeline, cache=first))
    second = open_cache(tmp_path / "cache", fallback_pipeline.info)
    read = list(parse_interviews(corpus, fallback_pipeline, cache=second))
    assert (first.hits, first.misses) == (0, 0)  # nothing looked up: both were known misses
    assert (second.hits, second.rejected) == (2, 0)
    assert _tokens(read) == _tokens(stored) == _tokens(fresh)
    assert [item.interview.id for item in read] == ["a", "b"]
    assert [d.text for d in read[0].docs] == [
        "Hvordan var norskkurset?",
        "Norskopplæringen var bra. Men jeg ville jobbe også.",  # the line break became a space
        ]  # fmt: skip


def test_parse_cache_reports_which_interviews_came_from_it(
    tmp_path: Path, fallback_pipeline: Pipeline
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    seen: list[tuple[str, bool]] = []
    cache = open_cache(tmp_path / "cache", fallback_pipeline.info)
    list(parse_interviews(corpus, fallback_pipeline, cache=cache))

    def note(item, cached: bool) -> None:
        seen.append((item.interview.id, cached))

    _through_cache(corpus, fallback_pipeline, tmp_path / "cache", on_parsed=note)
    assert seen == [("a", True), ("b", True)]


def test_plan_counts_only_the_words_to_parse_and_an_entry_gone_since_is_parsed_again(
    tmp_path: Path, fallback_pipeline: Pipeline
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    planned: list[tuple[int, int]] = []
    cache = open_cache(tmp_path / "cache", fallback_pipeline.info)
    stream = parse_interviews(corpus, fallback_pipeline, cache=cache,
                              on_plan=lambda *plan: planned.append(plan))  # fmt: skip
    first = next(stream)  # planned: both entries found; a read from the cache
    assert planned == [(1, 0)]  # nothing to parse: no words counted
    for path in cache.folder.glob("*/*.arrays"):
        path.unlink()  # b's entry disappears after the plan found it
    second = next(stream)
    assert (cache.hits, cache.misses) == (1, 1)
    assert [d.text for d in second.docs][
        -1
    ] == "Arbeidsgiveren min er snill. Vi snakker norsk i lunsjen."
    assert first.interview.id == "a"


def test_changed_transcript_reparses_only_that_interview(
    tmp_path: Path, fallback_pipeline: Pipeline
) -> None:
    folder = _corpus(tmp_path)
    _through_cache(load_corpus(folder), fallback_pipeline, tmp_path / "cache")
    path = folder / "b.md"
    path.write_text(path.read_text(encoding="utf-8").replace("snill", "streng"), encoding="utf-8")
    cache = open_cache(tmp_path / "cache", fallback_pipeline.info)
    parsed = list(parse_interviews(load_corpus(folder), fallback_pipeline, cache=cache))
    assert cache.hits == 1  # a.md
    assert "streng" in parsed[1].docs[1].text
    assert cache_summary(tmp_path / "cache").entries == 3  # a, b before and b after the edit


def test_other_pipeline_never_reads_the_entries(
    tmp_path: Path, fallback_pipeline: Pipeline
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    other_info = dataclasses.replace(fallback_pipeline.info, version="9.9.9")
    other = Pipeline(fallback_pipeline.nlp, other_info)
    cache = open_cache(tmp_path / "cache", other.info)
    list(parse_interviews(corpus, other, cache=cache))
    assert cache.hits == 0
    assert pipeline_fingerprint(other_info) != pipeline_fingerprint(fallback_pipeline.info)
    assert len(cache_summary(tmp_path / "cache").pipelines) == 2


def test_damaged_entry_is_ignored_with_a_notice_and_rebuilt(
    tmp_path: Path, docbin_pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh = list(parse_interviews(corpus, docbin_pipeline))
    cache = open_cache(tmp_path / "cache", docbin_pipeline.info)
    list(parse_interviews(corpus, docbin_pipeline, cache=cache))
    entry = cache.path_of(text_key([model_text(t.text) for t in corpus.interviews[0].turns]))
    entry.write_bytes(entry.read_bytes()[:40])  # a run killed while copying, say
    cache = open_cache(tmp_path / "cache", docbin_pipeline.info)
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        again = list(parse_interviews(corpus, docbin_pipeline, cache=cache))
        # coding reads the arrays file beside the DocBin: the Docs are decoded (and the
        # damage found) only when asked for
        assert (cache.hits, cache.rejected) == (2, 0)
        assert _tokens(again) == _tokens(fresh)
    assert (cache.hits, cache.rejected) == (2, 1)
    assert f"parse cache: {entry} is damaged" in caplog.text
    assert "ignoring it and parsing again" in caplog.text
    cache = open_cache(tmp_path / "cache", docbin_pipeline.info)
    list(parse_interviews(corpus, docbin_pipeline, cache=cache))
    assert (cache.hits, cache.rejected) == (2, 0)  # the entry was written again


def test_entry_holding_another_text_is_not_trusted(
    tmp_path: Path, docbin_pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    cache = open_cache(tmp_path / "cache", docbin_pipeline.info)
    list(parse_interviews(corpus, docbin_pipeline, cache=cache))
    a, b = (cache.path_of(text_key([model_text(t.text) for t in item.turns])) for item in corpus)
    a.write_bytes(b.read_bytes())
    cache = open_cache(tmp_path / "cache", docbin_pipeline.info)
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        parsed = list(parse_interviews(corpus, docbin_pipeline, cache=cache))
    assert parsed[0].docs[0].text == "Hvordan var norskkurset?"
    assert "does not hold the text it is filed under" in caplog.text


def test_cache_of_another_format_is_rebuilt_with_a_notice(
    tmp_path: Path, fallback_pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    folder = tmp_path / "cache"
    _through_cache(corpus, fallback_pipeline, folder)
    marker = folder / "mimres-cache.json"
    marker.write_text(json.dumps({"format": CACHE_FORMAT + 1}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        open_cache(folder, fallback_pipeline.info)
    assert "written by another version of mimres" in caplog.text
    assert cache_summary(folder).entries == 0
    assert json.loads(marker.read_text(encoding="utf-8"))["format"] == CACHE_FORMAT


def test_cache_refuses_a_folder_of_other_files(tmp_path: Path, fallback_pipeline: Pipeline) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"x")
    with pytest.raises(MimresError, match="not a mimres parse cache"):
        open_cache(folder, fallback_pipeline.info)
    with pytest.raises(MimresError, match="not a mimres parse cache"):
        clear_cache(folder)
    assert (folder / "thesis.docx").exists()


def test_clear_cache_removes_entries_and_keeps_other_files(
    tmp_path: Path, fallback_pipeline: Pipeline
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    folder = tmp_path / "cache"
    _through_cache(corpus, fallback_pipeline, folder)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = clear_cache(folder)
    assert before.entries == 2 and before.bytes > 0
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_cache_that_cannot_be_deleted_is_a_clear_error_not_a_traceback(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    folder = tmp_path / "cache"
    _through_cache(corpus, fallback_pipeline, folder)
    (folder / "mimres-cache.json").write_text('{"format": 0}', encoding="utf-8")  # foreign

    def read_only(path: Path, *args, **kwargs) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("mimres_cli.nlp.cache.shutil.rmtree", read_only)
    with pytest.raises(MimresError, match=r"cannot clear the parse cache \(Permission denied"):
        clear_cache(folder)
    with pytest.raises(MimresError, match=r"cannot create the parse cache \(Permission denied"):
        open_cache(folder, fallback_pipeline.info)  # another format, to rebuild: it cannot


def test_text_key_depends_on_turn_boundaries_and_text() -> None:
    assert text_key(["ab", "c"]) != text_key(["a", "bc"])
    assert text_key(["Jeg jobber."]) != text_key(["Jeg jobbet."])
    assert text_key(["Jeg jobber."]) == text_key(["Jeg jobber."])
    assert len(text_key([])) == 64


def test_processes_for_keeps_cheap_pipelines_and_small_jobs_in_one_process(
    fallback_pipeline: Pipeline,
) -> None:
    assert processes_for(fallback_pipeline, 4, 10_000_000) == 1


def test_processes_for_a_trained_pipeline(stand_in_pipeline: Pipeline) -> None:
    assert processes_for(stand_in_pipeline, 2, 5_000) == 1
    assert processes_for(stand_in_pipeline, 2, 100_000) == 2
    assert processes_for(stand_in_pipeline, 1, 100_000) == 1


def test_stand_in_parses_survive_the_cache(tmp_path: Path, stand_in_pipeline: Pipeline) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh = list(parse_interviews(corpus, stand_in_pipeline))
    _through_cache(corpus, stand_in_pipeline, tmp_path / "cache")
    cache = open_cache(tmp_path / "cache", stand_in_pipeline.info)
    read = list(parse_interviews(corpus, stand_in_pipeline, cache=cache))
    assert cache.hits == 2
    assert _tokens(read) == _tokens(fresh)
    assert [[s.text for s in d.sents] for d in read[1].docs] == [
        [s.text for s in d.sents] for d in fresh[1].docs
    ]


def test_parallel_parsing_gives_the_same_docs(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mimres_cli.nlp.parse as parse

    corpus = load_corpus(_corpus(tmp_path))
    one = list(parse_interviews(corpus, fallback_pipeline))
    monkeypatch.setattr(parse, "MIN_WORDS_PER_PROCESS", 1)
    monkeypatch.setattr(parse, "_CHEAP_COMPONENTS", frozenset())
    assert processes_for(fallback_pipeline, 2, 20) == 2
    two = list(parse_interviews(corpus, fallback_pipeline, n_process=2, batch_size=1))
    assert _tokens(two) == _tokens(one)


def test_arrays_beside_the_parses_carry_the_lemma_candidates(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mimres_cli.nlp.arrays as arrays_module
    import mimres_cli.nlp.cache as cache_module
    from mimres_cli.nlp import lemmas

    corpus = load_corpus(_corpus(tmp_path))
    folder = tmp_path / "cache"
    _, cache = _through_cache(corpus, fallback_pipeline, folder)
    assert not list(folder.glob("lemmas-*.json"))  # the arrays hold them
    texts = [model_text(t.text) for t in corpus.interviews[0].turns]
    data = cache.arrays_path_of(text_key(texts)).read_bytes()
    # A new process knows no types and no lemmas: the arrays file gives both.
    fresh = arrays_module.TypeTable()
    monkeypatch.setattr(arrays_module, "TYPES", fresh)
    monkeypatch.setattr(cache_module, "TYPES", fresh)
    monkeypatch.setattr(lemmas, "_look_up", lambda form: pytest.fail(f"looked up {form}"))
    turns = cache_module.decode_arrays(data, texts, fallback_pipeline.nlp.vocab)
    assert [one.text for one in turns] == texts
    [norsk] = [t for t, (form, _) in enumerate(fresh.pairs) if form == "Norskopplæringen"]
    assert "norskopplæring" in fresh.candidates(norsk)
    assert "norskopplæringen" in fresh.candidates(norsk)


def test_entry_without_arrays_gets_them_from_its_docbin_not_a_new_parse(
    tmp_path: Path, docbin_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mimres_cli.nlp.parse as parse

    corpus = load_corpus(_corpus(tmp_path))
    fresh = _tokens(parse_interviews(corpus, docbin_pipeline))
    folder = tmp_path / "cache"
    _, cache = _through_cache(corpus, docbin_pipeline, folder)
    written = sorted(folder.glob("*/*/*.arrays"))
    assert len(written) == 2
    for path in written:  # a cache written by the release before the arrays
        path.unlink()
    monkeypatch.setattr(parse, "parse_texts", lambda *a, **k: pytest.fail("parsed again"))
    again, cache = _through_cache(corpus, docbin_pipeline, folder)
    assert (cache.hits, cache.rejected) == (2, 0)
    assert sorted(folder.glob("*/*/*.arrays")) == written
    assert _tokens(again) == fresh


def test_damaged_arrays_are_rebuilt_from_the_docbin_with_a_notice(
    tmp_path: Path, docbin_pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh = _tokens(parse_interviews(corpus, docbin_pipeline))
    folder = tmp_path / "cache"
    _, cache = _through_cache(corpus, docbin_pipeline, folder)
    a, b = sorted(folder.glob("*/*/*.arrays"))
    good = a.read_bytes()
    a.write_bytes(good[:-7])  # cut short
    b.write_bytes(good)  # another interview's arrays: another text
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        again, cache = _through_cache(corpus, docbin_pipeline, folder)
    assert (cache.hits, cache.rejected) == (2, 2)
    assert f"parse cache: {a} is damaged" in caplog.text
    assert "does not hold the text it is filed under" in caplog.text
    assert _tokens(again) == fresh
    _, cache = _through_cache(corpus, docbin_pipeline, folder)
    assert (cache.hits, cache.rejected) == (2, 0)  # rebuilt


def test_a_cache_that_cannot_be_written_warns_once(
    tmp_path: Path, fallback_pipeline: Pipeline, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    corpus = load_corpus(_corpus(tmp_path))  # two interviews: two parses and two arrays files

    def read_only(path: Path, data: bytes) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    cache = open_cache(tmp_path / "cache", fallback_pipeline.info)  # made, then read-only
    monkeypatch.setattr("mimres_cli.nlp.cache.write_atomic", read_only)
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        parsed = list(parse_interviews(corpus, fallback_pipeline, cache=cache))
    assert len(parsed) == 2
    assert caplog.text.count("parse cache: cannot write") == 1
    assert "(Read-only file system); continuing without it (other entries" in caplog.text


def test_built_in_entries_are_arrays_whose_docs_are_parsed_again_when_asked_for(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mimres_cli.nlp.parse as parse

    corpus = load_corpus(_corpus(tmp_path))
    fresh = _tokens(parse_interviews(corpus, fallback_pipeline))
    folder = tmp_path / "cache"
    _through_cache(corpus, fallback_pipeline, folder)
    assert len(list(folder.glob("*/*/*.arrays"))) == 2
    assert not list(folder.glob("*/*/*.spacy"))  # no DocBin: the arrays hold it all
    assert cache_summary(folder).entries == 2
    parsed_texts: list[list[str]] = []
    real = parse.parse_texts

    def counting(pipeline: Pipeline, texts: list[str], **options) -> list:
        parsed_texts.append(list(texts))
        return real(pipeline, texts, **options)

    monkeypatch.setattr(parse, "parse_texts", counting)
    again, cache = _through_cache(corpus, fallback_pipeline, folder)
    assert (cache.hits, cache.misses, cache.rejected) == (2, 0, 0)
    assert parsed_texts == []  # coding reads the arrays; no Doc was asked for yet
    assert _tokens(again[1:]) == fresh[1:]  # the Docs of b, parsed again, and only b's
    assert parsed_texts == [[model_text(t.text) for t in corpus.interviews[1].turns]]
    assert [len(arrays) for arrays in again[1].arrays] == [len(d) for d in again[1].docs]


@pytest.mark.parametrize("keep", [-9, 0, 8, 20])  # cut short: in the body, empty, in the head
def test_damaged_built_in_entry_is_parsed_again_with_one_notice(
    tmp_path: Path, fallback_pipeline: Pipeline, caplog: pytest.LogCaptureFixture, keep: int
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh = _tokens(parse_interviews(corpus, fallback_pipeline))
    folder = tmp_path / "cache"
    _, cache = _through_cache(corpus, fallback_pipeline, folder)
    entry = cache.arrays_path_of(text_key([model_text(t.text) for t in corpus.interviews[0].turns]))
    entry.write_bytes(entry.read_bytes()[:keep])
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        again, cache = _through_cache(corpus, fallback_pipeline, folder)
    assert (cache.hits, cache.misses, cache.rejected) == (1, 1, 1)
    assert caplog.text.count("parse cache:") == 1
    assert f"parse cache: {entry} is damaged" in caplog.text
    assert "ignoring it and parsing again" in caplog.text
    assert _tokens(again) == fresh
    _, cache = _through_cache(corpus, fallback_pipeline, folder)
    assert (cache.hits, cache.rejected) == (2, 0)  # written again


def test_built_in_entries_of_the_release_with_docbins_are_still_read(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mimres_cli.nlp.parse as parse

    corpus = load_corpus(_corpus(tmp_path))
    fresh = _tokens(parse_interviews(corpus, fallback_pipeline))
    folder = tmp_path / "cache"
    old = open_cache(folder, fallback_pipeline.info)
    old.docbins = True  # as releases before arrays-only entries wrote them
    list(parse_interviews(corpus, fallback_pipeline, cache=old))
    assert len(list(folder.glob("*/*/*.spacy"))) == 2
    assert cache_summary(folder).entries == 2
    monkeypatch.setattr(parse, "parse_texts", lambda *a, **k: pytest.fail("parsed again"))
    again, cache = _through_cache(corpus, fallback_pipeline, folder)
    assert (cache.hits, cache.rejected) == (2, 0)
    assert _tokens(again) == fresh  # the Docs decoded from the DocBins


def test_parses_by_another_version_are_parsed_again_with_one_notice(
    tmp_path: Path, fallback_pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    folder = tmp_path / "cache"
    older = Pipeline(
        fallback_pipeline.nlp, dataclasses.replace(fallback_pipeline.info, version="0.0.9")
    )
    _through_cache(corpus, older, folder)
    with caplog.at_level(logging.WARNING, logger="mimres_cli"):
        _, cache = _through_cache(corpus, fallback_pipeline, folder)
        _, again = _through_cache(corpus, fallback_pipeline, folder)
    assert cache.hits == 0 and again.hits == 2
    assert caplog.text.count("parse cache:") == 1
    assert f"holds parses of {fallback_pipeline.info.name} by another version" in caplog.text
    assert "parsed again once ('mimres cache clear' removes the old ones)" in caplog.text


def _types_read(parsed) -> list:
    """What coding reads of each token's type (form, lemma, candidates), and the flags."""
    return [
        [
            (
                [(TYPES.pairs[t], TYPES.candidates(t)) for t in one.type_of.tolist()],
                one.flags.tolist(),
                one.sent_marks.tolist(),
                one.text,
            )
            for one in item.arrays
        ]
        for item in parsed
    ]


def _counting_lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the entries whose types are looked up by their strings (not the type map)."""
    calls: list[int] = []
    looked_up = TYPES.ids_of

    def counted(*args, **kwargs):
        calls.append(1)
        return looked_up(*args, **kwargs)

    monkeypatch.setattr(TYPES, "ids_of", counted)
    return calls


def test_a_warm_read_takes_each_entrys_types_from_the_type_map(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh, _ = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")  # writes the map
    assert len(list((tmp_path / "cache").glob("*/types.map"))) == 1
    calls = _counting_lookups(monkeypatch)
    mapped, cache = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    assert not calls and cache.hits == 2  # no lookup: both from the map the cold run wrote
    (tmp_path / "cache" / cache.folder.name / "types.map").unlink()
    decoded, _ = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")  # and again
    assert len(calls) == 2
    calls.clear()
    _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    assert not calls
    assert _types_read(mapped) == _types_read(decoded) == _types_read(fresh)
    assert _tokens(mapped) == _tokens(fresh)  # the Docs, parsed again when asked for
    # an entry whose bytes changed (here: compressed otherwise) is looked up again
    path = next(cache.folder.glob("*/*.arrays"))
    data = path.read_bytes()
    head = len(ARRAYS_MAGIC) + 16
    path.write_bytes(data[:head] + zlib.compress(zlib.decompress(data[head:]), 9))
    again, _ = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    assert len(calls) == 1
    assert _types_read(again) == _types_read(fresh)


def test_a_type_map_that_is_damaged_or_of_other_code_is_ignored(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh, _ = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    (path,) = (tmp_path / "cache").glob("*/types.map")
    good = path.read_bytes()
    calls = _counting_lookups(monkeypatch)
    beyond = good[:-4] + (2**31 - 1).to_bytes(4, "little")  # a type id the map lacks
    for damaged in (good[:-3], good[:30], b"MIMRESM1" + b"0" * 16 + good[24:], b"", beyond):
        path.write_bytes(damaged)
        read, cache = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
        assert cache.hits == 2 and cache.rejected == 0 and len(calls) == 2
        assert _types_read(read) == _types_read(fresh)
        assert path.read_bytes() == good  # written again, as it was
        calls.clear()


def test_a_type_map_that_cannot_be_written_costs_speed_only(
    tmp_path: Path, fallback_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    fresh, _ = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    (tmp_path / "cache" / next((tmp_path / "cache").glob("*/types.map")).parent.name
     / "types.map").unlink()  # fmt: skip

    def only_entries(path: Path, data: bytes) -> None:
        if path.name == "types.map":
            raise OSError(28, "No space left on device")
        path.write_bytes(data)

    monkeypatch.setattr(cache_module, "write_atomic", only_entries)
    read, cache = _through_cache(corpus, fallback_pipeline, tmp_path / "cache")
    assert cache.hits == 2 and _types_read(read) == _types_read(fresh)
    assert not list((tmp_path / "cache").glob("*/types.map"))
