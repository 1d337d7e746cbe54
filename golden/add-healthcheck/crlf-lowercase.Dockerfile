# dopt-test: --unsafe-fixes
from python:3.12-slim
copy . /app
run pip install --no-cache-dir gunicorn
cmd ["gunicorn", "-b", ":8001", "app:app"]
