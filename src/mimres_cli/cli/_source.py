"""What `words`, `kwic` and `tag` share: the text they parse, from a results folder or a corpus.

With a results folder they read the interviews it was coded from (manifest.json names the
corpus, the files with their sha256, the metadata sheet, roles and design) and parse them with
the run's pipeline, through the parse cache, so a corpus coded before costs no parsing.
Without one, the corpus of the command line or the project file, as `mimres run` reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def source_options(
    results: Path | None,
    *,
    project: Path | None,
    corpus: Path | None,
    model: str | None,
    metadata: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    unit: str | None = None,
) -> tuple[dict[str, Any], str | None]:
    """The keyword arguments of `tagging.open_source` (and of `open_tokens` and
    `count_corpus_words`), and the unit of coding (None: the results').

    The project file gives the parse cache and jobs either way; with `results`, the model,
    metadata, roles and design are the run's unless the command line names them (a metadata
    sheet or design beside a results folder is refused by `open_source`).
    """
    from mimres_cli.cli._batch import settings

    run = settings(project=project, corpus=corpus, codebooks=None, unit=unit, model=model,
                   metadata=metadata, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache,
                   out=None, fail_on=None)  # fmt: skip
    if results is None:
        options = {"corpus": run.corpus, **run.workflow_options()}
        return options, options.pop("unit")
    options = {"results": results, "corpus": corpus, "model": model, "metadata": metadata,
               "jobs": run.jobs, "cache_dir": run.cache_dir}  # fmt: skip
    return options, unit
