"""The aggregator fanin's users would otherwise write: asyncio + aiohttp, gather under a Semaphore.

    /usr/bin/python3 bench/clients/aiohttp_aggregator.py PORT

Serves POST /v1/aggregate with fanin's request body ({"sources":[{"id","url"}], "deadlineMs", "concurrency"})
and fanin's JSON response shape, so bench/run can time it and point wrk at it exactly as it does at fanin.

Kept minimal and honest: one process, the default asyncio event loop, one shared ClientSession for the whole
process (connection reuse), one asyncio.Semaphore per aggregation bounding its concurrency, asyncio.gather,
one deadline over the whole gather, each body parsed as JSON. The one deliberate change from aiohttp's defaults:
the connector's own pool limit (100 connections) is lifted (limit=0), because the Semaphore is the bound the
user asked for; fanin gets the same treatment (its pool per origin is raised to 2000 by bench/run).
Uses Debian's python3-aiohttp; run it with /usr/bin/python3.
"""
import asyncio
import sys
import time

import aiohttp
from aiohttp import web


async def fetch_one(session, sem, src, t0):
    async with sem:
        start = time.monotonic()
        try:
            async with session.get(src["url"]) as resp:
                data = await resp.json(content_type=None)
                status = "ok" if resp.status < 400 else "error"
                http_status = resp.status
        except Exception as e:  # the user's "catch everything, report an error" pattern
            data, status, http_status = {"error": repr(e)}, "error", None
        end = time.monotonic()
        return src["id"], {
            "id": src["id"], "status": status, "httpStatus": http_status,
            "latencyMs": round((end - start) * 1000, 3), "startMs": round((start - t0) * 1000, 3),
            "attempts": 1, "data": data,
        }


async def aggregate(request):
    spec = await request.json()
    sources = spec["sources"]
    sem = asyncio.Semaphore(int(spec.get("concurrency") or 64))
    deadline = float(spec.get("deadlineMs") or 10000) / 1000.0
    session = request.app["session"]
    t0 = time.monotonic()
    tasks = [asyncio.ensure_future(fetch_one(session, sem, s, t0)) for s in sources]
    done, pending = await asyncio.wait(tasks, timeout=deadline)
    for t in pending:
        t.cancel()
    results = dict(t.result() for t in done)
    for s in sources:
        if s["id"] not in results:
            results[s["id"]] = {"id": s["id"], "status": "error", "error": "deadline"}
    return web.json_response({
        "complete": not pending,
        "durationMs": round((time.monotonic() - t0) * 1000, 3),
        "results": results,
    })


async def health(request):
    return web.json_response({"status": "UP"})


async def on_startup(app):
    app["session"] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))


async def on_cleanup(app):
    await app["session"].close()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9100
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_post("/v1/aggregate", aggregate)
    app.router.add_get("/health", health)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None, backlog=4096)


if __name__ == "__main__":
    main()
