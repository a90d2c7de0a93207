"""The dashboard's charts: SVG drawn on the server by matplotlib (no script in the browser).

Every chart is shown next to a table with the same figures, and carries a text description.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: draw to files only
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, and readable

import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)

INK, ACCENT, SOFT, WARN = "#1d2327", "#1f5c43", "#8fc1a6", "#b04a1f"


def _svg(fig: object) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    text = out.getvalue()
    return text[text.index("<svg") :]  # the element only, without the XML prologue


def daily_chart(
    days: Sequence[str],
    conversations: Sequence[int],
    resolved: Sequence[int],
    handoffs: Sequence[int],
) -> str:
    """Conversations per day as bars, resolved and handed off as lines."""
    fig, ax = plt.subplots(figsize=(9, 3), dpi=100)
    x = range(len(days))
    ax.bar(x, conversations, color=SOFT, label="conversations")
    ax.plot(x, resolved, color=ACCENT, marker="o", markersize=3, label="resolved")
    ax.plot(x, handoffs, color=WARN, marker="o", markersize=3, label="handed off")
    step = max(1, len(days) // 10)
    ax.set_xticks(list(x)[::step], [d[5:] for d in days][::step], fontsize=8)
    ax.tick_params(colors=INK, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.set_ylabel("per day (UTC)", fontsize=8)
    return _svg(fig)


def bar_chart(labels: Sequence[str], values: Sequence[float], unit: str = "") -> str:
    """Horizontal bars, one per label, with the value written at the end of each."""
    fig, ax = plt.subplots(figsize=(4.5, 0.35 * max(len(labels), 2) + 0.6), dpi=100)
    y = range(len(labels))
    ax.barh(y, values, color=ACCENT)
    ax.set_yticks(list(y), list(labels), fontsize=8)
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:.0%}" if unit == "%" else f" {v:g}", va="center", fontsize=8, color=INK)
    if unit == "%":
        ax.set_xlim(0, 1.15)
        ax.set_xticks([0, 0.5, 1], ["0%", "50%", "100%"], fontsize=8)
    ax.tick_params(colors=INK, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
