"""The batch script fanin's users write by hand: asyncio + aiohttp + a Semaphore, results to a file.

    /usr/bin/python3 bench/clients/seed_batch.py URL_FILE OUT_FILE CONCURRENCY

Reads one URL a line, fetches every one at most CONCURRENCY at once (one shared ClientSession, one
asyncio.gather over a task per URL under a Semaphore, the shape of the script fanin grew from), and writes
one JSON line per URL to OUT_FILE as it completes ({"url", "status", "ms"} or {"url", "error"}). The
connector's own limit of 100 connections is lifted (limit=0): the Semaphore is the bound. Prints one JSON
line: {"ok", "failed", "wall_s"}. Used by bench/run's scenario 10 beside fanin run, curl and xargs.
"""
import asyncio
import json
import sys
import time

import aiohttp


async def fetch(session, sem, url, out, counts):
    async with sem:
        t0 = time.monotonic()
        try:
            async with session.get(url) as resp:
                await resp.read()
                out.write(json.dumps({"url": url, "status": resp.status,
                                      "ms": round((time.monotonic() - t0) * 1000, 1)}) + "\n")
                counts["ok" if resp.status < 400 else "failed"] += 1
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            out.write(json.dumps({"url": url, "error": repr(e)}) + "\n")
            counts["failed"] += 1


async def main(url_file, out_file, concurrency):
    with open(url_file) as f:
        urls = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    counts = {"ok": 0, "failed": 0}
    sem = asyncio.Semaphore(concurrency)
    t0 = time.monotonic()
    with open(out_file, "w") as out:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            await asyncio.gather(*(fetch(session, sem, u, out, counts) for u in urls))
    print(json.dumps({"ok": counts["ok"], "failed": counts["failed"], "wall_s": round(time.monotonic() - t0, 3)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
