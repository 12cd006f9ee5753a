"""`mimres codebook validate|show|explain|schema`: write and check codebooks before a long run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from mimres_cli.cli._console import err, out, print_problem, reports_errors
from mimres_cli.cli._options import (
    CodebooksOpt,
    CorpusOpt,
    ModelOpt,
    UnitChoice,
    UnitOpt,
    choices,
)
from mimres_cli.vocabulary import Role

if TYPE_CHECKING:
    from mimres_cli.codebook import CodebookCheck
    from mimres_cli.coding.explain import UnitExplanation

NAME = "codebook"
app = typer.Typer(no_args_is_help=True, help="Check, show and explain codebooks.")


ShowFormat = choices("ShowFormat", Literal["text", "markdown"])
RoleChoice = choices("RoleChoice", Role)


FilesArg = Annotated[
    list[Path], typer.Argument(help="YAML codebooks to check.", dir_okay=False, show_default=False)
]
FileArg = Annotated[Path, typer.Argument(help="A YAML codebook.", dir_okay=False)]
LemmasOpt = Annotated[
    bool,
    typer.Option(
        "--lemmas/--no-lemmas",
        help="Check terms and 'pos' against the spaCy pipeline (loads it): warn about terms "
        "that are not lemmas, and about 'pos' without a tagger.",
    ),
]


@app.command("validate")
@reports_errors
def validate_cmd(
    files: FilesArg,
    model: ModelOpt = None,
    lemmas: LemmasOpt = True,
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Also warn (W207) about terms in one written standard "
                     "only, with no equivalent, when this corpus has interviews in the other."),
    ] = None,
) -> None:  # fmt: skip
    """Check codebooks and print every problem as `mimres: error[E204]: file:line:col: message`.

    Exits 2 when there is an error; otherwise prints one summary line per codebook.

    Example: mimres codebook validate codebooks/integrering.yaml
    """
    from mimres_cli.codebook import check_codebook, pipeline_lemmatizer
    from mimres_cli.codebook.describe import summarize_codebook

    lemmatize, tagger = None, True
    if lemmas:
        from mimres_cli.nlp import load_pipeline

        pipeline = load_pipeline(model)
        lemmatize, tagger = pipeline_lemmatizer(pipeline.nlp), pipeline.info.has_tagger
    checks = [(path, check_codebook(path, lemmatize=lemmatize, tagger=tagger)) for path in files]
    if corpus is not None:
        checks = [(path, _with_standards(check, corpus)) for path, check in checks]
    errors = 0
    for _, check in checks:
        for problem in check.problems:
            print_problem(problem)
        errors += len(check.errors)
    if errors:
        warnings = sum(len(check.warnings) for _, check in checks)
        err.print(f"{errors} error(s), {warnings} warning(s) in {len(files)} codebook(s)",
                  highlight=False)  # fmt: skip
        raise typer.Exit(2)
    for path, check in checks:
        assert check.codebook is not None  # no errors: the model was built
        warned = f"; {len(check.warnings)} warning(s)" if check.warnings else ""
        out.print(f"{path}: valid, {summarize_codebook(check.codebook)}{warned}",
                  markup=False, highlight=False, soft_wrap=True)  # fmt: skip


def _with_standards(check: CodebookCheck, corpus: Path) -> CodebookCheck:
    """`check` with W207 for its terms in one standard only (see `one_standard_terms`)."""
    from dataclasses import replace

    from mimres_cli.codebook.equivalents import one_standard_terms
    from mimres_cli.corpus import check_corpus
    from mimres_cli.corpus.language import interview_language

    if check.codebook is None:
        return check
    languages = {interview_language(i) for i in check_corpus(corpus).interviews}
    found = one_standard_terms(check.codebook, languages)
    return replace(check, problems=(*check.problems, *found))


@app.command("show")
@reports_errors
def show_cmd(file: FileArg, fmt: Annotated[
    ShowFormat, typer.Option("--format", "-f", help="text: a tree; markdown: a report appendix.")
] = ShowFormat.text) -> None:  # fmt: skip
    """Show the code tree with labels, definitions and rule counts.

    Example: mimres codebook show codebooks/integrering.yaml --format markdown
    """
    from rich.text import Text
    from rich.tree import Tree

    from mimres_cli.codebook import load_codebook
    from mimres_cli.codebook.describe import codebook_markdown, rule_summary, summarize_codebook

    codebook = load_codebook(file)
    if fmt is ShowFormat.markdown:
        out.print(codebook_markdown(codebook), markup=False, highlight=False, soft_wrap=True,
                  end="")  # fmt: skip
        return
    tree = Tree(
        Text.from_markup(f"[bold]{_escape(codebook.name)}[/]: {summarize_codebook(codebook)}"),
        highlight=False,
    )
    nodes = {"": tree}
    for code in codebook.walk():
        parent = nodes[code.path.rpartition("/")[0]]
        text = f"[bold]{code.path}[/]  {_escape(code.label)}"
        rules = rule_summary(code)
        if rules:
            text += f"  [dim]({_escape(rules)})[/]"
        if code.definition:
            text += f"\n[italic]{_escape(code.definition)}[/]"
        nodes[code.path] = parent.add(Text.from_markup(text), highlight=False)
    out.print(tree)


@app.command("explain")
@reports_errors
def explain_cmd(
    code: Annotated[str, typer.Argument(help="Code path (arbeid/praksis) or a unique id.")],
    text: Annotated[str | None, typer.Option("--text", "-t", help="Explain on this text.")] = None,
    interview: Annotated[
        str | None,
        typer.Option("--interview", "-i", help="Explain on the units of this interview (id)."),
    ] = None,
    codebook: CodebooksOpt = None,
    corpus: CorpusOpt = None,
    model: ModelOpt = None,
    role: Annotated[
        RoleChoice, typer.Option("--role", help="Who speaks the --text.")
    ] = RoleChoice.informant,
    unit: UnitOpt = UnitChoice.turn,
) -> None:
    """Show the tokens with their lemmas and which rule of CODE matched or vetoed, and why.

    With --interview, shows the units of that interview where a rule of the code fired.

    Example: mimres codebook explain praksisplass --text "Jeg har ikke fått praksisplass."
    """
    from mimres_cli import workflow
    from mimres_cli.codebook import compile_codebooks, load_codebook
    from mimres_cli.coding.explain import explain
    from mimres_cli.nlp import load_pipeline

    if (text is None) == (interview is None):
        raise typer.BadParameter("give either --text or --interview")
    books = list(codebook or []) or workflow.default_codebooks()
    matcher = compile_codebooks([load_codebook(path) for path in books])
    if text is not None:
        pipeline, interviews = load_pipeline(model), []
    else:
        source = workflow.open_corpus(corpus, model=model)
        pipeline, interviews = source.pipeline, source.corpus
    found = explain(matcher, code, pipeline, text=text, interviews=interviews,
                    interview=interview, role=role.value, unit=unit.value)  # fmt: skip
    if interview is not None and not found.units:
        err.print(f"No rule of '{found.code}' fired in interview '{interview}'.", highlight=False)
    for number, item in enumerate(found.units):
        if number:
            out.print()
        _print_explanation(item, found.code)
    from rich.text import Text

    rules = matcher.codes[found.code]
    also = matcher.equivalents.of_terms((*rules.terms, *rules.not_terms))
    if also:
        pairs = "; ".join(f"{word} = {', '.join(others)}" for word, others in also.items())
        out.print(Text(f"Bokmål/Nynorsk equivalents of its terms: {pairs}"), soft_wrap=True)


@app.command("schema")
@reports_errors
def schema_cmd() -> None:
    """Print the JSON Schema of the codebook format (for editors: validation, completion).

    Example: mimres codebook schema > codebook.schema.json
    """
    from importlib import resources

    schema = resources.files("mimres_cli.codebook") / "codebook.schema.json"
    out.print(schema.read_text(encoding="utf-8"), markup=False, highlight=False,
              soft_wrap=True, end="")  # fmt: skip


_STYLES = {
    "term": "bold green",
    "regex": "bold green",
    "pattern": "bold green",
    "not_terms": "bold red",
    "weak": "green",
    "not_near": "red",
    "not_phrases": "red",
    "near": "cyan",
    "negator": "yellow",
}


def _print_explanation(item: UnitExplanation, code: str) -> None:
    from rich.table import Table
    from rich.text import Text

    header = f"{item.interview_id} · unit {item.unit_index} · {item.role}"
    out.print(header, style="bold", markup=False, highlight=False)
    sentence = Text(item.text)
    for token in item.tokens:
        if token.notes:
            kind = token.notes[0].split(" ", 1)[0]
            sentence.stylize(_STYLES.get(kind, "bold"), token.start, token.end)
    out.print(sentence, soft_wrap=True)
    table = Table(box=None, pad_edge=False, highlight=False)
    for column in ("#", "token", "lemma", "candidates", "pos", "rules"):
        table.add_column(column)
    for token in item.tokens:
        notes = "; ".join(token.notes) or ("(transcription mark)" if token.mark else "")
        table.add_row(str(token.index), Text(token.text), Text(token.lemma),
                      Text(", ".join(token.candidates)), token.pos, Text(notes))  # fmt: skip
    out.print(table)
    out.print(Text(f"→ {code}: {_verdict_text(item)}"), soft_wrap=True)
    if item.evidence and item.evidence != item.text:
        out.print(Text(f"  evidence: {item.evidence}"), soft_wrap=True)


def _verdict_text(item: UnitExplanation) -> str:
    verdict = item.verdict
    if verdict is None:
        return "not coded (no term, regex or pattern of the code matched)"
    if not verdict.applies:
        return f"not coded ({verdict.reason})"
    counted = "; ".join(f"{h.rule} '{h.pattern}' matched '{h.words}'" for h in verdict.counting)
    if verdict.question_turn >= 0:
        counted = f"question context: turn {verdict.question_turn} has {counted}"
    negated = ""
    if verdict.negated:
        words = {j.negation.word for j in verdict.hits if j.negation and not j.dropped}
        negated = f"; negated by {', '.join(sorted(words))}"
    return f"coded ({counted}){negated}"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
