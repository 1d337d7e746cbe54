# dopt-test: --unsafe-fixes
# Nothing installed with apt: psycopg2 and mysqlclient compile with the full image's own gcc and -dev
# packages; the runtime stage on -slim gets the libraries they load.
FROM python:3.12-bookworm
WORKDIR /srv
RUN pip install --no-cache-dir psycopg2 mysqlclient flask
COPY app.py .
CMD ["python", "app.py"]
