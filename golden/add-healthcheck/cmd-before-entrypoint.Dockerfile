# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
# the CMD written before the ENTRYPOINT stays: uvicorn gets --port 9090
CMD ["main:app", "--host", "0.0.0.0", "--port", "9090"]
ENTRYPOINT ["uvicorn"]
