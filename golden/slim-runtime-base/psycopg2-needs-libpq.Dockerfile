# dopt-test: --unsafe-fixes --expect DOP603:2
FROM python:3.11
RUN pip install --no-cache-dir psycopg2==2.9.9
CMD ["python"]
