FROM php:8.3-cli
RUN /usr/local/bin/composer update
