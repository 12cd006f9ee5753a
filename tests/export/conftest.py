"""Fixtures of the export tests: the exchange corpus and the sample, each coded once."""

from exchange_corpus import exchange_results, sample_results  # noqa: F401 - fixtures
