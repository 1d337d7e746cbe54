FROM php:8.3-cli
RUN composer --no-cache install
