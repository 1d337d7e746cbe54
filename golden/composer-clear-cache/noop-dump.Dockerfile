FROM php:8.3-cli
RUN composer dump-autoload -o
