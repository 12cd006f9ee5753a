"""Why a code was (not) given to a unit: its tokens, their lemmas, and the rules that fired."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mimres_cli.codebook.compile import EVIDENCE_RULES, CodeMatcher, Hit
from mimres_cli.codebook.model import Code
from mimres_cli.coding.apply import UnitKind, Verdict, judge_unit, judge_units
from mimres_cli.coding.apply import _gap as gap
from mimres_cli.coding.evidence import UnitContext, same_sentence, word_range
from mimres_cli.corpus.model import Interview, Role, Turn
from mimres_cli.errors import MimresError
from mimres_cli.nlp.parse import ParsedInterview, parse_interviews
from mimres_cli.nlp.pipeline import Pipeline
from mimres_cli.nlp.wordclass import word_classes
from mimres_cli.nlp.words import token_candidates


@dataclass(frozen=True)
class TokenNote:
    """One token of a unit as the matcher sees it, with the rules it takes part in."""

    index: int  # the token's index in its turn's Doc
    text: str
    lemma: str  # the pipeline's lemma
    candidates: tuple[str, ...]  # every form a term word may equal
    #: The tagger's part of speech; without a tagger, for a code with `pos`, the parts of
    #: speech Norsk Ordbank has readings of for the form ("NOUN/VERB"); else "".
    pos: str
    mark: bool  # a transcription mark: never a match
    start: int  # character offsets in the unit's text
    end: int
    notes: tuple[str, ...]  # e.g. "term 'praksisplass'", "negator (precedes)", "not_terms 'x'"


@dataclass(frozen=True)
class UnitExplanation:
    """One unit, its tokens, and the verdict for the code (None: no rule of it fired)."""

    interview_id: str
    unit_index: int
    role: str
    text: str
    tokens: tuple[TokenNote, ...]
    verdict: Verdict | None
    evidence: str = ""  # what the segment quotes: the coded sentence(s) or window, or ""


def interview_from_text(text: str, role: Role = "informant") -> Interview:
    """A one-turn interview holding `text`, spoken in `role`, for `explain --text`."""
    speaker = "Informant" if role == "informant" else "I"
    turn = Turn(index=0, speaker=speaker, role=role, start=0, end=len(text), text=text)
    return Interview(id="text", path=Path("<text>"), body=text, metadata={}, turns=(turn,))


@dataclass(frozen=True)
class Explanation:
    """What `explain` found: the code's path and the units it explains."""

    code: str
    units: list[UnitExplanation]


def explain(
    matcher: CodeMatcher,
    code: str,
    pipeline: Pipeline,
    *,
    text: str | None = None,
    interviews: Iterable[Interview] = (),
    interview: str | None = None,
    role: Role = "informant",
    unit: UnitKind = "turn",
) -> Explanation:
    """Explain `code` (a path, or an id used by one code) on `text`, spoken in `role`, or on
    the units of the interview with id `interview` among `interviews` where a rule of the
    code fired. Raises MimresError for a code without rules of its own (explain one of its
    children) and for an interview id that is not there.
    """
    path = matcher.find_code(code)
    if not matcher.codes[path].has_rules:
        children = [c.path for c in matcher.codes[path].children]
        raise MimresError(
            f"code '{path}' has no rules of its own (its child codes roll up into it)",
            fix=f"Explain one of its child codes: {', '.join(children[:5])}",
        )
    if text is not None:
        parsed = parse_interviews([interview_from_text(text, role)], pipeline)
        return Explanation(path, explain_code(parsed, matcher, path, unit=unit))
    chosen = [item for item in interviews if item.id == interview]
    if not chosen:
        raise MimresError(f"no interview '{interview}' in the corpus",
                          fix="Run 'mimres corpus' to list the interview ids")  # fmt: skip
    parsed = parse_interviews(chosen, pipeline)
    return Explanation(path, explain_code(parsed, matcher, path, unit=unit, only_hits=True))


def explain_code(
    parsed: Iterable[ParsedInterview],
    matcher: CodeMatcher,
    code: str,
    *,
    unit: UnitKind = "turn",
    only_hits: bool = False,
) -> list[UnitExplanation]:
    """Explain `code` (a path in `matcher`) on every unit; with `only_hits`, on the units
    where one of its rules (terms, regex, patterns, not_terms or near) found something."""
    explained = []
    ordbank = bool(matcher.codes[code].pos)  # show the Ordbank's classes where no tagger did
    for item in parsed:
        for one, verdicts in judge_units(item, matcher, unit):
            hits = [h for h in matcher.scan(one.span, one.skip) if h.code == code]
            verdict = next((v for v in verdicts if v.code == code), None)
            if only_hits and not hits and verdict is None:
                continue
            if verdict is None and hits:  # the role is one no code applies to
                verdict = next(iter(judge_unit(one, matcher, hits)), None)
            notes: dict[int, list[str]] = {}
            for hit in hits:
                label = f"{hit.rule} '{hit.pattern}'"
                if hit.rule in EVIDENCE_RULES and hit.rejected:
                    label += f" (does not count: {hit.rejected})"
                for i in range(hit.first, hit.last + 1):
                    notes.setdefault(i, []).append(label)
            for judged in verdict.hits if verdict else ():
                if judged.dropped and not judged.hit.rejected:
                    for i in range(judged.hit.first, judged.hit.last + 1):
                        notes.setdefault(i, []).append(f"does not count: {judged.dropped}")
                if judged.negation is not None:
                    notes.setdefault(judged.negation.index, []).append(
                        f"negator ({judged.negation.how} '{judged.hit.words}')"
                    )
            if verdict is not None and matcher.codes[code].scope == "sentence":
                context = UnitContext.of(one.span, one.skip)
                for i, more in _other_sentence(matcher.codes[code], verdict, hits, context):
                    notes.setdefault(i, []).append(more)
            offset = one.start - one.turn.start  # the unit's text starts here in the Doc
            tokens = tuple(
                TokenNote(
                    index=t.i,
                    text=t.text,
                    lemma=t.lemma_,
                    candidates=token_candidates(t),
                    pos=t.pos_ or (ordbank and "/".join(sorted(word_classes(t.text)))) or "",
                    mark=t.i in one.skip,
                    start=t.idx - offset,
                    end=t.idx + len(t.text) - offset,
                    notes=tuple(dict.fromkeys(notes.get(t.i, ()))),
                )
                for t in one.span
                if not t.is_space
            )
            quoted = ""
            evidence = verdict.evidence if verdict is not None and verdict.applies else None
            if evidence is not None and verdict is not None and verdict.question_turn < 0:
                doc_text = one.span.doc.text
                quoted = doc_text[evidence.start : evidence.end]
            explained.append(UnitExplanation(item.interview.id, one.index, one.turn.role,
                                             one.text, tokens, verdict, quoted))  # fmt: skip
    return explained


def _other_sentence(
    code: Code, verdict: Verdict, hits: list[Hit], context: UnitContext
) -> list[tuple[int, str]]:
    """Notes (token index, text) on the partners a `scope: sentence` code did not count because
    they lie in another sentence than its hit: a `near` term that is within reach of a hit
    with none in its own sentence, a `not_near` term that would have vetoed a hit, and the
    other term a counting weak term needs when every such term is in another sentence."""
    where = "in another sentence (scope: sentence)"
    notes: list[tuple[int, str]] = []

    def note(hit: Hit, text: str) -> None:
        notes.extend((i, text) for i in range(hit.first, hit.last + 1))

    before, sentences = context.before, context.sentences
    for judged in verdict.hits:
        hit = judged.hit
        for rule, constraints in (("near", code.near), ("not_near", code.not_near)):
            for number, constraint in enumerate(constraints):
                close = [other for other in hits if other.rule == rule and other.near == number
                         and gap(*word_range(hit, before), *word_range(other, before),
                                 constraint.side) <= constraint.within]  # fmt: skip
                if not close or any(same_sentence(hit, other, sentences) for other in close):
                    continue
                other = close[0]
                effect = "does not count for" if rule == "near" else "does not veto"
                note(other, f"{where}: {effect} '{hit.words}'")
                note(hit, f"{rule} '{other.words}' within {constraint.where} is {where}")
    counting = [judged.hit for judged in verdict.hits if not judged.dropped]
    used = set(verdict.evidence.hits) if verdict.evidence is not None else set()
    for weak in (hit for hit in counting if hit.rule == "weak" and hit not in used):
        partners = [other for other in counting if other.rule != "weak"
                    or other.pattern.lower() != weak.pattern.lower()]  # fmt: skip
        if partners and not any(same_sentence(weak, other, sentences) for other in partners):
            note(weak, f"does not count: its partner '{partners[0].words}' is {where}")
    return notes
