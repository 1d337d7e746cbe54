# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS app
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["main:app", "--host", "0.0.0.0", "--port", "9090"]

# the ENTRYPOINT drops the CMD this stage inherits: uvicorn runs on its default port
FROM app
ENTRYPOINT ["uvicorn", "main:app", "--host", "0.0.0.0"]
