FROM composer:2.7
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a \
    && mkdir -p /srv/b \
    && mkdir -p /srv/c \
    && mkdir -p /srv/d
RUN composer install --no-dev && \
  composer dump-autoload && \
  composer clear-cache
