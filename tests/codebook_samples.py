"""Codebooks shared by several test files (`codebook validate`, shards and streamed results)."""

# Five distinct errors, in file order: an unknown key, an invalid regex, a duplicate path, an
# invalid token pattern and an empty leaf.
FIVE_ERRORS = """\
codebook: feil
codes:
  - id: arbeid
    label: Arbeid
    trems: [jobb]
    codes:
      - id: jobb
        label: Jobb
        terms: [jobb]
        regex: ['(lønn']
      - id: jobb
        label: Jobb igjen
        terms: [arbeid]
      - id: praksis
        label: Praksis
        patterns:
          - [{LEMMA: få}, {LOWR: praksisplass}]
  - id: tom
    label: Tom
"""


# Two themes with a glob at each end: the shard and streamed-results tests code one corpus with it.
MINI_TWO_THEMES = """
codebook: mini
language: nb
codes:
  - id: arbeid
    label: Arbeid
    terms: [jobb, "arbeidsgiver*"]
  - id: sprak
    label: Språk
    terms: ["*opplæring", norsk]
"""
