"""Exemplar quotes for a code, balanced across cells of metadata, chosen reproducibly."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import pandas as pd

from mimres_cli.corpus.marks import FILLERS, find_marks
from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.findings.collate import nb_key
from mimres_cli.findings.tables import check_attributes, select_codes


def quote_columns(design: Design = DEFAULT_DESIGN) -> list[str]:
    """The columns of `quotes()`: the design's attributes after the speaker."""
    return ["code", "interview_id", "speaker", *design.attributes,
            "unit_index", "start", "end", "matched", "words", "quote"]  # fmt: skip


QUOTE_COLUMNS = quote_columns()
ELLIPSIS = "…"


def quotes(
    segments: pd.DataFrame,
    codes: pd.DataFrame,
    code: str,
    *,
    by: Sequence[str] | None = None,
    n: int = 1,
    seed: int = 0,
    max_chars: int = 300,
    design: Design = DEFAULT_DESIGN,
    raw: bool = False,
) -> pd.DataFrame:
    """Up to `n` quotes for `code` (its whole subtree) per cell of `by`, cells in sorted order.

    A unit coded with several codes of the subtree is one candidate, its matched words merged
    and its evidence spans joined. Within a cell, candidates are ranked by a hash of (seed,
    interview, unit), so the same seed always picks the same quotes whatever else is in the
    table, and interviews take turns so that one talkative informant does not fill a cell.
    `quote` is the segment's evidence (the sentence or window that was coded, not the whole
    turn; `start`/`end` are its offsets in the body) trimmed to `max_chars` around the first
    match (0 keeps it whole). The `by` columns follow
    `quote_columns(design)` when they are not among them. `by` defaults to the design's
    attributes. The quote is report-ready (`clean_quote`: pauses "…", fillers and overlap
    marks dropped, notes kept in brackets) unless `raw`.
    """
    by = list(design.attributes if by is None else by)
    columns = quote_columns(design)
    check_attributes(segments, [*by, *design.attributes])
    paths = set(select_codes(codes, code)["code"].astype(str))
    chosen = segments[segments["code"].astype(str).isin(paths)]
    extra = [c for c in by if c not in columns]
    if chosen.empty:
        return pd.DataFrame(columns=[*columns, *extra])
    units: dict[tuple[str, int], dict] = {}
    for record in chosen.to_dict(orient="records"):
        key = (str(record["interview_id"]), int(record["unit_index"]))
        if key in units:
            seen = units[key]["matched"].split("; ")
            more = [w for w in str(record["matched"]).split("; ") if w and w not in seen]
            units[key]["matched"] = "; ".join([*seen, *more])
            _join_evidence(units[key], record)
        else:
            units[key] = {**record, "code": code.strip("/"), "rank": _rank(seed, *key)}
    cells: dict[tuple, list[dict]] = {}
    for unit in units.values():
        cells.setdefault(tuple(str(unit[c]) for c in by), []).append(unit)
    picked = []
    for cell in sorted(cells, key=lambda values: [nb_key(v) for v in values]):
        picked.extend(_balanced(cells[cell], n))
    result = pd.DataFrame(picked)
    result["quote"] = [
        trim(str(t) if raw else clean_quote(str(t)), str(m), max_chars)
        for t, m in zip(result["evidence"], result["matched"], strict=True)
    ]
    result["start"], result["end"] = result["evidence_start"], result["evidence_end"]
    return result[[*columns, *extra]].reset_index(drop=True)


def _join_evidence(unit: dict, record: dict) -> None:
    """Widen the evidence of `unit` to cover that of `record` (another code, the same unit)."""
    start = min(int(unit["evidence_start"]), int(record["evidence_start"]))
    end = max(int(unit["evidence_end"]), int(record["evidence_end"]))
    offset = int(unit["start"])
    unit["evidence"] = str(unit["text"])[start - offset : end - offset]
    unit["evidence_start"], unit["evidence_end"] = start, end


def _rank(seed: int, interview_id: str, unit_index: int) -> str:
    return hashlib.sha256(f"{seed}\x1f{interview_id}\x1f{unit_index}".encode()).hexdigest()


def _balanced(cell: list[dict], n: int) -> list[dict]:
    """Take `n` units, round-robin over the cell's interviews, each in hash order."""
    by_interview: dict[str, list[dict]] = {}
    for unit in sorted(cell, key=lambda u: u["rank"]):
        by_interview.setdefault(str(unit["interview_id"]), []).append(unit)
    queues = list(by_interview.values())  # ordered by each interview's best rank
    picked: list[dict] = []
    depth = 0
    while len(picked) < n and any(depth < len(q) for q in queues):
        picked.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return picked[:n]


def match_spans(text: str, matched: str) -> list[tuple[int, int]]:
    """Character spans in `text` of the words in `matched` ("; "-joined), merged, in order."""
    spans: list[tuple[int, int]] = []
    for words in filter(None, matched.split("; ")):
        pattern = r"\s+".join(re.escape(w) for w in words.split())
        for found in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, flags=re.IGNORECASE):
            spans.append(found.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def trim(text: str, matched: str, max_chars: int) -> str:
    """`text` cut to about `max_chars` around its first match, at word boundaries, with "…".

    Line breaks become spaces. With max_chars 0, or text that fits, only the spacing changes.
    """
    text = " ".join(text.split())
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    spans = match_spans(text, matched)
    start, end = spans[0] if spans else (0, 0)
    room = max(0, max_chars - (end - start))
    left = max(0, start - room // 2)
    right = min(len(text), left + max(max_chars, end - start))
    left = max(0, right - max_chars) if right == len(text) else left
    if left > 0:
        cut = text.find(" ", left)
        left = cut + 1 if 0 <= cut < start else left
    if right < len(text):
        cut = text.rfind(" ", end, right)
        right = cut if cut > end else right
    return (
        (ELLIPSIS if left > 0 else "")
        + text[left:right].strip()
        + (ELLIPSIS if right < len(text) else "")
    )


_PAUSE = re.compile(r"^(?:#+|\((?:\.+|…)\)|\[(?:lang |kort )?pause\])$", re.IGNORECASE)
_TIME = re.compile(r"^\[[\d:.,]+\]$")
_NOTE = re.compile(r"^[\[(](.+)[\])]$")
_FILLER = re.compile("^(?:" + "|".join(FILLERS) + ")$", re.IGNORECASE)


def clean_quote(text: str) -> str:
    """`text` for a report: the transcription marks that `corpus.marks` knows normalised.

    Pauses (`#`, `##`, `(.)`, `(...)`, `[pause]`) become "…"; fillers (e, eh, hm …), overlap
    marks (`*`), time codes and truncated words (`s-`) are dropped; notes (`[ler]`, `(ler)`,
    `[uhørbart]`) are kept in square brackets. Spacing before punctuation is tidied.
    """
    out, last = [], 0
    for start, end in find_marks(text):
        out.append(text[last:start])
        mark = text[start:end]
        if _PAUSE.match(mark):
            out.append(" " + ELLIPSIS + " ")
        elif _TIME.match(mark) or mark == "*" or _FILLER.match(mark) or mark.endswith("-"):
            out.append(" ")
        elif note := _NOTE.match(mark):
            out.append(f"[{note.group(1).strip()}]")
        else:
            out.append(" ")
        last = end
    out.append(text[last:])
    cleaned = re.sub(r"\.{3,}", f" {ELLIPSIS} ", "".join(out))  # "..." as written: a pause too
    cleaned = " ".join(cleaned.split())
    cleaned = re.sub(rf"(?:{ELLIPSIS}\s*)+{ELLIPSIS}", ELLIPSIS, cleaned)  # "… …" → "…"
    cleaned = re.sub(r"\s+([,.!?;:])", r"\1", cleaned)
    cleaned = re.sub(rf"{ELLIPSIS}\s+([,.!?;:])", rf"{ELLIPSIS}\1", cleaned)
    cleaned = re.sub(rf"([,;:])\s*{ELLIPSIS}", rf"\1 {ELLIPSIS}", cleaned)
    return cleaned.strip(" ,;:")
