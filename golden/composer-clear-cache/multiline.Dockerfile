FROM php:8.3-cli
RUN composer install \
    --no-interaction \
    --prefer-dist
