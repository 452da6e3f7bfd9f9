"""The script fanin grew from: asyncio + aiohttp + a Semaphore, retrying a 429 after its Retry-After.

    /usr/bin/python3 bench/clients/seed_script.py URL_PREFIX N CONCURRENCY RETRIES

Fetches URL_PREFIX + i for i in 0..N-1, at most CONCURRENCY at once; a 429 (or 503) is retried up to RETRIES
times, each after the Retry-After it carried (1 s without one), the way a careful user writes it by hand. Prints
one JSON line: {"ok", "failed", "answers_429", "wall_s"}. Used by bench/run's scenario 9 beside fanin.
"""
import asyncio
import json
import sys
import time

import aiohttp


async def fetch(session, sem, url, retries, counts):
    for attempt in range(retries + 1):
        async with sem:
            try:
                async with session.get(url) as resp:
                    await resp.read()
                    if resp.status not in (429, 503):
                        return resp.status < 400
                    counts["429"] += resp.status == 429
                    wait = resp.headers.get("Retry-After", "1")
            except aiohttp.ClientError:
                return False
        if attempt < retries:
            try:
                await asyncio.sleep(float(wait))
            except ValueError:
                await asyncio.sleep(1)
    return False


async def main(prefix, n, concurrency, retries):
    counts = {"429": 0}
    sem = asyncio.Semaphore(concurrency)
    t0 = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        results = await asyncio.gather(*(fetch(session, sem, prefix + str(i), retries, counts) for i in range(n)))
    wall = time.monotonic() - t0
    ok = sum(1 for r in results if r)
    print(json.dumps({"ok": ok, "failed": n - ok, "answers_429": counts["429"], "wall_s": round(wall, 3)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
