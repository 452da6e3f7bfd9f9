"""The sequential baseline: fetch each source one after another.

    /usr/bin/python3 bench/clients/sequential.py PORT

Serves POST /v1/aggregate with fanin's request body and JSON response shape (concurrency is ignored: one
request after another), so bench/run times it and points wrk at it exactly as it does at fanin. Standard
library only: a threading HTTP/1.1 server (one thread per client connection) and, per thread, one kept-alive
http.client connection per upstream origin, so the baseline pays no connect per source. The deadline is
checked before each request: sources not started by then are reported as errors.
"""
import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_local = threading.local()


def _conn(netloc):
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    c = pool.get(netloc)
    if c is None:
        c = pool[netloc] = http.client.HTTPConnection(netloc, timeout=60)
    return c


def fetch(url):
    u = urlsplit(url)
    path = u.path or "/"
    if u.query:
        path += "?" + u.query
    for attempt in (1, 2):  # a kept-alive connection may have been closed by the server: reconnect once
        c = _conn(u.netloc)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError):
            c.close()
            _local.pool.pop(u.netloc, None)
            if attempt == 2:
                raise


def aggregate(spec):
    deadline = float(spec.get("deadlineMs") or 10000) / 1000.0
    t0 = time.monotonic()
    results, complete = {}, True
    for src in spec["sources"]:
        start = time.monotonic()
        if start - t0 > deadline:
            complete = False
            results[src["id"]] = {"id": src["id"], "status": "error", "error": "deadline"}
            continue
        try:
            status, body = fetch(src["url"])
            data = json.loads(body)
            st = "ok" if status < 400 else "error"
        except Exception as e:
            status, data, st = None, {"error": repr(e)}, "error"
        end = time.monotonic()
        results[src["id"]] = {
            "id": src["id"], "status": st, "httpStatus": status,
            "latencyMs": round((end - start) * 1000, 3), "startMs": round((start - t0) * 1000, 3),
            "attempts": 1, "data": data,
        }
    return {"complete": complete, "durationMs": round((time.monotonic() - t0) * 1000, 3), "results": results}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._send(200, {"status": "UP"} if self.path == "/health" else {"error": "not found"})

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        spec = json.loads(self.rfile.read(n))
        self._send(200, aggregate(spec))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 4096


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9200
    Server(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
