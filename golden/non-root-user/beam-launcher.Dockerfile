# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY --from=apache/beam_python3.11_sdk:2.56.0 /opt/apache/beam /opt/apache/beam
WORKDIR /pipeline
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENTRYPOINT ["/opt/apache/beam/boot"]
