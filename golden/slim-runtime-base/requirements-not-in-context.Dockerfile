# dopt-test: --unsafe-fixes --expect DOP603:2
FROM python:3.11
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python"]
