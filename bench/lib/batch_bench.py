"""Scenario 10 (issue 15): `bin/fanin run` against what users otherwise reach for, on a list of URLs at the fake
upstream: `curl --parallel` over a curl config file, the seed's script shape (asyncio + aiohttp + Semaphore, results
to a file: clients/seed_batch.py) and `xargs -P N curl`. Each is timed from its command's start to its exit, with the
CPU seconds and the peak RSS the kernel reports for it and the processes it waited for (os.wait4). Then a long list at
0 ms for requests a second, and the start-up: time from the command's start to its first request, for
`bin/fanin run` (with and without the class-data archive of `mvn package`) and python3 with aiohttp imported.
"""
import http.server
import json
import os
import socketserver
import statistics
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
FANIN = os.path.join(ROOT, "bin", "fanin")
PY = "/usr/bin/python3"
# bin/fanin's own JVM settings; with -Xshare:auto added, bin/fanin leaves its class-data archive out
FANIN_JVM = ("-XX:+UseSerialGC -Xms128m -Xmx128m -Xss512k -XX:MaxDirectMemorySize=64m -XX:ReservedCodeCacheSize=64m "
             "-XX:+ExitOnOutOfMemoryError")


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def clean_env(extra=None):
    """The environment of a peer: no FANIN_* (fanin run reads its built-in defaults), plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANIN_")}
    env.update(extra or {})
    return env


def tree_rss_kb(pid):
    """RSS of a process and its children (xargs' curls), from /proc; 0 once it is gone."""
    total = 0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                pids.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


class TreeRss(threading.Thread):
    """Polls the RSS of a process tree every 20 ms and keeps the peak (ru_maxrss would count the forked
    python that became the child, before its exec)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self.done.wait(0.02)


def measured(name, argv, workdir, stdin_path=None, stdout_path=None, env=None, timeout_s=3600):
    """Runs argv to its end: wall seconds from start to exit, CPU seconds of it and of the processes it waited
    for (os.wait4), the peak RSS of its process tree (polled), and the exit code."""
    err = open(os.path.join(workdir, name + ".err"), "w")
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=workdir, env=env, stdin=stdin, stdout=stdout, stderr=err)
    rss = TreeRss(p.pid)
    rss.start()
    killer = threading.Timer(timeout_s, p.kill)
    killer.start()
    try:
        _, status, usage = os.wait4(p.pid, 0)
    finally:
        killer.cancel()
        rss.done.set()
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    for f in (err, stdin, stdout):
        if hasattr(f, "close"):
            f.close()
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(rss.peak_kb / 1024.0, 1), "exit": p.returncode}


def count_lines(path, prefix=None):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if prefix is None or line.startswith(prefix):
                n += 1
    return n


def write_lists(workdir, name, urls):
    """The URL list and the same as a curl config file (each transfer's body to /dev/null)."""
    plain = os.path.join(workdir, name + ".txt")
    curl = os.path.join(workdir, name + ".curl")
    with open(plain, "w") as f, open(curl, "w") as c:
        for u in urls:
            f.write(u + "\n")
            c.write('url = "%s"\noutput = "/dev/null"\n' % u)
    return plain, curl


def peers(workdir, name, plain, curl_cfg, n, concurrency, only=None):
    """Every tool on one list; each writes one line per URL to a file of its own."""
    runs = {}
    write_out = "%{http_code} %{url_effective}\n"
    jobs = [
        ("fanin", [FANIN, "run", "--urls", plain, "--concurrency", str(concurrency), "--out",
                   os.path.join(workdir, name + "-fanin.ndjson"), "--progress", "none"], None, None),
        ("curl", ["curl", "-s", "--parallel", "--parallel-max", str(concurrency), "--write-out", write_out,
                  "--config", curl_cfg], None, os.path.join(workdir, name + "-curl.out")),
        ("seed", [PY, os.path.join(BENCH, "clients", "seed_batch.py"), plain, os.path.join(workdir, name + "-seed.out"),
                  str(concurrency)], None, os.path.join(workdir, name + "-seed.json")),
        ("xargs", ["xargs", "-P", str(concurrency), "-n", "1", "curl", "-s", "-o", "/dev/null", "--write-out",
                   write_out], plain, os.path.join(workdir, name + "-xargs.out")),
    ]
    for tool, argv, stdin, stdout in jobs:
        if only is not None and tool not in only:
            continue
        log("scenario 10 %s: %s on %d URLs at concurrency %d" % (name, tool, n, concurrency))
        r = measured(name + "-" + tool, argv, workdir, stdin_path=stdin, stdout_path=stdout, env=clean_env())
        if tool == "fanin":
            out = os.path.join(workdir, name + "-fanin.ndjson")
            r["results"] = count_lines(out, b'{"type":"result"')
            with open(out, "rb") as f:
                last = f.readlines()[-1]
            r["summary"] = json.loads(last)
            r["ok"] = r["summary"].get("ok")
        elif tool == "seed":
            r["results"] = count_lines(os.path.join(workdir, name + "-seed.out"))
            with open(os.path.join(workdir, name + "-seed.json")) as f:
                r["ok"] = json.loads(f.read().strip().splitlines()[-1])["ok"]
        else:
            r["results"] = count_lines(stdout)
            r["ok"] = count_lines(stdout, b"200 ")
        r["n"] = n
        r["rate_per_s"] = round(n / r["wall_s"], 1) if r["wall_s"] else None
        log("  %s: %.2f s wall, %.2f s CPU, %.1f MiB peak RSS, %s of %d ok, exit %s" % (
            tool, r["wall_s"], r["cpu_s"], r["peak_rss_mb"], r["ok"], n, r["exit"]))
        runs[tool] = r
    return runs


class _FirstRequest(http.server.BaseHTTPRequestHandler):
    first = []

    def do_GET(self):
        if not _FirstRequest.first:
            _FirstRequest.first.append(time.monotonic())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def startup(workdir, reps):
    """Time from a command's start to its first request, cold (one process per rep), interleaved."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FirstRequest)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    one = os.path.join(workdir, "first.txt")
    with open(one, "w") as f:
        f.write("http://127.0.0.1:%d/first\n" % server.server_address[1])
    commands = {
        "fanin": ([FANIN, "run", "--urls", one, "--progress", "none"], clean_env()),
        "fanin_no_archive": ([FANIN, "run", "--urls", one, "--progress", "none"],
                             clean_env({"FANIN_JAVA_OPTS": FANIN_JVM + " -Xshare:auto"})),
        "aiohttp": ([PY, os.path.join(BENCH, "clients", "first_request.py"), one], clean_env()),
    }
    samples = {k: {"first_ms": [], "exit_ms": []} for k in commands}
    try:
        for _ in range(reps):
            for key, (argv, env) in commands.items():
                _FirstRequest.first.clear()
                t0 = time.monotonic()
                subprocess.run(argv, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=60)
                t1 = time.monotonic()
                if _FirstRequest.first:
                    samples[key]["first_ms"].append(round((_FirstRequest.first[0] - t0) * 1000, 1))
                samples[key]["exit_ms"].append(round((t1 - t0) * 1000, 1))
    finally:
        server.shutdown()
    res = {}
    for key, s in samples.items():
        res[key] = {"first_ms": statistics.median(s["first_ms"]) if s["first_ms"] else None,
                    "exit_ms": statistics.median(s["exit_ms"]), "samples": s}
        log("scenario 10 start-up %s: first request after %s ms, exit after %.0f ms (median of %d)" % (
            key, res[key]["first_ms"], res[key]["exit_ms"], reps))
    return res


def scenario(cfg, upstream_port, out, tmpdir):
    b = cfg["batch"]
    workdir = os.path.join(tmpdir, "batch")
    os.makedirs(workdir, exist_ok=True)
    res = {"config": b}
    base = "http://127.0.0.1:%d" % upstream_port
    # 1. N URLs x delay ms at concurrency C: every tool
    urls = ["%s/batch/%d?delay=%d" % (base, i, b["delay"]) for i in range(b["n"])]
    plain, curl_cfg = write_lists(workdir, "delayed", urls)
    res["delayed"] = {"n": b["n"], "delay_ms": b["delay"], "concurrency": b["concurrency"],
                      "ideal_s": round(b["n"] / float(b["concurrency"]) * b["delay"] / 1000.0, 3),
                      "runs": peers(workdir, "delayed", plain, curl_cfg, b["n"], b["concurrency"])}
    # 2. a long list at 0 ms: fanin and curl on all of it, the slower peers on its first lines (their rate)
    big = ["%s/many/%d" % (base, i) for i in range(b["big_n"])]
    plain, curl_cfg = write_lists(workdir, "many", big)
    runs = peers(workdir, "many", plain, curl_cfg, b["big_n"], b["big_concurrency"], only=("fanin", "curl"))
    for tool, n in (("seed", b["big_seed_n"]), ("xargs", b["big_xargs_n"])):
        p, c = write_lists(workdir, "many-" + tool, big[:n])
        runs.update(peers(workdir, "many-" + tool, p, c, n, b["big_concurrency"], only=(tool,)))
    res["many"] = {"n": b["big_n"], "concurrency": b["big_concurrency"], "runs": runs}
    # 3. start-up
    res["startup"] = startup(workdir, b["startup_reps"])
    out["batch"] = res
