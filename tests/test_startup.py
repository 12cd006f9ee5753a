"""A warm run (every interview in the parse cache) imports no spaCy: start-up is most of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codebook_samples import MINI_TWO_THEMES
from conftest import REPO, write_codebook


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, cwd=REPO)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("shipped", [False, True], ids=["terms only", "shipped codebook"])
def test_a_warm_run_never_imports_spacy(tmp_path: Path, shipped: bool) -> None:
    # the shipped codebook has token patterns of form tests, found on the arrays
    book = (
        REPO / "codebooks" / "integrering.yaml"
        if shipped
        else write_codebook(tmp_path, MINI_TWO_THEMES)
    )
    cache = tmp_path / "cache"
    cold = (
        "import json, sys, mimres_cli\n"
        "r = mimres_cli.code(sys.argv[1], [sys.argv[2]], model='fallback', cache_dir=sys.argv[3],"
        " out=sys.argv[4])\n"
        "print(json.dumps({'spacy': 'spacy' in sys.modules, 'hits': r.manifest.parse_cache}))"
    )
    first = _run(cold, str(REPO / "sample_interviews"), str(book), str(cache), str(tmp_path / "a"))
    second = _run(cold, str(REPO / "sample_interviews"), str(book), str(cache), str(tmp_path / "b"))
    assert first["spacy"] is True and first["hits"]["hits"] == 0  # parsed: spaCy loaded
    assert second["hits"]["misses"] == 0 and second["hits"]["hits"] == first["hits"]["misses"]
    assert second["spacy"] is False  # every parse cached: no spaCy
    for name in ("segments.csv", "units.csv", "findings.csv", "interviews.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    manifests = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in "ab"]
    assert manifests[0]["pipeline"] == manifests[1]["pipeline"]
    assert manifests[0]["spacy"] == manifests[1]["spacy"]


def test_the_built_in_pipeline_is_described_as_built(fallback_pipeline) -> None:
    from mimres_cli.nlp.cache import pipeline_fingerprint
    from mimres_cli.nlp.pipeline import fallback_pipeline as described

    lazy = described()
    assert not lazy.loaded
    assert lazy.info == fallback_pipeline.info  # so the cache folder and manifest are the same
    assert pipeline_fingerprint(lazy.info) == pipeline_fingerprint(fallback_pipeline.info)
    assert tuple(lazy.nlp.pipe_names) == lazy.info.components and lazy.loaded
    text = "Jeg hadde jobber. Eg hadde jobbar."
    assert [t.lemma_ for t in lazy.nlp(text)] == [t.lemma_ for t in fallback_pipeline.nlp(text)]
    assert [t.lemma_ for t in lazy.nlp("Jeg hadde jobber")] == ["jeg", "ha", "jobbe"]


def test_importing_the_package_and_the_cli_imports_no_spacy() -> None:
    code = ("import json, sys, mimres_cli, mimres_cli.workflow, mimres_cli.cli\n"
            "print(json.dumps({'spacy': 'spacy' in sys.modules}))")  # fmt: skip
    assert _run(code) == {"spacy": False}
