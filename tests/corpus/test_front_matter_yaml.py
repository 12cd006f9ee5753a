"""Front matter is read by libyaml where PyYAML has it: the same values, and PyYAML's own error
messages with the file's line (libyaml words its errors differently)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from mimres_cli.corpus import text
from mimres_cli.corpus.hygiene import normalise_text
from mimres_cli.corpus.text import parse_front_matter, split_front_matter
from mimres_cli.errors import CorpusError

PATH = Path("kommune_a_01.md")


def test_front_matter_is_read_by_libyaml_when_pyyaml_has_it() -> None:
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML was built without libyaml here: the pure-Python loader reads it")
    assert issubclass(text._FastLoader, yaml.CSafeLoader)
    from mimres_cli.codebook.load import _FastLineLoader

    assert issubclass(_FastLineLoader, yaml.CSafeLoader)


def test_values_are_those_of_the_pure_python_loader() -> None:
    source = (
        "id: kommune_a_01\n"
        "municipality: Vågå\n"
        "date: 2024-05-14\n"
        "recorded: 2024-05-14 09:30:00\n"
        "age: 52\n"
        "share: 0.5\n"
        "whole: 3.0\n"
        "consent: yes\n"
        "note: null\n"
        'start_time: "11:08:32"\n'
        "participants: [Kari Nordmann, Ola]\n"
        "tags:\n  - flyktning\n  - 2024-01-02\n"
        "interviewer: I\n"
    )
    assert parse_front_matter(source, PATH) == {
        "id": "kommune_a_01",
        "municipality": "Vågå",
        "date": "2024-05-14",
        "recorded": "2024-05-14T09:30:00",
        "age": 52,
        "share": 0.5,
        "whole": 3,
        "consent": True,
        "note": "",
        "start_time": "11:08:32",
        "participants": "Kari Nordmann; Ola",
        "tags": "flyktning; 2024-01-02",
        "interviewer": "I",
    }
    raw = text.load_yaml(source, PATH, first_line=2, what="front matter", fix="")
    assert raw["date"] == dt.date(2024, 5, 14)
    assert raw["recorded"] == dt.datetime(2024, 5, 14, 9, 30)


@pytest.mark.parametrize(
    ("front", "line", "problem"),
    [
        # libyaml says "mapping values are not allowed in this context"
        ("id: a\nmunicipality: Vågå: Lom\n", 3, "mapping values are not allowed here"),
        # libyaml says "did not find expected ',' or ']'"
        ("id: a\ngroup: [flyktning\nage: 3\n", 4, "expected ',' or ']', but got ':'"),
        ("id: a\n  bad: indent\n", 3, "mapping values are not allowed here"),
    ],
)
def test_bad_yaml_is_reported_in_pyyamls_words_with_the_file_line(
    front: str, line: int, problem: str
) -> None:
    with pytest.raises(CorpusError) as caught:
        split_front_matter(f"---\n{front}---\nI: Hei\n", PATH)
    assert str(caught.value).startswith(
        f"{PATH}:{line}: front matter is not valid YAML ({problem})."
    )


def test_an_impossible_date_names_its_line() -> None:
    with pytest.raises(CorpusError) as caught:
        split_front_matter("---\nid: a\nage: 3\ndate: 2024-13-45\n---\nI: Hei\n", PATH)
    assert str(caught.value).startswith(
        f"{PATH}:4: front matter has '2024-13-45', which looks like a date but is not one"
    )


def test_nesting_too_deep_is_found_before_parsing() -> None:
    deep = "id: a\nx: " + "[" * 60 + "]" * 60 + "\n"
    with pytest.raises(CorpusError, match="more than 50 deep") as caught:
        parse_front_matter(deep, PATH)
    assert str(caught.value).startswith(f"{PATH}:3:")


def test_invisible_characters_go_and_text_without_them_is_unchanged() -> None:
    # The check for invisible characters skips the translation when there are none.
    assert normalise_text("Vi\u00a0bor\u200b på\u00adLom\u2028Ja\r\nNei\ufeff") == (
        "Vi bor påLom\nJa\nNei"
    )
    assert normalise_text("Vi bor på Lom.\nJa.") == "Vi bor på Lom.\nJa."
    assert normalise_text("Lo\u0301m") == "Lóm"  # NFC either way


def test_a_tab_in_a_flow_list_stays_an_error_as_in_pyyaml() -> None:
    # libyaml accepts the tab; PyYAML does not, and PyYAML's reading is the one kept.
    with pytest.raises(CorpusError) as caught:
        split_front_matter("---\nid: a\ngroup: [\n\tflyktning]\n---\nI: Hei\n", PATH)
    assert str(caught.value).startswith(
        f"{PATH}:4: front matter is not valid YAML (found character '\\t' that cannot start any "
        "token)"
    )


def test_codebooks_keep_pyyamls_positions_when_read_by_libyaml(tmp_path: Path) -> None:
    from mimres_cli.codebook.load import _FastLineLoader, _LineLoader, read_yaml

    source = (
        "codebook: test\nlanguage: nb\ncodes:\n"
        "  - code: arbeid\n    label: Arbeid\n    terms: [jobb, 'arbeids*']\n"
        "  - code: bolig\n    label: Bolig\n    terms:\n      - bolig\n      - leilighet\n"
        "    label: Bolig igjen\n"
    )
    path = tmp_path / "bok.yaml"
    path.write_text(source, encoding="utf-8")
    fast, pure = read_yaml(path), _LineLoader(source).get_single_data()
    assert _FastLineLoader(source).get_single_data() == pure
    assert fast == pure
    assert (fast.line, fast.key_pos, fast.value_pos) == (pure.line, pure.key_pos, pure.value_pos)
    first, second = fast["codes"][1], pure["codes"][1]
    assert first.duplicates == second.duplicates == [("label", 12, 5, 8)]
    assert fast["codes"].item_pos == pure["codes"].item_pos == [(4, 5), (7, 5)]
    assert fast["codes"][0]["terms"].item_pos == [(6, 13), (6, 19)]


NESTINGS = [
    "[" * 6 + "]" * 6,
    "{a: " * 6 + "x" + "}" * 6,
    "- " * 6 + "x",
    "".join(f"{'  ' * n}k{n}:\n" for n in range(6)) + "  " * 6 + "x: 1",
    "? " * 6 + "x",
    "a: [b, {c: [d, {e: f}]}]",
    "date: 2004-03-30\ntime: '11:08:32'\nlist: [a, b]",
]


@pytest.mark.parametrize("source", NESTINGS)
def test_the_depth_check_skips_only_text_that_cannot_nest_too_deep(source: str) -> None:
    from mimres_cli.yaml_limits import FAST_LOADER, _first_too_deep, too_deep

    for limit in range(8):
        scanned = _first_too_deep(source, limit, FAST_LOADER)
        found = too_deep(source, limit)
        assert (found is None) == (scanned is None), (source, limit)


def test_values_without_aliases_are_not_walked_but_a_bomb_still_fails() -> None:
    from mimres_cli.yaml_limits import _may_exceed

    assert not _may_exceed("a: 1\nb: [x, y]", 10_000)
    assert _may_exceed("a: &x [1, 2]\nb: [*x, *x]", 10_000)
    assert _may_exceed("{" + ",".join(f"k{n}" for n in range(3_000)) + "}", 10_000)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 10) + "]\n"
        for n in range(4)
    )
    with pytest.raises(CorpusError, match="aliases"):
        parse_front_matter(bomb, Path("bomb.txt"))
