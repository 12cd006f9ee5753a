"""NLP stage: interviews → spaCy Docs (pipeline choice, Bokmål fallback, lemma candidates)."""

from mimres_cli.nlp.lemmas import lemma_candidates
from mimres_cli.nlp.parse import ParsedInterview, model_text, parse_interviews
from mimres_cli.nlp.pipeline import (
    DEFAULT_MODEL,
    Pipeline,
    PipelineInfo,
    build_fallback_pipeline,
    load_pipeline,
)
from mimres_cli.nlp.words import is_word, is_word_token, mark_tokens, token_candidates

__all__ = [
    "DEFAULT_MODEL",
    "ParsedInterview",
    "Pipeline",
    "PipelineInfo",
    "build_fallback_pipeline",
    "is_word",
    "is_word_token",
    "lemma_candidates",
    "load_pipeline",
    "mark_tokens",
    "model_text",
    "parse_interviews",
    "token_candidates",
]
