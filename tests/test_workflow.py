"""End-to-end runs: the parse cache across codebook changes, byte-identical tables, provenance."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import write_codebook, write_transcript
from mimres_cli import __version__, workflow
from mimres_cli.nlp.cache import cache_summary

CODEBOOK = """
codebook: mini
language: nb
codes:
  - id: arbeid
    label: Arbeid
    terms: [jobb, "arbeidsgiver*"]
  - id: sprak
    label: Språk
    terms: ["*opplæring"]
"""


def _corpus(folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    front = "id: {id}\nmunicipality: {m}\ngroup: flyktning"
    write_transcript(corpus, "a.md", front.format(id="a", m="Sel"), """\
        I: Har du jobb?
        Informant: Ja, jobben er på hotellet. Norskopplæringen var bra.
        """)  # fmt: skip
    write_transcript(corpus, "b.md", front.format(id="b", m="Vågå"), """\
        I: Hvordan går det?
        Informant: Arbeidsgiveren min hjelper meg.
        """)  # fmt: skip
    write_transcript(corpus, "c.md", front.format(id="c", m="Vågå"), """\
        I: Og fritiden?
        Informant: Vi går mye på tur i fjellet.
        """)  # fmt: skip
    return corpus


def _csv_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_rerun_gives_byte_identical_tables(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    book = write_codebook(tmp_path, CODEBOOK)
    cache = tmp_path / "cache"
    first = workflow.code(corpus, [book], cache_dir=cache)  # parses, fills the cache
    first.write(tmp_path / "one")
    second = workflow.code(corpus, [book], cache_dir=cache)  # reads the cache
    second.write(tmp_path / "two")
    third = workflow.code(corpus, [book])  # no cache at all
    third.write(tmp_path / "three")
    one = _csv_bytes(tmp_path / "one")
    assert sorted(one) == ["codes.csv", "findings.csv", "interviews.csv", "segments.csv",
                           "units.csv"]  # fmt: skip
    assert one == _csv_bytes(tmp_path / "two") == _csv_bytes(tmp_path / "three")
    assert first.manifest.parse_cache == {"hits": 0, "misses": 3, "rejected": 0}
    assert second.manifest.parse_cache == {"hits": 3, "misses": 0, "rejected": 0}


def test_changed_codebook_reuses_every_parse(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    cache = tmp_path / "cache"
    workflow.code(corpus, [write_codebook(tmp_path, CODEBOOK)], cache_dir=cache)
    changed = write_codebook(tmp_path, CODEBOOK.replace("[jobb,", "[jobb, tur,"), "new.yaml")
    result = workflow.code(corpus, [changed], cache_dir=cache)
    assert result.manifest.parse_cache["hits"] == 3
    assert cache_summary(cache).entries == 3
    # "tur" now codes interview c: jobben (a), Arbeidsgiveren (b), tur (c)
    arbeid = result.segments[result.segments["code"] == "arbeid"]
    assert list(arbeid["interview_id"]) == ["a", "b", "c"]
    assert list(arbeid["matched"]) == ["jobben", "Arbeidsgiveren", "tur"]


def test_manifest_records_versions_hashes_options_and_durations(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    book = write_codebook(tmp_path, CODEBOOK)
    result = workflow.code(corpus, [book], jobs=2, cache_dir=tmp_path / "cache")
    result.write(tmp_path / "out", tables=["segments", "codes"],
                       extra={"fail_on": ["warnings"]})  # fmt: skip
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == {"name": "mimres-cli", "version": __version__}
    assert manifest["pipeline"]["name"] == "mimres_fallback_nb"
    assert manifest["pipeline"]["fallback"] is True
    assert manifest["spacy"] == manifest["pipeline"]["spacy"]
    assert manifest["codebooks"][0]["sha256"] == hashlib.sha256(book.read_bytes()).hexdigest()
    files = {f["id"]: f["sha256"] for f in manifest["corpus"]["files"]}
    assert files["b"] == hashlib.sha256((corpus / "b.md").read_bytes()).hexdigest()
    # The built-in pipeline parses in one process whatever --jobs allows: the manifest records
    # the one process that ran, and the 2 asked for.
    assert manifest["options"]["jobs"] == 1
    assert manifest["options"]["jobs_requested"] == 2
    assert manifest["options"]["cache"] == str(tmp_path / "cache")
    assert set(manifest["durations"]) == {"load", "pipeline", "parse", "code", "findings"}
    assert manifest["started"].endswith("+00:00")
    assert manifest["tables"] == ["segments.csv", "codes.csv"]
    assert manifest["fail_on"] == ["warnings"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".mimres-results.json", "codes.csv", "manifest.json", "segments.csv",
    ]  # fmt: skip


def test_failed_names_uncoded_interviews_and_warnings(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    write_transcript(corpus, "d.md", "id: d\nmunicipality: Sel\ngroup: flyktning",
                     "I: Hei, er det noen her?\n")  # fmt: skip
    result = workflow.code(corpus, [write_codebook(tmp_path, CODEBOOK)])
    assert result.uncoded_interviews() == ["c", "d"]
    assert result.failed(["uncoded-interviews"]) == [
        "2 interview(s) with no coded segment: c, d (--fail-on uncoded-interviews)"
    ]
    assert [(w.code, w.path.name) for w in result.warnings] == [("W102", "d.md")]
    assert result.failed(["warnings"])[0].endswith("(--fail-on warnings)")
    assert result.failed([]) == []


def test_progress_reports_each_interview_through_both_stages(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    events = []
    workflow.code(corpus, [write_codebook(tmp_path, CODEBOOK)],
                         on_progress=events.append)  # fmt: skip
    assert [(e.stage, e.interview_id, e.done, e.total) for e in events if e.stage == "code"] == [
        ("code", "", 0, 3), ("code", "a", 1, 3), ("code", "b", 2, 3), ("code", "c", 3, 3),
    ]  # fmt: skip
    parse = [e for e in events if e.stage == "parse" and e.done]
    assert [e.words for e in parse] == [3 + 8, 3 + 4, 2 + 7]  # whitespace words of all turns
    assert not any(e.cached for e in parse)


def test_open_corpus_parses_through_the_cache(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    source = workflow.open_corpus(corpus, cache_dir=tmp_path / "cache")
    first = [item.docs[1].text for item in source.parsed()]
    again = workflow.open_corpus(corpus, cache_dir=tmp_path / "cache")
    assert [item.docs[1].text for item in again.parsed()] == first
    assert again.cache is not None and again.cache.hits == 3
