# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:4
FROM php:8.3-apache
COPY . /var/www/html
RUN chown -R www-data:www-data /var/www/html
