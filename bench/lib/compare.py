"""Side-by-side fanin figures of two bench/results/*.json files (same keys as the table rows)."""
import json
import sys


def load(p):
    with open(p) as f:
        return json.load(f)


def main():
    if len(sys.argv) != 3:
        print("usage: bench/compare A.json B.json", file=sys.stderr)
        return 2
    a, b = load(sys.argv[1]), load(sys.argv[2])
    rb = {r["key"]: r for r in b.get("rows", [])}
    print("%-46s %12s %12s %9s   %s" % ("row (fanin value)", a["timestamp"][:19], b["timestamp"][:19], "change", "met A/B"))
    for r in a.get("rows", []):
        o = rb.get(r["key"])
        va, vb = r.get("value"), (o or {}).get("value")
        ch = ("%+.1f%%" % (100.0 * (vb - va) / va)) if va and vb is not None else "-"
        met = lambda m: {True: "yes", False: "NO", None: "-"}[m]
        print("%-46s %12s %12s %9s   %s/%s" % (r["scenario"][:46], "-" if va is None else "%.1f" % va,
                                              "-" if vb is None else "%.1f" % vb, ch, met(r["met"]),
                                              met((o or {}).get("met"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
