# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY --from=apache/beam_python3.11_sdk:2.56.0 /opt/apache/beam /opt/apache/beam
ENV RUN_PYTHON_SDK_IN_DEFAULT_ENVIRONMENT=1
WORKDIR /pipeline
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /pipeline \
 && chgrp 10001 /pipeline \
 && chmod g+w,+t /pipeline
USER 10001:10001
ENTRYPOINT ["/opt/apache/beam/boot"]
