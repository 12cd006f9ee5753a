"""The pseudonym key: one pseudonym per original, kept in a CSV file apart from the data.

Columns: original, pseudonym, kind, first_seen (file:line of the first occurrence). An
existing key is read first and kept, so interviews added later get the same pseudonyms and
numbering goes on where it stopped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from mimres_cli.anonymize.kinds import KINDS
from mimres_cli.anonymize.lists import name_lists
from mimres_cli.anonymize.tables import read_rows
from mimres_cli.errors import CorpusError, Where

KEY_COLUMNS = ("original", "pseudonym", "kind", "first_seen")
_NUMBERED = re.compile(r"^\[(?P<label>[^\]\-]+)-(?P<n>\d+)\]$")


@dataclass
class KeyEntry:
    original: str
    pseudonym: str
    kind: str
    first_seen: str


class PseudonymKey:
    """Originals and their pseudonyms; `pseudonym()` gives the one of an original, making it
    the first time. `realistic` gives people Norwegian names of the same gender where the
    name lists know it (other kinds keep numbered labels)."""

    def __init__(self, realistic: bool = False) -> None:
        self.entries: dict[str, KeyEntry] = {}
        self.realistic = realistic
        self._numbers: dict[str, int] = {}
        self.added = 0

    @classmethod
    def read(cls, path: Path, realistic: bool = False) -> PseudonymKey:
        """Read a key file written earlier. Raises CorpusError for a file that is not one."""
        key = cls(realistic)
        rows = read_rows(
            path,
            KEY_COLUMNS,
            "pseudonym key",
            "Give the key file written by an earlier 'mimres anonymize --key'",
            "E110",
        )
        for line, row in rows:
            original, pseudonym = row["original"] or "", row["pseudonym"] or ""
            if not original or not pseudonym or row["kind"] not in KINDS:
                raise CorpusError(
                    f"a key row needs an original, a pseudonym and a kind ({', '.join(KINDS)})",
                    where=Where(path, line),
                    fix="Correct or delete the row",
                    code="E110",
                )
            key._add(KeyEntry(original, pseudonym, row["kind"], row["first_seen"] or ""))
        key.added = 0
        return key

    def _add(self, entry: KeyEntry) -> None:
        self.entries[entry.original] = entry
        numbered = _NUMBERED.match(entry.pseudonym)
        if numbered:
            label = numbered["label"]
            self._numbers[label] = max(self._numbers.get(label, 0), int(numbered["n"]))
        self.added += 1

    def known(self) -> dict[str, str]:
        """original -> kind, for every entry."""
        return {e.original: e.kind for e in self.entries.values()}

    def pseudonyms(self) -> set[str]:
        return {e.pseudonym for e in self.entries.values()}

    def pseudonym(self, original: str, kind: str, where: str, gender: str | None = None) -> str:
        entry = self.entries.get(original)
        if entry is None:
            entry = KeyEntry(original, self._new(original, kind, gender), kind, where)
            self._add(entry)
        return entry.pseudonym

    def set_pseudonym(self, original: str, kind: str, pseudonym: str, where: str) -> None:
        """Give `original` the pseudonym a reviewer wrote."""
        entry = self.entries.get(original)
        if entry is None:
            self._add(KeyEntry(original, pseudonym, kind, where))
        else:
            entry.pseudonym = pseudonym

    def _new(self, original: str, kind: str, gender: str | None) -> str:
        if self.realistic and kind == "person":
            return self._realistic(original, gender)
        label = KINDS[kind].label
        # a full name takes the number of its first name, so "Amina" and "Amina Yusuf" agree
        head = original.split()[0] if kind == "person" and " " in original else None
        if head is not None and head in self.entries:
            return self.entries[head].pseudonym
        number = self._numbers.get(label, 0) + 1
        self._numbers[label] = number
        return f"[{label}-{number}]"

    def _realistic(self, original: str, gender: str | None) -> str:
        lists = name_lists()
        parts = original.split()
        taken = self.pseudonyms() | set(self.entries)
        head = parts[0]
        if len(parts) > 1 and head in self.entries:
            first = self.entries[head].pseudonym.split()[0]
        else:
            pool = lists.replacement_first.get(gender or "", ())  # type: ignore[call-overload]
            if not pool:
                pool = tuple(
                    sorted(
                        set(lists.replacement_first["female"])
                        | set(lists.replacement_first["male"])
                    )
                )
            first = _pick(pool, head, taken)
        if len(parts) == 1:
            return first
        taken_full = {p for p in taken if p.startswith(first + " ")}
        surnames = [f"{first} {s}" for s in lists.replacement_last]
        return _pick(tuple(surnames), original, taken_full)


def _pick(pool: tuple[str, ...], seed: str, taken: set[str]) -> str:
    """A member of `pool` not yet taken, the same for the same seed and key."""
    start = int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % len(pool)
    for step in range(len(pool)):
        candidate = pool[(start + step) % len(pool)]
        if candidate not in taken:
            return candidate
    suffix = 2
    while f"{pool[start]} {suffix}" in taken:
        suffix += 1
    return f"{pool[start]} {suffix}"


def key_csv(key: PseudonymKey) -> str:
    """The key as CSV text, in the order entries were made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(KEY_COLUMNS)
    for entry in key.entries.values():
        writer.writerow([entry.original, entry.pseudonym, entry.kind, entry.first_seen])
    return buffer.getvalue()
