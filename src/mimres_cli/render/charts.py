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
from matplotlib.patches import Rectangle

from mimres_cli.findings import is_small
from mimres_cli.render.terminal import SMALL_MARK

# Colour-blind-safe sequential map; the cell text carries the number, so colour is never alone.
_CMAP = "Blues"
_FONT = "DejaVu Sans"  # shipped with matplotlib; has æ, ø, å
_DPI = 130


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI for an <img src>."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def heatmap_png(
    panels: Mapping[str, pd.DataFrame], totals: Mapping[str, pd.DataFrame] | None = None
) -> bytes:
    """Heatmaps of share tables side by side (see `heatmap_figure`), as PNG bytes."""
    with rc_context({"font.family": _FONT}):
        return _png(heatmap_figure(panels, totals))


def saturation_png(table: pd.DataFrame, by: str | None = None, title: str = "") -> bytes:
    """Cumulative codes found against the number of interviews, one line per value of `by`."""
    with rc_context({"font.family": _FONT}):
        return _saturation(table, by, title)


#: Most value columns in one heatmap panel; wider tables are split into several panels.
MAX_PANEL_COLUMNS = 25
#: Size of one heatmap cell, in inches (at _DPI: about 47 × 34 px), whatever the table's size.
CELL_WIDTH = 0.36
CELL_HEIGHT = 0.26
_CHAR = 0.075  # inches per character of a tick label at the label font size


def heatmap_size(
    rows: int, columns: int, label_chars: int, header_chars: int
) -> tuple[float, float]:
    """The figure size (inches) that gives every cell CELL_WIDTH × CELL_HEIGHT: the cells plus
    room for the row labels (left) and the column labels (rotated, on top) and the colour bar."""
    width = 0.6 + _CHAR * label_chars + CELL_WIDTH * columns + 0.9
    height = 0.5 + _CHAR * header_chars + CELL_HEIGHT * max(rows, 1)
    return width, height


def heatmap_figure(
    panels: Mapping[str, pd.DataFrame], totals: Mapping[str, pd.DataFrame] | None = None
) -> Figure:
    """Heatmaps of share tables from `findings.crosstab` side by side, one panel per table
    (titled with its key), sharing the code rows (themes bold); the All column is left out and
    each cell is labelled with its percent. The tables must have the same rows. Every cell has
    the same size (CELL_WIDTH × CELL_HEIGHT), so a wide table makes a wide image, not small
    cells: split tables wider than MAX_PANEL_COLUMNS first (`panel_slices`).

    `totals` (the `interviews` crosstabs under the same keys, same rows and columns) marks the
    cells of fewer than SMALL_CELL interviews: SMALL_MARK after the percent and a hatch over
    the cell (the figure's caption carries the footnote)."""
    tables = list(panels.values())
    if not tables:
        raise ValueError("heatmap_png needs at least one table")
    first = tables[0]
    rows = len(first)
    widths = [len(_value_columns(t)) for t in tables]
    labels = max((len(str(label)) + 2 for label in first["label"]), default=4)
    headers = max((len(str(v)) for t in tables for v in _value_columns(t)), default=4)
    width, height = heatmap_size(rows, sum(widths), labels, headers)
    fig = Figure(figsize=(width + 0.1 * len(tables), height + 0.3), dpi=_DPI)
    grid = fig.add_gridspec(1, len(tables), width_ratios=widths, wspace=0.06)
    depths = first["depth"].astype(int).tolist() if "depth" in first else [0] * rows
    image = None
    for n, (title, table) in enumerate(panels.items()):
        values = _value_columns(table)
        data = table[values].to_numpy(dtype=float)
        sizes = totals[title][values].to_numpy(dtype=float) if totals is not None else None
        ax = fig.add_subplot(grid[0, n])
        image = ax.imshow(data, cmap=_CMAP, vmin=0.0, vmax=1.0, aspect="auto")
        rotate = 90 if max((len(str(v)) for v in values), default=0) > 4 else 0
        ax.set_xticks(range(len(values)), [str(v) for v in values], fontsize=8, rotation=rotate)
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
                small = sizes is not None and is_small(int(sizes[i, j]))
                color = "white" if value >= 0.6 else "#1a1a1a"
                if small:  # hatched, in the text's colour, so it shows on light and dark cells
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="////",
                                           edgecolor=color, linewidth=0, alpha=0.35))  # fmt: skip
                ax.text(
                    j,
                    i,
                    f"{value:.0%}" + (SMALL_MARK if small else ""),
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color=color,
                )
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(title, fontsize=9, fontweight="bold", pad=8)
    bar = fig.colorbar(
        image, ax=fig.axes, fraction=0.025, pad=0.015, format=lambda x, _: f"{x:.0%}"
    )
    bar.ax.tick_params(labelsize=7)
    return fig


def panel_slices(columns: int, most: int = MAX_PANEL_COLUMNS) -> list[slice]:
    """Split `columns` value columns into panels of at most `most`, as even as possible."""
    if columns <= most:
        return [slice(0, columns)]
    count = -(-columns // most)
    size = -(-columns // count)
    return [slice(k, min(k + size, columns)) for k in range(0, columns, size)]


def _value_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in ("code", "label", "depth", "All")]


def _saturation(table: pd.DataFrame, by: str | None, title: str) -> bytes:
    from matplotlib.ticker import MaxNLocator

    from mimres_cli.findings import nb_sorted

    fig = Figure(figsize=(7.0, 3.4), dpi=_DPI)
    ax = fig.add_subplot()
    if by:
        groups = [(value, table[table[by] == value]) for value in nb_sorted(table[by].unique())]
    else:
        groups = [("Alle intervjuer", table)]
    markers = "osD^v"
    dense = len(table) > 40  # markers on 400 points make a black bar
    for n, (name, part) in enumerate(groups):
        ax.plot(
            part["position"],
            part["cumulative_codes"],
            marker=None if dense else markers[n % len(markers)],
            markersize=4,
            linewidth=1.6,
            label=str(name),
        )
    ax.set_xlabel("Antall intervjuer", fontsize=8)
    ax.set_ylabel("Koder funnet (kumulativt)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True, min_n_ticks=1))
    ax.set_xlim(left=1 if len(table) else 0)
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(groups) > 8:
        ax.legend(fontsize=6, frameon=False, ncols=2, loc="upper left", bbox_to_anchor=(1.01, 1))
    else:
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
