# dopt-test: --unsafe-fixes
# A RUN after the build downloads with curl, which the stage does not install: no split onto -slim, and
# nothing else to drop.
FROM python:3.11
RUN pip install --no-cache-dir psycopg2 requests
RUN curl -fsSL -o /usr/local/share/model.bin https://example.com/model.bin
CMD ["python", "serve.py"]
