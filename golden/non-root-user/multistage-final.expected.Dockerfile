# dopt-test: --unsafe-fixes
FROM python:3.11-slim AS base
ENV PYTHONUNBUFFERED=1

FROM base AS final
WORKDIR /app
COPY app/ ./app/
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /app \
 && chgrp 10001 /app \
 && chmod g+w,+t /app
USER 10001:10001
CMD ["python", "-m", "app"]
