"""Shards and merging: a stable partition by interview id, and parts that merge into exactly
the results of one run (tables byte for byte, the manifest but for its run keys)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codebook_samples import MINI_TWO_THEMES
from conftest import write_codebook, write_transcript
from mimres_cli import workflow
from mimres_cli.coding.results import Results
from mimres_cli.coding.shards import (
    Shard,
    comparable,
    merge_folders,
    merge_parts,
    read_parts,
    shard_of,
)
from mimres_cli.errors import MimresError
from mimres_cli.files import table_to_csv

CODEBOOK = MINI_TWO_THEMES
# Interview → shard of 3 (sha256 of the id): f, i → 1; a, b → 2; c, d, e → 3. Interview i has
# no informant turn: it is left out of every denominator, and listed in the manifest.
INTERVIEWS = {
    "a": ("Sel", "I: Har du jobb?\nInformant: Ja, jobben er på hotellet.\n"),
    "b": ("Vågå", "I: Og språket?\nInformant: Norskopplæringen var bra. Jobb har jeg ikke.\n"),
    "c": ("Sel", "I: Og fritiden?\nInformant: Vi går mye på tur i fjellet.\n"),
    "d": ("Vågå", "I: Arbeidsgiveren?\nInformant: Arbeidsgiveren min hjelper meg med norsk.\n"),
    "e": ("Lom", "I: Hvordan går det?\nInformant: Bra. Jeg snakker norsk hver dag.\n"),
    "f": ("Sel", "I: Jobb?\nInformant: Jeg har fast jobb nå.\nI: Fint.\n"),
    "i": ("Lom", "I: Er det noen her?\n"),
}


def _corpus(folder: Path, changed: str = "") -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    for one, (place, body) in INTERVIEWS.items():
        front = f"id: {one}\nmunicipality: {place}\ngroup: flyktning"
        if one == "d":  # an attribute only one interview (in one shard) has
            front += "\nyears_in_norway: 4"
        write_transcript(corpus, f"{one}.md", front, body + (changed if one == "e" else ""))
    return corpus


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    return _corpus(tmp_path), write_codebook(tmp_path, CODEBOOK)


def _parts(tmp_path: Path, corpus: Path, book: Path, count: int) -> list[Path]:
    folders = []
    for index in range(1, count + 1):
        folder = tmp_path / f"part{index}"
        workflow.code(corpus, [book], shard=f"{index}/{count}",
                      cache_dir=tmp_path / f"cache{index}").write(folder)  # fmt: skip
        folders.append(folder)
    return folders


def test_shard_of_is_a_stable_hash_of_the_id() -> None:
    # sha256, not Python's salted hash(): the same in every process and on every machine
    assert [shard_of(one, 3) for one in "abcdef"] == [2, 2, 3, 3, 3, 1]
    assert shard_of("sel_flyktning_01", 3) == 2
    assert all(shard_of(one, 1) == 1 for one in "abcdef")
    ids = [f"id{n}" for n in range(300)]
    held = [Shard(i, 4).select(ids) for i in range(1, 5)]
    assert sorted(one for part in held for one in part) == sorted(ids)  # each exactly once
    assert all(50 <= len(part) <= 100 for part in held)  # and roughly even


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("0/3", "shard 0/3 does not exist"),
        ("4/3", "shard 4/3 does not exist"),
        ("1/0", "shard 1/0 does not exist"),
        ("2", "--shard '2' is not I/N"),
        ("a/b", "--shard 'a/b' is not I/N"),
        ("-1/3", "--shard '-1/3' is not I/N"),
    ],
)
def test_a_bad_shard_is_e510(spec: str, message: str) -> None:
    with pytest.raises(MimresError) as caught:
        Shard.parse(spec)
    assert caught.value.code == "E510"
    assert caught.value.message == message
    assert "--shard 2/3" in caught.value.fix


def test_a_part_codes_its_shard_and_records_the_whole_corpus(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    part = workflow.code(corpus, [book], shard="3/3")
    assert list(part.interviews["interview_id"]) == ["c", "d", "e"]
    assert set(part.units["interview_id"]) == {"c", "d", "e"}
    assert [f.id for f in part.manifest.files] == ["a", "b", "c", "d", "e", "f", "i"]
    assert part.manifest.extra["shard"] == "3/3"
    whole = workflow.code(corpus, [book])
    assert "shard" not in whole.manifest.extra


def test_merged_parts_are_the_results_of_one_run(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    workflow.code(corpus, [book]).write(tmp_path / "one")
    merged, written = merge_folders(_parts(tmp_path, corpus, book, 3), tmp_path / "merged")
    one, both = _folder_bytes(tmp_path / "one"), _folder_bytes(tmp_path / "merged")
    assert sorted(both) == ["codes.csv", "findings.csv", "interviews.csv", "segments.csv",
                            "units.csv"]  # fmt: skip
    assert both == one
    # the attribute only d has is a column of every table, empty for the others
    assert list(merged.interviews["years_in_norway"]) == ["", "", "", "4", "", "", ""]
    assert list(merged.interviews["interview_id"]) == ["a", "b", "c", "d", "e", "f", "i"]
    manifest, single = _manifest(tmp_path / "merged"), _manifest(tmp_path / "one")
    assert comparable(manifest) == comparable(single)
    assert len(manifest["corpus"]["files"]) == 7 and "shard" not in manifest
    assert [one["id"] for one in manifest["left_out"]] == ["i"]
    assert [p["shard"] for p in manifest["parts"]] == ["1/3", "2/3", "3/3"]
    assert manifest["parse_cache"] == {"hits": 0, "misses": 7, "rejected": 0}
    assert manifest["options"]["cache"] is None  # one cache per part: recorded in "parts"
    assert [p["cache"] for p in manifest["parts"]] == [str(tmp_path / f"cache{n}")
                                                       for n in (1, 2, 3)]  # fmt: skip
    assert len(written) == 6


def test_more_shards_than_interviews_leave_empty_parts_that_still_merge(
    inputs, tmp_path: Path
) -> None:
    corpus, book = inputs
    workflow.code(corpus, [book]).write(tmp_path / "one")
    folders = _parts(tmp_path, corpus, book, 9)
    sizes = [len(Results.read(folder).interviews) for folder in folders]
    assert sum(sizes) == 7 and 0 in sizes
    merge_folders(list(reversed(folders)), tmp_path / "merged")  # any order of parts
    assert _folder_bytes(tmp_path / "merged") == _folder_bytes(tmp_path / "one")


def test_parts_in_memory_merge_too(inputs) -> None:
    corpus, book = inputs
    one = workflow.code(corpus, [book])
    merged = merge_parts([workflow.code(corpus, [book], shard=f"{i}/2") for i in (2, 1)])
    for name in ("segments", "units", "interviews", "codes", "findings"):
        assert table_to_csv(getattr(merged, name)) == table_to_csv(getattr(one, name)), name


def _merge_error(folders: list[Path]) -> MimresError:
    with pytest.raises(MimresError) as caught:
        read_parts(folders)
    return caught.value


def test_missing_twice_given_or_foreign_parts_are_e512(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    one, two, three = _parts(tmp_path, corpus, book, 3)
    missing = _merge_error([one, three])
    assert (missing.code, missing.message) == ("E512", "shard(s) 2 of 3 are missing")
    twice = _merge_error([one, two, two, three])
    assert twice.code == "E512"
    assert twice.message == f"shard 2/3 is given twice ('{two}' and '{two}')"
    workflow.code(corpus, [book]).write(tmp_path / "whole")
    foreign = _merge_error([one, tmp_path / "whole"])
    assert foreign.code == "E512"
    assert foreign.message == f"'{tmp_path / 'whole'}' is no shard part (coded without --shard)"
    workflow.code(corpus, [book], shard="1/2").write(tmp_path / "half")
    other_split = _merge_error([one, two, tmp_path / "half"])
    assert other_split.code == "E512" and "split the corpus differently" in other_split.message


def test_parts_of_other_codebooks_or_corpora_are_e511(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    one, two, three = _parts(tmp_path, corpus, book, 3)
    changed = write_codebook(tmp_path, CODEBOOK.replace("[jobb,", "[jobb, tur,"), "new.yaml")
    workflow.code(corpus, [changed], shard="2/3").write(tmp_path / "new2")
    books = _merge_error([one, tmp_path / "new2", three])
    assert books.code == "E511"
    assert books.message == (f"'{tmp_path / 'new2'}' was coded with other codebooks (or another "
                             f"version of them) than '{one}' (mini)")  # fmt: skip
    assert books.fix.startswith("Code every shard with the same corpus, codebooks and options")
    (tmp_path / "edited").mkdir()
    edited = _corpus(tmp_path / "edited", changed="Informant: Og jobb.\n")
    workflow.code(edited, [book], shard="3/3").write(tmp_path / "edited3")
    texts = _merge_error([one, two, tmp_path / "edited3"])
    assert texts.code == "E511"
    assert "another corpus (files or their sha256)" in texts.message
    workflow.code(corpus, [book], shard="3/3", unit="sentence").write(tmp_path / "sentences3")
    options = _merge_error([one, two, tmp_path / "sentences3"])
    assert options.code == "E511"
    assert options.message.endswith("(options.unit: 'turn' against 'sentence')")


def test_merging_into_a_part_is_refused(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    one, two, three = _parts(tmp_path, corpus, book, 3)
    before = _folder_bytes(one)
    with pytest.raises(MimresError) as caught:
        merge_folders([one, two, three], one)
    assert caught.value.code == "E506"
    assert _folder_bytes(one) == before
