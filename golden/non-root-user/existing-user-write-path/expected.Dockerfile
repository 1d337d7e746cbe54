# dopt-test: --unsafe-fixes
FROM node:20-slim
RUN useradd --create-home --shell /bin/bash web
ENV PIP_CACHE_DIR=/root/.cache/pip \
    UPLOAD_DIR=/srv/uploads
WORKDIR /srv/app
COPY --chown=web package.json server.js ./
RUN mkdir -p /srv/app /srv/uploads \
 && chown web /srv/app \
 && chown -R web /srv/uploads
USER web
CMD ["node", "server.js"]
