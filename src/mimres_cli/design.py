"""The study design: the two interview attributes the main tables cross, and their display names.

By default a study crosses `municipality` and `group`; a project file (`design: [kommune,
informantgruppe]`), `corpus.yaml` or `--design kommune,informantgruppe` names others. Every
stage takes the attribute names from a `Design`; no other module names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mimres_cli.errors import MimresError, Where

#: The attributes every interview must have when no design is given.
DEFAULT_ATTRIBUTES = ("municipality", "group")
#: Display names of the default attributes, for reports.
DEFAULT_LABELS = {"municipality": "Kommune", "group": "Informantgruppe"}
#: Joins the attributes of a crossed grouping ("municipality+group") in `findings.csv`.
CROSS = "+"


@dataclass(frozen=True)
class Design:
    """Two attributes (rows, columns of the main tables) and a display name for each."""

    attributes: tuple[str, str] = DEFAULT_ATTRIBUTES
    labels: tuple[str, str] = (DEFAULT_LABELS["municipality"], DEFAULT_LABELS["group"])

    @property
    def rows(self) -> str:
        """The first attribute: the rows of the corpus overview."""
        return self.attributes[0]

    @property
    def columns(self) -> str:
        """The second attribute: the columns of the corpus overview."""
        return self.attributes[1]

    @property
    def crossed(self) -> str:
        """Both attributes crossed, as `--by` and the `by` column of findings.csv write it."""
        return CROSS.join(self.attributes)

    def label(self, attribute: str) -> str:
        """The display name of `attribute` ("Kommune"); other attributes as they are named."""
        if attribute in self.attributes:
            return self.labels[self.attributes.index(attribute)]
        return attribute

    def groupings(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The groupings of findings.csv in order: all, first, second, both crossed."""
        first, second = self.attributes
        return (
            ("all", ()),
            (first, (first,)),
            (second, (second,)),
            (self.crossed, (first, second)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The design as manifest.json records it."""
        return {"attributes": list(self.attributes), "labels": list(self.labels)}

    @classmethod
    def of(cls, attributes: Sequence[str], labels: Sequence[str] | None = None) -> Design:
        """A design of two attribute names; labels default to the names capitalised."""
        names = tuple(str(a).strip() for a in attributes)
        if len(names) != 2 or not all(names) or names[0] == names[1]:
            shown = ", ".join(names) or "nothing"
            raise MimresError(
                f"a design names two different attributes, not {shown}",
                fix="Give two interview attributes, e.g. 'kommune,informantgruppe'",
            )
        if labels is None:
            labels = [DEFAULT_LABELS.get(name, name[:1].upper() + name[1:]) for name in names]
        if len(labels) != 2:
            raise MimresError("a design has one label per attribute",
                              fix="Give two labels, e.g. [Kommune, Informantgruppe]")  # fmt: skip
        first, second = names
        return cls((first, second), (str(labels[0]), str(labels[1])))

    @classmethod
    def parse(cls, text: str) -> Design:
        """A design from the command line: "kommune,informantgruppe"."""
        return cls.of(text.split(","))

    @classmethod
    def from_data(cls, value: Any, where: Where | None = None) -> Design:
        """A design as a project file, corpus.yaml or manifest.json writes it.

        Accepted: `[kommune, informantgruppe]`, `{kommune: Kommune, informantgruppe: Gruppe}`
        (attribute: display name) or `{attributes: [...], labels: [...]}`.
        """
        try:
            if isinstance(value, Mapping) and "attributes" in value:
                return cls.of(list(value["attributes"]), value.get("labels"))
            if isinstance(value, Mapping):
                return cls.of([str(k) for k in value], [str(v) for v in value.values()])
            if isinstance(value, Sequence) and not isinstance(value, str):
                return cls.of([str(v) for v in value])
            if isinstance(value, str):
                return cls.parse(value)
        except MimresError as exc:
            raise MimresError(exc.message, where=where, fix=exc.fix) from None
        raise MimresError(
            "'design' is a list of two attributes",
            where=where,
            fix="Write e.g. 'design: [kommune, informantgruppe]'",
        )

    def __str__(self) -> str:
        return ",".join(self.attributes)


DEFAULT_DESIGN = Design()
