# dopt-test: --expect DOP212:5
FROM php:8.3-fpm-alpine AS build
ARG ROOT=/var/www
# the archive lands in /var/www/html, which the COPY below takes through ${ROOT}
RUN curl -fsSL -o app.tgz https://example.com/app.tgz && tar -xzf app.tgz -C "${ROOT}"

FROM php:8.3-fpm-alpine
ARG ROOT=/var/www
COPY --from=build ${ROOT} ${ROOT}
