"""A saved pipeline is described from its meta.json and config.cfg, and loaded only when a
text is parsed or a Doc needed: the description is what the loaded pipeline gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from conftest import STAND_IN_MODEL
from mimres_cli.errors import ModelError
from mimres_cli.nlp import saved
from mimres_cli.nlp.pipeline import PipelineInfo, load_pipeline
from mimres_cli.nlp.saved import describe_saved, open_pipeline


def test_the_stand_in_is_described_as_loading_it_describes_it() -> None:
    if not STAND_IN_MODEL.is_dir():
        pytest.skip(f"the stand-in pipeline is not at {STAND_IN_MODEL}")
    pipeline = open_pipeline(str(STAND_IN_MODEL))
    assert not pipeline.loaded  # described only
    assert pipeline.info == load_pipeline(str(STAND_IN_MODEL)).info
    assert pipeline.info.components == ("tok2vec", "morphologizer", "parser", "lemmatizer", "ner")
    assert "parser" in pipeline.nlp.pipe_names and pipeline.loaded


@pytest.mark.parametrize(
    ("disabled", "components"),
    [
        ((), ("entity_ruler", "sentencizer")),  # a sentencizer added
        (("entity_ruler",), ("sentencizer",)),
        (("sentencizer",), ("entity_ruler", "sentencizer")),  # enabled again, not added twice
        (("entity_ruler", "sentencizer"), ("sentencizer",)),
    ],
)
def test_disabled_components_and_sentences_as_spacy_loads_them(
    tmp_path: Path, disabled: tuple[str, ...], components: tuple[str, ...]
) -> None:
    nlp = spacy.blank("nb")
    # A pattern, so that spaCy does not warn (W036) about an empty ruler when the Doc is made.
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Vågå"}])
    if "sentencizer" in disabled:
        nlp.add_pipe("sentencizer")
    nlp.meta["name"] = "eget"
    nlp.meta["version"] = "2.1.0"
    for name in disabled:
        nlp.disable_pipe(name)
    nlp.to_disk(tmp_path / "eget")
    info = describe_saved(str(tmp_path / "eget"))
    loaded = load_pipeline(str(tmp_path / "eget"))
    assert info == loaded.info
    assert [s.text for s in loaded.nlp("Jeg bor her. Vi trives.").sents] == [
        "Jeg bor her.",
        "Vi trives.",
    ]
    assert info is not None and (info.name, info.version) == ("nb_eget", "2.1.0")
    assert info.components == components


def test_what_cannot_be_read_with_certainty_is_loaded(tmp_path: Path) -> None:
    nlp = spacy.blank("nb")
    nlp.to_disk(tmp_path / "p")
    config = (tmp_path / "p" / "config.cfg").read_text(encoding="utf-8")
    (tmp_path / "p" / "config.cfg").write_text(
        config.replace("after_creation = null", 'after_creation = {"@callbacks":"x"}'),
        encoding="utf-8",
    )
    assert describe_saved(str(tmp_path / "p")) is None  # a callback may change the pipeline
    assert describe_saved(str(tmp_path / "absent")) is None
    with pytest.raises(ModelError, match="could not be loaded"):
        open_pipeline(str(tmp_path / "absent"))  # the error comes at once, as before
    assert open_pipeline("fallback").info.fallback


def test_a_pipeline_that_loads_otherwise_than_described_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "p")
    meta = json.loads((tmp_path / "p" / "meta.json").read_text(encoding="utf-8"))
    wrong = PipelineInfo(f"nb_{meta['name']}", "9.9.9", spacy.__version__, ("sentencizer",), False)
    monkeypatch.setattr(saved, "describe_saved", lambda name: wrong)
    pipeline = open_pipeline(str(tmp_path / "p"))
    assert pipeline.info == wrong and not pipeline.loaded
    with pytest.raises(ModelError, match="describe"):
        pipeline.nlp  # noqa: B018
