"""bench/run's driver: starts the fake upstream, fanin and the two comparison aggregators on loopback, runs the
scenarios of docs/performance.md, stops everything it started, prints one table, writes
bench/results/<UTC timestamp>.json and redraws the charts in docs/img/.

Run it through bench/run (which checks prerequisites and uses /usr/bin/python3 for Debian's packages).
All traffic goes to 127.0.0.1; every load is bounded in count and time.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the working tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batch_bench  # noqa: E402
import peers  # noqa: E402
import procs  # noqa: E402
from procs import Client, Proc, RssSampler  # noqa: E402

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
# the one fake upstream, shared with the tests; run as a single-file program on the jar's Vert.x
FAKE_UPSTREAM = os.path.join(ROOT, "src", "test", "java", "dev", "fanin", "testing", "FakeUpstream.java")
# the upstream that rations its callers (scenario 9), shared with the tests too
RATIONED_UPSTREAM = os.path.join(ROOT, "src", "test", "java", "dev", "fanin", "testing", "RationedUpstream.java")
# bytes of the JSON body a source asks the fake upstream for when a scenario does not say
SMALL_BODY = 16

FULL = {
    "fanout_ns": [4, 50, 200, 1000],
    "fanout_delay": {4: 1000, 50: 1000, 200: 100, 1000: 100},  # 1000 ms for N <= 50, 100 ms above
    "reps": 5,                 # measured reps per N (median reported), after one unmeasured warm rep
    "seq_reps": 1,             # the sequential baseline is N x delay: one rep says it (see docs)
    "bounded": {"n": 1000, "concurrency": 50, "delay": 100, "reps": 5},
    "stream": {"n_fast": 1, "n_slow": 9, "fast": 50, "slow": 2000, "reps": 5},
    "wrk": {"threads": 2, "connections": 64, "duration": 15, "warmup": 5},
    "big": {"n": 1000, "size": 102400, "concurrency": 100, "reps": 2},
    "feeds": {"items_1mb": 1900, "merge_sources": 200, "merge_items": 20, "reps": 5, "warm": 20},
    "cache": {"concurrent": 1000, "delay_ms": 1000},
    # 4,000 aggregations of 50: the JIT needs thousands before the per-source cost settles (docs/performance.md)
    "warmup": {"aggregations": 4000, "n": 50, "big": 20, "streams": 50, "clients": 4},
    "idle_connections": 10000,
    # issue 14: an upstream of 200 requests a second, burst 20; 2,000 sources at concurrency 200, retries 3
    "rationed": {"n": 2000, "concurrency": 200, "rate": 200, "burst": 20, "retries": 3},
    # issue 15: fanin run and its peers; the slow peers run the first lines of the long list (their rate)
    "batch": {"n": 10000, "delay": 50, "concurrency": 100, "big_n": 1000000, "big_concurrency": 256,
              "big_seed_n": 100000, "big_xargs_n": 20000, "startup_reps": 9},
    # issue 18: 20 sources of 20 ms, 5 % of requests take 1 s; aggregations one after another per variant
    "hedge": {"n": 20, "fast": 20, "slow": 1000, "slow_pct": 5, "aggs": 200, "warm": 20, "after_ms": 60,
              "chain_reps": 20},
    # issue 20: the first 10 s after a fresh start, at scenario 1's N = 50 and N = 1,000 points
    "cold": {"points": [[50, 1000], [1000, 100]], "window_s": 10, "min_reps": 3, "max_reps": 400},
}

QUICK = {
    "fanout_ns": [4, 20],
    "fanout_delay": {4: 200, 20: 200},
    "reps": 2,
    "seq_reps": 1,
    "bounded": {"n": 100, "concurrency": 10, "delay": 20, "reps": 2},
    "stream": {"n_fast": 1, "n_slow": 3, "fast": 50, "slow": 300, "reps": 2},
    "wrk": {"threads": 2, "connections": 16, "duration": 2, "warmup": 1},
    "big": {"n": 50, "size": 102400, "concurrency": 50, "reps": 1},
    "feeds": {"items_1mb": 200, "merge_sources": 20, "merge_items": 5, "reps": 2, "warm": 2},
    "cache": {"concurrent": 50, "delay_ms": 200},
    "warmup": {"aggregations": 30, "n": 20, "big": 2, "streams": 3, "clients": 2},
    "idle_connections": 500,
    "rationed": {"n": 200, "concurrency": 50, "rate": 50, "burst": 5, "retries": 3},
    "batch": {"n": 500, "delay": 50, "concurrency": 50, "big_n": 5000, "big_concurrency": 64,
              "big_seed_n": 2000, "big_xargs_n": 500, "startup_reps": 3},
    "hedge": {"n": 10, "fast": 20, "slow": 300, "slow_pct": 10, "aggs": 20, "warm": 5, "after_ms": 60,
              "chain_reps": 3},
    "cold": {"points": [[20, 200]], "window_s": 2, "min_reps": 2, "max_reps": 50},
}

# Targets of issue 3 (2 cores; every figure a ratio or difference measured in one run).
TARGET_OVERHEAD = {50: 5.0, 1000: 50.0}
TARGET_BOUNDED_PCT = 5.0
TARGET_FIRST_LINE_MS = 10.0
TARGET_THROUGHPUT_X = 5.0
TARGET_P99_MS = 30.0
TARGET_RSS_MB = 256.0
# issue 14: wall time against the ideal (N - burst) / rate, and the share of answers that were 429
TARGET_RATIONED = {"rule": (1.05, 0.0), "retry-after": (1.2, 2.0), "headers": (None, 1.0)}
# issue 15: fanin run within 1.1 x the ideal (JVM start included) and ahead of every peer; on the long list at
# least the best peer's rate within 200 MB
TARGET_BATCH_RATIO = 1.1
TARGET_BATCH_RSS_MB = 200.0
# issue 20: the overhead in the first 10 s after ready at most twice the warm one
TARGET_COLD_X = 2.0


CHILDREN = []


def ensure_alive():
    """Stop the run clearly if a process it started has gone (an error that would otherwise look like a
    slow or failing aggregator)."""
    for c in CHILDREN:
        if not c.alive():
            raise RuntimeError("%s (pid %d) exited with code %s mid-run; last log lines:\n%s"
                               % (c.name, c.pid, c.p.returncode, c.log_tail()))


def log(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def median(xs):
    return statistics.median(xs) if xs else None


def sub(a, b):
    return None if a is None or b is None else a - b


def div(a, b):
    return None if a is None or not b else a / b


def le(a, b):
    return a is not None and a <= b


def spec_body(upstream_port, n, delay, concurrency, size=None, deadline_ms=None, prefix="s", delays=None,
              cache=True):
    srcs = []
    for i in range(n):
        d = delays[i] if delays else delay
        url = "http://127.0.0.1:%d/%s%d?delay=%d&size=%d" % (upstream_port, prefix, i, d, size or SMALL_BODY)
        src = {"id": "%s%d" % (prefix, i), "url": url}
        if not cache:
            src["cache"] = False
        srcs.append(src)
    if deadline_ms is None:
        deadline_ms = max(30000, min(120000, int(n * max(delay, 1) * 1.5)))
    return json.dumps({"sources": srcs, "deadlineMs": deadline_ms, "concurrency": concurrency}).encode()


def check_aggregate(body, n):
    """(ok count, complete, durationMs, results dict) of a JSON aggregate; raises on a malformed body."""
    o = json.loads(body)
    results = o.get("results") or {}
    if isinstance(results, list):
        results = {r.get("id"): r for r in results}
    ok = sum(1 for r in results.values() if r.get("status") == "ok")
    return ok, bool(o.get("complete")), o.get("durationMs"), results


# ---------------------------------------------------------------------------------------------- scenarios

def timed_aggregations(port, body, n, reps, warm=1, path="/v1/aggregate"):
    """warm unmeasured + reps measured aggregations, one at a time. Returns a record with wall times."""
    cl = Client(port)
    rec = {"samples_ms": [], "server_ms": [], "errors": [], "first_ms": None}
    try:
        for i in range(warm + reps):
            status, data, ms = cl.post(path, body)
            if i == 0:
                rec["first_ms"] = round(ms, 3)
            try:
                ok, complete, dur, results = check_aggregate(data, n) if status == 200 else (0, False, None, {})
            except ValueError:
                ok, complete, dur, results = 0, False, None, {}
            if status != 200 or ok != n or not complete:
                ensure_alive()
                rec["errors"].append({"rep": i, "status": status, "ok": ok, "complete": complete,
                                      "body": data[:300].decode(errors="replace")})
            if i >= warm:
                rec["samples_ms"].append(round(ms, 3))
                if dur is not None:
                    rec["server_ms"].append(dur)
                rec["last_results"] = results
    finally:
        cl.close()
    rec["median_ms"] = median(rec["samples_ms"])
    return rec


def waterfall_of(results):
    rows = []
    for r in results.values():
        if r.get("startMs") is not None and r.get("latencyMs") is not None:
            rows.append({"id": r.get("id"), "startMs": r["startMs"], "latencyMs": r["latencyMs"],
                         "status": r.get("status")})
    rows.sort(key=lambda r: (r["startMs"], r["id"] or ""))
    return rows


def measure_floor(ports, delays, reps):
    """The bench's own floor: one GET straight at the fake upstream with the same delay, from the same
    kind of client (no aggregator). What the upstream's timer and the client add by themselves."""
    import http.client as hc
    floor = {}
    c = hc.HTTPConnection("127.0.0.1", ports["upstream"], timeout=30)
    try:
        for d in sorted(set(delays)):
            xs = []
            for _ in range(reps + 1):
                t0 = time.perf_counter()
                c.request("GET", "/floor?delay=%d&size=%d" % (d, SMALL_BODY))
                c.getresponse().read()
                xs.append((time.perf_counter() - t0) * 1000.0)
            floor[d] = {"samples_ms": [round(x, 3) for x in xs[1:]], "median_ms": median(xs[1:])}
    finally:
        c.close()
    return floor


def scenario_fanout(cfg, ports, out):
    out["floor"] = measure_floor(ports, [cfg["fanout_delay"][n] for n in cfg["fanout_ns"]], 3)
    log("floor (direct GET to the upstream): %s" % {d: fmt(v["median_ms"], 2) for d, v in out["floor"].items()})
    rows = []
    for n in cfg["fanout_ns"]:
        delay = cfg["fanout_delay"][n]
        body = spec_body(ports["upstream"], n, delay, n)
        row = {"n": n, "delay_ms": delay, "concurrency": n, "ideal_ms": delay}
        names = ("fanin", "aiohttp", "bare") + (("go",) if ports.get("go_running") else ()) + (
            ("webflux",) if ports.get("webflux_running") else ())
        recs = {name: {"samples_ms": [], "server_ms": [], "errors": []} for name in names}
        # one unmeasured warm rep per aggregator, then reps interleaved so drift hits all alike
        for name in names:
            r = timed_aggregations(ports[name], body, n, reps=0, warm=1)
            recs[name]["first_ms"] = r["first_ms"]
            recs[name]["errors"] += r["errors"]
        for rep in range(cfg["reps"]):
            for name in names:
                r = timed_aggregations(ports[name], body, n, reps=1, warm=0)
                recs[name]["samples_ms"] += r["samples_ms"]
                recs[name]["server_ms"] += r["server_ms"]
                recs[name]["errors"] += r["errors"]
                if "last_results" in r and r["samples_ms"]:
                    recs[name].setdefault("_wf", []).append((r["samples_ms"][0], waterfall_of(r["last_results"])))
        for name in recs:
            recs[name]["median_ms"] = median(recs[name]["samples_ms"])
            wfs = sorted(recs[name].pop("_wf", []), key=lambda t: t[0])
            if wfs:  # the waterfall of the median rep
                recs[name]["waterfall_total_ms"], recs[name]["waterfall"] = wfs[(len(wfs) - 1) // 2]
            recs[name]["overhead_ms"] = sub(recs[name]["median_ms"], delay)
        row.update(recs)
        log("fan-out N=%d delay=%d: fanin %s ms, aiohttp %s ms, bare Vert.x %s ms, Go %s ms, fanin errors %d" % (
            n, delay, fmt(recs["fanin"]["median_ms"], 1), fmt(recs["aiohttp"]["median_ms"], 1),
            fmt(recs["bare"]["median_ms"], 1), fmt(recs["go"]["median_ms"], 1) if "go" in recs else "-",
            len(recs["fanin"]["errors"])))
        if "webflux" in recs:
            log("fan-out N=%d: WebFlux %s ms" % (n, fmt(recs["webflux"]["median_ms"], 1)))
        rows.append(row)
    out["fanout"] = rows


def scenario_sequential(cfg, ports, out):
    for row in out["fanout"]:
        n, delay = row["n"], row["delay_ms"]
        body = spec_body(ports["upstream"], n, delay, n, deadline_ms=max(120000, n * delay * 2))
        log("sequential N=%d (about %.0f s)" % (n, n * delay / 1000.0 * cfg["seq_reps"]))
        r = timed_aggregations(ports["sequential"], body, n, reps=cfg["seq_reps"], warm=0)
        r.pop("last_results", None)
        r["overhead_ms"] = sub(r["median_ms"], delay)
        row["sequential"] = r


def scenario_bounded(cfg, ports, out):
    b = cfg["bounded"]
    rounds = -(-b["n"] // b["concurrency"])
    ideal = rounds * b["delay"]
    body = spec_body(ports["upstream"], b["n"], b["delay"], b["concurrency"])
    res = {"n": b["n"], "concurrency": b["concurrency"], "delay_ms": b["delay"], "rounds": rounds, "ideal_ms": ideal}
    # (not the bare fan-out: it has no concurrency bound)
    for name in ("fanin", "aiohttp") + tuple(n for n in ("go", "webflux") if ports.get(n + "_running")):
        r = timed_aggregations(ports[name], body, b["n"], reps=b["reps"], warm=1)
        r.pop("last_results", None)
        r["overhead_ms"] = sub(r["median_ms"], ideal)
        r["over_pct"] = div(r["overhead_ms"], ideal / 100.0)
        res[name] = r
    log("bounded: ideal %d ms, fanin %s ms, aiohttp %s ms" % (ideal, fmt(res["fanin"]["median_ms"], 1),
                                                               fmt(res["aiohttp"]["median_ms"], 1)))
    out["bounded"] = res


def scenario_stream(cfg, ports, out):
    s = cfg["stream"]
    n = s["n_fast"] + s["n_slow"]
    # slow sources first in the request, so a server that answers in request order is caught
    delays = [s["slow"]] * s["n_slow"] + [s["fast"]] * s["n_fast"]
    body = spec_body(ports["upstream"], n, 0, n, delays=delays, prefix="m")
    cl = Client(ports["fanin"], timeout=60)
    res = {"n": n, "fast_ms": s["fast"], "slow_ms": s["slow"], "n_fast": s["n_fast"], "ideal_ms": s["fast"],
           "first_ms": [], "last_ms": [], "errors": [], "first_line": None}
    for i in range(s["reps"] + 1):
        r = cl.stream_ndjson("/v1/aggregate", body)
        good = (r["status"] == 200 and r["lines"] == n + 1 and r["summary"] is not None
                and r["summary"].get("ok") == n)
        if not good:
            res["errors"].append({k: r.get(k) for k in ("status", "lines", "summary", "first", "error")})
        if i == 0:
            continue  # unmeasured warm rep
        if r["first_ms"] is not None:
            res["first_ms"].append(round(r["first_ms"], 3))
            res["last_ms"].append(round(r["last_ms"], 3))
            res["first_line"] = r["first"]
    res["median_first_ms"] = median(res["first_ms"])
    res["median_last_ms"] = median(res["last_ms"])
    if res["median_first_ms"] is not None:
        res["overhead_ms"] = res["median_first_ms"] - s["fast"]
    log("streaming: first line %s ms, last %s ms" % (fmt(res["median_first_ms"], 1), fmt(res["median_last_ms"], 1)))
    out["stream"] = res


WRK_CHECK_LUA = r'''
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) responses = 0; incomplete = 0 end
function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or not string.find(body, '"complete":%s*true') then incomplete = incomplete + 1 end
end
function done(summary, latency, requests)
  local r, i = 0, 0
  for _, t in ipairs(threads) do r = r + t:get("responses"); i = i + t:get("incomplete") end
  io.write(string.format("CHECK responses=%d incomplete=%d\n", r, i))
end
'''


def wrk_post_lua(body, check):
    s = "wrk.method = \"POST\"\nwrk.body = %s\nwrk.headers[\"Content-Type\"] = \"application/json\"\n" \
        "wrk.headers[\"Accept\"] = \"application/json\"\n" % lua_str(body.decode())
    return s + (WRK_CHECK_LUA if check else "")


def lua_str(s):
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(tok):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", tok)
    return float(m.group(1)) * _UNITS[m.group(2)] if m else None


def parse_wrk(text):
    out = {"raw_tail": text[-1500:]}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    out["requests"] = int(m.group(1)) if m else None
    for pct in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+(\S+)" % pct, text, re.M)
        out["p%s_ms" % pct] = _ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    m = re.search(r"CHECK responses=(\d+) incomplete=(\d+)", text)
    if m:
        out["checked_responses"], out["incomplete"] = int(m.group(1)), int(m.group(2))
    return out


def run_wrk(url, w, duration, lua=None, tmpdir=None):
    args = ["wrk", "-t%d" % w["threads"], "-c%d" % w["connections"], "-d%ds" % duration, "--latency",
            "--timeout", "10s"]
    if lua is not None:
        path = os.path.join(tmpdir, "wrk-%d.lua" % abs(hash(lua)))
        with open(path, "w") as f:
            f.write(lua)
        args += ["-s", path]
    args.append(url)
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=duration + 60)
    return parse_wrk(p.stdout.decode(errors="replace"))


def fetch_len(port, path):
    import urllib.request
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30) as r:
        return len(r.read())


def scenario_feeds(cfg, ports, out):
    """7: feed parsing measured through the service (format feed minus format text on the same bytes), and
    the latency that feeds + merging add to a 200-source aggregation over JSON of the same size."""
    f = cfg["feeds"]
    up = ports["upstream"]
    res = {}

    def one(url, fmt, merge=False, n=1):
        srcs = [{"id": "f%d" % i, "url": url.replace("{i}", str(i)), "format": fmt} for i in range(n)]
        body = {"sources": srcs, "deadlineMs": 60000, "concurrency": n}
        if merge:
            body["merge"] = {"items": True, "limit": 50}
        return json.dumps(body).encode()

    for kind in ("rss", "atom"):
        url = "http://127.0.0.1:%d/%s?kind=%s&items=%d" % (up, kind, kind, f["items_1mb"])
        size = fetch_len(up, "/%s?kind=%s&items=%d" % (kind, kind, f["items_1mb"]))
        as_feed = timed_aggregations(ports["fanin"], one(url, "feed"), 1, f["reps"], warm=f["warm"])
        as_text = timed_aggregations(ports["fanin"], one(url, "text"), 1, f["reps"], warm=f["warm"])
        parse_ms = max(0.001, as_feed["median_ms"] - as_text["median_ms"])
        res[kind] = {"bytes": size, "items": f["items_1mb"], "feed_ms": as_feed["median_ms"],
                     "text_ms": as_text["median_ms"], "parse_ms": round(parse_ms, 2),
                     "items_per_s": round(f["items_1mb"] / parse_ms * 1000),
                     "mb_per_s": round(size / 1e6 / parse_ms * 1000, 1),
                     "errors": as_feed["errors"][:2] + as_text["errors"][:2]}
        log("feed parse %s: %.1f MB, %d items: %.1f ms (feed %.1f - text %.1f) -> %d items/s, %.1f MB/s" % (
            kind, size / 1e6, f["items_1mb"], parse_ms, as_feed["median_ms"], as_text["median_ms"],
            res[kind]["items_per_s"], res[kind]["mb_per_s"]))
    n = f["merge_sources"]
    feed_size = fetch_len(up, "/x?kind=rss&items=%d" % f["merge_items"])
    merged = timed_aggregations(ports["fanin"], one("http://127.0.0.1:%d/m{i}?kind=rss&items=%d" % (up, f["merge_items"]),
                                                    "auto", True, n), n, f["reps"], warm=f["warm"])
    raw = timed_aggregations(ports["fanin"], one("http://127.0.0.1:%d/j{i}?size=%d" % (up, feed_size), "auto", False, n),
                             n, f["reps"], warm=f["warm"])
    res["merge"] = {"sources": n, "items_per_source": f["merge_items"], "bytes_per_source": feed_size,
                    "merged_ms": merged["median_ms"], "json_ms": raw["median_ms"],
                    "added_ms": round(merged["median_ms"] - raw["median_ms"], 1),
                    "errors": merged["errors"][:2] + raw["errors"][:2]}
    log("merge: %d feeds of %d items: %.1f ms against %.1f ms as JSON of the same size (+%.1f ms)" % (
        n, f["merge_items"], merged["median_ms"], raw["median_ms"], res["merge"]["added_ms"]))
    out["feeds"] = res


def scenario_throughput(cfg, ports, out, tmpdir):
    w = cfg["wrk"]
    # "cache": false: identical requests in flight would otherwise be coalesced (scenario 8 measures that)
    body = spec_body(ports["upstream"], 4, 0, 4, deadline_ms=10000, prefix="t", cache=False)
    res = {"threads": w["threads"], "connections": w["connections"], "duration_s": w["duration"],
           "warmup_s": w["warmup"], "sources": 4}
    targets = [("upstream", "http://127.0.0.1:%d/x?size=%d" % (ports["upstream"], SMALL_BODY), None),
               ("fanin", "http://127.0.0.1:%d/v1/aggregate" % ports["fanin"], body),
               ("aiohttp", "http://127.0.0.1:%d/v1/aggregate" % ports["aiohttp"], body),
               ("sequential", "http://127.0.0.1:%d/v1/aggregate" % ports["sequential"], body)]
    if ports.get("go_running"):
        targets.append(("go", "http://127.0.0.1:%d/v1/aggregate" % ports["go"], body))
    if ports.get("webflux_running"):
        targets.append(("webflux", "http://127.0.0.1:%d/v1/aggregate" % ports["webflux"], body))
    for name, url, b in targets:
        # the warm-up run also checks every body says "complete": true (Lua body checks slow wrk down,
        # so the measured run does not do them)
        warm = run_wrk(url, w, w["warmup"], wrk_post_lua(b, True) if b else None, tmpdir)
        pid = ports.get("pids", {}).get(name)
        cpu0 = procs.cpu_seconds(pid) if pid else None
        r = run_wrk(url, w, w["duration"], wrk_post_lua(b, False) if b else None, tmpdir)
        if cpu0 is not None and r.get("requests"):
            # the aggregator's own CPU per answered aggregation: steadier from run to run than req/s
            r["cpu_us_per_request"] = round((procs.cpu_seconds(pid) - cpu0) * 1e6 / r["requests"], 1)
        r["warmup"] = {k: warm.get(k) for k in ("rps", "non2xx", "socket_errors", "checked_responses", "incomplete")}
        res[name] = r
        log("wrk %s: %.0f req/s, p50 %s ms, p99 %s ms, %s us CPU a request, warm-up check %s" % (
            name, r["rps"] or 0, fmt(r["p50_ms"], 2), fmt(r["p99_ms"], 2), r.get("cpu_us_per_request"), r["warmup"]))
    out["throughput"] = res


def scenario_cache(cfg, ports, out, tmpdir):
    """8 (issue 6): 4-source throughput when every source is a cache hit (against scenario 4, no cache), and
    1,000 simultaneous identical aggregations of one 1 s source -> how many upstream requests."""
    w = dict(cfg["wrk"])
    c = cfg["cache"]
    up = ports["upstream"]
    srcs = [{"id": "c%d" % i, "url": "http://127.0.0.1:%d/cached%d?cc=max-age%%3D3600&size=%d" % (up, i, SMALL_BODY)}
            for i in range(4)]
    body = json.dumps({"sources": srcs, "deadlineMs": 10000, "concurrency": 4}).encode()
    url = "http://127.0.0.1:%d/v1/aggregate" % ports["fanin"]
    warm = run_wrk(url, w, w["warmup"], wrk_post_lua(body, True), tmpdir)
    r = run_wrk(url, w, w["duration"], wrk_post_lua(body, False), tmpdir)
    r["warmup"] = {k: warm.get(k) for k in ("rps", "non2xx", "socket_errors", "checked_responses", "incomplete")}
    log("wrk fanin, every source a cache hit: %.0f req/s, p50 %s ms, p99 %s ms" % (
        r["rps"] or 0, fmt(r["p50_ms"], 2), fmt(r["p99_ms"], 2)))
    # 1,000 at once, through aiohttp (Debian's python3-aiohttp) so that they really are simultaneous
    import asyncio
    import aiohttp

    def upstream_count():
        st, data = procs.http_get(up, "/__stats")
        return json.loads(data)["requests"]

    single = json.dumps({"sources": [{"id": "s", "url": "http://127.0.0.1:%d/coalesce?delay=%d&size=%d" % (
        up, c["delay_ms"], SMALL_BODY)}], "deadlineMs": 30000}).encode()

    async def fire(n):
        conn = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=conn) as session:
            async def one():
                async with session.post(url, data=single, headers={"Content-Type": "application/json"}) as resp:
                    return resp.status, await resp.json()
            return await asyncio.gather(*[one() for _ in range(n)])

    before = upstream_count()
    t0 = time.perf_counter()
    answers = asyncio.run(fire(c["concurrent"]))
    wall = (time.perf_counter() - t0) * 1000
    made = upstream_count() - before
    statuses = {}
    for st, body_json in answers:
        key = "%s/%s" % (st, body_json.get("results", {}).get("s", {}).get("cache"))
        statuses[key] = statuses.get(key, 0) + 1
    log("%d simultaneous identical aggregations: %d upstream request(s) in %.0f ms; %s" % (
        c["concurrent"], made, wall, statuses))
    out["cache"] = {"hit_throughput": r, "concurrent": c["concurrent"], "upstream_requests": made,
                    "wall_ms": round(wall, 1), "outcomes": statuses}


def scenario_rationed(cfg, ports, out, tmpdir, jar_cp):
    """9 (issue 14): N sources at one upstream that allows `rate` a second (burst `burst`) and answers 429
    beyond it. fanin with a matching upstream.origins rule, fanin with no rule against 429 + Retry-After only,
    fanin with no rule against RateLimit headers; beside it the aiohttp peer (no retries) and the seed's script
    (asyncio + Semaphore, retry on 429 after Retry-After). Each run gets an upstream (and an origin) of its own."""
    rc = cfg["rationed"]
    n, conc, rate, burst, retries = rc["n"], rc["concurrency"], rc["rate"], rc["burst"], rc["retries"]
    ideal_s = (n - burst) / float(rate)
    src = os.path.join(tmpdir, "RationedUpstream.java")
    shutil.copyfile(RATIONED_UPSTREAM, src)
    rows = []

    def with_upstream(label, port, mode, fn):
        up = Proc("rationed-" + label, ["java", "-XX:+UseSerialGC", "-Xmx256m", "-cp", jar_cp, src, str(port),
                                        str(rate), str(burst), mode], tmpdir, cwd=tmpdir)
        CHILDREN.append(up)
        try:
            procs.wait_http(up, port, "/__stats", 60)
            t0 = time.monotonic()
            extra = fn(port)
            wall = time.monotonic() - t0
            st, data = procs.http_get(port, "/__stats")
            stats = json.loads(data)
        finally:
            up.stop()
            CHILDREN.remove(up)
        answered = stats["ok"] + stats["throttled"]
        row = {"run": label, "mode": mode, "wall_s": round(extra.pop("wall_s", wall), 3), "ideal_s": round(ideal_s, 3),
               "answers_429": stats["throttled"], "answers": answered,
               "first_429s_at_ms": stats.get("throttledAtMs", [])[:10],
               "pct_429": round(100.0 * stats["throttled"] / answered, 2) if answered else None}
        row.update(extra)
        row["ratio"] = round(row["wall_s"] / ideal_s, 3)
        rows.append(row)
        log("rationed %s (%s): %.2f s (ideal %.2f), %d of %d answers were 429 (first at %s ms), %s ok, %s failed" % (
            label, mode, row["wall_s"], ideal_s, row["answers_429"], answered, row["first_429s_at_ms"],
            row.get("ok"), row.get("failed")))

    def via(port_of_aggregator):
        def go(port):
            srcs = [{"id": "s%d" % i, "url": "http://127.0.0.1:%d/item/%d" % (port, i), "retries": retries,
                     "timeoutMs": 30000} for i in range(n)]
            body = json.dumps({"sources": srcs, "concurrency": conc, "deadlineMs": 120000}).encode()
            t0 = time.monotonic()
            st, data, ms = Client(port_of_aggregator, timeout=180).post("/v1/aggregate", body)
            wall = time.monotonic() - t0
            doc = json.loads(data)
            if "results" not in doc:
                raise RuntimeError("HTTP %s: %s" % (st, data[:300]))
            results = doc["results"]
            ok = sum(1 for r in results.values() if r.get("status") == "ok")
            kinds = {}
            for r in results.values():
                if r.get("status") != "ok":
                    k = (r.get("error") or {}).get("kind") if isinstance(r.get("error"), dict) else str(r.get("error"))
                    kinds[k] = kinds.get(k, 0) + 1
            return {"ok": ok, "failed": n - ok, "failed_kinds": kinds, "http_status": st, "wall_s": wall}
        return go

    def seed(port):
        p = subprocess.run([sys.executable, os.path.join(BENCH, "clients", "seed_script.py"),
                            "http://127.0.0.1:%d/item/" % port, str(n), str(conc), str(retries)],
                           capture_output=True, text=True, timeout=600)
        r = json.loads(p.stdout.strip().splitlines()[-1])
        return {"ok": r["ok"], "failed": r["failed"], "wall_s": r["wall_s"]}

    with_upstream("fanin rule", ports["rationed_rule"], "retry-after", via(ports["fanin"]))
    with_upstream("fanin no rule", ports["rationed_ra"], "retry-after", via(ports["fanin"]))
    with_upstream("fanin no rule", ports["rationed_headers"], "headers", via(ports["fanin"]))
    with_upstream("aiohttp peer", ports["rationed_aiohttp"], "retry-after", via(ports["aiohttp"]))
    for peer_name in ("go", "webflux"):
        if ports.get(peer_name + "_running"):
            with_upstream(peer_name + " peer", procs.free_port(), "retry-after", via(ports[peer_name]))
    with_upstream("seed script", ports["rationed_seed"], "retry-after", seed)
    out["rationed"] = {"n": n, "concurrency": conc, "rate": rate, "burst": burst, "retries": retries,
                       "ideal_s": round(ideal_s, 3), "runs": rows}


def scenario_hedge(cfg, ports, out):
    """11 (issue 18): N sources on the fake upstream, each request taking `fast` ms except `slow_pct` percent
    (at random) that take `slow` ms. `aggs` aggregations one after another for each variant: no hedge, a
    hedge after `after_ms`, a hedge after the origin's p95 and after its p90; p50 and p99 of the aggregate's
    latency. Every URL is new (no cache); `warm` aggregations first teach the origin's latencies."""
    hc = cfg["hedge"]
    client = Client(ports["fanin"], timeout=60)
    runs = {}
    seq = [0]

    def one(hedge):
        seq[0] += 1
        srcs = []
        for i in range(hc["n"]):
            s = {"id": "s%d" % i, "retries": 0, "url": "http://127.0.0.1:%d/hedge/%d?delay=%d&slowPct=%d&slowMs=%d&r=%d"
                 % (ports["upstream"], i, hc["fast"], hc["slow_pct"], hc["slow"], seq[0])}
            if hedge:
                s["hedge"] = hedge
            srcs.append(s)
        st, data, ms = client.post("/v1/aggregate", json.dumps({"sources": srcs, "deadlineMs": 30000}).encode())
        if st != 200:
            raise RuntimeError("HTTP %s: %s" % (st, data[:300]))
        doc = json.loads(data)
        return ms, sum(r.get("attempts", 0) for r in doc["results"].values())

    for label, hedge in (("none", None), ("afterMs", {"afterMs": hc["after_ms"]}), ("p95", {"after": "p95"}),
                         ("p90", {"after": "p90"})):
        for _ in range(hc["warm"]):
            one(hedge)
        times, attempts = [], 0
        for _ in range(hc["aggs"]):
            ms, a = one(hedge)
            times.append(ms)
            attempts += a
        times.sort()
        runs[label] = {"hedge": hedge, "p50_ms": round(statistics.median(times), 1),
                       "p99_ms": round(times[min(len(times) - 1, int(math.ceil(0.99 * len(times))) - 1)], 1),
                       "max_ms": round(times[-1], 1),
                       "extra_requests_pct": round(100.0 * (attempts - hc["n"] * hc["aggs"]) / (hc["n"] * hc["aggs"]), 2)}
        log("hedging %s: p50 %.1f ms, p99 %.1f ms, %.1f %% extra requests" % (
            label, runs[label]["p50_ms"], runs[label]["p99_ms"], runs[label]["extra_requests_pct"]))
    # a dependent chain of three (each source needs the one before: {sources.a.data.v}) against the same three
    # requests one after another by hand, each 100 ms at the upstream
    chain_fanin, chain_hand = [], []
    up = ports["upstream"]
    for rep in range(hc["chain_reps"]):
        body = json.dumps({"sources": [
            {"id": "a", "url": "http://127.0.0.1:%d/chain/a?delay=100&body=%%7B%%22v%%22%%3A%%22b%d%%22%%7D" % (up, rep)},
            {"id": "b", "url": "http://127.0.0.1:%d/chain/{sources.a.data.v}?delay=100&body=%%7B%%22v%%22%%3A%%22c%%22%%7D"
                           % up},
            {"id": "c", "url": "http://127.0.0.1:%d/chain/{sources.b.data.v}?delay=100&r=%d" % (up, rep)}]}).encode()
        st, data, ms = client.post("/v1/aggregate", body)
        if st != 200:
            raise RuntimeError("chain: HTTP %s: %s" % (st, data[:300]))
        chain_fanin.append(ms)
        t0 = time.perf_counter()
        for path in ("/chain/a?delay=100&h=%d" % rep, "/chain/b?delay=100&h=%d" % rep, "/chain/c?delay=100&h=%d" % rep):
            st, _ = procs.http_get(up, path, timeout=10)
        chain_hand.append((time.perf_counter() - t0) * 1000)
    runs_chain = {"fanin_p50_ms": round(statistics.median(chain_fanin), 1),
                  "by_hand_p50_ms": round(statistics.median(chain_hand), 1), "ideal_ms": 300}
    log("dependent chain of 3 x 100 ms: fanin %.1f ms, by hand %.1f ms" % (
        runs_chain["fanin_p50_ms"], runs_chain["by_hand_p50_ms"]))
    out["hedge"] = dict(hc, runs=runs, chain=runs_chain)


def scenario_big_stream(cfg, ports, out, fanin_pid, sampler):
    b = cfg["big"]
    body = spec_body(ports["upstream"], b["n"], 0, b["concurrency"], size=b["size"], prefix="b")
    res = {"n": b["n"], "size": b["size"], "concurrency": b["concurrency"], "runs": []}
    hwm_reset = procs.reset_hwm(fanin_pid)
    res["hwm_reset"] = hwm_reset
    cl = Client(ports["fanin"], timeout=120)
    for _ in range(b["reps"]):
        r = cl.stream_ndjson("/v1/aggregate", body, keep_lines=False)
        ensure_alive()
        res["runs"].append({k: r.get(k) for k in ("status", "lines", "bytes", "first_ms", "last_ms", "summary",
                                                  "error")})
        log("big stream: %s lines, %.1f MB in %.0f ms" % (r["lines"], r["bytes"] / 1e6, r.get("last_ms") or 0))
    res["vmhwm_kb"] = procs.read_status_kb(fanin_pid, "VmHWM") if hwm_reset else None
    out["big_stream"] = res
    out["memory_attacks"] = memory_attacks(ports, fanin_pid)


def memory_attacks(ports, fanin_pid):
    """The loads of issue 22 that used to end the process (OutOfMemoryError with the 128 MB heap):
    3 simultaneous JSON aggregations of 30 x 1 MB, and 6 NDJSON streams of 20 x 1 MB read while 10
    others are never read. Records each answer's status, whether fanin lived, /health's time after."""
    res = {}
    mb = 1000000

    def post_all(bodies, accept):
        results = [None] * len(bodies)

        def one(i):
            cl = Client(ports["fanin"], timeout=120)
            try:
                if accept == "application/x-ndjson":
                    r = cl.stream_ndjson("/v1/aggregate", bodies[i], keep_lines=False)
                    results[i] = {"status": r.get("status"), "lines": r.get("lines"), "error": r.get("error")}
                else:
                    st, data, ms = cl.post("/v1/aggregate", bodies[i])
                    results[i] = {"status": st, "ms": round(ms), "bytes": len(data)}
            except (OSError, ValueError, RuntimeError) as e:
                results[i] = {"error": repr(e)}
            finally:
                cl.close()

        ths = [threading.Thread(target=one, args=(i,)) for i in range(len(bodies))]
        for t in ths:
            t.start()
        for t in ths:
            t.join(180)
        return results

    t0 = time.monotonic()
    res["json_3x30mb"] = post_all([spec_body(ports["upstream"], 30, 0, 30, size=mb, prefix="m%d_" % i)
                                   for i in range(3)], "application/json")
    stalled = []
    for i in range(10):
        body = spec_body(ports["upstream"], 20, 0, 20, size=mb, prefix="u%d_" % i)
        sk = socket.create_connection(("127.0.0.1", ports["fanin"]))
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sk.sendall(b"POST /v1/aggregate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   b"Accept: application/x-ndjson\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        stalled.append(sk)
    res["ndjson_6x20mb_read"] = post_all([spec_body(ports["upstream"], 20, 0, 20, size=mb, prefix="r%d_" % i)
                                         for i in range(6)], "application/x-ndjson")
    for sk in stalled:
        sk.close()
    res["seconds"] = round(time.monotonic() - t0, 1)
    ensure_alive()
    h0 = time.monotonic()
    st, _ = procs.http_get(ports["fanin"], "/health")
    res["health_after_ms"] = round((time.monotonic() - h0) * 1000, 1)
    res["alive"] = st == 200
    res["vmhwm_kb"] = procs.read_status_kb(fanin_pid, "VmHWM")
    log("memory attacks: alive=%s, /health in %.1f ms, statuses json=%s ndjson=%s" % (
        res["alive"], res["health_after_ms"], [r and r.get("status") for r in res["json_3x30mb"]],
        [r and r.get("status") for r in res["ndjson_6x20mb_read"]]))
    return res


def scenario_cold(cfg, ports, out, launcher, foreign):
    """12 (issue 20): the first seconds after a start. For each point (N sources x delay) and each aggregator, a
    fresh process on a port of its own; from the moment it says it is ready, aggregations one after another for
    window_s seconds (at least min_reps); the median overhead against the same aggregator's warm figure of
    scenario 1 in this run. The processes are stopped before the next starts."""
    c = cfg["cold"]
    names = [n for n in ("fanin", "go", "webflux", "aiohttp", "bare") if ports.get(n + "_running")]
    rows = []
    for n, delay in c["points"]:
        body = spec_body(ports["upstream"], n, delay, n)
        row = {"n": n, "delay_ms": delay, "window_s": c["window_s"]}
        for name in names:
            port = procs.free_port()
            t_launch = time.monotonic()
            pr = launcher.start(name, port, label="cold-%s-%d" % (name, n))
            CHILDREN.append(pr)
            foreign.add_sid(pr.pid)
            rec = {"samples": [], "errors": []}
            cl = Client(port, timeout=60)
            try:
                launcher.wait_ready(name, pr, port)
                t_ready = time.monotonic()
                rec["ready_s"] = round(t_ready - t_launch, 2)
                while (time.monotonic() - t_ready < c["window_s"] or len(rec["samples"]) < c["min_reps"]) \
                        and len(rec["samples"]) < c["max_reps"]:
                    since = time.monotonic() - t_ready
                    st, data, ms = cl.post("/v1/aggregate", body)
                    try:
                        ok = check_aggregate(data, n)[0] if st == 200 else 0
                    except ValueError:
                        ok = 0
                    if ok != n:
                        rec["errors"].append({"status": st, "ok": ok, "body": data[:200].decode(errors="replace")})
                    rec["samples"].append([round(since, 2), round(ms, 3)])
                rec["vmhwm_mb"] = round((procs.read_status_kb(pr.pid, "VmHWM") or 0) / 1024.0, 1)
            finally:
                cl.close()
                pr.stop()
                CHILDREN.remove(pr)
            xs = [ms for _, ms in rec["samples"]]
            rec["first_ms"] = xs[0] if xs else None
            rec["median_ms"] = median(xs)
            rec["overhead_ms"] = sub(rec["median_ms"], delay)
            rec["first_overhead_ms"] = sub(rec["first_ms"], delay)
            warm = next((r for r in out.get("fanout", []) if r["n"] == n and r["delay_ms"] == delay), None)
            rec["warm_overhead_ms"] = warm[name]["overhead_ms"] if warm and name in warm else None
            rec["x_warm"] = div(rec["overhead_ms"], rec["warm_overhead_ms"])
            row[name] = rec
            log("cold N=%d x %d ms, %s: ready in %.2f s, %d aggregations in the first %d s, median overhead %s ms "
                "(first %s ms; warm %s ms)%s" % (
                    n, delay, name, rec.get("ready_s") or 0, len(xs), c["window_s"], fmt(rec["overhead_ms"], 1),
                    fmt(rec["first_overhead_ms"], 1), fmt(rec["warm_overhead_ms"], 1),
                    ", %d errors" % len(rec["errors"]) if rec["errors"] else ""))
        rows.append(row)
    out["cold"] = rows


# ---------------------------------------------------------------------------------------------- warm-up

def warm_up(cfg, ports):
    """JIT and pool warm-up: a few hundred aggregations from several clients, some big ones, some streams."""
    wcfg = cfg["warmup"]
    body = spec_body(ports["upstream"], wcfg["n"], 0, wcfg["n"])
    per = max(1, wcfg["aggregations"] // wcfg["clients"])
    errors = []

    def worker():
        cl = Client(ports["fanin"], timeout=60)
        try:
            for _ in range(per):
                st, data, _ = cl.post("/v1/aggregate", body)
                if st != 200:
                    errors.append(st)
        finally:
            cl.close()

    t0 = time.monotonic()
    ths = [threading.Thread(target=worker) for _ in range(wcfg["clients"])]
    for t in ths:
        t.start()
    for t in ths:
        t.join(300)
    big_n = max(cfg["fanout_ns"])
    big = spec_body(ports["upstream"], big_n, 0, big_n)
    cl = Client(ports["fanin"], timeout=60)
    for _ in range(wcfg["big"]):
        cl.post("/v1/aggregate", big)
    cl.close()
    small = spec_body(ports["upstream"], 4, 0, 4, prefix="w")
    for _ in range(wcfg["streams"]):
        Client(ports["fanin"]).stream_ndjson("/v1/aggregate", small, keep_lines=False)
    # the comparison aggregator gets its pools warm too
    cl = Client(ports["aiohttp"], timeout=60)
    for _ in range(5):
        cl.post("/v1/aggregate", big)
    cl.close()
    # and the bare Vert.x floor (and the WebFlux peer, a JVM too) gets the same JIT warm-up as fanin
    for name in ("bare",) + (("webflux",) if ports.get("webflux_running") else ()):
        cl = Client(ports[name], timeout=60)
        for _ in range(per * wcfg["clients"]):
            cl.post("/v1/aggregate", body)
        for _ in range(wcfg["big"]):
            cl.post("/v1/aggregate", big)
        cl.close()
    log("warm-up: %d aggregations of %d + %d of %d + %d streams in %.1f s (%d non-200)" % (
        per * wcfg["clients"], wcfg["n"], wcfg["big"], big_n, wcfg["streams"], time.monotonic() - t0, len(errors)))
    return {"aggregations": per * wcfg["clients"], "n": wcfg["n"], "big": wcfg["big"], "streams": wcfg["streams"],
            "non200": len(errors), "seconds": round(time.monotonic() - t0, 1)}


def check_idle_connections(port, count):
    """Open count connections to the fake upstream, one request each, leave them idle 2 s, use them again."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = count + 512
    if soft < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        count = min(count, soft - 512)
    socks, ok1, ok2 = [], 0, 0
    req = b"GET /idle?size=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % SMALL_BODY
    t0 = time.monotonic()
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(req)
            socks.append(s)
        for s in socks:
            ok1 += b" 200 " in s.recv(4096)
        time.sleep(2)
        for s in socks:
            s.sendall(req)
        for s in socks:
            ok2 += b" 200 " in s.recv(4096)
    except OSError as e:
        log("idle connection check stopped: %r" % e)
    finally:
        for s in socks:
            s.close()
    res = {"requested": count, "answered_first": ok1, "answered_after_idle": ok2,
           "seconds": round(time.monotonic() - t0, 2)}
    log("upstream idle connections: %s" % res)
    return res


# ---------------------------------------------------------------------------------------------- table

def fmt(v, nd=0, sign=False):
    if v is None:
        return "-"
    s = ("%+." if sign else "%.") + str(nd) + "f"
    return s % v


def build_rows(cfg, out, quick):
    """Rows of the one table. Each: key, scenario, ideal, fanin, delta, ratio, aiohttp, aio delta, sequential,
    target, met (True/False/None)."""
    rows = []

    def add(**kw):
        base = {"key": "", "scenario": "", "ideal": "-", "fanin": "-", "delta": "-", "ratio": "-", "aiohttp": "-",
                "aio_delta": "-", "bare_delta": "-", "go": "-", "webflux": "-", "sequential": "-", "target": "",
                "met": None, "value": None}
        base.update(kw)
        rows.append(base)

    for r in out.get("fanout", []):
        f, a, s = r["fanin"], r["aiohttp"], r.get("sequential")
        tgt = TARGET_OVERHEAD.get(r["n"])
        met = None if tgt is None else le(f["overhead_ms"], tgt)
        errs = len(f["errors"]) + len(a["errors"])
        add(key="fanout_%d" % r["n"], scenario="1 fan-out N=%d c=%d, %d ms (ms)%s" % (
            r["n"], r["n"], r["delay_ms"], " !errors" if errs else ""),
            ideal=fmt(r["ideal_ms"]), fanin=fmt(f["median_ms"], 1), delta=fmt(f["overhead_ms"], 1, True),
            ratio=fmt(div(f["median_ms"], r["ideal_ms"]), 3), aiohttp=fmt(a["median_ms"], 1),
            aio_delta=fmt(a["overhead_ms"], 1, True), sequential=fmt(s["median_ms"], 0) if s else "-",
            bare_delta=fmt(r["bare"]["overhead_ms"], 1, True) if r.get("bare") else "-",
            go=fmt(r["go"]["overhead_ms"], 1, True) if r.get("go") else "-",
            webflux=fmt(r["webflux"]["overhead_ms"], 1, True) if r.get("webflux") else "-",
            target="overhead <= %g ms" % tgt if tgt else "", met=met, value=f["median_ms"])
    b = out.get("bounded")
    if b:
        f, a = b["fanin"], b["aiohttp"]
        add(key="bounded", scenario="2 bounded N=%d c=%d, %d ms (ms)%s" % (
            b["n"], b["concurrency"], b["delay_ms"], " !errors" if f["errors"] or a["errors"] else ""),
            ideal=fmt(b["ideal_ms"]), fanin=fmt(f["median_ms"], 1), delta=fmt(f["overhead_ms"], 1, True),
            ratio=fmt(div(f["median_ms"], b["ideal_ms"]), 3), aiohttp=fmt(a["median_ms"], 1),
            aio_delta=fmt(a["overhead_ms"], 1, True), target="within %g%%" % TARGET_BOUNDED_PCT,
            go=fmt(b["go"]["overhead_ms"], 1, True) if b.get("go") else "-",
            webflux=fmt(b["webflux"]["overhead_ms"], 1, True) if b.get("webflux") else "-",
            met=le(f["over_pct"], TARGET_BOUNDED_PCT), value=f["median_ms"])
    s = out.get("stream")
    if s and s.get("median_first_ms") is not None:
        add(key="stream_first", scenario="3 first NDJSON line, sources %d/%d ms (ms)%s" % (
            s["fast_ms"], s["slow_ms"], " !errors" if s["errors"] else ""),
            ideal=fmt(s["ideal_ms"]), fanin=fmt(s["median_first_ms"], 1), delta=fmt(s["overhead_ms"], 1, True),
            ratio=fmt(s["median_first_ms"] / s["ideal_ms"], 3),
            target="<= fastest + %g ms" % TARGET_FIRST_LINE_MS, met=le(s["overhead_ms"], TARGET_FIRST_LINE_MS),
            value=s["median_first_ms"])
        add(key="stream_last", scenario="3 last NDJSON line (ms)", ideal=fmt(s["slow_ms"]),
            fanin=fmt(s["median_last_ms"], 1), delta=fmt(sub(s["median_last_ms"], s["slow_ms"]), 1, True),
            ratio=fmt(div(s["median_last_ms"], s["slow_ms"]), 3), value=s["median_last_ms"])
    t = out.get("throughput")
    if t:
        f, a, q, u = t["fanin"], t["aiohttp"], t["sequential"], t["upstream"]
        x = (f["rps"] / a["rps"]) if f.get("rps") and a.get("rps") else None
        bad = any((r.get("non2xx") or r.get("socket_errors") or (r["warmup"].get("incomplete") or 0))
                  for r in (f, a, q))
        add(key="throughput_rps", scenario="4 4-source aggregations/s, wrk %dt/%dc %ds%s" % (
            t["threads"], t["connections"], t["duration_s"], " !errors" if bad else ""),
            ideal="%s*" % fmt(u["rps"]), fanin=fmt(f["rps"]), ratio="%sx aio" % fmt(x, 1),
            aiohttp=fmt(a["rps"]), sequential=fmt(q["rps"]), go=fmt(t["go"]["rps"]) if t.get("go") else "-",
            webflux=fmt(t["webflux"]["rps"]) if t.get("webflux") else "-",
            target=">= %gx aiohttp" % TARGET_THROUGHPUT_X, met=(x is not None and x >= TARGET_THROUGHPUT_X),
            value=f["rps"])
        add(key="throughput_p50", scenario="4 p50 latency under wrk (ms)", ideal=fmt(u["p50_ms"], 2) + "*",
            fanin=fmt(f["p50_ms"], 2), aiohttp=fmt(a["p50_ms"], 2), sequential=fmt(q["p50_ms"], 2),
            go=fmt(t["go"]["p50_ms"], 2) if t.get("go") else "-",
            webflux=fmt(t["webflux"]["p50_ms"], 2) if t.get("webflux") else "-", value=f["p50_ms"])
        add(key="throughput_p99", scenario="4 p99 latency under wrk (ms)", ideal=fmt(u["p99_ms"], 2) + "*",
            fanin=fmt(f["p99_ms"], 2), aiohttp=fmt(a["p99_ms"], 2), sequential=fmt(q["p99_ms"], 2),
            go=fmt(t["go"]["p99_ms"], 2) if t.get("go") else "-",
            webflux=fmt(t["webflux"]["p99_ms"], 2) if t.get("webflux") else "-", target="< %g ms" % TARGET_P99_MS, met=(f["p99_ms"] is not None and f["p99_ms"] < TARGET_P99_MS),
            value=f["p99_ms"])
        if f.get("cpu_us_per_request") is not None:
            def cpu(name):
                return fmt((t.get(name) or {}).get("cpu_us_per_request"))
            add(key="throughput_cpu", scenario="4 the aggregator's CPU per aggregation under wrk (us)",
                fanin=cpu("fanin"), aiohttp=cpu("aiohttp"), sequential=cpu("sequential"), go=cpu("go"),
                webflux=cpu("webflux"), value=f["cpu_us_per_request"])
    m = out.get("memory")
    if m:
        if m.get("peak_1_4_mb") is not None:
            add(key="rss_1_4", scenario="5 peak RSS through scenarios 1-4 (MiB)", fanin=fmt(m["peak_1_4_mb"], 1),
                aiohttp=fmt(m.get("aiohttp_peak_mb"), 1), go=fmt(m.get("go_peak_mb"), 1),
                webflux=fmt(m.get("webflux_peak_mb"), 1), bare_delta=fmt(m.get("bare_peak_mb"), 1),
                target="<= %g MiB" % TARGET_RSS_MB,
                met=m["peak_1_4_mb"] <= TARGET_RSS_MB, value=m["peak_1_4_mb"])
        if m.get("fanin_died"):
            b = cfg["big"]
            died = m["fanin_died"]
            why = "OutOfMemoryError" if "OutOfMemoryError" in (died.get("log_tail") or "") else "exit"
            add(key="rss_big", scenario="5 peak RSS, %d x %d KB streamed (MiB)" % (b["n"], b["size"] // 1024),
                fanin="DIED: %s" % ("OOM" if why == "OutOfMemoryError" else "exit %s" % died["code"]),
                target="<= %g MiB" % TARGET_RSS_MB, met=False, value=None)
        elif m.get("peak_big_mb") is not None:
            bs = out.get("big_stream", {})
            bad = any(r.get("status") != 200 or r.get("lines") != bs["n"] + 1 for r in bs.get("runs", []))
            add(key="rss_big", scenario="5 peak RSS, %d x %d KB streamed (MiB)%s" % (
                bs["n"], bs["size"] // 1024, " !errors" if bad else ""),
                fanin=fmt(m["peak_big_mb"], 1), target="<= %g MiB" % TARGET_RSS_MB,
                met=m["peak_big_mb"] <= TARGET_RSS_MB, value=m["peak_big_mb"])
    if quick:
        for r in rows:
            if r["met"] is not None:
                r["target"] += " (quick)"
    fd = out.get("feeds")
    if fd:
        for kind in ("rss", "atom"):
            r = fd.get(kind)
            if r:
                add(key="feed_parse_" + kind, scenario="7 parse %.1f MB %s, %d items (ms)%s" % (
                    r["bytes"] / 1e6, kind.upper() if kind == "rss" else "Atom", r["items"],
                    " !errors" if r["errors"] else ""),
                    fanin=fmt(r["parse_ms"], 1), ratio="%s it/s" % fmt(r["items_per_s"]),
                    delta="%s MB/s" % fmt(r["mb_per_s"], 1), value=r["parse_ms"])
        r = fd.get("merge")
        if r:
            add(key="feed_merge", scenario="7 %d feeds x %d items merged vs same bytes as JSON (ms)%s" % (
                r["sources"], r["items_per_source"], " !errors" if r["errors"] else ""),
                ideal=fmt(r["json_ms"], 1), fanin=fmt(r["merged_ms"], 1), delta=fmt(r["added_ms"], 1, True),
                value=r["merged_ms"])
    ch = out.get("cache")
    if ch:
        r = ch["hit_throughput"]
        base_rps = (out.get("throughput") or {}).get("fanin", {}).get("rps")
        add(key="cache_hit_rps", scenario="8 4-source aggregations/s, every source a cache hit",
            ideal=fmt(base_rps) + " (no cache)" if base_rps else "-", fanin=fmt(r["rps"]),
            ratio="%sx" % fmt(div(r["rps"], base_rps), 1) if base_rps else "-", value=r["rps"])
        add(key="cache_hit_p99", scenario="8 p99 latency, cache hits (ms)", fanin=fmt(r["p99_ms"], 2), value=r["p99_ms"])
        add(key="coalesce", scenario="8 %d simultaneous identical aggregations: upstream requests" % ch["concurrent"],
            ideal="1", fanin=fmt(ch["upstream_requests"]), value=ch["upstream_requests"])
    ra = out.get("rationed")
    if ra:
        runs = {(r["run"], r["mode"]): r for r in ra["runs"]}

        def peer(r):
            return "%.2f s, %d x 429 (%.1f%%), %d failed" % (r["wall_s"], r["answers_429"], r["pct_429"] or 0,
                                                            r["failed"]) if r else "-"
        head = "9 rationed upstream %d/s burst %d, N=%d c=%d retries %d" % (
            ra["rate"], ra["burst"], ra["n"], ra["concurrency"], ra["retries"])
        for (label, mode), key, what in ((("fanin rule", "retry-after"), "rule", "matching rule"),
                                         (("fanin no rule", "retry-after"), "retry-after", "no rule, 429 + Retry-After"),
                                         (("fanin no rule", "headers"), "headers", "no rule, RateLimit headers")):
            r = runs.get((label, mode))
            if not r:
                continue
            max_ratio, max_pct = TARGET_RATIONED[key]
            met = (r["failed"] == 0 and (r["pct_429"] or 0) <= max_pct
                   and (max_ratio is None or r["ratio"] <= max_ratio))
            target = "%s429 <= %g%%, all ok" % ("<= %gx ideal, " % max_ratio if max_ratio else "", max_pct)
            aio = peer(runs.get(("aiohttp peer", "retry-after"))) if key == "retry-after" else "-"
            go_r = peer(runs.get(("go peer", "retry-after"))) if key == "retry-after" else "-"
            wf_r = peer(runs.get(("webflux peer", "retry-after"))) if key == "retry-after" else "-"
            add(key="rationed_" + key, scenario="%s: %s (s)" % (head, what), ideal=fmt(r["ideal_s"], 2),
                go=go_r, webflux=wf_r,
                fanin=fmt(r["wall_s"], 2), delta="%d x 429 (%.1f%%)%s" % (
                    r["answers_429"], r["pct_429"] or 0, ", %d failed" % r["failed"] if r["failed"] else ""),
                ratio=fmt(r["ratio"], 3), aiohttp=aio, target=target, met=met, value=r["wall_s"])
        r = runs.get(("seed script", "retry-after"))
        if r:
            add(key="rationed_seed", scenario="%s: the seed's script (asyncio + Semaphore, retry on 429) (s)" % head,
                ideal=fmt(r["ideal_s"], 2), aiohttp=peer(r), value=r["wall_s"])
    hg = out.get("hedge")
    if hg:
        head = "11 hedging %d sources of %d ms, %d%% at %d ms" % (hg["n"], hg["fast"], hg["slow_pct"], hg["slow"])
        names = {"none": "no hedge", "afterMs": "hedge afterMs %d" % hg["after_ms"], "p95": "hedge after p95",
                 "p90": "hedge after p90"}
        for key, r in hg["runs"].items():
            add(key="hedge_" + key, scenario="%s: %s, p50 / p99 (ms)" % (head, names[key]), ideal=fmt(hg["fast"]),
                fanin="%s / %s" % (fmt(r["p50_ms"], 1), fmt(r["p99_ms"], 1)),
                delta="+%s%% requests" % fmt(r["extra_requests_pct"], 1), value=r["p99_ms"])
        ch = hg.get("chain")
        if ch:
            add(key="chain", scenario="11 dependent chain of 3 sources x 100 ms, p50 (ms)", ideal=fmt(ch["ideal_ms"]),
                fanin=fmt(ch["fanin_p50_ms"], 1), delta="+%s" % fmt(ch["fanin_p50_ms"] - ch["ideal_ms"], 1),
                aiohttp="by hand %s" % fmt(ch["by_hand_p50_ms"], 1), value=ch["fanin_p50_ms"])
    for r in out.get("cold", []):
        f = r.get("fanin")
        if not f:
            continue

        def cell(name):
            x = r.get(name)
            return "%s (%sx)" % (fmt(x["overhead_ms"], 1, True), fmt(x["x_warm"], 1)) if x and x.get("x_warm") \
                else (fmt(x["overhead_ms"], 1, True) if x else "-")
        bad = any(r.get(nm, {}).get("errors") for nm in ("fanin", "go", "webflux", "aiohttp", "bare"))
        add(key="cold_%d" % r["n"], scenario="12 first %d s after ready, N=%d x %d ms: overhead (x warm)%s" % (
            r["window_s"], r["n"], r["delay_ms"], " !errors" if bad else ""), ideal=fmt(r["delay_ms"]),
            fanin=fmt(f["median_ms"], 1), delta=fmt(f["overhead_ms"], 1, True), ratio="%sx warm" % fmt(f["x_warm"], 2),
            aiohttp=cell("aiohttp"), bare_delta=cell("bare"), go=cell("go"), webflux=cell("webflux"),
            target="<= %gx warm" % TARGET_COLD_X, met=le(f["x_warm"], TARGET_COLD_X), value=f["overhead_ms"])
    rows.extend(batch_rows(out))
    return rows


def batch_rows(out):
    """Scenario 10: fanin run against curl --parallel, the seed's script and xargs curl."""
    rows = []
    b = out.get("batch")
    if not b:
        return rows

    def add(**kw):
        base = {"key": "", "scenario": "", "ideal": "-", "fanin": "-", "delta": "-", "ratio": "-", "aiohttp": "-",
                "aio_delta": "-", "bare_delta": "-", "go": "-", "webflux": "-", "sequential": "-", "target": "", "met": None,
                "value": None}
        base.update(kw)
        rows.append(base)

    def usage(r):
        return "%.1f s CPU, %.0f MiB" % (r["cpu_s"], r["peak_rss_mb"])

    names = {"curl": "curl --parallel", "seed": "the seed's script (asyncio + aiohttp + Semaphore)",
             "xargs": "xargs -P curl"}
    d = b.get("delayed")
    if d and "fanin" in d["runs"]:
        f = d["runs"]["fanin"]
        others = [r["wall_s"] for k, r in d["runs"].items() if k != "fanin"]
        ratio = f["wall_s"] / d["ideal_s"]
        met = f["ok"] == d["n"] and ratio <= TARGET_BATCH_RATIO and all(f["wall_s"] < w for w in others)
        head = "10 batch %d URLs x %d ms c=%d" % (d["n"], d["delay_ms"], d["concurrency"])
        add(key="batch_fanin", scenario="%s: bin/fanin run, start to exit (s)" % head, ideal=fmt(d["ideal_s"], 2),
            fanin=fmt(f["wall_s"], 2), delta=usage(f), ratio=fmt(ratio, 3),
            target="<= %gx ideal, ahead of every peer" % TARGET_BATCH_RATIO, met=met, value=f["wall_s"])
        for k in ("curl", "seed", "xargs"):
            r = d["runs"].get(k)
            if r:
                add(key="batch_" + k, scenario="%s: %s (s)" % (head, names[k]), ideal=fmt(d["ideal_s"], 2),
                    aiohttp=fmt(r["wall_s"], 2), aio_delta=usage(r), ratio=fmt(r["wall_s"] / d["ideal_s"], 3),
                    value=r["wall_s"])
    m = b.get("many")
    if m and "fanin" in m["runs"]:
        f = m["runs"]["fanin"]
        best = max([r["rate_per_s"] for k, r in m["runs"].items() if k != "fanin"] or [0])
        met = f["ok"] == m["n"] and f["rate_per_s"] >= best and f["peak_rss_mb"] <= TARGET_BATCH_RSS_MB
        head = "10 batch %d URLs x 0 ms c=%d" % (m["n"], m["concurrency"])
        add(key="batch_many_fanin", scenario="%s: bin/fanin run (requests/s)" % head, fanin=fmt(f["rate_per_s"]),
            delta=usage(f), target=">= best peer, <= %g MiB" % TARGET_BATCH_RSS_MB, met=met, value=f["rate_per_s"])
        for k in ("curl", "seed", "xargs"):
            r = m["runs"].get(k)
            if r:
                add(key="batch_many_" + k, scenario="%s: %s on %d URLs (requests/s)" % (head, names[k], r["n"]),
                    aiohttp=fmt(r["rate_per_s"]), aio_delta=usage(r), value=r["rate_per_s"])
    s = b.get("startup")
    if s:
        add(key="batch_startup", scenario="10 start-up to the first request: bin/fanin run (ms)",
            fanin=fmt(s["fanin"]["first_ms"]), delta="%s ms without the archive" % fmt(s["fanin_no_archive"]["first_ms"]),
            aiohttp=fmt(s["aiohttp"]["first_ms"]), aio_delta="python3 + aiohttp", value=s["fanin"]["first_ms"])
    return rows


COLS = [("scenario", "scenario", "l"), ("ideal", "ideal", "r"), ("fanin", "fanin", "r"), ("delta", "fanin Δ", "r"),
        ("ratio", "ratio", "r"), ("aiohttp", "aiohttp", "r"), ("aio_delta", "aiohttp Δ", "r"),
        ("bare_delta", "bare Vert.x Δ", "r"), ("go", "Go net/http (Δ)", "r"), ("webflux", "WebFlux (Δ)", "r"),
        ("sequential", "sequential", "r"), ("target", "target", "l"), ("met", "met", "l")]


def _cell(r, k):
    if k == "met":
        return {True: "yes", False: "NO", None: ""}[r["met"]]
    return str(r[k])


def table_text(rows):
    widths = [max(len(h), *(len(_cell(r, k)) for r in rows)) if rows else len(h) for k, h, _ in COLS]
    lines = []

    def line(cells):
        out = []
        for (k, h, al), w, c in zip(COLS, widths, cells):
            out.append(c.ljust(w) if al == "l" else c.rjust(w))
        lines.append("  ".join(out).rstrip())

    line([h for _, h, _ in COLS])
    line(["-" * w for w in widths])
    for r in rows:
        line([_cell(r, k) for k, _, _ in COLS])
    return "\n".join(lines)


def table_md(rows):
    out = ["| " + " | ".join(h for _, h, _ in COLS) + " |",
           "|" + "|".join("---" if al == "l" else "---:" for _, _, al in COLS) + "|"]
    for r in rows:
        out.append("| " + " | ".join(_cell(r, k).replace("|", "\\|") for k, _, _ in COLS) + " |")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- main

def machine_info():
    def cmd(argv):
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
            return p.stdout.decode(errors="replace").strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
    mem = procs.read_status_kb  # noqa
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        mem_kb = None
    try:
        import aiohttp
        aio = aiohttp.__version__
    except ImportError:
        aio = None
    java = cmd(["java", "-version"])
    return {"cpus": os.cpu_count(), "mem_kb": mem_kb, "kernel": platform.release(),
            "java": java.splitlines()[0] if java else None, "python": platform.python_version(),
            "aiohttp": aio, "wrk": (cmd(["wrk", "-v"]) or "").splitlines()[0] if shutil.which("wrk") else None,
            "git": cmd(["git", "-C", ROOT, "describe", "--always", "--dirty"])}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="tiny N, few reps, short wrk: a smoke run (< 1 min)")
    ap.add_argument("--scenarios", default="1,2,3,4,5,6,7,8,9,10,11,12",
                    help="comma list of 1..12 (default all; 6 = sequential/aiohttp comparison columns)")
    ap.add_argument("--reps", type=int, help="measured reps per point (default 5; quick 2)")
    ap.add_argument("--wrk-duration", type=int, help="seconds per wrk run (default 15; quick 2)")
    ap.add_argument("--wait-quiet", type=int, default=0, metavar="SECONDS",
                    help="first wait up to SECONDS for other processes to leave the CPU alone")
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra environment for fanin, e.g. FANIN_AGGREGATE_MAX_CONCURRENCY=500 (KEY= removes)")
    ap.add_argument("--java-opts", metavar="FLAGS",
                    help="JVM flags for fanin instead of bin/fanin's defaults (FANIN_JAVA_OPTS), to try a lever")
    ap.add_argument("--jfr", metavar="FILE", help="record a JFR profile of fanin (settings=profile) into FILE")
    ap.add_argument("--no-charts", action="store_true", help="do not redraw docs/img/*.png")
    ap.add_argument("--no-save", action="store_true", help="do not write bench/results/<timestamp>.json")
    ap.add_argument("--charts", action="store_true", help="redraw the charts even with --quick")
    ap.add_argument("--save", action="store_true", help="write the results file even with --quick")
    ap.add_argument("--results-dir", default=os.path.join(BENCH, "results"))
    ap.add_argument("--charts-dir", default=os.path.join(ROOT, "docs", "img"))
    args = ap.parse_args(argv)

    cfg = json.loads(json.dumps(QUICK if args.quick else FULL), object_hook=lambda d: {
        (int(k) if k.isdigit() else k): v for k, v in d.items()})
    if args.reps:
        cfg["reps"] = args.reps
    if args.wrk_duration:
        cfg["wrk"]["duration"] = args.wrk_duration
    scen = {int(x) for x in args.scenarios.split(",") if x.strip()}

    jar = os.path.join(ROOT, "target", "fanin.jar")
    if not os.path.isfile(jar):
        print("bench: %s not found: run mvn -B package -DskipTests first" % jar, file=sys.stderr)
        return 1

    started = datetime.datetime.now(datetime.timezone.utc)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    tmpdir = tempfile.mkdtemp(prefix="bench-run-")
    ports = {k: procs.free_port() for k in ("upstream", "fanin", "aiohttp", "sequential", "bare", "go", "webflux",
                                            "rationed_rule",
                                            "rationed_ra", "rationed_headers", "rationed_aiohttp", "rationed_seed")}
    children = CHILDREN
    out = {"version": 1, "timestamp": started.isoformat(timespec="seconds"), "quick": args.quick,
           "scenarios_run": sorted(scen), "config": cfg, "machine": machine_info(), "ports": ports}
    log("logs in %s; ports %s" % (tmpdir, ports))

    def on_signal(signum, frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)

    sampler = None
    peer_samplers = {}
    foreign = procs.ForeignCpu([])
    foreign.start()
    time.sleep(2.0)
    if args.wait_quiet:
        # wait (bounded) for a 10 s window in which other processes use under 5% of one core
        until = time.monotonic() + args.wait_quiet
        while time.monotonic() < until:
            foreign.set_phase("quiet-check-%d" % int(time.monotonic()))
            time.sleep(10)
            c, w = foreign.per_phase.get(foreign.phase, [0.0, 1.0])
            if w and c / w < 0.05:
                break
            log("waiting for a quiet machine: other processes used %.0f%% of a core in the last %.0f s" %
                (100.0 * c / w, w))
        foreign.per_phase = {k: v for k, v in foreign.per_phase.items() if not k.startswith("quiet-check")}
        foreign.set_phase("start")
    quiet = foreign.per_phase.get("start", [0.0, 1.0])
    if quiet[1] and quiet[0] / quiet[1] > 0.2:
        log("WARNING: other processes use %.0f%% of a core right now (%s): the numbers will be disturbed"
            % (100.0 * quiet[0] / quiet[1], ", ".join(c for c, _ in sorted(foreign.top.items(),
                                                                            key=lambda kv: -kv[1])[:3])))
    try:
        upstream_opts = ["-XX:+UseSerialGC", "-Xms256m", "-Xmx512m"]
        # the upstream runs from copies in the temp dir, so that its command line does not look like fanin's
        # (a "pkill -f fanin.jar" elsewhere on the machine must not take the upstream down with it)
        up_cp = os.path.join(tmpdir, "vertx-classpath.jar")
        shutil.copyfile(jar, up_cp)
        up_src = os.path.join(tmpdir, "FakeUpstream.java")
        shutil.copyfile(FAKE_UPSTREAM, up_src)
        up = Proc("upstream", ["java"] + upstream_opts + ["-cp", up_cp, up_src, str(ports["upstream"]),
                                                          "127.0.0.1", "2"], tmpdir, cwd=tmpdir)
        children.append(up)
        foreign.add_sid(up.pid)
        env = dict(os.environ)
        env.update({
            "FANIN_CLIENT_MAX_CONNECTIONS_PER_ORIGIN": "2000",
            # scenario 8 sends 1,000 aggregations at once: above the default bound of 512 they would be shed
            "FANIN_AGGREGATE_MAX_IN_FLIGHT": "2000",
            # scenario 9 sends 2,000 sources in one aggregation (the default bound is 1,000)
            "FANIN_AGGREGATE_MAX_SOURCES": "5000",
            "FANIN_UPSTREAM_ALLOW_PRIVATE_NETWORKS": "true",
            # the bench is one anonymous client sending far more than a client's default budget (1,000 upstream
            # requests a second): the budget stays checked on every request, but set so high it never binds
            "FANIN_SECURITY_CLIENT_BUDGET_UPSTREAM_PER_SECOND": "1000000000",
            "FANIN_SECURITY_CLIENT_BUDGET_UPSTREAM_BURST": "1000000000",
            "FANIN_SECURITY_CLIENT_BUDGET_MAX_UPSTREAM_IN_FLIGHT": "1000000000",
            # scenario 9: the operator's rule for the one rationed upstream that has one
            "FANIN_UPSTREAM_ORIGINS": json.dumps([{"match": "127.0.0.1:%d" % ports["rationed_rule"],
                                                   "ratePerSecond": cfg["rationed"]["rate"],
                                                   "burst": cfg["rationed"]["burst"]}]),
        })
        for kv in args.env:
            k, _, v = kv.partition("=")
            if v:
                env[k] = v
            else:
                env.pop(k, None)
        env.pop("FANIN_JAVA_OPTS", None)  # the start command's default JVM settings are what is measured
        if args.java_opts:
            env["FANIN_JAVA_OPTS"] = args.java_opts  # unless a lever is being tried
        if args.jfr:
            env["JAVA_TOOL_OPTIONS"] = "-XX:StartFlightRecording=filename=%s,settings=profile,dumponexit=true" % \
                                       os.path.abspath(args.jfr)
        out["fanin_env"] = {k: v for k, v in env.items() if k.startswith("FANIN_") or k == "JAVA_TOOL_OPTIONS"}
        launcher = peers.Launcher(tmpdir, up_cp, env, log)
        names = launcher.build()
        started_procs = {}
        t_start = time.monotonic()
        for name in ["fanin"] + [n for n in names if n != "fanin"]:
            pr = launcher.start(name, ports[name])
            children.append(pr)
            foreign.add_sid(pr.pid)
            started_procs[name] = pr
        fanin, aio = started_procs["fanin"], started_procs["aiohttp"]
        ports["pids"] = {n: pr.pid for n, pr in started_procs.items()}
        procs.wait_http(up, ports["upstream"], "/__stats", 60)
        for name, pr in started_procs.items():
            launcher.wait_ready(name, pr, ports[name])
            ports[name + "_running"] = True
        out["fanin_ready_s"] = round(time.monotonic() - t_start, 2)
        log("fanin healthy after %.2f s (pid %d)" % (out["fanin_ready_s"], fanin.pid))
        try:
            with open("/proc/%d/cmdline" % fanin.pid, "rb") as f:
                out["fanin_cmdline"] = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            pass

        # one real aggregation before anything else: fail early and clearly if the contract is not met
        st, data, ms = Client(ports["fanin"], timeout=30).post(
            "/v1/aggregate", spec_body(ports["upstream"], 2, 0, 2, deadline_ms=10000))
        try:
            ok = check_aggregate(data, 2)[0] if st == 200 else 0
        except ValueError:
            ok = 0
        if ok != 2:
            raise RuntimeError("fanin's first aggregation failed: HTTP %s %s" % (st, data[:500]))

        out["upstream"] = {"idle_connections": check_idle_connections(ports["upstream"], cfg["idle_connections"])}

        sampler = RssSampler(fanin.pid)
        sampler.start()
        # the peers' resident memory over the same scenarios (issue 20: "with their peak RSS")
        peer_samplers = {n: RssSampler(pr.pid, interval=0.2) for n, pr in started_procs.items()
                         if n not in ("fanin", "sequential")}
        for smp in peer_samplers.values():
            smp.start()
        sampler.set_phase("warmup")
        for smp in peer_samplers.values():
            smp.set_phase("warmup")
        foreign.set_phase("warmup")
        out["warmup"] = warm_up(cfg, ports)

        def run(label, fn, *a):
            """One scenario; its failure is recorded and the run goes on, unless a process died."""
            sampler.set_phase(label)
            foreign.set_phase(label)
            try:
                fn(cfg, ports, out, *a)
            except (RuntimeError, OSError, ValueError, KeyError, TypeError, subprocess.SubprocessError) as e:
                ensure_alive()
                out.setdefault("scenario_errors", {})[label] = repr(e)
                log("scenario %s FAILED: %r" % (label, e))
            ensure_alive()

        if 1 in scen:
            run("1-fanout", scenario_fanout)
        if 2 in scen:
            run("2-bounded", scenario_bounded)
        if 3 in scen:
            run("3-stream", scenario_stream)
        if 4 in scen:
            run("4-throughput", scenario_throughput, tmpdir)
        sampler.set_phase("after-4")
        hwm = procs.read_status_kb(fanin.pid, "VmHWM")
        if 6 in scen and "fanout" in out:
            run("6-sequential", scenario_sequential)

        mem = {"vmhwm_1_4_kb": hwm, "peak_1_4_mb": round(hwm / 1024.0, 1) if hwm else None}
        out["memory"] = mem
        if 5 in scen:
            try:
                run("5-big-stream", scenario_big_stream, fanin.pid, sampler)
            except RuntimeError as e:
                if fanin.alive():
                    raise
                # fanin died under the streamed load: that is this scenario's result, the run is over
                mem["fanin_died"] = {"code": fanin.p.returncode, "log_tail": fanin.log_tail(5)}
                polled = sampler.peaks.get("5-big-stream")
                mem["peak_big_mb"] = round(polled / 1024.0, 1) if polled else None
                out.setdefault("scenario_errors", {})["5-big-stream"] = "fanin died: %r" % e
                log("fanin died during the streamed-memory scenario (exit %s)" % fanin.p.returncode)
                CHILDREN.remove(fanin)
                CHILDREN.append(fanin)  # still stopped (a no-op) and logged at the end
        if "big_stream" in out:
            polled = sampler.peaks.get("5-big-stream")
            kb = out["big_stream"].get("vmhwm_kb") or polled
            mem["vmhwm_big_kb"] = out["big_stream"].get("vmhwm_kb")
            mem["peak_big_mb"] = round(kb / 1024.0, 1) if kb else None
        sampler.stop()
        for smp in peer_samplers.values():
            smp.stop()
        mem["polled_peaks_kb"] = dict(sampler.peaks)
        # a peer's peak over scenarios 1-4 (sampled every 0.2 s, from the warm-up on), as fanin's VmHWM above
        for n, smp in peer_samplers.items():
            kb = max((v for k, v in smp.peaks.items() if k not in ("start",)), default=None)
            mem["%s_peak_mb" % n] = round(kb / 1024.0, 1) if kb else None
        mem["rss_timeline"] = sampler.samples
        mem["fanin_threads"] = procs.read_status_kb(fanin.pid, "Threads")
        out["memory"] = mem
        # 7 and 8 come after the memory scenario: they fill the cache and open 1,000 connections, which
        # would otherwise count in the peak RSS that scenario 5 measures as issue 3 defines it
        if fanin.alive():
            if 7 in scen:
                run("7-feeds", scenario_feeds)
            if 8 in scen:
                run("8-cache", scenario_cache, tmpdir)
            if 9 in scen:
                run("9-rationed", scenario_rationed, tmpdir, up_cp)
            if 11 in scen:
                run("11-hedge", scenario_hedge)
        if 12 in scen:
            run("12-cold", scenario_cold, launcher, foreign)
        if 10 in scen:
            # fanin run is a process of its own: the service started above only idles meanwhile
            run("10-batch", lambda c, p, o: batch_bench.scenario(c, p["upstream"], o, tmpdir))
        st, data = procs.http_get(ports["upstream"], "/__stats")
        out["upstream"]["requests_served"] = json.loads(data).get("requests")
    except BaseException as e:
        out["error"] = repr(e)
        if isinstance(e, SystemExit) and not isinstance(e.code, int):
            raise
        log("FAILED: %s" % (e,))
        for c in children:
            if not c.alive():
                log("%s exited with %s; log tail:\n%s" % (c.name, c.p.returncode, c.log_tail()))
    finally:
        foreign.stop()
        out["foreign_cpu"] = foreign.report()
        if sampler:
            sampler.stop()
        for smp in peer_samplers.values():
            smp.stop()
        for c in reversed(children):
            c.stop()
        log("stopped %s" % ", ".join("%s(%d)" % (c.name, c.pid) for c in children))

    rows = build_rows(cfg, out, args.quick)
    out["rows"] = rows
    out["table_text"] = table_text(rows)
    out["table_md"] = table_md(rows)
    out["targets"] = [{"key": r["key"], "target": r["target"], "value": r["value"], "met": r["met"]}
                      for r in rows if r["met"] is not None]

    print()
    print("fanin bench %s%s — %s cpus, %s; upstream ceiling* = wrk straight at the fake upstream" % (
        out["timestamp"], " (quick)" if args.quick else "", out["machine"]["cpus"], out["machine"]["java"]))
    print(out["table_text"])
    if out.get("floor"):
        print("floor: one GET straight at the upstream from the bench's client takes %s (bench client + upstream "
              "timer, no aggregator)" % ", ".join("%s ms at delay %s" % (fmt(v["median_ms"], 2), d)
                                                    for d, v in sorted(out["floor"].items())))
    fc = out.get("foreign_cpu", {}).get("phases", {})
    busy = {p: v["foreign_pct_of_machine"] for p, v in fc.items() if p != "start" and
            (v["foreign_pct_of_machine"] or 0) >= 3.0}
    if busy:
        print("WARNING: other processes used CPU during this run (%% of the machine): %s; top: %s" % (
            ", ".join("%s %.0f%%" % kv for kv in busy.items()),
            ", ".join("%s %.0fs" % (t["comm"], t["cpu_s"]) for t in out["foreign_cpu"]["top"][:3])))
    else:
        print("machine: no other process used more than 3% of the CPU in any scenario")
    if out.get("scenario_errors") or out.get("error"):
        errs = dict(out.get("scenario_errors", {}))
        if out.get("error"):
            errs["run"] = out["error"]
        for k, v in errs.items():
            print("ERROR %s: %s" % (k, v.splitlines()[0][:200]))
    met = sum(1 for t in out["targets"] if t["met"])
    print("targets met: %d/%d" % (met, len(out["targets"])))

    if args.quick and not args.save:
        args.no_save = True  # a smoke run does not litter bench/results
    if args.quick and not args.charts:
        args.no_charts = True  # nor overwrite the charts of docs/performance.md
    if not rows:
        args.no_save = True  # nothing measured: no results file
    if not args.no_save:
        os.makedirs(args.results_dir, exist_ok=True)
        path = os.path.join(args.results_dir, "%s%s.json" % (stamp, "-quick" if args.quick else ""))
        with open(path + ".tmp", "w") as f:
            json.dump(out, f, indent=1)
        os.replace(path + ".tmp", path)
        print("results: %s" % os.path.relpath(path, os.getcwd()))
    if not args.no_charts and out.get("fanout"):
        try:
            import charts
            paths = charts.draw(out, args.charts_dir)
            if paths:
                print("charts: %s" % ", ".join(os.path.relpath(p, os.getcwd()) for p in paths))
        except ImportError as e:
            print("charts skipped (%s): apt-get install -y python3-matplotlib" % e)
    shutil.rmtree(tmpdir, ignore_errors=True) if "error" not in out else log("logs kept in %s" % tmpdir)
    return 1 if "error" in out else 0


if __name__ == "__main__":
    sys.exit(main())
