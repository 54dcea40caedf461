"""Load generator for suite_web, run as its own process: ``python _loadgen.py spec.json``.

Each of ``clients`` threads keeps one HTTP/1.1 connection and requests the URLs of the spec in
turn, with the bearer token, until ``seconds`` have passed or ``requests`` were made. Prints
JSON: per request the client-side latency and the server's own time (its Server-Timing header).
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time


def main() -> None:
    with open(sys.argv[1]) as fh:
        spec = json.load(fh)
    out: list[tuple[float, float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + spec["seconds"]
    per_client = spec["requests"] // spec["clients"]

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=120)
        urls = spec["urls"]
        for i in range(per_client):
            if time.monotonic() > deadline:
                break
            url = urls[(k + i * spec["clients"]) % len(urls)]
            start = time.perf_counter()
            conn.request("GET", url, headers={"Authorization": "Bearer " + spec["token"]})
            resp = conn.getresponse()
            resp.read()
            took = time.perf_counter() - start
            timing = re.search(r"dur=([\d.]+)", resp.getheader("server-timing") or "")
            with lock:
                out.append((took * 1000, float(timing[1]) if timing else -1.0, resp.status))
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(spec["clients"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
