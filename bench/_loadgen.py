"""Load generator for suite_web, run as its own process: ``python _loadgen.py spec.json``.

Each of ``clients`` threads keeps one HTTP/1.1 connection and requests the URLs of the spec in
turn, with the bearer token, until ``seconds`` have passed or ``requests`` were made. Prints
JSON: per request the client-side latency, the server's own time (its Server-Timing header), the
status and the method.

With ``scripts`` (one list of ``[method, url, json body or null]`` per client) each client plays
its own script instead, ``think`` seconds between two requests (a user reading the answer), all
clients starting together.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time


def run_process(spec: dict[str, object], env: dict[str, str] | None = None) -> list[list[object]]:
    """Run the load generator in its own process (so its threads do not share the caller's
    interpreter lock) and return its rows."""
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spec, fh)
    try:
        out = subprocess.run(
            [sys.executable, __file__, fh.name],
            capture_output=True,
            text=True,
            check=True,
            env=env or dict(os.environ),
        ).stdout
    finally:
        Path(fh.name).unlink()
    return json.loads(out)  # type: ignore[no-any-return]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main() -> None:
    with open(sys.argv[1]) as fh:
        spec = json.load(fh)
    out: list[tuple[float, float, int, str]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + spec["seconds"]
    scripts = spec.get("scripts")
    clients = len(scripts) if scripts else spec["clients"]
    per_client = spec.get("requests", 0) // clients
    together = threading.Barrier(clients)
    auth = {"Authorization": "Bearer " + spec["token"]}

    def steps(k: int) -> list[tuple[str, str, object]]:
        if scripts:
            return [tuple(step) for step in scripts[k]]  # type: ignore[misc]
        urls = spec["urls"]
        return [("GET", urls[(k + i * clients) % len(urls)], None) for i in range(per_client)]

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=120)
        mine = steps(k)
        together.wait()
        for i, (method, url, body) in enumerate(mine):
            if time.monotonic() > deadline:
                break
            if i and spec.get("think"):
                time.sleep(spec["think"])  # the user reads the page: load shape, not a wait on us
            headers = dict(auth)
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            start = time.perf_counter()
            conn.request(method, url, body=data, headers=headers)
            resp = conn.getresponse()
            resp.read()
            took = time.perf_counter() - start
            timing = re.search(r"dur=([\d.]+)", resp.getheader("server-timing") or "")
            with lock:
                out.append((took * 1000, float(timing[1]) if timing else -1.0, resp.status, method))
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
