"""A wide study, generated: 100 fictional municipalities × 2 groups, tiny transcripts.

Interview k (0..199) is in municipality k // 2 and group k % 2. Each informant says one turn
built from the phrases whose bit is set in k (see PHRASES): so which interviews each code reaches
is known from k alone (`expected_coded`). Municipality names carry æ, ø and å (Ørsta, Ål) so the
Norwegian order shows.
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_codebook, write_transcript

WIDE_CODEBOOK = """
codebook: bred
language: nb
codes:
  - id: arbeid
    label: Arbeid
    codes:
      - id: jobb
        label: Jobb
        terms: [jobb]
      - id: praksis
        label: Praksis
        terms: [praksisplass]
  - id: bolig
    label: Bolig
    terms: [bolig]
  - id: sprak
    label: Språk
    terms: [norskkurs]
"""
#: (bit, phrase, code) — interview k says the phrase when bit is set in k // 2 + k.
PHRASES = (
    (1, "Jeg har fått jobb.", "arbeid/jobb"),
    (2, "Praksisplass var fint.", "arbeid/praksis"),
    (4, "Boligen er god.", "bolig"),
    (8, "Norskkurs hver dag.", "sprak"),
)
GROUPS = ("flyktning", "arbeidsgiver")
_FIRST = ("Ål", "Ørsta", "Ærøy", "Aurland", "Bø", "Sel", "Vågå", "Lom", "Dovre", "Skjåk")
_SECOND = ("", "dal", "vik", "fjord", "haug", "li", "mo", "nes", "øy", "ås")


def municipalities() -> list[str]:
    """100 distinct fictional names (the first ten are the bare first parts: Ål, Ørsta, …)."""
    return [first + (second.lower() if second else "") for second in _SECOND for first in _FIRST]


def interviews() -> list[tuple[str, str, str, str]]:
    """(id, municipality, group, what the informant says) for the 200 interviews."""
    names = municipalities()
    rows = []
    for k in range(200):
        pattern = (k // 2 + k) % 16
        said = " ".join(p for bit, p, _ in PHRASES if pattern & bit) or "Det er stille her."
        rows.append((f"w{k:03d}", names[k // 2], GROUPS[k % 2], said))
    return rows


def expected_coded(code: str) -> set[str]:
    """Ids of the interviews the code (or a theme's codes) reaches."""
    found = set()
    for k, (interview_id, _, _, _) in enumerate(interviews()):
        pattern = (k // 2 + k) % 16
        if any(pattern & bit and (c == code or c.startswith(code + "/")) for bit, _, c in PHRASES):
            found.add(interview_id)
    return found


def write_wide_corpus(folder: Path) -> tuple[Path, Path]:
    """Write the 200 transcripts and the codebook into `folder`; return (corpus, codebook)."""
    corpus = folder / "bred"
    corpus.mkdir()
    for interview_id, municipality, group, said in interviews():
        write_transcript(
            corpus,
            f"{interview_id}.md",
            f"id: {interview_id}\nmunicipality: {municipality}\ngroup: {group}",
            f"I: Hvordan går det?\nInformant: {said}\n",
        )
    return corpus, write_codebook(folder, WIDE_CODEBOOK, "bred.yaml")
