# dopt-test: --unsafe-fixes --expect DOP304:3
FROM nginx:1.27
CMD php-fpm && nginx -g 'daemon off;'
