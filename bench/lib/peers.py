"""How bench/run starts each aggregator it measures: fanin (bin/fanin, its default JVM settings) and its peers,
the bare Vert.x fan-out, the Go net/http and Spring WebFlux aggregators (issue 20), the aiohttp one and the
sequential baseline. One Launcher starts any of them on any port, so the main run and the cold-start scenario
(12) start them the same way. Standard library only; every process listens on 127.0.0.1."""
import os
import shutil
import subprocess
import sys
import time

import procs
from procs import Proc

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)

# where each aggregator says it is ready to take aggregations
READY = {"fanin": "/health/ready", "bare": "/health", "go": "/health", "webflux": "/health", "aiohttp": "/health",
         "sequential": "/health"}
READY_TIMEOUT_S = {"fanin": 90, "bare": 60, "go": 30, "webflux": 120, "aiohttp": 30, "sequential": 30}


class Launcher:
    def __init__(self, tmpdir, jar_copy, fanin_env, log):
        self.tmpdir = tmpdir
        self.jar_copy = jar_copy      # fanin's jar under another name: the bare fan-out's Vert.x
        self.fanin_env = fanin_env    # FANIN_* overrides (the port is set per start)
        self.log = log
        self.go_bin = None
        self.wf_jar = None
        self.bare_src = os.path.join(tmpdir, "BareVertxAggregator.java")
        shutil.copyfile(os.path.join(BENCH, "clients", "BareVertxAggregator.java"), self.bare_src)
        self.starts = 0

    def build(self):
        """Builds the Go and WebFlux peers when their tool chains are here; returns the names available."""
        names = ["fanin", "bare", "aiohttp", "sequential"]
        if shutil.which("go"):
            self.go_bin = os.path.join(self.tmpdir, "go_aggregator")
            subprocess.run(["go", "build", "-o", self.go_bin, os.path.join(BENCH, "clients", "go_aggregator.go")],
                           check=True, env=dict(os.environ, GOCACHE=os.path.join(self.tmpdir, "gocache")),
                           cwd=self.tmpdir, timeout=300)
            names.append("go")
        else:
            self.log("Go is not installed (bench/install-deps installs golang-go): the Go peer is left out")
        # the WebFlux peer: its own small Maven build (bench/peers/webflux), never in fanin's jar
        wf_jar = os.path.join(BENCH, "peers", "webflux", "target", "webflux-aggregator.jar")
        if shutil.which("mvn"):
            subprocess.run(["mvn", "-q", "-B", "-f", os.path.join(BENCH, "peers", "webflux", "pom.xml"), "package",
                            "-DskipTests"], check=False, timeout=900, stdout=subprocess.DEVNULL)
        if os.path.exists(wf_jar):
            self.wf_jar = wf_jar
            names.append("webflux")
        else:
            self.log("the WebFlux peer did not build (bench/peers/webflux): it is left out")
        return names

    def start(self, name, port, label=None):
        """Starts one aggregator on port (not waiting for it); label names its log file."""
        self.starts += 1
        label = label or name
        py = sys.executable
        if name == "fanin":
            env = dict(self.fanin_env, FANIN_HTTP_HOST="127.0.0.1", FANIN_HTTP_PORT=str(port))
            # an empty working directory: fanin's built-in defaults plus the overrides, not whatever conf/ or
            # data/ the working tree holds, and nothing written into the tree
            cwd = os.path.join(self.tmpdir, "%s-cwd" % label)
            os.makedirs(cwd, exist_ok=True)
            return Proc(label, [os.path.join(ROOT, "bin", "fanin")], self.tmpdir, env=env, cwd=cwd)
        if name == "bare":
            # the floor of any Vert.x fan-out, on the same Vert.x as fanin, from a copy like the upstream
            return Proc(label, ["java", "-XX:+UseSerialGC", "-Xms128m", "-Xmx128m", "-cp", self.jar_copy,
                                self.bare_src, str(port)], self.tmpdir, cwd=self.tmpdir)
        if name == "go":
            return Proc(label, [self.go_bin, str(port)], self.tmpdir, cwd=self.tmpdir)
        if name == "webflux":
            return Proc(label, ["java", "-jar", self.wf_jar, "--server.port=%d" % port, "--server.address=127.0.0.1",
                                "--logging.level.root=WARN"], self.tmpdir, cwd=self.tmpdir)
        if name == "aiohttp":
            return Proc(label, [py, os.path.join(BENCH, "clients", "aiohttp_aggregator.py"), str(port)],
                        self.tmpdir, cwd=ROOT)
        if name == "sequential":
            return Proc(label, [py, os.path.join(BENCH, "clients", "sequential.py"), str(port)], self.tmpdir, cwd=ROOT)
        raise ValueError("unknown aggregator %r" % name)

    @staticmethod
    def wait_ready(name, proc, port):
        """Waits until the aggregator answers its readiness path; returns the seconds waited."""
        t0 = time.monotonic()
        ok = (lambda st, b: st == 200 and b"UP" in b) if name == "fanin" else (lambda st, b: st == 200)
        procs.wait_http(proc, port, READY[name], READY_TIMEOUT_S[name], ok=ok)
        return time.monotonic() - t0
