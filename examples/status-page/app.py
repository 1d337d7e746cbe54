"""A status page: answers GET with the service's state, signed with a key shipped beside the code.

Everything it needs comes from settings.json, the way many small services are configured:
- the signing key, opened at import: the first `*.key` in a folder beside the code (a key ring);
- the port it listens on (80, the well-known HTTP port);
- its state folder, <prefix>/lib/<name>, created at start-up (the pid and the start time go there).
"""

import glob
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "settings.json")) as fh:
    SETTINGS = json.load(fh)
KEYS = sorted(glob.glob(os.path.join(HERE, "*", "*.key")))
if not KEYS:
    raise FileNotFoundError(f"no signing key (*.key) in a folder under {HERE}")
with open(KEYS[0], "rb") as fh:
    KEY = fh.read().strip()
STATE = os.path.join(SETTINGS["prefix"], "lib", SETTINGS["name"])


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        with open(os.path.join(STATE, "state.json"), "rb") as fh:
            body = fh.read()
        self.send_response(200)
        self.send_header("X-Signature", hmac.new(KEY, body, hashlib.sha256).hexdigest())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet access log
        pass


def main() -> None:
    port = int(os.environ.get("PORT", SETTINGS["port"]))
    try:
        server = HTTPServer(("0.0.0.0", port), Handler)
    except OSError as e:
        sys.exit(f"cannot listen on port {port}: {e}")
    os.makedirs(STATE, exist_ok=True)
    with open(os.path.join(STATE, "state.json"), "w") as fh:
        json.dump({"pid": os.getpid(), "started": time.time()}, fh)
    print(f"{SETTINGS['name']}: serving on {port}, state in {STATE}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
