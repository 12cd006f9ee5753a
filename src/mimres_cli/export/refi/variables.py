"""Interview attributes as typed REFI-QDA variables (Text, Boolean, Integer, Float, Date)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from lxml import etree

from mimres_cli.corpus import Interview
from mimres_cli.design import DEFAULT_ATTRIBUTES
from mimres_cli.export.refi._xml import PROJECT_NS, tag, text_child
from mimres_cli.export.refi.qdc import stable_guid

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Variable:
    """An attribute of the interviews: its name, REFI type and GUID."""

    name: str
    type: str
    guid: str


def case_variables(
    interviews: list[Interview], first_keys: Sequence[str] = DEFAULT_ATTRIBUTES
) -> list[Variable]:
    """Every metadata key of the interviews (the design's attributes `first_keys`, then the
    rest), typed."""
    keys: dict[str, None] = {}
    for first in first_keys:
        if any(first in i.metadata for i in interviews):
            keys[first] = None
    for interview in interviews:
        for key in sorted(interview.metadata):
            keys.setdefault(key, None)
    variables = []
    for key in keys:
        values = [i.metadata.get(key) for i in interviews]
        values = [v for v in values if v is not None and v != ""]
        variables.append(Variable(key, _type_of(values), stable_guid("variable", key)))
    return variables


def _type_of(values: list[Any]) -> str:
    if not values:
        return "Text"
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "Float" if all(pd.notna(v) and abs(v) != float("inf") for v in values) else "Text"
    if all(isinstance(v, str) and _DATE.match(v) and _is_date(v) for v in values):
        return "Date"
    return "Text"


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_VALUE_ELEMENT = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue",
                  "Float": "FloatValue", "Date": "DateValue"}  # fmt: skip


def variable_values(
    parent: etree._Element, interview: Interview, variables: list[Variable]
) -> None:
    """Add one `VariableValue` per attribute the interview has, typed as its variable."""
    ns = PROJECT_NS
    for var in variables:
        value = interview.metadata.get(var.name)
        if value is None or value == "":
            continue
        element = etree.SubElement(parent, tag(ns, "VariableValue"))
        etree.SubElement(element, tag(ns, "VariableRef"), targetGUID=var.guid)
        text_child(element, ns, _VALUE_ELEMENT[var.type], _value_text(value, var.type))


def _value_text(value: Any, kind: str) -> str:
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float":
        # xsd:decimal has no exponent: 1e-07 must be written 0.0000001.
        return format(Decimal(repr(float(value))), "f")
    return str(value)
