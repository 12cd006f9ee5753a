"""A saved trained pipeline described without loading it (`open_pipeline`).

A warm run that reads every interview from the parse cache needs the pipeline's description
only (the cache folder, the manifest), not the pipeline: loading a trained one imports spaCy
and its model (about 0.6 CPU s and the model's memory). Its description is read from its
meta.json and config.cfg instead, and the pipeline is loaded when a text is first parsed or a
Doc first needed; it must then describe itself the same way, or the run stops with a clear
error. (Kept apart from `nlp.pipeline`, whose source is part of the built-in pipeline's
parse cache fingerprint.)
"""

from __future__ import annotations

import configparser
import importlib.util
import json
from importlib import metadata as importlib_metadata
from pathlib import Path

from mimres_cli.errors import ModelError
from mimres_cli.nlp.pipeline import (
    FALLBACK_MODELS,
    SENTENCE_SETTERS,
    Pipeline,
    PipelineInfo,
    load_pipeline,
)

_CALLBACKS = ("before_creation", "after_creation", "after_pipeline_creation")


def open_pipeline(model: str | Path | None = None) -> Pipeline:
    """`load_pipeline(model)`, but a named saved pipeline that `describe_saved` can describe
    is loaded only when first used (its `nlp`). The default (None) and the built-in pipeline
    are `load_pipeline`'s, W601 notice and all."""
    if model is None or (isinstance(model, str) and model in FALLBACK_MODELS):
        return load_pipeline(model)
    name = str(model)
    info = describe_saved(name)
    if info is None:
        return load_pipeline(name)

    def build():  # type: ignore[no-untyped-def]
        loaded = load_pipeline(name)
        if loaded.info != info:
            raise ModelError(
                f"spaCy pipeline '{name}' loads as {loaded.info} but its meta.json and "
                f"config.cfg describe {info}",
                fix="Save the pipeline again with spaCy (nlp.to_disk), or run with --no-cache",
            )
        return loaded.nlp

    return Pipeline(info=info, build=build)


def describe_saved(name: str) -> PipelineInfo | None:
    """What `load_pipeline(name)` gives as `info`, read from the saved pipeline's meta.json and
    config.cfg without importing spaCy, or None when it cannot be read with certainty there.

    As `spacy.load` does: an installed package of that name first (its data folder
    `<lang>_<name>-<version>` beside its meta.json), else a folder; the components are the
    config's `[nlp] pipeline` less its `disabled`, and a sentencizer added where none sets
    sentences, or a disabled one enabled again (`nlp.pipeline._with_sentences`). A config with
    creation callbacks (which may change the pipeline) is not described."""
    try:
        folder = _saved_folder(name)
        if folder is None:
            return None
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        section = _config_section((folder / "config.cfg").read_text(encoding="utf-8"), "nlp")
        pipeline = json.loads(section["pipeline"])
        disabled = json.loads(section.get("disabled", "[]"))
        lang = json.loads(section["lang"])
        if any(json.loads(section.get(key, "null")) is not None for key in _CALLBACKS):
            return None
        if not (isinstance(meta, dict) and isinstance(lang, str) and lang == meta.get("lang")):
            return None
        if not all(isinstance(x, str) for x in [*pipeline, *disabled]):
            return None
        components = [one for one in pipeline if one not in disabled]
        if not SENTENCE_SETTERS & set(components):
            if "sentencizer" in pipeline:  # disabled: enabled again in its place
                kept = set(components) | {"sentencizer"}
                components = [one for one in pipeline if one in kept]
            else:
                components.append("sentencizer")
        label = str(meta.get("name", "pipeline"))
        return PipelineInfo(
            name=label if label.startswith(f"{lang}_") else f"{lang}_{label}",
            version=str(meta.get("version", "")),
            spacy_version=importlib_metadata.version("spacy"),
            components=tuple(components),
            fallback=False,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _saved_folder(name: str) -> Path | None:
    """The folder `spacy.load(name)` reads the pipeline from, where plain to see."""
    if name.startswith("blank:"):
        return None
    try:
        importlib_metadata.distribution(name)
    except importlib_metadata.PackageNotFoundError:
        folder = Path(name)
        return folder if (folder / "config.cfg").is_file() else None
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
    folder = package / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    return folder if (folder / "config.cfg").is_file() else None


def _config_section(text: str, name: str) -> dict[str, str]:
    """The raw values of one section of a spaCy config (each a JSON value)."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return dict(parser[name])
