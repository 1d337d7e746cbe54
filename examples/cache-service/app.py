"""A tiny HTTP service that keeps a cache under $HOME and its state in /data.

Like many model servers and tools, it writes at start-up: an index under ~/.cache (as the Hugging
Face hub, pip or torch do) and a state file in a directory its Dockerfile made with `RUN mkdir -p`.
If it cannot write there, it stops at once.
"""

import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

CACHE = Path.home() / ".cache" / "cache-service"
STATE = Path(os.environ.get("DATA_DIR", "/data")) / "state.json"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"ok" if self.path == "/health" else json.dumps(json.loads(STATE.read_text())).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet access log
        pass


def main() -> None:
    if sys.argv[1:] == ["selftest"]:
        print("cache-service", CACHE.name, STATE.name)
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "index.json").write_text(json.dumps({"entries": 0}))
    STATE.write_text(json.dumps({"started": time.time()}))
    print(f"cache in {CACHE}, state in {STATE}; serving on 8000", flush=True)
    HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()


if __name__ == "__main__":
    main()
