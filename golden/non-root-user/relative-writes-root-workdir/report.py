from pathlib import Path

Path("reports").mkdir(exist_ok=True)
with open("reports/latest.txt", "w") as fh:
    fh.write("done\n")
