FROM php:8.3-cli
RUN composer install && composer clear-cache
