# dopt-test: --unsafe-fixes
# gdal links the full image's libraries in ways dopt's data does not name: the split is not offered.
FROM python:3.11
RUN pip install --no-cache-dir psycopg2 gdal
CMD ["python"]
