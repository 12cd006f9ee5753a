"""Speaker roles: which labels are the interviewer's and which the informant's.

A label's role comes from, first to last: the interview's own mapping (front matter
`speakers:`, `interviewer:`, `informant:`, or the `interviewer`/`informant` columns of the
metadata sheet), the corpus-level mapping (the `roles=` argument of load_corpus, a `speakers:`
block in corpus.yaml, a `speakers` sheet in interviews.xlsx), the default interviewer labels
(`I`, `Int`, `Intervjuer`, `Interviewer`), and otherwise informant. Labels are compared
case-insensitively.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from mimres_cli.corpus.model import Role, Turn
from mimres_cli.corpus.turns import DEFAULT_INTERVIEWER_LABELS
from mimres_cli.errors import CorpusError, Where

#: Words accepted for a role, Norwegian and English.
ROLE_ALIASES: dict[str, Role] = {
    "interviewer": "interviewer",
    "intervjuer": "interviewer",
    "i": "interviewer",
    "int": "interviewer",
    "forsker": "interviewer",
    "informant": "informant",
    "inf": "informant",
    "deltaker": "informant",
    "participant": "informant",
    "respondent": "informant",
}

# Labels written by automatic speaker diarisation (Whisper + pyannote, WhisperX, NB-Whisper):
# they say nothing about who speaks, so they need an explicit role.
_GENERIC = re.compile(r"(?:speaker|spk|taler|person)[ _-]?\d+", re.IGNORECASE)


def parse_role(value: Any, label: str, where: Where) -> Role:
    """The role a mapping gives `label`; CorpusError naming the accepted words otherwise."""
    role = ROLE_ALIASES.get(str(value).strip().casefold())
    if role is None:
        raise CorpusError(
            f"speaker '{label}' has role '{value}', which is not a role",
            where=where,
            fix="Use 'interviewer' or 'informant'",
        )
    return role


def parse_speakers(mapping: Any, where: Where) -> dict[str, Role]:
    """A `{label: role}` mapping, checked, with casefolded labels as keys."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise CorpusError(
            "'speakers' is not a mapping of labels to roles",
            where=where,
            fix="Write one 'LABEL: interviewer' or 'LABEL: informant' per line under 'speakers:'",
        )
    return {str(k).strip().casefold(): parse_role(v, str(k), where) for k, v in mapping.items()}


def labels_with_role(value: Any, role: Role) -> dict[str, Role]:
    """`interviewer: [Forsker, I2]` or `informant: "A; B"` → {label: role}."""
    if value in (None, ""):
        return {}
    items = value if isinstance(value, list) else re.split(r"[;,]", str(value))
    return {str(x).strip().casefold(): role for x in items if str(x).strip()}


def interview_speakers(front_matter: Mapping[str, Any], where: Where) -> dict[str, Role]:
    """The roles an interview's front matter gives: `speakers:`, `interviewer:`, `informant:`."""
    roles = parse_speakers(front_matter.get("speakers"), where)
    for key in ("interviewer", "informant"):
        for label, role in labels_with_role(front_matter.get(key), key).items():
            if roles.get(label, role) != role:
                raise CorpusError(
                    f"speaker '{label}' is given two roles in the front matter",
                    where=where,
                    fix="Give each label one role",
                )
            roles[label] = role
    return roles


def assign_roles(
    turns: tuple[Turn, ...],
    interview: Mapping[str, Role],
    corpus: Mapping[str, Role],
    *,
    complete: bool = False,
) -> tuple[tuple[Turn, ...], list[str]]:
    """Turns with their final roles, and the labels whose role was only a guess.

    A label is unknown when nothing maps it and it is either a diarisation label such as
    `SPEAKER_00`, or the interview's mapping is meant to be `complete` (a `speakers:` block).
    Unknown labels are treated as informant.
    """
    out = []
    unknown: list[str] = []
    for turn in turns:
        key = turn.speaker.strip().casefold()
        role: Role | None = interview.get(key) or corpus.get(key)
        if role is None:
            role = "interviewer" if key in DEFAULT_INTERVIEWER_LABELS else "informant"
            guessed = (_GENERIC.fullmatch(key) or complete) and role == "informant"
            if guessed and turn.speaker not in unknown:
                unknown.append(turn.speaker)
        out.append(dataclasses.replace(turn, role=role))
    return tuple(out), unknown


#: Front-matter keys whose values name the interview's speakers, so that their labels always
#: start a turn (a label of many words that occurs once is otherwise read as text).
LABEL_KEYS = ("speaker", "speakers", "participants", "interviewer", "informant")


def declared_labels(front_matter: Mapping[str, Any]) -> list[str]:
    """The speaker labels an interview's front matter names (see LABEL_KEYS)."""
    labels: list[str] = []
    for key in LABEL_KEYS:
        value = front_matter.get(key)
        if isinstance(value, Mapping):
            labels.extend(str(k) for k in value)
        elif isinstance(value, list):
            labels.extend(str(x) for x in value if not isinstance(x, Mapping | list))
        elif value not in (None, ""):
            labels.extend(str(value).split(";"))
    return [label.strip() for label in labels if label.strip()]
