"""Charts for the report, drawn with matplotlib (no pyplot, no display) as PNG bytes.

PNG, not SVG: an SVG carries the `http://www.w3.org/2000/svg` namespace, and the report must
contain no URL at all. PNG metadata is fixed, so the same table gives the same bytes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

# Colour-blind-safe sequential map; the cell text carries the number, so colour is never alone.
_CMAP = "Blues"
_FONT = "DejaVu Sans"  # shipped with matplotlib; has æ, ø, å
_DPI = 130


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI for an <img src>."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def heatmap_png(panels: Mapping[str, pd.DataFrame]) -> bytes:
    """Heatmaps of share tables side by side (see `_heatmap`), as PNG bytes."""
    with rc_context({"font.family": _FONT}):
        return _heatmap(panels)


def saturation_png(table: pd.DataFrame, by: str | None = None, title: str = "") -> bytes:
    """Cumulative codes found against the number of interviews, one line per value of `by`."""
    with rc_context({"font.family": _FONT}):
        return _saturation(table, by, title)


def _heatmap(panels: Mapping[str, pd.DataFrame]) -> bytes:
    """Heatmaps of share tables from `findings.crosstab` side by side, one panel per table
    (titled with its key), sharing the code rows (themes bold); the All column is left out and
    each cell is labelled with its percent. The tables must have the same rows."""
    tables = list(panels.values())
    if not tables:
        raise ValueError("heatmap_png needs at least one table")
    first = tables[0]
    rows = len(first)
    widths = [len(_value_columns(t)) for t in tables]
    fig = Figure(figsize=(2.9 + 0.95 * sum(widths), 0.9 + 0.24 * max(rows, 1)), dpi=_DPI)
    grid = fig.add_gridspec(1, len(tables), width_ratios=widths, wspace=0.06)
    depths = first["depth"].astype(int).tolist() if "depth" in first else [0] * rows
    image = None
    for n, (title, table) in enumerate(panels.items()):
        values = _value_columns(table)
        data = table[values].to_numpy(dtype=float)
        ax = fig.add_subplot(grid[0, n])
        image = ax.imshow(data, cmap=_CMAP, vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_xticks(range(len(values)), [str(v) for v in values], fontsize=8)
        ax.xaxis.tick_top()
        if n == 0:
            ax.set_yticks(range(rows), [str(label) for label in first["label"]], fontsize=7.5)
            for tick, depth in zip(ax.get_yticklabels(), depths, strict=True):
                tick.set_fontweight("bold" if depth == 0 else "normal")
        else:
            ax.set_yticks([])
        for i in range(rows):
            for j in range(len(values)):
                value = data[i, j]
                ax.text(
                    j,
                    i,
                    f"{value:.0%}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if value >= 0.6 else "#1a1a1a",
                )
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(title, fontsize=9, fontweight="bold", pad=16)
    bar = fig.colorbar(
        image, ax=fig.axes, fraction=0.025, pad=0.015, format=lambda x, _: f"{x:.0%}"
    )
    bar.ax.tick_params(labelsize=7)
    return _png(fig)


def _value_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in ("code", "label", "depth", "All")]


def _saturation(table: pd.DataFrame, by: str | None, title: str) -> bytes:
    fig = Figure(figsize=(7.0, 3.4), dpi=_DPI)
    ax = fig.add_subplot()
    groups = table.groupby(by, sort=True) if by else [("Alle intervjuer", table)]
    markers = "osD^v"
    for n, (name, part) in enumerate(groups):
        label = name[0] if isinstance(name, tuple) else name
        ax.plot(
            part["position"],
            part["cumulative_codes"],
            marker=markers[n % len(markers)],
            markersize=4,
            linewidth=1.6,
            label=str(label),
        )
    ax.set_xlabel("Antall intervjuer", fontsize=8)
    ax.set_ylabel("Koder funnet (kumulativt)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_xticks(range(1, int(table["position"].max() or 1) + 1))
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=7, frameon=False)
    if title:
        ax.set_title(title, fontsize=9, loc="left")
    return _png(fig)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=0.08
    )
    return buffer.getvalue()
