"""Charts of a bench result: total time per N (sequential vs aiohttp vs fanin) and a per-source waterfall.

    /usr/bin/python3 bench/lib/charts.py bench/results/<timestamp>.json [out_dir]

Uses Debian's python3-matplotlib (Agg backend, no display).
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"ideal": "#999999", "sequential": "#d62728", "aiohttp": "#1f77b4", "fanin": "#2ca02c"}


def total_time(out, path):
    rows = out.get("fanout") or []
    if not rows:
        return None
    labels = ["N=%d\n(%d ms)" % (r["n"], r["delay_ms"]) for r in rows]
    series = [("ideal", [r["ideal_ms"] for r in rows])]
    if all(r.get("sequential") for r in rows):
        series.append(("sequential", [r["sequential"]["median_ms"] for r in rows]))
    series += [("aiohttp", [r["aiohttp"]["median_ms"] for r in rows]),
               ("fanin", [r["fanin"]["median_ms"] for r in rows])]
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    width = 0.8 / len(series)
    for i, (name, vals) in enumerate(series):
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(rows))]
        bars = ax.bar(xs, vals, width, label=name, color=COLORS[name])
        for x, v in zip(xs, vals):
            txt = ("%.1f s" % (v / 1000)) if v >= 10000 else ("%.0f" % v)
            ax.text(x, v * 1.08, txt, ha="center", va="bottom", fontsize=7, rotation=90)
        del bars
    ax.set_yscale("log")
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(labels)
    ax.set_ylabel("total time of one aggregation, ms (log scale)")
    ax.set_title("Fan-out, concurrency = N, one aggregation at a time (median)\n%s, %s cpus" % (
        out.get("timestamp", ""), (out.get("machine") or {}).get("cpus")))
    top = max(max(v) for _, v in series)
    ax.set_ylim(bottom=min(min(v) for _, v in series) * 0.5, top=top * 6)
    ax.legend(loc="upper left", ncol=len(series))
    ax.grid(axis="y", which="both", alpha=0.25)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def waterfall(out, path):
    rows = [r for r in (out.get("fanout") or []) if r["n"] <= 50 and r["fanin"].get("waterfall")]
    if not rows:
        return None
    row = rows[-1]
    panels = [("fanin", row["fanin"]["waterfall"])]
    if row["aiohttp"].get("waterfall"):
        panels.append(("aiohttp", row["aiohttp"]["waterfall"]))
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 0.16 * row["n"] + 2.2), dpi=110,
                             sharey=True, squeeze=False)
    xmax = max(w["startMs"] + w["latencyMs"] for _, wf in panels for w in wf)
    for ax, (name, wf) in zip(axes[0], panels):
        ys = list(range(len(wf)))
        ax.barh(ys, [w["latencyMs"] for w in wf], left=[w["startMs"] for w in wf], height=0.8,
                color=[COLORS[name] if w.get("status") == "ok" else "#d62728" for w in wf])
        ax.axvline(row["delay_ms"], color=COLORS["ideal"], ls="--", lw=1)
        end = max(w["startMs"] + w["latencyMs"] for w in wf)
        first = max(w["startMs"] for w in wf)
        ax.set_title("%s: last source starts at %.1f ms, ends at %.1f ms" % (name, first, end), fontsize=9)
        ax.set_xlabel("ms since the aggregation started: bar = startMs .. startMs + latencyMs;\n"
                      "dashed = source delay (ideal end)", fontsize=8)
        ax.set_xlim(0, xmax * 1.05)
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.25)
    axes[0][0].set_ylabel("source (ordered by start)")
    axes[0][0].set_yticks([])
    fig.suptitle("One %d-source aggregation, %d ms per source, concurrency %d (%s)" % (
        row["n"], row["delay_ms"], row["concurrency"], out.get("timestamp", "")), fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def draw(out, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    paths = [total_time(out, os.path.join(out_dir, "bench-total-time.png")),
             waterfall(out, os.path.join(out_dir, "bench-waterfall.png"))]
    return [p for p in paths if p]


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        res = json.load(f)
    d = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                          "docs", "img")
    for p in draw(res, d):
        print(p)
