"""Describe a codebook for people: a one-line summary and a Markdown appendix for a report."""

from __future__ import annotations

from mimres_cli.codebook.model import Code, Codebook

_RULE_KINDS = (
    "terms", "regex", "patterns", "near", "not_terms", "weak_terms", "not_near", "not_phrases",
    "question_not_terms",
)  # fmt: skip


def summarize_codebook(codebook: Codebook) -> str:
    """One line: how many codes, themes and rules of each kind (e.g. for `validate`)."""
    codes = list(codebook.walk())
    totals = dict.fromkeys(_RULE_KINDS, 0)
    for code in codes:
        for kind, count in code.rule_counts().items():
            totals[kind] += count
    rules = ", ".join(f"{kind}: {n}" for kind, n in totals.items() if n) or "no rules"
    return f"{_count(len(codes), 'code')} in {_count(len(codebook.codes), 'theme')}; {rules}"


def rule_summary(code: Code) -> str:
    """The code's rule counts and settings that differ from the defaults, in one line.

    For example "terms: 3, near: 1; negation: exclude".
    """
    counts = ", ".join(f"{kind}: {n}" for kind, n in code.rule_counts().items())
    settings = []
    if code.pos:
        settings.append(f"pos: {', '.join(code.pos)}")
    if code.negation != "flag":
        settings.append(f"negation: {code.negation}")
    if code.speakers != ("informant",):
        settings.append(f"speakers: {', '.join(code.speakers)}")
    if code.theme_min_terms:
        settings.append(f"theme_evidence: {code.theme_evidence_text}")
    return "; ".join(part for part in (counts, ", ".join(settings)) if part)


def codebook_markdown(codebook: Codebook) -> str:
    """A codebook appendix: per code its definition, when to use it, when not, and examples.

    Themes are `##` headings and each level below one `#` more (at most `######`).
    """
    lines = [f"# Codebook: {codebook.name}", ""]
    if codebook.description:
        lines += [codebook.description, ""]
    for code in codebook.walk():
        depth = code.path.count("/")
        lines += [f"{'#' * min(2 + depth, 6)} {code.label} (`{code.path}`)", ""]
        fields = [
            ("Definition", code.definition),
            ("When to use", code.when_to_use),
            ("When not to use", code.when_not_to_use),
        ]
        lines += [f"**{name}:** {text}  " for name, text in fields if text]
        if code.examples:
            lines.append("**Examples:** " + " ".join(f"«{e}»" for e in code.examples) + "  ")
        if code.has_rules or code.theme_min_terms:
            lines.append(f"**Rules:** {rule_summary(code)}")
        if lines[-1] != "":
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
