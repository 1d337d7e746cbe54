# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS base
ENV XDG_CACHE_HOME=/var/cache/app
WORKDIR /app
COPY . .
CMD ["python", "-m", "app"]

# the final stage inherits ENV, WORKDIR and CMD from `base`
FROM base AS final
RUN pip install --no-cache-dir .
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /app /var/cache/app \
 && chown -R 10001:10001 /var/cache/app \
 && chgrp 10001 /app \
 && chmod g+w,+t /app
USER 10001:10001
