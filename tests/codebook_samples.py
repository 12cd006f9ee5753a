"""Codebooks shared by the library and CLI tests of `codebook validate`."""

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
