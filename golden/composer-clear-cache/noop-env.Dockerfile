FROM php:8.3-cli
ENV COMPOSER_CACHE_DIR=/dev/null
RUN composer install
