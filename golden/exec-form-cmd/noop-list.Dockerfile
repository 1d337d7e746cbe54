# dopt-test: --unsafe-fixes
# dopt-test: --unsafe-fixes --expect DOP304:2
FROM nginx:1.27
CMD php-fpm && nginx -g 'daemon off;'
