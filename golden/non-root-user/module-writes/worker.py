import json
import os
from pathlib import Path

os.makedirs("/mnt/results/output", exist_ok=True)
Path("/var/lib/worker/state").mkdir(parents=True, exist_ok=True)
with open("/etc/hosts") as fh:  # read only: not a write path
    fh.read()
with open("/mnt/results/output/summary.json", "w") as fh:
    json.dump({"ok": True}, fh)
with open("/tmp/scratch.txt", "w") as fh:  # /tmp is everyone's
    fh.write("x")
