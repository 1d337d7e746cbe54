FROM composer:2
RUN composer install --no-dev --optimize-autoloader
