# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:4
FROM registry.example.com/team/base:1.4
COPY dist/ /app/
RUN chown -R 1001 /app/
