"""Processes, ports, HTTP helpers and RSS sampling for bench/run. Standard library only."""
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time


def free_port():
    """A free TCP port on 127.0.0.1 (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A child process in its own session, so stop() ends it and everything it started, by its own id."""

    def __init__(self, name, argv, log_dir, env=None, cwd=None):
        self.name = name
        self.log_path = os.path.join(log_dir, name + ".log")
        self._log = open(self.log_path, "wb")
        self.p = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                  stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.p.pid

    def alive(self):
        return self.p.poll() is None

    def log_tail(self, n=30):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout=10):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.p.wait(5)
        self._log.close()


def http_get(port, path, timeout=2.0):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def wait_http(proc, port, path, timeout_s, ok=lambda status, body: status == 200):
    """Poll GET path until ok(); fail early if the process died."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError("%s exited (code %s) before it was ready; last log lines:\n%s"
                               % (proc.name, proc.p.returncode, proc.log_tail()))
        try:
            status, body = http_get(port, path)
            if ok(status, body):
                return
            last = "HTTP %s %s" % (status, body[:200])
        except OSError as e:
            last = repr(e)
        time.sleep(0.1)
    raise RuntimeError("%s not ready on port %d after %ds (%s); last log lines:\n%s"
                       % (proc.name, port, timeout_s, last, proc.log_tail()))


class Client:
    """One kept-alive connection to an aggregator on loopback; times each POST from send to last byte."""

    def __init__(self, port, timeout=300):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def _c(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def post(self, path, body_bytes, accept="application/json"):
        """Returns (status, body bytes, wall ms). The body is read in full before the clock stops."""
        headers = {"Content-Type": "application/json", "Accept": accept}
        for attempt in (1, 2):
            c = self._c()
            try:
                t0 = time.perf_counter()
                c.request("POST", path, body=body_bytes, headers=headers)
                r = c.getresponse()
                data = r.read()
                t1 = time.perf_counter()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, data, (t1 - t0) * 1000.0
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise

    def stream_ndjson(self, path, body_bytes, keep_lines=True):
        """POST and read an NDJSON stream line by line without holding it.
        Returns dict: status, first_ms (first line), last_ms, lines, bytes, first (parsed first line),
        summary (parsed last line if it is the summary), results (list of small parsed lines if keep_lines)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            t0 = time.perf_counter()
            c.request("POST", path, body=body_bytes,
                      headers={"Content-Type": "application/json", "Accept": "application/x-ndjson"})
            r = c.getresponse()
            out = {"status": r.status, "first_ms": None, "lines": 0, "bytes": 0, "first": None,
                   "summary": None, "line_ms": []}
            if r.status != 200:
                out["error"] = r.read()[:500].decode(errors="replace")
                return out
            while True:
                line = r.readline()
                if not line:
                    break
                now = (time.perf_counter() - t0) * 1000.0
                if not line.strip():
                    continue
                out["lines"] += 1
                out["bytes"] += len(line)
                if out["first_ms"] is None:
                    out["first_ms"] = now
                    out["first"] = _head_fields(line)
                if keep_lines:
                    out["line_ms"].append(round(now, 3))
                if b'"summary"' in line[:64] or b'"type":"summary"' in line:
                    try:
                        out["summary"] = json.loads(line)
                    except ValueError:
                        pass
            out["last_ms"] = (time.perf_counter() - t0) * 1000.0
            return out
        finally:
            c.close()


def _head_fields(line):
    """type/id/status of an NDJSON line without keeping its data."""
    try:
        o = json.loads(line)
        return {k: o.get(k) for k in ("type", "id", "status", "httpStatus", "latencyMs", "startMs")}
    except ValueError:
        return {"raw": line[:200].decode(errors="replace")}


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far (its threads included), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def read_status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def reset_hwm(pid):
    """Reset the kernel's peak-RSS counter (VmHWM) of pid; True if the kernel allowed it."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class RssSampler(threading.Thread):
    """Polls VmRSS of one pid every interval; keeps the peak per named phase."""

    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.phase = "start"
        self.peaks = {}
        self.samples = []  # (t, kB) every ~1 s, for the record
        self._stop = threading.Event()

    def set_phase(self, name):
        self.phase = name

    def run(self):
        last_keep = 0.0
        while not self._stop.is_set():
            kb = read_status_kb(self.pid, "VmRSS")
            if kb is None:
                return
            if kb > self.peaks.get(self.phase, 0):
                self.peaks[self.phase] = kb
            now = time.monotonic()
            if now - last_keep >= 1.0:
                self.samples.append((round(now, 1), kb, self.phase))
                last_keep = now
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()


class ForeignCpu(threading.Thread):
    """Measures the CPU used by processes this run did not start (a build, a test suite...), per phase,
    so that a run disturbed by other work says so. Ours: the bench itself, its direct children (wrk) and the
    sessions of the processes it started (each is a session leader)."""

    def __init__(self, own_sids, interval=0.5):
        super().__init__(daemon=True)
        self.own_sids = set(own_sids)
        self.interval = interval
        self.phase = "start"
        self.per_phase = {}  # phase -> [foreign cpu seconds, wall seconds]
        self.top = {}        # comm -> foreign cpu seconds
        self._stop = threading.Event()
        self._hz = os.sysconf("SC_CLK_TCK")
        self._me = os.getpid()
        self.own_sids.add(self._me)  # direct children (wrk) are mapped to this id

    def add_sid(self, sid):
        self.own_sids.add(sid)

    def set_phase(self, name):
        self.phase = name

    def _snapshot(self):
        snap = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    s = f.read()
            except OSError:
                continue
            r = s.rfind(")")
            comm = s[s.find("(") + 1:r]
            fields = s[r + 2:].split()
            ppid, sid = int(fields[1]), int(fields[3])
            ticks = int(fields[11]) + int(fields[12])
            snap[int(d)] = (sid if ppid != self._me else self._me, ticks, comm)
        return snap

    def run(self):
        prev = self._snapshot()
        t_prev = time.monotonic()
        while not self._stop.wait(self.interval):
            cur = self._snapshot()
            now = time.monotonic()
            foreign = 0.0
            for pid, (sid, ticks, comm) in cur.items():
                if sid in self.own_sids or pid == os.getpid():
                    continue
                before = prev.get(pid)
                d = ticks - (before[1] if before else 0) if before or ticks < 5 * self._hz else 0
                if d > 0:
                    foreign += d / self._hz
                    self.top[comm] = self.top.get(comm, 0.0) + d / self._hz
            acc = self.per_phase.setdefault(self.phase, [0.0, 0.0])
            acc[0] += foreign
            acc[1] += now - t_prev
            prev, t_prev = cur, now

    def stop(self):
        self._stop.set()

    def report(self):
        cpus = os.cpu_count() or 1
        phases = {p: {"foreign_cpu_s": round(c, 2), "wall_s": round(w, 1),
                      "foreign_pct_of_machine": round(100.0 * c / (w * cpus), 1) if w else None}
                  for p, (c, w) in self.per_phase.items()}
        top = sorted(self.top.items(), key=lambda kv: -kv[1])[:5]
        return {"phases": phases, "top": [{"comm": k, "cpu_s": round(v, 2)} for k, v in top]}
