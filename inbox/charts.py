"""Bar charts of the protected counts, drawn on the server as SVG (matplotlib, no script)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from core.request_counts import CountTable

MAX_MONTHS = 12
# matplotlib writes a <style> element; the inbox's policy allows no inline style, and the chart
# needs none (every attribute it draws with is written on its element).
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_COLOURS = ("#0b4f8a", "#e07b00", "#2a7d2e", "#8a1c0b", "#6a3d9a", "#7a7a7a", "#b58900", "#1b9e9e")


def bar_chart(table: CountTable, label: Callable[[str], str], title: str) -> str:
    """Stacked bars of the visible counts, one bar per month (oldest first); hidden counts are left out."""
    from matplotlib.figure import Figure  # imported on first use: matplotlib is slow to load

    months = [month for month, _ in reversed(table.months[:MAX_MONTHS])]
    rows = dict(table.months)
    figure = Figure(figsize=(7.5, 3.2), dpi=100)
    axes = figure.add_subplot()
    bottoms = [0] * len(months)
    for index, category in enumerate(table.categories):
        heights = [rows[month].cells.get(category) or 0 for month in months]
        if not any(heights):
            continue
        axes.bar(
            months, heights, bottom=bottoms, label=label(category), color=_COLOURS[index % len(_COLOURS)]
        )
        bottoms = [low + high for low, high in zip(bottoms, heights, strict=True)]
    axes.set_title(title, fontsize=11)
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if any(bottoms):
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    output = io.StringIO()
    figure.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
    return _STYLE.sub("", output.getvalue())
