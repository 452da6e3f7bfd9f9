"""Start-up of the peer: python3 with aiohttp imported, one GET, exit.

    /usr/bin/python3 bench/clients/first_request.py URL_FILE

Fetches the first URL of URL_FILE with one aiohttp ClientSession: the time from the command's start to its
request is what scenario 10 compares bin/fanin run's start-up with.
"""
import asyncio
import sys

import aiohttp


async def main(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            await resp.read()


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        asyncio.run(main(f.readline().strip()))
